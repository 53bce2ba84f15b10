"""A Vega-Lite figure as a MIME bundle: the spec for native renderers, a
self-contained JavaScript fallback (the package's own vega builds and
``assets/fallback.js``) and one line of plain text.  The specs themselves are
built in :mod:`bptt.explorer.figures`.
"""

import hashlib
import json
from functools import lru_cache
from importlib.resources import files

VEGALITE_MIME = "application/vnd.vegalite.v5+json"


JAVASCRIPT_MIME = "application/javascript"


SCHEMA_V5 = "https://vega.github.io/schema/vega-lite/v5.json"  # what JupyterLab 4.6 (vega-lite 5.6) renders


SCHEMA_V6 = "https://vega.github.io/schema/vega-lite/v6.json"  # the package's vega-lite 6 build (fallback)


#: Scripts of the fallback, in load order (bptt/explorer/assets/vega/, copied from node_modules by tools.vendor_assets).
VEGA_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


#: vega-embed options, the same for JupyterLab (output metadata) and the fallback: no export
#: menu; SVG (crisp, inspectable); log level 1 = errors only (an empty layer, e.g. no overflow,
#: only warns); no default style, whose `display: inline-block` keeps a `width: "container"`
#: chart at its first width in JupyterLab instead of following the output area.
EMBED_OPTIONS = {
    "actions": False,
    "renderer": "svg",
    "logLevel": 1,
    "defaultStyle": False,
}


def _asset(name):
    return (files(__package__) / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _fallback_parts():
    """(fallback.js, the three vega builds joined) from the package data."""
    libraries = ";\n".join(_asset("vega/" + name) for name in VEGA_SCRIPTS)
    return _asset("fallback.js"), libraries


class VegaLiteFigure:
    """A Vega-Lite figure that every front end can show (see the module docstring).

    Args:
        spec: Vega-Lite v5 spec (dict, JSON-serialisable).
        signals: names of its bound parameters; the fallback writes their values
            as JSON to the figure div's ``data-explorer-state`` after each redraw.
        name: id prefix of the fallback's div and the text/plain line.

    Attributes: ``spec``, ``signals``, ``name``, ``element_id`` (name + hash of the
    spec, so outputs are deterministic).
    """

    def __init__(self, spec, signals, name):
        self.spec = spec
        self.signals = list(signals)
        self.name = name
        text = json.dumps(
            spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        )
        self.element_id = f"{name}-{hashlib.sha1(text.encode()).hexdigest()[:10]}"

    def fallback_javascript(self):
        """The ``application/javascript`` part: fallback.js + one call with the libraries and the spec."""
        template, libraries = _fallback_parts()
        spec = dict(self.spec, **{"$schema": SCHEMA_V6})
        options = {
            "id": self.element_id,
            "signals": self.signals,
            "embed": EMBED_OPTIONS,
        }
        args = (
            json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
            + ", "
            + json.dumps(options)
        )
        # "</" would end the <script> element that myst-nb wraps around this on the book's pages
        args = args.replace("</", "<\\/")
        return (
            f"{template}\nbpttVegaFallback(function () {{\n{libraries}\n}}, {args});\n"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            VEGALITE_MIME: self.spec,
            JAVASCRIPT_MIME: self.fallback_javascript(),
            "text/plain": repr(self),
        }
        metadata = {VEGALITE_MIME: {"embed_options": EMBED_OPTIONS}}
        return data, metadata

    def __repr__(self):
        return (
            f"<{self.name}: Vega-Lite figure with controls {self.signals}; "
            "shown by front ends that render Vega-Lite or run JavaScript>"
        )


def inline_data(records):
    """Vega-Lite inline data as one JSON string: a notebook stores it on one line, not one line per number."""
    return {
        "values": json.dumps(records, separators=(",", ":")),
        "format": {"type": "json"},
    }


def range_binding(name, values, label):
    step = round(values[1] - values[0], 10) if len(values) > 1 else 0.05
    return {
        "input": "range",
        "min": values[0],
        "max": values[-1],
        "step": step,
        "name": label,
    }
