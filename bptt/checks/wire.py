"""Plain data across a process boundary: one ``.npz`` file, no pickle.

``save(file, obj)`` and ``load(file)`` carry nested dict / list / tuple of
``None``, bool, int, float, str and numeric ``ndarray``.  Objects of any other
type arrive as :class:`Opaque` (type name and a short repr).  The structure
travels as JSON inside the archive (``__spec__``); ``load`` reads with
``allow_pickle=False`` and raises :class:`WireError` on anything malformed,
so a hostile file can make a verdict fail but never run code.
"""

import io
import json
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 32
MAX_NODES = 200_000
SPEC = "__spec__"


class WireError(ValueError):
    """The data is not of the wire format (malformed, too deep, too large)."""


@dataclass(frozen=True)
class Opaque:
    """Stands for an object that is not plain data (e.g. a torch tensor, a function)."""

    type: str
    repr: str


def plain(obj, _depth=0, _count=None):
    """A plain-data copy of ``obj``: containers rebuilt, arrays copied, other objects Opaque."""
    count = _count if _count is not None else [0]
    count[0] += 1
    if _depth > MAX_DEPTH or count[0] > MAX_NODES:
        raise WireError("the value is nested too deeply or holds too many parts")
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, float)) and type(obj) in (int, float):
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":
        return obj.item()
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biufc":
            return Opaque(f"ndarray[{obj.dtype}]", _short_repr(obj))
        return np.array(obj, copy=True)
    if type(obj) in (tuple, list):
        return type(obj)(plain(v, _depth + 1, count) for v in obj)
    if type(obj) is dict:
        return {
            str(k) if not isinstance(k, str) else k: plain(v, _depth + 1, count)
            for k, v in obj.items()
        }
    return Opaque(type(obj).__name__, _short_repr(obj))


def _short_repr(obj, limit=200):
    try:
        text = repr(obj)
    except Exception:  # a hostile __repr__ must not break the observation
        text = "<unprintable>"
    return text[:limit]


def _encode(obj, arrays):
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"t": "v", "v": obj}
    if isinstance(obj, np.ndarray):
        arrays[f"a{len(arrays)}"] = obj
        return {"t": "nd", "k": f"a{len(arrays) - 1}"}
    if isinstance(obj, Opaque):
        return {"t": "obj", "type": obj.type, "repr": obj.repr}
    if isinstance(obj, (tuple, list)):
        return {"t": type(obj).__name__, "v": [_encode(v, arrays) for v in obj]}
    if isinstance(obj, dict):
        return {
            "t": "dict",
            "k": list(obj),
            "v": [_encode(v, arrays) for v in obj.values()],
        }
    raise WireError(
        f"not plain data: {type(obj).__name__} (pass it through wire.plain first)"
    )


def save(file, obj):
    """Write ``plain(obj)`` to ``file`` (a path or a binary file object)."""
    arrays = {}
    spec = _encode(plain(obj), arrays)
    arrays[SPEC] = np.frombuffer(json.dumps(spec).encode(), dtype=np.uint8)
    np.savez(file, **arrays)


def dumps(obj):
    """``save`` into bytes."""
    buf = io.BytesIO()
    save(buf, obj)
    return buf.getvalue()


def load(file, max_bytes=256 * 2**20):
    """Read what ``save`` wrote; raise WireError on anything else."""
    try:
        if isinstance(file, (bytes, bytearray)):
            file = io.BytesIO(file)
        with np.load(file, allow_pickle=False) as archive:
            total = 0
            arrays = {}
            for key in archive.files:
                arr = archive[key]
                total += arr.nbytes
                if total > max_bytes:
                    raise WireError(f"the data is larger than {max_bytes} bytes")
                arrays[key] = arr
    except WireError:
        raise
    except Exception as exc:
        raise WireError(f"not a wire file ({type(exc).__name__}: {exc})") from None
    spec = arrays.pop(SPEC, None)
    if spec is None or spec.dtype != np.uint8 or spec.ndim != 1:
        raise WireError("the wire file has no structure record")
    try:
        tree = json.loads(spec.tobytes().decode())
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"the structure record is not JSON ({exc})") from None
    return _decode(tree, arrays, 0, [0])


def _decode(node, arrays, depth, count):
    count[0] += 1
    if depth > MAX_DEPTH or count[0] > MAX_NODES or not isinstance(node, dict):
        raise WireError("malformed structure record")
    kind = node.get("t")
    if kind == "v" and (
        node.get("v") is None or type(node.get("v")) in (bool, int, float, str)
    ):
        return node["v"]
    if (
        kind == "nd"
        and node.get("k") in arrays
        and arrays[node["k"]].dtype.kind in "biufc"
    ):
        return arrays[node["k"]]
    if kind == "obj":
        return Opaque(str(node.get("type", "?"))[:100], str(node.get("repr", ""))[:200])
    if kind in ("tuple", "list") and isinstance(node.get("v"), list):
        items = [_decode(v, arrays, depth + 1, count) for v in node["v"]]
        return tuple(items) if kind == "tuple" else items
    if (
        kind == "dict"
        and isinstance(node.get("k"), list)
        and isinstance(node.get("v"), list)
    ):
        keys = node["k"]
        if len(keys) != len(node["v"]) or not all(isinstance(k, str) for k in keys):
            raise WireError("malformed dict record")
        return {
            k: _decode(v, arrays, depth + 1, count) for k, v in zip(keys, node["v"])
        }
    raise WireError(f"malformed structure record ({str(kind)[:20]!r})")
