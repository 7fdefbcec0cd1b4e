// Finding a widget's container: the notebook frontends differ in when an output's scripts run.

/**
 * Calls `main(root)` with the element `id` once it is in the document: JupyterLab may evaluate an
 * output's scripts before attaching its node, so this polls (every 50 ms, for up to a minute).
 * An element already started (data-digits-ready) is left alone, so a script run twice starts it once.
 */
export function whenAttached(id: string, main: (root: HTMLElement) => void): void {
  let tries = 0;
  const attempt = (): void => {
    const root = document.getElementById(id);
    if (!root) {
      if (++tries < 1200) setTimeout(attempt, 50);
      return;
    }
    if (root.getAttribute("data-digits-ready")) return;
    root.setAttribute("data-digits-ready", "1");
    main(root);
  };
  attempt();
}

/** The element inside `root` carrying the attribute `hook` (the hooks drawPadHtml and confusionCellsHtml write). */
export function hook<T extends HTMLElement = HTMLElement>(root: HTMLElement, name: string): T {
  return root.querySelector("[" + name + "]") as T;
}

/** Hides the text shown where scripts do not run. */
export function hideFallback(root: HTMLElement): void {
  hook(root, "data-digits-fallback").style.display = "none";
}
