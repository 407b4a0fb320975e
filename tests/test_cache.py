"""The prepared national plan kept between runs: used only when nothing it depends on changed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from collections import Counter
from dataclasses import dataclass, field, make_dataclass
from enum import Enum

from aligner import cache, codec, pipeline
from aligner.match import Thresholds
from aligner.pipeline import align_plans, load_national, load_plan
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
        province_json(align_plans(n.plan, province, thesaurus, Thresholds(), n.units)) for n in (first, second)
    ]
    uncached = province_json(align_plans(load_plan(national), province, thesaurus, Thresholds()))
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


def test_key_covers_the_dictionary_and_opencc(national: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    thesaurus = load_thesaurus()
    load_national(national, thesaurus)
    monkeypatch.setattr(pipeline, "dictionary_fingerprint", lambda: "jieba 0.42.1 sha256:another-dictionary")
    load_national(national, thesaurus)
    monkeypatch.setattr(cache, "opencc_version", lambda: "opencc 9.9")
    load_national(national, thesaurus)
    assert len(_cached(tmp_path / "cache")) == 3


def test_stored_files_are_private_and_data_only(national: Path, tmp_path: Path) -> None:
    load_national(national, load_thesaurus())
    [entry] = _cached(tmp_path / "cache")
    assert entry.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    magic, head, body = entry.read_bytes().split(b"\n", 2)
    assert magic == b"aligner-cache"
    assert set(json.loads(head)) == {"schema", "key", "sha256"}
    assert json.loads(head)["sha256"] == hashlib.sha256(body).hexdigest()
    assert json.loads(body)["plan"][0] == str(national)


# --- the codec ----------------------------------------------------------------------------------


class _Colour(str, Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class _Leaf:
    name: str
    weight: float


@dataclass
class _Tree:
    colour: _Colour
    count: int
    flag: bool
    parent: str | None
    leaves: list[_Leaf]
    words: tuple[str, ...]
    sentences: list[tuple[str, ...]]
    bag: Counter[str]
    postings: dict[str, list[int]]
    best: _Leaf | None = None
    notes: list[str] = field(default_factory=list)


def _tree() -> _Tree:
    return _Tree(_Colour.BLUE, 3, False, None, [_Leaf("a", 0.5), _Leaf("b", 1)], ("户籍", "改革"), [("a",), ()],
                 Counter({"户籍": 2, "改革": 1}), {"户籍": [0, 2]}, _Leaf("c", 2.25))


def test_codec_reads_back_equal_objects_of_the_same_types() -> None:
    value = json.loads(json.dumps(codec.encode(_tree())))
    back = codec.decoder(_Tree)(value)
    assert back == _tree()
    assert type(back.bag) is Counter and type(back.words) is tuple and type(back.sentences[0]) is tuple
    assert back.colour is _Colour.BLUE and type(back.best) is _Leaf


@pytest.mark.parametrize("position, wrong", [
    (0, "green"), (1, "3"), (1, True), (2, 0), (3, 5), (4, [["a"]]), (5, "户籍"), (6, [["a", 1]]),
    (7, {"户籍": "2"}), (7, {"户籍": 2.0}), (8, {"户籍": [0, "2"]}), (8, {"户籍": 0}), (9, [1, 2]), (10, [None])])
def test_codec_refuses_a_value_of_another_type(position: int, wrong: object) -> None:
    value = codec.encode(_tree())
    value[position] = wrong  # type: ignore[index]
    with pytest.raises(codec.DecodeError):
        codec.decoder(_Tree)(value)


def test_codec_refuses_a_missing_or_extra_field() -> None:
    value = codec.encode(_tree())
    for changed in (value[:-1], [*value, []]):  # type: ignore[index]
        with pytest.raises(codec.DecodeError):
            codec.decoder(_Tree)(changed)


def test_codec_layout_changes_with_the_fields() -> None:
    """Same class name, another field type or name: another layout, so old data is not read."""
    base = make_dataclass("Stored", [("name", str), ("count", int)])
    retyped = make_dataclass("Stored", [("name", str), ("count", float)])
    renamed = make_dataclass("Stored", [("name", str), ("total", int)])
    assert codec.layout(base) == codec.layout(make_dataclass("Stored", [("name", str), ("count", int)]))
    assert len({codec.layout(base), codec.layout(retyped), codec.layout(renamed)}) == 3
