"""What start-up work was cut must not change a result: the CJK tests that replaced regexes, the
patterns compiled on first use, the literal checks that skip a regex, and the provincial plan
kept in the user cache for single runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import cache, checks, cjk, docmeta, lazy_re, normalise, pipeline, tokens
from aligner.lazy_re import lazy
from aligner.pipeline import load_plan, load_province

ROOT = Path(__file__).resolve().parent.parent

# Text where the boundaries are: both ends of each CJK block, Latin letters and digits, full-width
# forms, spaces of every kind, and the characters the gates look for.
_EDGES = "\u33ff\u3400\u4dbf\u4e00\u9fff\ua000\uf8ff\uf900\ufaff\ufb00"
_ALPHABET = st.sampled_from(
    list(_EDGES) + list("aZz09AＡ１一国中號号关于年月日〔〕()（）?？ \t\u00a0\u3000，。:·-_") + ["\U00020000", "é", "\x00"]
)
_TEXT = st.text(_ALPHABET, max_size=40) | st.text(max_size=40)


@given(_TEXT)
def test_cjk_helpers_agree_with_the_regexes_they_replace(text: str) -> None:
    han = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
    assert cjk.has_han(text) == bool(han.search(text))
    assert cjk.han_count(text) == len(han.findall(text))
    assert cjk.has_han_or_alnum(text) == bool(re.search(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]", text))
    assert cjk.has_han_or_alnum(text, compatibility=False) == bool(re.search(r"[\u3400-\u9fffA-Za-z0-9]", text))
    assert all(cjk.is_han(ch) == bool(han.fullmatch(ch)) for ch in text)


@given(_TEXT)
def test_a_lazy_pattern_answers_as_the_compiled_one(text: str) -> None:
    source = r"(?<=[\u3400-\u9fff])\s+(?P<x>[a-z]+)|号$"
    pattern, compiled = lazy(source), re.compile(source)
    assert pattern.sub("-", text) == compiled.sub("-", text)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.split(text) == compiled.split(text)
    assert pattern.pattern == source and pattern.groupindex == compiled.groupindex


def test_a_lazy_pattern_compiles_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = re.compile
    monkeypatch.setattr(lazy_re.re, "compile", lambda p, f=0: calls.append(p) or real(p, f))
    pattern = lazy("[a-z]+")
    assert calls == []
    assert pattern.findall("ab 12 cd") == ["ab", "cd"]
    assert pattern.fullmatch("xyz") and not pattern.fullmatch("x1")
    assert pattern.findall("e") == ["e"]
    assert calls == ["[a-z]+"]  # compiled once, on first use


# The patterns the cleaning scanners replace, as they were written (normalise._CJK, _CJK_PUNCT).
_CJK = normalise._CJK
_SPACE_BETWEEN = re.compile(rf"(?<=[{_CJK}{normalise._CJK_PUNCT}(),;:!?])[ \t\u00a0\u3000]+(?=[{_CJK}{normalise._CJK_PUNCT}(),;:!?])")
_LOST_CHAR = re.compile(rf"(?<=[{_CJK}\s])\?+(?=[{_CJK}\s]|$)|^\?+(?=[{_CJK}])")
# Where the scanners' decisions turn: spaces of each kind next to every class edge, ? runs, line ends.
_GAPS = st.text(st.sampled_from(list(_EDGES) + list(" \t\u00a0\u3000\u3000\u303f\u3040\uff00\uffef\uf000"
                                                       "()（）“a?\n\r\x1c\u2028")), max_size=24)


@settings(max_examples=300)
@given(_TEXT)
def test_cleaning_skips_a_regex_only_where_it_cannot_match(text: str) -> None:
    """The cleaning steps look for a literal before running a pattern that needs it."""
    for pattern, literals in ((_LOST_CHAR, "?"), (normalise._PINYIN_AFTER_CJK, "("),
                              (_SPACE_BETWEEN, " \t\u00a0\u3000")):
        compiled = re.compile(pattern.pattern)
        if not any(ch in text for ch in literals):
            assert compiled.search(text) is None
    assert normalise.strip_pinyin(text) == re.compile(normalise._PINYIN_AFTER_CJK.pattern).sub(
        lambda m: "" if normalise._HAS_VOWEL.search(m.group(0)) else m.group(0), text)
    spaced = _SPACE_BETWEEN.sub("", text)
    assert normalise.collapse_spaces(text) == re.sub(r"[ \t]{2,}", " ", normalise._SPACE_AFTER_OPEN.sub("", spaced)).strip()


@settings(max_examples=1000)
@given(_TEXT | _GAPS)
def test_cleaning_scanners_do_what_the_patterns_they_replace_did(text: str) -> None:
    assert normalise._drop_spaces_between(text) == _SPACE_BETWEEN.sub("", text)
    assert normalise._drop_lost_chars(text) == _LOST_CHAR.sub("", text)


@given(_TEXT | _GAPS)
def test_bigrams_are_the_pairs_inside_each_cjk_run(text: str) -> None:
    runs = re.findall(r"[\u3400-\u9fff]+", text)
    assert tokens.bigrams(text) == [run[i : i + 2] for run in runs for i in range(len(run) - 1)]


def test_cleaning_scanners_on_the_cases_that_decide() -> None:
    """Backtracking to a U+3000 inside a run, a run ending the text, a lost character at the start."""
    assert normalise._drop_spaces_between("人 口") == "人口"
    assert normalise._drop_spaces_between("人 \u3000 x") == "人\u3000 x"
    assert normalise._drop_spaces_between("人 \u3000\u3000 口") == "人口"
    assert normalise._drop_spaces_between("a 口") == "a 口"
    assert normalise._drop_lost_chars("??人口?? 加?") == "人口 加"
    assert normalise._drop_lost_chars("a?人 ?x") == "a?人 ?x"


@settings(max_examples=300)
@given(_TEXT)
def test_metadata_skips_a_regex_only_where_it_cannot_match(text: str) -> None:
    for pattern, literal in ((docmeta._NUMBER, "号"), (docmeta._TITLE_ISSUER, "关于"), (docmeta._DATE, "日"),
                             (checks._DOC_NUMBER, "号")):
        if literal not in text:
            compiled = re.compile(pattern.pattern)
            assert compiled.search(text) is None


def test_metadata_is_still_found() -> None:
    meta = docmeta.extract(["国务院关于印发《行动计划》的通知", "国发〔2024〕17号", "正文。", "国务院", "2024年7月28日"])
    assert (meta.number, meta.issuer, meta.date) == ("国发〔2024〕17号", "国务院", "2024年7月28日")


# --- the provincial plan kept in the user cache --------------------------------------------------


@pytest.fixture
def province(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "qinghai.txt"
    shutil.copyfile(ROOT / "plans" / "qinghai.txt", path)
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("province-*.json"))


def test_a_cached_province_is_the_plan_parsed_again(province: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_province(province)
    assert len(_entries(tmp_path / "cache")) == 1
    monkeypatch.setattr(pipeline, "load_plan", lambda *a, **k: pytest.fail("parsed again"))
    cached = load_province(province)
    assert cached == fresh == load_plan(province)
    assert cached.clean == fresh.clean and cached.clean is not None and cached.targets == fresh.targets
    assert cached.encoding == "utf-8"


def test_a_changed_province_is_read_again(province: Path, tmp_path: Path) -> None:
    load_province(province)
    province.write_text(province.read_text(encoding="utf-8").replace("青海", "甘肃"), encoding="utf-8")
    assert "甘肃" in load_province(province).name
    other = tmp_path / "copy.txt"
    shutil.copyfile(province, other)
    assert load_province(other).path == str(other)  # another path is another entry
    assert len(_entries(tmp_path / "cache")) == 3


def test_only_text_our_own_code_decodes_is_cached(province: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(province.read_text(encoding="utf-8").encode("gb18030"))
    assert load_province(gbk) == load_plan(gbk)
    assert _entries(tmp_path / "cache") == []


def test_the_province_cache_stays_small(province: Path, tmp_path: Path) -> None:
    text = province.read_text(encoding="utf-8")
    for i in range(cache._KEPT["province"] + 4):
        path = tmp_path / f"p{i}.txt"
        path.write_text(text + f"\n附件{i}\n", encoding="utf-8")
        load_province(path)
    assert len(_entries(tmp_path / "cache")) == cache._KEPT["province"]


def test_a_damaged_or_foreign_entry_is_a_miss(province: Path, tmp_path: Path) -> None:
    expected = load_plan(province)
    load_province(province)
    [entry] = _entries(tmp_path / "cache")
    entry.write_bytes(entry.read_bytes().replace("青海".encode(), "甘肃".encode()))  # body no longer matches its digest
    assert load_province(province) == expected
    # An entry with a valid digest that holds another file's plan is not used either.
    key = cache.national_key(province.read_bytes(), str(province), f"province, max {pipeline.DEFAULT_MAX_BYTES} bytes")
    other = tmp_path / "other.txt"
    other.write_text(province.read_text(encoding="utf-8").replace("青海", "甘肃"), encoding="utf-8")
    from aligner import codec

    cache.store(key, codec.SCHEMA, codec.plan_to_json(load_plan(other)), kind="province")
    assert load_province(province) == expected


def _align(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


def test_cli_single_run_is_the_same_from_the_cache_and_a_batch_caches_no_province(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    env = dict(os.environ, ALIGNER_CACHE_DIR=str(folder), COLUMNS="100")
    args = ("plans/national.txt", "plans/qinghai.txt")
    first, second = _align(*args, env=env), _align(*args, env=env)
    assert len(_entries(folder)) == 1
    off = _align(*args, env=dict(env, ALIGNER_CACHE_DIR=""))
    assert first.returncode == second.returncode == off.returncode == 0
    assert first.stdout == second.stdout == off.stdout and "青海" in first.stdout
    assert first.stderr == second.stderr == off.stderr
    batch = tmp_path / "provinces"
    batch.mkdir()
    shutil.copyfile(ROOT / "plans" / "qinghai.txt", batch / "a.txt")
    shutil.copyfile(ROOT / "plans" / "qinghai.txt", batch / "b.txt")
    shutil.rmtree(folder)
    assert _align("plans/national.txt", str(batch), "-f", "csv", "-o", str(tmp_path / "out"), env=env).returncode == 0
    assert _entries(folder) == []


def test_package_data_reads_what_importlib_resources_reads() -> None:
    # aligner.package_data reads aligner/data/ from disk to keep importlib.resources (and zipfile,
    # tempfile) out of start-up; the text must be what the standard route gives.
    from importlib import resources

    from aligner.package_data import read_data

    names = sorted(p.name for p in resources.files("aligner").joinpath("data").iterdir() if p.name.endswith((".txt", ".toml")))
    assert {"thesaurus.txt", "junk.txt", "headings.toml", "provinces.txt"} <= set(names)
    for name in names:
        assert read_data(name) == resources.files("aligner").joinpath("data", name).read_text(encoding="utf-8")


def test_a_json_run_imports_no_importlib_resources(tmp_path: Path) -> None:
    # The second run, with the caches the first one wrote (building jieba's dictionary index the
    # first time goes through jieba's own resource loading).
    code = ("import sys, aligner.cli; sys.argv = ['align', 'plans/national.txt', 'plans/qinghai.txt', '-f', 'json']\n"
            "try:\n    aligner.cli.main()\nexcept SystemExit:\n    pass\n"
            "print('importlib.resources' in sys.modules, 'zipfile' in sys.modules, file=sys.stderr)")
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr
