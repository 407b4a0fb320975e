"""The prepared national plan kept between runs: used only when nothing it depends on changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aligner import cache
from aligner.match import Thresholds
from aligner.pipeline import compare, load_national, load_plan
from aligner.report.json_report import province_json
from aligner.thesaurus import load_thesaurus, parse_thesaurus

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def national(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "national.txt"
    shutil.copyfile(ROOT / "plans" / "national.txt", path)
    return path


def _cached(folder: Path) -> list[Path]:
    return sorted(folder.glob("national-*.json"))


def test_cached_national_plan_gives_the_same_alignment(national: Path, tmp_path: Path) -> None:
    thesaurus = load_thesaurus()
    first = load_national(national, thesaurus)
    assert len(_cached(tmp_path / "cache")) == 1
    second = load_national(national, thesaurus)
    province = load_plan(ROOT / "plans" / "qinghai.txt")
    results = [
        province_json(compare(n.plan, province, thesaurus, Thresholds(), n.units)) for n in (first, second)
    ]
    uncached = province_json(compare(load_plan(national), province, thesaurus, Thresholds()))
    assert results[0] == results[1] == uncached


def test_a_changed_plan_or_thesaurus_is_not_served_from_the_cache(national: Path, tmp_path: Path) -> None:
    thesaurus = load_thesaurus()
    load_national(national, thesaurus)
    national.write_text(national.read_text(encoding="utf-8").replace("加強城市洪澇治理", "加強城市防洪排澇"), encoding="utf-8")
    changed = load_national(national, thesaurus)
    assert "加强城市防洪排涝" in [c.title for c in changed.plan.clauses]
    other = thesaurus.merged(parse_thesaurus("甲 => 乙", "mine.txt"))
    load_national(national, other)
    assert len(_cached(tmp_path / "cache")) == 3


def test_damaged_or_unwritable_cache_is_only_a_miss(national: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    thesaurus = load_thesaurus()
    load_national(national, thesaurus)
    for entry in _cached(tmp_path / "cache"):
        entry.write_bytes(b"not the JSON the cache writes")
    assert load_national(national, thesaurus).plan.title == load_plan(national).title
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert load_national(national, thesaurus).units
    monkeypatch.setenv("ALIGNER_CACHE_DIR", "")  # switched off
    assert cache.cache_dir() is None
    assert load_national(national, thesaurus).units
