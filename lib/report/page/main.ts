// The report page's own code: the code toggle, the theme switch (the charts too) and light
// printing. A browser module (DOM, no Node), type-checked by tsconfig.page.json and bundled by the
// build (scripts/build.ts, esbuild) into one IIFE, dist/report-page.js, which page.ts inlines at
// the end of the page's <body>. It defines no global and loads no module, so it runs the same with
// or without require.js on the page, offline, from one HTML file.
import { recall, remember } from "./storage";
import { themeCharts } from "./chart-theme";
import { setCode, setTheme } from "./toolbar";

/** Sets the page as the reader left it (or as their system prefers) and wires the buttons. */
function start(): void {
  const theme = recall("digits-theme");
  let dark = theme ? theme === "dark" : window.matchMedia?.("(prefers-color-scheme: dark)").matches === true;
  let codeHidden = recall("digits-code") === "hidden";
  setTheme(dark);
  setCode(codeHidden);
  document.querySelector("[data-digits-theme]")?.addEventListener("click", () => {
    dark = !dark;
    setTheme(dark);
    remember("digits-theme", dark ? "dark" : "light");
  });
  document.querySelector("[data-digits-toggle-code]")?.addEventListener("click", () => {
    codeHidden = !codeHidden;
    setCode(codeHidden);
    remember("digits-code", codeHidden ? "hidden" : "shown");
  });
  // Printing is always light: the style does the page, this the charts, which return afterwards.
  window.addEventListener("beforeprint", () => {
    if (dark) themeCharts(false);
  });
  window.addEventListener("afterprint", () => {
    if (dark) themeCharts(true);
  });
}

// After load: the charts' scripts have drawn (or started drawing) by then.
if (document.readyState === "complete") start();
else window.addEventListener("load", start);
