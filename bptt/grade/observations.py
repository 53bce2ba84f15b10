"""Reading what the sandboxed run wrote: the observation file, record by record,
within the size limit (plain zip members only).
"""

import zipfile

MAX_WIRE = 64 * 2**20


def file_tail(path, size=2000):
    """The last line of the runner's log: bwrap's or the runner's own error (students' output is not there)."""
    try:
        with open(path, "rb") as log:
            log.seek(max(0, log.seek(0, 2) - size))
            lines = log.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


def read_observations(path, graded):
    """{"functions": {name: entry}, "definitions", "timing"} from the runner's records, or None.

    The records must be exactly one per graded function, in order, then one last record;
    anything else (a record too many, a forged one out of order, a truncated one) means
    the observations cannot be trusted, and only the complete prefix is kept.
    """
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_WIRE else b""
    except OSError:
        return None
    out, offset = {"functions": {}}, 0
    for expected in [*graded, None]:
        record = _record_at(data, offset)
        if record is None:
            return out if out["functions"] else None
        obj, offset = record
        if (
            expected is not None
            and isinstance(obj, dict)
            and obj.get("function") == expected
        ):
            out["functions"][expected] = obj.get("entry")
        elif expected is None and isinstance(obj, dict) and "function" not in obj:
            out["definitions"], out["timing"] = (
                obj.get("definitions"),
                obj.get("timing"),
            )
        else:
            return {"functions": {}, "tampered": True}
    return out if offset == len(data) else {"functions": {}, "tampered": True}


def _record_at(data, offset):
    """(object, next offset) of the length-prefixed wire record at ``offset``, or None."""
    from bptt.checks import wire

    if offset + 8 > len(data):
        return None
    size = int.from_bytes(data[offset : offset + 8], "big")
    chunk = data[offset + 8 : offset + 8 + size]
    if len(chunk) != size or not _plain_zip(chunk):
        return None
    try:
        return wire.load(chunk, max_bytes=MAX_WIRE), offset + 8 + size
    except wire.WireError:
        return None


def _plain_zip(chunk):
    """np.savez stores its members; a deflated member could be a zip bomb."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(chunk)) as archive:
            return all(
                m.compress_type == zipfile.ZIP_STORED and m.file_size <= MAX_WIRE
                for m in archive.infolist()
            )
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def load_wire(path):
    """A wire file the sandbox wrote, or None; checked as a plain, stored zip before numpy reads it."""
    from bptt.checks import wire

    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_WIRE:
        return None  # a link, a FIFO that would block us, an oversized file
    try:
        with zipfile.ZipFile(
            path
        ) as archive:  # np.savez stores; a deflated member could be a zip bomb
            members = archive.infolist()
        if any(
            m.compress_type != zipfile.ZIP_STORED or m.file_size > MAX_WIRE
            for m in members
        ):
            return None
        data = wire.load(str(path), max_bytes=MAX_WIRE)
    except (wire.WireError, zipfile.BadZipFile, OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
