"""The matcher's notes read in Chinese in a Chinese report, as written in English, and unknown notes survive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner import align
from aligner.report.problems import note_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("note", "zh"),
    [
        ("in the corresponding national action", "位于对应的国家行动中"),
        ("the title's part 「用地保障」 names this task", "标题中的「用地保障」指向该任务"),
        ("3 of its 5 tasks find their best counterpart in this national action", "其5项任务中有3项的最佳对应在该国家行动中"),
        ("thesaurus: 农牧业→农业", "同义词表：农牧业→农业"),
    ],
)
def test_known_notes_read_in_chinese(note: str, zh: str) -> None:
    assert note_text(note, zh=True) == zh
    assert note_text(note, zh=False) == note


def test_an_unknown_note_is_shown_as_written() -> None:
    assert note_text("a note written later", zh=True) == "a note written later"


def test_the_chinese_report_has_no_english_matcher_notes() -> None:
    result = align(ROOT / "plans" / "national.txt", ROOT / "plans" / "qinghai.txt")
    text = result.render("md", explain=True)
    assert "位于对应的国家行动中" in text
    assert not re.search(r"in the corresponding|names this|best counterpart|thesaurus:", text)
