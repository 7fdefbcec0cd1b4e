// The toolbar's two switches (page-parts.ts writes the buttons): the theme, light or dark, and the
// code cells' input, shown or hidden. Each sets the root element's attribute or class the page's
// style reads (page-style.ts) and the button's text and state.
import { themeCharts } from "./chart-theme";

const root = document.documentElement;

/** Sets the page and its charts dark or light, and the theme button to offer the other. */
export function setTheme(dark: boolean): void {
  if (dark) root.setAttribute("data-digits-color", "dark");
  else root.removeAttribute("data-digits-color");
  const button = document.querySelector("[data-digits-theme]");
  if (button) {
    button.textContent = dark ? "Light" : "Dark";
    button.setAttribute("aria-pressed", String(dark));
    button.setAttribute("data-digits-theme", dark ? "dark" : "light");
  }
  themeCharts(dark);
}

/** Hides or shows every code cell's input, and sets the code button to offer the other. */
export function setCode(hidden: boolean): void {
  root.classList.toggle("digits-hide-code", hidden);
  const button = document.querySelector("[data-digits-toggle-code]");
  if (button) {
    button.textContent = hidden ? "Show code" : "Hide code";
    button.setAttribute("aria-pressed", String(hidden));
  }
}
