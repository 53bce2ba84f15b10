// Fallback renderer of the course's Vega-Lite figures, for front ends that run
// output JavaScript: Colab, the book's HTML pages (myst-nb), and JupyterLab /
// Notebook 7 for outputs of the current session (their JavaScript renderer has
// rank 0, ahead of Vega-Lite's 57).  Stored outputs opened without running them
// (untrusted) are drawn by JupyterLab's own Vega-Lite renderer instead, from the
// application/vnd.vegalite.v5+json part of the same MIME bundle.
//
// bptt.explorer.figures builds the output as: this file, then one call
//   bpttVegaFallback(defineLibraries, spec, options);
// defineLibraries() runs the vega, vega-lite and vega-embed builds shipped in
// the package (no network); options = {id, signals, embed (vega-embed options)}.
/* exported bpttVegaFallback */
/* global document, window, element */
function bpttVegaFallback(defineLibraries, spec, options) {
  "use strict";
  var el = document.createElement("div");
  el.id = options.id;
  el.className = "bptt-vega";
  el.setAttribute("data-explorer-state", "");
  // Where the figure goes.  JupyterLab and Notebook 7 evaluate output JavaScript
  // with `element`, the output node, in scope (the classic Notebook passes it as
  // a jQuery object); a page (myst-nb, nbconvert) runs it as an inline <script>:
  // the figure goes where the script is; Colab runs it in the output's own frame,
  // whose body is the output area.
  var script = document.currentScript;
  if (typeof element !== "undefined" && element) {
    (element.jquery ? element[0] : element).appendChild(el);
  } else if (script && script.parentNode) {
    script.parentNode.insertBefore(el, script);
  } else {
    document.body.appendChild(el);
  }
  if (typeof window.vegaEmbed !== "function") {
    // With require.js on the page (the book's widget pages) vega's UMD builds
    // would register as anonymous AMD modules; hide AMD so they set globals.
    var amd = typeof window.define === "function" ? window.define.amd : undefined;
    if (amd) { window.define.amd = undefined; }
    try {
      defineLibraries.call(window);
    } finally {
      if (amd) { window.define.amd = amd; }
    }
  }
  function mark(view) {
    // the bound parameters' values, for tests and for readers of the DOM
    var state = {};
    options.signals.forEach(function (name) { state[name] = view.signal(name); });
    el.setAttribute("data-explorer-state", JSON.stringify(state));
  }
  window.vegaEmbed(el, spec, options.embed).then(function (result) {
    var view = result.view;
    options.signals.forEach(function (name) {
      view.addSignalListener(name, function () { view.runAsync().then(mark); });
    });
    mark(view);
  }).catch(function (err) {
    el.textContent = "Interactive figure failed: " + err;
  });
}
