"""The language of the self-checks' and the grader's messages (gettext, English by default).

``_(message)`` translates when it is called, in the language of that moment;
``N_(message)`` only marks a module-level constant, translated where it is used.
``set_language("zh_CN")`` switches to Chinese, ``set_language(None)`` back to
the environment variable ``BPTT_LANG`` (same values), else English.  The
catalog is ``bptt/locale/zh_CN/LC_MESSAGES/bptt.po``, read with polib (no
``.mo`` is shipped); fuzzy and untranslated entries stay English.
"""

import gettext
import io
import os
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "bptt"
ALIASES = {"zh_CN": "zh_CN", "zh": "zh_CN", "zh-CN": "zh_CN", "en": "en"}
ACCEPTED = tuple(ALIASES)
ENV = "BPTT_LANG"

_chosen = None  # set_language's choice; None: the environment's
_catalogs = {}


def _normalise(lang, what, otherwise):
    if not isinstance(lang, str) or lang not in ALIASES:
        raise ValueError(
            f"{what} must be one of {', '.join(map(repr, ACCEPTED))} {otherwise}, got {lang!r}"
        )
    return ALIASES[lang]


def set_language(lang):
    """Messages in ``lang`` ("zh_CN", "zh", "zh-CN", "en"); None: ``BPTT_LANG``, else English."""
    global _chosen
    _chosen = (
        None
        if lang is None
        else _normalise(lang, "set_language(lang): lang", "or None")
    )


def language():
    """The language messages are in now: "zh_CN" or "en"."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV, "")
    return (
        _normalise(env, f"the environment variable {ENV}", "(or unset)")
        if env
        else "en"
    )


def catalog(lang):
    """The translations of ``lang`` (cached); English: the messages as they are."""
    if lang not in _catalogs:
        if lang == "en":
            _catalogs[lang] = gettext.NullTranslations()
        else:
            _catalogs[lang] = load(LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po")
    return _catalogs[lang]


def load(po_path):
    """gettext translations from a .po file: its translated entries (fuzzy ones stay English)."""
    import polib

    po = polib.pofile(str(po_path))
    return gettext.GNUTranslations(io.BytesIO(po.to_binary()))


def _(message):
    """``message`` in the current language."""
    return catalog(language()).gettext(message)


def N_(message):
    """Mark ``message`` for translation; ``_`` translates it where it is used."""
    return message


__all__ = ["N_", "_", "catalog", "language", "load", "set_language"]
