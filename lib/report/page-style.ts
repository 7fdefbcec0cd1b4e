// The style a report page gains (page.ts puts it in <head>): the table of contents beside the page
// on wide screens, the toolbar, the run header, the slow cells' times, the hidden code and the dark
// theme (JupyterLab's own CSS variables, set again on the root element). Printing and PDFs are
// always light: the dark variables apply on screens only (the page's script, page/main.ts, turns
// the charts light before printing). A string rather than a .css file the build inlines: Node
// alone reads it, to write it into the page, so it needs no bundling and no build product.

/** The report page's style, put in its <head> by page.ts. */
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
