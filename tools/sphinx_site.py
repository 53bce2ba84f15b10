"""Sphinx extension for the course site (``sphinx: local_extensions`` in _config.yml).

Jupyter Book 1.0.4 pages load sphinx-thebe's inline configuration twice
(``const THEBE_JS_URL = ...`` declared twice is a JavaScript error on every page)
and name a thebe bundle on unpkg.com.  The course has no thebe button
(``launch_buttons: thebe`` is off), so on each page this extension drops
sphinx-thebe's scripts and removes any other script tag that appears twice.
"""


def _key(js):
    attributes = getattr(js, "attributes", {}) or {}
    return (
        str(getattr(js, "filename", js)),
        tuple(sorted((k, str(v)) for k, v in attributes.items() if k != "priority")),
    )


def _is_thebe(js):
    attributes = getattr(js, "attributes", {}) or {}
    filename = str(getattr(js, "filename", js) or "")
    return "THEBE_JS_URL" in str(attributes.get("body", "")) or filename.endswith(
        "sphinx-thebe.js"
    )


def tidy_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    launch = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    thebe = bool(launch.get("thebe"))
    seen, keep = set(), []
    for js in scripts:
        if not thebe and _is_thebe(js):
            continue
        key = _key(js)
        if key not in seen:
            seen.add(key)
            keep.append(js)
    scripts[:] = keep


def setup(app):
    # After myst-nb and the theme have added their per-page scripts.
    app.connect("html-page-context", tidy_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
