"""Chinese messages (bptt.i18n): the catalog is complete, every check speaks Chinese when
asked and English otherwise, BPTT_LANG is honoured, the grader's help is Chinese with --lang
(its Chinese report, in the sandbox: test_grade_i18n.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import bptt
from bptt import i18n
from bptt.checks import CHECKS
from tests import test_checks as planted
from tests import test_checks_gru as gru
from tests.student_code import mistakes
from tools import python_catalog

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
# Python's own exception text is quoted as it is: "抛出 ValueError: <Python's English>，位于 …"
PYTHON_SAYS = re.compile(
    r"抛出 \w+: .*?(?=，位于|$)|（\w+Error: [^）]*）|`[^`]*`", re.M
)
STOPWORDS = {"the", "is", "a", "an", "of", "to", "not", "and", "must", "be", "this"}
STOPWORDS |= {"your", "that", "are", "has", "was", "it", "use", "with", "from", "by"}
ENGLISH_RUN = re.compile(r"[A-Za-z']+(?:[ ,;:]+[A-Za-z']+){3,}")


def english_left(text):
    """Runs of four or more English words with two stop words (a sentence left untranslated)."""
    text = PYTHON_SAYS.sub(" ", text)
    runs = ENGLISH_RUN.findall(text)
    return [r for r in runs if len(STOPWORDS & set(re.findall(r"\w+", r.lower()))) >= 2]


@pytest.fixture
def chinese():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(None)


def test_the_catalog_is_complete():
    assert python_catalog.problems() == []


def test_the_catalog_check_finds_what_is_wrong(tmp_path):
    po = polib.pofile(str(python_catalog.CATALOG))
    entries = [e for e in po if "{" in e.msgid and "}" in e.msgid]
    entries[0].msgstr = entries[0].msgstr.replace("{", "{x", 1)  # a renamed placeholder
    entries[1].flags.append("fuzzy")
    entries[2].msgstr = ""
    po.append(polib.POEntry(msgid="not in the code", msgstr="不在代码中"))
    po.remove(entries[3])
    po.save(str(tmp_path / "bptt.po"))
    found = "\n".join(python_catalog.problems(tmp_path / "bptt.po"))
    for word in (
        "placeholders differ",
        "fuzzy",
        "untranslated",
        "missing",
        "not in the code",
    ):
        assert word in found, found


def test_update_keeps_translations_and_drops_what_the_code_lost(tmp_path):
    catalog = tmp_path / "bptt.po"
    po = polib.pofile(str(python_catalog.CATALOG))
    po.append(polib.POEntry(msgid="gone from the code", msgstr="已删除"))
    kept = po[0]
    po.remove(po[1])
    po.save(str(catalog))
    added, dropped = python_catalog.update(catalog)
    assert (added, dropped) == (1, 1)
    new = {e.msgid: e.msgstr for e in polib.pofile(str(catalog))}
    assert new[kept.msgid] == kept.msgstr and "gone from the code" not in new
    assert list(new.values()).count("") == 1


def test_fuzzy_and_untranslated_entries_stay_english(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="done", msgstr="完成"))
    po.append(polib.POEntry(msgid="unsure", msgstr="不确定", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="open", msgstr=""))
    po.save(str(tmp_path / "x.po"))
    t = i18n.load(tmp_path / "x.po")
    assert [t.gettext(m) for m in ("done", "unsure", "open")] == [
        "完成",
        "unsure",
        "open",
    ]


@pytest.mark.parametrize("lang", ["zh_CN", "zh", "zh-CN"])
def test_set_language_accepts_the_chinese_spellings(lang):
    try:
        bptt.set_language(lang)
        assert (
            bptt.language() == "zh_CN" and i18n._("all checks passed") == "全部检查通过"
        )
        bptt.set_language("en")
        assert i18n._("all checks passed") == "all checks passed"
    finally:
        bptt.set_language(None)


@pytest.mark.parametrize("bad", ["fr", "zh_TW", "", "ZH", 3, ["zh"]])
def test_set_language_refuses_anything_else_and_says_what_it_accepts(bad):
    with pytest.raises(ValueError) as info:
        bptt.set_language(bad)
    text = str(info.value)
    assert "lang" in text and "'zh_CN'" in text and "'en'" in text and repr(bad) in text
    assert bptt.language() == "en"


def test_the_environment_variable_is_the_default(monkeypatch):
    monkeypatch.setenv("BPTT_LANG", "zh")
    assert bptt.language() == "zh_CN"
    bptt.set_language("en")
    assert bptt.language() == "en"
    bptt.set_language(None)
    assert bptt.language() == "zh_CN"
    monkeypatch.setenv("BPTT_LANG", "klingon")
    with pytest.raises(ValueError, match="BPTT_LANG"):
        bptt.language()


def _success_lines(capsys):
    out = {}
    for name in sorted(planted.CORRECT):
        planted._require(name)
        CHECKS[name](planted.CORRECT[name])
        out[name] = capsys.readouterr().out
    for name, fns in gru.CORRECT.items():
        CHECKS[name](fns[0])
        out[name] = capsys.readouterr().out
    return out


def test_every_success_line_is_chinese_when_asked_and_english_otherwise(capsys):
    english = _success_lines(capsys)
    assert english == {n: f"{n}: all checks passed\n" for n in english}
    try:
        bptt.set_language("zh_CN")
        assert _success_lines(capsys) == {n: f"{n}：全部检查通过\n" for n in english}
    finally:
        bptt.set_language(None)
    assert _success_lines(capsys) == english


def _failures():
    """(id, check, implementation): one per cause of the corpus, and every planted mistake."""
    seen, out = set(), []
    for name, cause, fn in mistakes.MISTAKES:
        if (name, cause) not in seen:
            seen.add((name, cause))
            out.append((f"{name}:{cause}", name, fn))
    out += [(f.__name__, name, f) for name, f, _ in planted.MISTAKES]
    out += [(f.__name__, name, f) for name, f, _ in gru.MISTAKES]
    return out


FAILURES = _failures()


@pytest.mark.parametrize(
    ("name", "fn"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_every_failure_is_told_in_chinese_and_english_is_unchanged(name, fn):
    english = CHECKS[name].run(fn).text()
    try:
        bptt.set_language("zh_CN")
        verdict = CHECKS[name].run(fn)
        text = (
            verdict.text()
        )  # composed in the language of the moment, as the self-check does
    finally:
        bptt.set_language(None)
    assert verdict.status != "passed" and text != english
    head, _, hint = text.partition("\n提示：")
    english_hint = english.partition("\nHINT: ")[2]
    assert CJK.search(re.split("[:：]", head, maxsplit=1)[1]), text
    assert CJK.search(hint) or not english_left(english_hint), (
        text
    )  # a formula needs none
    assert "HINT:" not in text and english_left(text) == [], text
    assert CHECKS[name].run(fn).text() == english


def test_the_heuristic_sees_an_untranslated_sentence():
    assert english_left("输出错误：the bias ba is missing from the pre-activation.")
    assert not english_left(
        "抛出 ValueError: the operands could not be broadcast，位于 f 第 3 行"
    )


def test_bptt_lang_is_honoured_in_a_new_process():
    code = (
        "from bptt.checks import check_rnn_cell_forward\n"
        "from tests.student_code.correct import CORRECT\n"
        "check_rnn_cell_forward(CORRECT['rnn_cell_forward'][0])\n"
    )
    env = {**os.environ, "BPTT_LANG": "zh_CN", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert run.stdout == "rnn_cell_forward：全部检查通过\n", run.stderr
    env["BPTT_LANG"] = "en"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert run.stdout == "rnn_cell_forward: all checks passed\n", run.stderr


def _grade(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "bptt.grade", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT.parent,
        check=False,
    )


def test_the_grader_help_is_chinese_with_lang():
    run = _grade("--lang", "zh_CN", "--help")
    assert (
        run.returncode == 0
        and "报告和消息的语言" in run.stdout
        and "沙箱" in run.stdout
    )
    assert run.stdout.startswith("用法：") and "显示此帮助信息并退出" in run.stdout
    assert "the submissions" not in run.stdout and "usage:" not in run.stdout
    assert "the submissions" in _grade("--help", BPTT_LANG="en").stdout


# NNDL's names for what the messages talk about (glossary.md; tests/test_terms.py's rule)
TERMS = {
    "forget gate": "遗忘门",
    "input gate": "输入门",
    "input (update) gate": "输入门",
    "output gate": "输出门",
    "reset gate": "重置门",
    "update gate": "更新门",
    "candidate": "候选状态",
    "cell state": "内部状态",
    "hidden state": "隐状态",
    "pre-activation": "净输入",
    "clipping": "截断",
    "recurrent weight": "循环权重",
}


def test_the_translations_use_nndl_terms():
    from tests.test_terms import SYNONYMS

    po = polib.pofile(str(python_catalog.CATALOG))
    for entry in po:
        for english, chinese in TERMS.items():
            if re.search(rf"\b{re.escape(english)}", entry.msgid, re.I):
                assert chinese in entry.msgstr, (english, entry.msgid, entry.msgstr)
        for variants in SYNONYMS.values():
            assert not any(v in entry.msgstr for v in variants), entry.msgstr


def test_the_grader_names_a_wrong_language_without_a_traceback():
    run = _grade("x.ipynb", BPTT_LANG="fr")
    assert run.returncode == 2 and "BPTT_LANG" in run.stderr and "'fr'" in run.stderr
    run = _grade("x.ipynb", "--lang", "fr")
    assert (
        run.returncode == 2 and "--lang" in run.stderr and "Traceback" not in run.stderr
    )
