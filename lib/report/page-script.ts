// The style and script a report page gains (page.ts puts them in): the table of contents beside the
// page on wide screens, the toolbar, the slow cells' times, the dark theme (JupyterLab's own CSS
// variables, set again on the root element) and the script behind the code toggle and the theme
// switch. Plain ES5-level JavaScript with no imports: it runs in the single HTML file, offline,
// with or without require.js (it defines nothing global and reads window.Plotly, which
// lib/notebook/plotly.ts sets in both cases). Printing and PDFs are always light: the dark
// variables apply on screens only, and the charts turn light before printing.

/** Chart colours per theme; the traces' own colours are never touched. */
const CHART_THEME = {
  dark: { paper: "#1e1e1e", plot: "#1e1e1e", font: "#e0e0e0", grid: "#444444", line: "#888888" },
} as const;

export const REPORT_PAGE_CSS = `
.digits-toolbar { position: fixed; top: 8px; right: 8px; z-index: 1000; display: flex; gap: 6px; }
.digits-toolbar button { font: 13px system-ui, sans-serif; padding: 4px 10px; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--jp-border-color1, #bbb); background: var(--jp-layout-color1, #fff); color: var(--jp-ui-font-color1, #222); }
.digits-run-info { margin: 8px 0 16px; font: 13px system-ui, sans-serif; }
.digits-run-info summary { cursor: pointer; font-weight: 600; }
.digits-run-info table { border-collapse: collapse; margin: 6px 16px 6px 0; display: inline-table; vertical-align: top; }
.digits-run-info caption { text-align: left; font-weight: 600; }
.digits-run-info th, .digits-run-info td { text-align: left; padding: 1px 10px 1px 0; vertical-align: top; word-break: break-all; }
.digits-run-info th { font-weight: 500; color: var(--jp-content-font-color2, #555); white-space: nowrap; word-break: normal; }
.digits-toc { font: 13px system-ui, sans-serif; margin: 0 0 16px; }
.digits-toc-title { font-weight: 600; margin: 0 0 4px; }
.digits-toc ul { margin: 0; padding-left: 18px; }
.digits-toc a { color: var(--jp-content-link-color, #1565c0); text-decoration: none; }
.digits-toc a:hover { text-decoration: underline; }
.digits-cell-time { float: right; font: 11px system-ui, sans-serif; color: var(--jp-content-font-color2, #666);
  padding: 2px 6px; border: 1px solid var(--jp-border-color2, #ddd); border-radius: 3px; margin: 2px 4px 0 0; }
html.digits-hide-code .jp-CodeCell .jp-Cell-inputWrapper { display: none !important; }
@media screen and (min-width: 1280px) {
  .digits-toc { position: fixed; top: 0; left: 0; bottom: 0; width: 250px; overflow-y: auto; padding: 48px 12px 12px 8px;
    box-sizing: border-box; border-right: 1px solid var(--jp-border-color2, #ddd); background: var(--jp-layout-color0, #fff); z-index: 900; }
  body.jp-Notebook { margin-left: 260px; }
}
@media screen {
  :root[data-digits-color="dark"] {
    color-scheme: dark;
    --jp-layout-color0: #111111; --jp-layout-color1: #1e1e1e; --jp-layout-color2: #2a2a2a; --jp-layout-color3: #3a3a3a;
    --jp-content-font-color0: #ffffff; --jp-content-font-color1: #e0e0e0; --jp-content-font-color2: #b0b0b0; --jp-content-font-color3: #8a8a8a;
    --jp-ui-font-color0: #ffffff; --jp-ui-font-color1: #e0e0e0; --jp-ui-font-color2: #b0b0b0; --jp-ui-font-color3: #8a8a8a;
    --jp-border-color0: #555555; --jp-border-color1: #555555; --jp-border-color2: #3a3a3a; --jp-border-color3: #2a2a2a;
    --jp-cell-editor-background: #1b1b1b; --jp-cell-editor-border-color: #3a3a3a;
    --jp-cell-prompt-not-active-font-color: #8a8a8a; --jp-cell-inprompt-font-color: #7fa7d9; --jp-cell-outprompt-font-color: #d98f7f;
    --jp-rendermime-table-row-background: #1e1e1e; --jp-rendermime-table-row-hover-background: #2e3a48;
    --jp-rendermime-error-background: #3a1f1f; --jp-content-link-color: #82b1ff;
    --jp-mirror-editor-variable-color: #e0e0e0; --jp-mirror-editor-keyword-color: #7ec27e; --jp-mirror-editor-string-color: #e09b7a;
    --jp-mirror-editor-comment-color: #8fa7b8; --jp-mirror-editor-number-color: #7ec27e; --jp-mirror-editor-def-color: #82b1ff;
    --jp-mirror-editor-operator-color: #c39bd3; --jp-mirror-editor-builtin-color: #7ec27e; --jp-mirror-editor-property-color: #82b1ff;
    --jp-mirror-editor-punctuation-color: #c8c8c8; --jp-mirror-editor-bracket-color: #c8c8c8; --jp-mirror-editor-meta-color: #c39bd3;
    --jp-mirror-editor-qualifier-color: #82b1ff; --jp-mirror-editor-attribute-color: #82b1ff; --jp-mirror-editor-tag-color: #7ec27e;
  }
  :root[data-digits-color="dark"] body { background: var(--jp-layout-color0); color: var(--jp-content-font-color1); }
  :root[data-digits-color="dark"] .jp-RenderedHTMLCommon table,
  :root[data-digits-color="dark"] .jp-RenderedHTMLCommon th,
  :root[data-digits-color="dark"] .jp-RenderedHTMLCommon td { color: var(--jp-content-font-color1); }
}
@media print {
  .digits-toolbar, .digits-toc { display: none !important; }
}
`;

/** The page script: code toggle and theme switch, each remembered in sessionStorage while the page is open. */
export const REPORT_PAGE_SCRIPT = `(function () {
  var root = document.documentElement;
  var DARK = ${JSON.stringify(CHART_THEME.dark)};
  function remember(key, value) { try { sessionStorage.setItem(key, value); } catch (e) {} }
  function recall(key) { try { return sessionStorage.getItem(key); } catch (e) { return null; } }
  function charts() { return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot")); }
  function axes(el) { return Object.keys(el._fullLayout || {}).filter(function (k) { return /^[xy]axis\\d*$/.test(k); }); }
  function chartUpdate(el, dark) {
    var update = {}, layout = el.layout || {}, saved = el.__digitsLight;
    var keys = ["paper_bgcolor", "plot_bgcolor", "font.color"];
    axes(el).forEach(function (a) { keys.push(a + ".gridcolor", a + ".zerolinecolor", a + ".linecolor"); });
    if (dark && !saved) {
      saved = el.__digitsLight = {};
      keys.forEach(function (k) {
        var parts = k.split("."), v = layout[parts[0]];
        if (parts.length > 1) v = v && typeof v === "object" ? v[parts[1]] : undefined;
        saved[k] = v === undefined ? null : v;
      });
    }
    keys.forEach(function (k) {
      if (!dark) { update[k] = saved && k in saved ? saved[k] : null; return; }
      update[k] = k === "paper_bgcolor" ? DARK.paper : k === "plot_bgcolor" ? DARK.plot : k === "font.color" ? DARK.font
        : /zerolinecolor|linecolor$/.test(k) && !/gridcolor/.test(k) ? DARK.line : DARK.grid;
    });
    return update;
  }
  function themeCharts(dark) {
    var P = window.Plotly;
    if (!P || !P.relayout) return;
    charts().forEach(function (el) {
      if (!el._fullLayout || (!dark && !el.__digitsLight)) return;
      try { P.relayout(el, chartUpdate(el, dark)); } catch (e) {}
    });
  }
  var dark = false, codeHidden = false;
  function setTheme(value) {
    dark = value;
    if (dark) root.setAttribute("data-digits-color", "dark"); else root.removeAttribute("data-digits-color");
    var button = document.querySelector("[data-digits-theme]");
    if (button) { button.textContent = dark ? "Light" : "Dark"; button.setAttribute("aria-pressed", String(dark)); button.setAttribute("data-digits-theme", dark ? "dark" : "light"); }
    themeCharts(dark);
  }
  function setCode(hidden) {
    codeHidden = hidden;
    root.classList.toggle("digits-hide-code", hidden);
    var button = document.querySelector("[data-digits-toggle-code]");
    if (button) { button.textContent = hidden ? "Show code" : "Hide code"; button.setAttribute("aria-pressed", String(hidden)); }
  }
  function start() {
    var theme = recall("digits-theme");
    var prefersDark = !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    setTheme(theme ? theme === "dark" : prefersDark);
    setCode(recall("digits-code") === "hidden");
    var themeButton = document.querySelector("[data-digits-theme]");
    if (themeButton) themeButton.addEventListener("click", function () { setTheme(!dark); remember("digits-theme", dark ? "dark" : "light"); });
    var codeButton = document.querySelector("[data-digits-toggle-code]");
    if (codeButton) codeButton.addEventListener("click", function () { setCode(!codeHidden); remember("digits-code", codeHidden ? "hidden" : "shown"); });
    // Printing is always light: the CSS does the page, this the charts, which return afterwards.
    window.addEventListener("beforeprint", function () { if (dark) themeCharts(false); });
    window.addEventListener("afterprint", function () { if (dark) themeCharts(true); });
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();`;
