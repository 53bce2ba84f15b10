"""Build the book: the English site in ``<out>/_build/html`` and the Chinese site in
``<out>/_build/html/zh`` from the same sources and the same execution cache.

    python -m tools.build_book            # both editions, strict (-W -n --keep-going)
    python -m tools.build_book --out DIR  # somewhere else (the site tests do this)
    python -m tools.build_book --gettext  # only extract the messages (.pot)

The Chinese edition is a second Jupyter Book build with ``language: zh_CN``
(translations from ``locales/``, tools/sphinx_i18n.py); it reuses the notebooks
executed by the first build, so nothing runs twice.
"""

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STRICT = ["-W", "-n", "--keep-going"]


def jupyter_book():
    local = Path(sys.executable).with_name("jupyter-book")
    return (
        str(local)
        if local.exists()
        else (shutil.which("jupyter-book") or "jupyter-book")
    )


def edition_config(out, language, cache, execute=True):
    """Write the book's _config.yml for one edition into ``out``; return its path."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {
        name: str(ROOT / path)
        for name, path in sphinx.get("local_extensions", {}).items()
    }
    sphinx.setdefault("config", {})["language"] = language
    config.setdefault("execute", {})["cache"] = str(cache)
    if not execute:
        config["execute"]["execute_notebooks"] = "off"
    path = out / f"_config.{language}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def run(cmd):
    print("$", " ".join(cmd), flush=True)
    start = time.perf_counter()
    code = subprocess.run(cmd, cwd=ROOT).returncode
    print(f"({time.perf_counter() - start:.0f} s)", flush=True)
    return code


def build(out, strict=True):
    """Both editions; returns the exit code (0 when both built)."""
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    flags = STRICT if strict else []
    english = [jupyter_book(), "build", str(ROOT), "--path-output", str(out), *flags]
    if run(english):
        return 1
    html = out / "_build" / "html"
    zh_out = out / "_build" / "zh"
    zh_out.mkdir(parents=True, exist_ok=True)
    config = edition_config(zh_out, "zh_CN", out / "_build" / ".jupyter_cache")
    chinese = [jupyter_book(), "build", str(ROOT), "--config", str(config)]
    if run([*chinese, "--path-output", str(zh_out), *flags]):
        return 1
    shutil.rmtree(html / "zh", ignore_errors=True)
    shutil.copytree(zh_out / "_build" / "html", html / "zh")
    print(f"English: {html / 'index.html'}\nChinese: {html / 'zh' / 'index.html'}")
    return 0


def gettext(out, execute=True):
    """Extract the messages of every page into ``<out>/_build/gettext/**.pot``.

    Outputs are never messages, so ``execute=False`` skips running the notebooks.
    """
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    cmd = [jupyter_book(), "build", str(ROOT), "--path-output", str(out)]
    if not execute:
        config = edition_config(out, "en", out / "_build" / ".jupyter_cache", False)
        cmd += ["--config", str(config)]
    return run([*cmd, "--builder", "custom", "--custom-builder", "gettext"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(ROOT), help="output folder (default: the repo)"
    )
    parser.add_argument("--gettext", action="store_true", help="extract messages only")
    parser.add_argument("--no-strict", action="store_true", help="warnings do not fail")
    args = parser.parse_args(argv)
    if args.gettext:
        return gettext(args.out, execute=False)
    return build(args.out, strict=not args.no_strict)


if __name__ == "__main__":
    sys.exit(main())
