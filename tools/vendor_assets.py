"""Copy the site's JavaScript from node_modules/ into vendor/ (served as _static/), and Vega into the package.

The book must work with no network and no CDN, so MathJax, require.js, the
Jupyter widgets HTML manager and Vega are installed with npm (pinned in
package.json / package-lock.json) and copied here by the build.  vendor/ is
build output: it is git-ignored and recreated on every build.

Usage: python -m tools.vendor_assets   (after `npm ci`)
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "vendor"

# (source under node_modules, destination under vendor/)
ASSETS = [
    ("mathjax/es5", "mathjax"),
    ("requirejs/require.js", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),  # less UNUSED, below
]

# Vega ships inside the package, not the site: the explorer figures' JavaScript
# fallback (bptt/explorer/vegalite.py) embeds it, so the figures work in Colab
# and on the book's pages alike.  Committed (pip installs the package from git);
# tests/test_explorer.py checks the copies against package.json.
PACKAGE_VEGA = ROOT / "bptt" / "explorer" / "assets" / "vega"
PACKAGE_ASSETS = [
    (f"{name}/{src}", PACKAGE_VEGA / dst)
    for name in ("vega", "vega-lite", "vega-embed")
    for src, dst in (
        (f"build/{name}.min.js", f"{name}.min.js"),
        ("LICENSE", f"{name}.LICENSE"),
    )
]

# Bundles the site never loads: the html-manager ships three builds of itself, and pages
# with widget state load only embed-amd.js (through require.js, _config.yml
# nb_ipywidgets_js).  embed.js (the non-AMD build) and libembed-amd.js (the library
# build for other apps) are 5.5 MB that no page requests.
UNUSED = [
    "html-manager/embed.js",
    "html-manager/embed.js.LICENSE.txt",
    "html-manager/libembed-amd.js",
]

# Files kept in this repository (not npm) that are served next to them.
LOCAL = [
    (ROOT / "tools" / "widgets-offline.js", "widgets-offline.js"),
]

# The html-manager's "CDN" for widget modules it does not bundle
# (data-jupyter-widgets-cdn in _config.yml).  The course only uses
# ipywidgets' own controls, which are bundled, so it stays empty: a third-party
# widget would show up as a failed local request in tests/test_site.py
# instead of a silent request to jsDelivr.
WIDGETS_CDN = "jupyter-widgets-cdn"


def main():
    missing = [src for src, _ in ASSETS + PACKAGE_ASSETS if not (NODE / src).exists()]
    if missing:
        sys.exit(
            f"vendor_assets: run `npm ci` first; missing under node_modules/: {missing}"
        )
    shutil.rmtree(VENDOR, ignore_errors=True)
    for src, dst in ASSETS:
        source, target = NODE / src, VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.map"))
        else:
            shutil.copy2(source, target)
    for name in UNUSED:
        (VENDOR / name).unlink(missing_ok=True)
    for source, dst in LOCAL:
        shutil.copy2(source, VENDOR / dst)
    for src, target in PACKAGE_ASSETS:
        shutil.copyfile(NODE / src, target)
    (VENDOR / WIDGETS_CDN).mkdir()
    (VENDOR / WIDGETS_CDN / "README.txt").write_text(
        "Widget modules not bundled with @jupyter-widgets/html-manager would be\n"
        "served from here as <name>@<version>/dist/index.js.  None are needed.\n"
    )
    print(
        f"vendor_assets: {len(ASSETS) + len(LOCAL)} assets copied to {VENDOR.relative_to(ROOT)}/, "
        f"{len(PACKAGE_ASSETS)} to {PACKAGE_VEGA.relative_to(ROOT)}/"
    )


if __name__ == "__main__":
    main()
