"""The grader's report in Chinese (--lang zh_CN), graded in the bubblewrap sandbox."""

import shutil

import pytest

from tests.test_i18n import ROOT, _grade, english_left

EXERCISES = ROOT / "exercises"


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_the_grader_reports_in_chinese_with_lang(tmp_path):
    (tmp_path / "ann").mkdir()
    path = tmp_path / "ann" / "rnn-forward.ipynb"
    path.write_bytes((EXERCISES / "rnn-forward.ipynb").read_bytes())
    run = _grade(path, "--lang", "zh_CN", "--timeout", "60", BPTT_LANG="en")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "[作业 rnn-forward，依据：文件名]" in out and "未通过" in out, out
    assert "rnn_cell_forward 尚未实现" in out and "提示：" in out, out
    assert "notebook 中的第一个错误：第" in out and "已评分 1 个 notebook" in out, out
    assert "FAIL" not in out and "HINT:" not in out and english_left(out) == [], out
    assert f"{path}: 0/2" in out
    assert "FAIL" in _grade(path, "--timeout", "60", BPTT_LANG="en").stdout
