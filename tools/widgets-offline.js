// Copied to _static/widgets-offline.js by tools/vendor_assets.py and loaded
// (via nb_ipywidgets_js in _config.yml) between require.js and the Jupyter
// widgets html-manager on pages with embedded widget state.
//
// require.js resolves module paths against the *page* by default, so the
// html-manager (which takes its public path from its module URL) would ask
// for its icon fonts at chapters/@jupyter-widgets/... and any widget module
// "CDN" relative to each page.  Anchoring require.js at this script's own
// folder (_static/) keeps every request on the site, whatever the page depth.
(function () {
  var here = document.currentScript && document.currentScript.src;
  if (!here || typeof window.require === "undefined") {
    return;
  }
  var staticRoot = here.slice(0, here.lastIndexOf("/") + 1);
  window.require.config({
    baseUrl: staticRoot,
    // The html-manager bundles @jupyter-widgets/{base,controls,output,...}
    // and derives its public path (icon fonts) from their module URLs.
    paths: {
      "@jupyter-widgets": staticRoot + "html-manager",
      "@jupyter-widgets/html-manager/dist": staticRoot + "html-manager",
    },
  });
})();

// The widgets typeset their labels with the MathJax 2 API
// (MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])); the site runs
// MathJax 3, which has no Hub, so every widget label threw a TypeError.
// Translate those calls to MathJax 3 once MathJax has loaded (it is deferred,
// the widgets render at window "load").  Widget labels write math as $...$,
// which the site's MathJax does not treat as a delimiter (only \( \) and
// \[ \], what Sphinx emits), so plain-text labels are rewritten first.
document.addEventListener("DOMContentLoaded", function () {
  var mj = window.MathJax;
  if (!mj || mj.Hub || !mj.startup) {
    return;
  }
  mj.Hub = {
    Queue: function () {
      var elements = [];
      Array.prototype.forEach.call(arguments, function (job) {
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
          var el = job[2];
          if (el.children.length === 0 && el.textContent.indexOf("$") !== -1) {
            el.textContent = el.textContent
              .replace(/\$\$([^$]+)\$\$/g, "\\[$1\\]")
              .replace(/\$([^$]+)\$/g, "\\($1\\)");
          }
          elements.push(el);
        }
      });
      if (elements.length) {
        mj.startup.promise.then(function () {
          return mj.typesetPromise(elements);
        });
      }
    },
  };
});
