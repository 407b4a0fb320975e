"""Word segmentation: the same tokens as full jieba, with the dictionary read lazily from an index.

aligner.tokens re-implements jieba's cut (DAG, max-probability route, HMM for unknown runs) over
a bucketed index of jieba's own dictionary, so a run loads only the entries its text can reach
instead of the whole 500,000-entry prefix dictionary. These tests pin down that the tokens are
jieba's, word for word, on real plan text and on random text; that policy words come out sane;
and that the cache can never make a run fail (missing, unwritable, damaged or stale index).
"""

from __future__ import annotations

import logging
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aligner import tokens
from aligner.normalise import to_simplified

ROOT = Path(__file__).resolve().parent.parent
PLANS = [ROOT / "plans" / "national.txt", ROOT / "plans" / "qinghai.txt"]


@pytest.fixture(scope="module")
def jieba_tokenizer():
    """The reference: jieba's own Tokenizer with its full default dictionary, built by jieba's
    gen_pfdict (initialize() would marshal-load a cache file from the shared /tmp)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    return tokenizer


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding a freshly built index (built once for the module)."""
    folder = tmp_path_factory.mktemp("aligner-cache")
    found = _with_cache(folder, tokens.index_path)
    assert found is not None
    tokens.build_index(*found)
    return folder


def _with_cache(folder: Path | str, fn):
    old = os.environ.get("ALIGNER_CACHE_DIR")
    os.environ["ALIGNER_CACHE_DIR"] = str(folder)
    try:
        return fn()
    finally:
        if old is None:
            del os.environ["ALIGNER_CACHE_DIR"]
        else:
            os.environ["ALIGNER_CACHE_DIR"] = old


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch):
    """Module state as in a new process; restored (and memo caches emptied) afterwards."""
    monkeypatch.setattr(tokens, "_TOKENIZER", None)
    tokens._content_words.cache_clear()
    yield monkeypatch
    tokens._content_words.cache_clear()


@pytest.fixture
def segmenter(index_dir: Path, fresh: pytest.MonkeyPatch):
    """A segmenter over the module's index with nothing loaded yet."""
    fresh.setenv("ALIGNER_CACHE_DIR", str(index_dir))
    seg = tokens._tokenizer()
    assert isinstance(seg, tokens._Segmenter)
    return seg


def _lines() -> list[str]:
    out: list[str] = []
    for path in PLANS:
        text = path.read_text(encoding="utf-8")
        out += [line for line in text.splitlines() if line.strip()]
        out += [to_simplified(line) for line in text.splitlines() if line.strip()]
    return out


def _spans(cut: list[str]) -> set[tuple[int, int]]:
    out, at = set(), 0
    for token in cut:
        out.add((at, at + len(token)))
        at += len(token)
    return out


# --- the same tokens as jieba ---------------------------------------------------------------------


def test_real_plan_lines_cut_exactly_as_jieba(segmenter, jieba_tokenizer):
    lines = _lines()
    assert len(lines) > 100
    total = same = 0
    mismatches = []
    for line in lines:
        ours, theirs = segmenter.lcut(line), jieba_tokenizer.lcut(line)
        total += len(theirs)
        same += len(_spans(ours) & _spans(theirs))
        if ours != theirs:
            mismatches.append((line[:30], ours[:8], theirs[:8]))
    assert same / total >= 0.95  # the bar; the design gives identical cuts:
    assert not mismatches, mismatches[:3]


def test_random_text_cut_exactly_as_jieba(segmenter, jieba_tokenizer):
    """Characters and pairs arrive in a new order each time, so buckets load in many orders."""
    rng = random.Random(20240728)
    policy = "".join(dict.fromkeys(to_simplified(PLANS[0].read_text(encoding="utf-8"))))
    rare = "".join(chr(c) for c in range(0x4E00, 0x9FA5, 37))
    alphabet = policy + rare + "abcXYZ0123456789.%-#&+_ ，。、（）\r\n"
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        assert segmenter.lcut(text) == jieba_tokenizer.lcut(text), text


@pytest.mark.parametrize("text", [
    "",  # nothing
    "鄔超、王小明同志在西宁—海东都市圈调研",  # names: the HMM cuts unknown runs
    "2024年城镇化率达到67.5%左右,5G基站覆盖率100%",  # digits, decimals, percent
    "PPP模式和REITs试点,GDP增长",  # Latin letters inside CJK
    "“一站式”服务;(含技工院校)\t\r\n新一轮",  # punctuation and whitespace kinds
    "𠀀𠀁中国",  # characters outside the BMP and outside jieba's CJK range
])
def test_edge_cases_cut_exactly_as_jieba(segmenter, jieba_tokenizer, text):
    assert segmenter.lcut(text) == jieba_tokenizer.lcut(text)


# --- policy words come out sane -------------------------------------------------------------------


def test_household_registration_reform_keeps_the_word(segmenter):
    got = tokens.words("进一步深化户籍制度改革")
    assert any("户籍" in w for w in got), got  # jieba's dictionary has 户籍制度 as one word
    assert "改革" in got and "深化" in got


def test_agricultural_migrants_cut_into_meaningful_words(segmenter):
    got = tokens.words("推进农业转移人口市民化")
    assert got[:4] == ["推进", "农业", "转移", "人口"]
    assert all(len(w) >= 2 for w in got), got


def test_stop_words_digits_and_punctuation_are_dropped(segmenter):
    got = tokens.words("在2030年前,城镇化率要达到70%的目标。")
    assert "的" not in got and "在" not in got and "2030" not in got
    assert "城镇化率" in got and "目标" in got
    assert not any(w in ",。%" for w in got)


def test_words_returns_a_fresh_list_each_time(segmenter):
    first = tokens.words("健全常住地提供基本公共服务制度")
    first.append("X")
    assert "X" not in tokens.words("健全常住地提供基本公共服务制度")


def test_bigrams_of_each_cjk_run():
    assert tokens.bigrams("户籍制度,推进ab改革") == ["户籍", "籍制", "制度", "推进", "改革"]
    assert tokens.bigrams("户") == [] and tokens.bigrams("") == []


# --- the cache never makes a run fail -------------------------------------------------------------


def test_index_is_reused_not_rebuilt(index_dir, fresh):
    fresh.setenv("ALIGNER_CACHE_DIR", str(index_dir))
    [path] = index_dir.glob("jieba-prefix-*.idx")
    before = path.stat().st_mtime_ns
    assert isinstance(tokens._tokenizer(), tokens._Segmenter)
    assert path.stat().st_mtime_ns == before


def test_unwritable_cache_falls_back_to_jieba(tmp_path, fresh, jieba_tokenizer):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    fresh.setenv("ALIGNER_CACHE_DIR", str(blocker / "aligner"))
    fresh.setattr(tokens, "_jieba_tokenizer", lambda: jieba_tokenizer)
    assert tokens.words("深化户籍制度改革") == ["深化", "户籍制度", "改革"]
    assert tokens._TOKENIZER is jieba_tokenizer


def test_cache_switched_off_uses_jieba(fresh, jieba_tokenizer):
    fresh.setenv("ALIGNER_CACHE_DIR", "")
    fresh.setattr(tokens, "_jieba_tokenizer", lambda: jieba_tokenizer)
    assert tokens.words("深化户籍制度改革") == ["深化", "户籍制度", "改革"]
    assert tokens._TOKENIZER is jieba_tokenizer


def test_cache_folder_follows_xdg_then_home(fresh, tmp_path):
    fresh.delenv("ALIGNER_CACHE_DIR", raising=False)
    fresh.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tokens.cache_dir() == tmp_path / "aligner"
    fresh.setenv("XDG_CACHE_HOME", "relative/path")  # the spec says to ignore relative paths
    assert tokens.cache_dir() == Path.home() / ".cache" / "aligner"


@pytest.mark.parametrize("damage", ["truncate", "zero-body", "zero-half", "empty", "stale"])
def test_damaged_or_stale_index_is_rebuilt(index_dir, tmp_path, fresh, jieba_tokenizer, damage):
    """Damage found on opening rebuilds the index at once; damage found in a bucket later falls
    back to jieba for this run and removes the file, so the next run rebuilds it."""
    [good] = index_dir.glob("jieba-prefix-*.idx")
    folder = tmp_path / "cache"
    folder.mkdir()
    bad = folder / good.name
    data = good.read_bytes()
    body = data.index(b"\n", data.index(b"\n") + 1) + 1 + 4 * ((1 << 18) + 1)  # after the header and offsets
    if damage == "truncate":
        data = data[: len(data) // 3]
    elif damage == "zero-body":
        data = data[:body] + b"\x00" * (len(data) - body)
    elif damage == "zero-half":
        data = data[: len(data) // 2] + b"\x00" * (len(data) - len(data) // 2)
    elif damage == "empty":
        data = b""
    else:
        data = data.replace(b'"stamp": "', b'"stamp": "old ', 1)
    bad.write_bytes(data)
    fresh.setenv("ALIGNER_CACHE_DIR", str(folder))
    fresh.setattr(tokens, "_jieba_tokenizer", lambda: jieba_tokenizer)
    text = "".join(line for line in _lines()[:40])  # enough text to reach damaged buckets
    assert tokens.words(text) == list(
        w for w in jieba_tokenizer.lcut(text)
        if re.search(r"[\u3400-\u9fffA-Za-z0-9]", w) and w not in tokens._STOP and not w.isdigit()
    )
    fresh.setattr(tokens, "_TOKENIZER", None)  # the next run
    assert isinstance(tokens._tokenizer(), tokens._Segmenter)
    assert bad.read_bytes() == good.read_bytes()


def test_only_the_newest_indexes_are_kept_on_build(tmp_path, fresh):
    folder = tmp_path / "cache"
    folder.mkdir()
    for n in range(4):  # indexes of other environments, oldest first
        old = folder / f"jieba-prefix-0000000{n}.idx"
        old.write_bytes(b"from another jieba installation")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    (folder / "unrelated.txt").write_text("kept")
    fresh.setenv("ALIGNER_CACHE_DIR", str(folder))
    assert isinstance(tokens._tokenizer(), tokens._Segmenter)
    [built] = [p.name for p in folder.glob("jieba-prefix-*.idx") if p.read_bytes().startswith(b"aligner")]
    assert {p.name for p in folder.iterdir()} == {
        built, "jieba-prefix-00000002.idx", "jieba-prefix-00000003.idx", "unrelated.txt"}


def test_a_failing_index_mid_run_falls_back_to_jieba(index_dir, tmp_path, fresh, jieba_tokenizer):
    folder = tmp_path / "cache"
    folder.mkdir()
    [good] = index_dir.glob("jieba-prefix-*.idx")
    (folder / good.name).write_bytes(good.read_bytes())
    fresh.setenv("ALIGNER_CACHE_DIR", str(folder))
    segmenter = tokens._tokenizer()

    def broken(block: str) -> None:
        raise ValueError("bad bucket")

    fresh.setattr(segmenter.index, "load_for", broken)
    fresh.setattr(tokens, "_jieba_tokenizer", lambda: jieba_tokenizer)
    assert tokens.words("深化户籍制度改革") == ["深化", "户籍制度", "改革"]
    assert tokens._TOKENIZER is jieba_tokenizer
    assert not (folder / good.name).exists()  # removed, so the next run builds it again


# --- start-up -------------------------------------------------------------------------------------


def test_cutting_does_not_import_jieba_or_load_the_whole_dictionary(index_dir):
    """The point of the index: a run neither imports jieba (0.1 s) nor loads 500,000 entries."""
    code = (
        "import sys; from aligner import tokens\n"
        "tokens.words(open(sys.argv[1], encoding='utf-8').read())\n"
        "print('jieba' in sys.modules, len(tokens._TOKENIZER.FREQ))\n"
    )
    env = dict(os.environ, ALIGNER_CACHE_DIR=str(index_dir))
    out = subprocess.run([sys.executable, "-c", code, str(PLANS[1])], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert out[0] == "False"
    assert int(out[1]) < 60_000  # a plan reaches a few percent of the prefix dictionary


# --- what the index and cached results are keyed on -------------------------------------------------


@pytest.fixture
def fake_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of jieba's data files that the index is then built from (nothing is imported from it)."""
    real = tokens._jieba_dir()
    assert real is not None
    folder = tmp_path / "jieba"
    for name in ("__init__.py", *tokens._JIEBA_FILES):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((real / name).read_bytes())
    monkeypatch.setattr(tokens, "_jieba_dir", lambda: folder)
    return folder


def test_index_key_follows_jieba_version_and_files(fake_jieba: Path):
    stamp = tokens._source_stamp(fake_jieba)
    assert "jieba 0.42.1" in stamp  # the version pyproject pins and this module mirrors
    init = fake_jieba / "__init__.py"
    init.write_bytes(init.read_bytes().replace(b"0.42.1", b"0.42.2", 1))
    assert "jieba 0.42.2" in tokens._source_stamp(fake_jieba)
    dictionary = fake_jieba / "dict.txt"
    st = dictionary.stat()
    data = bytearray(dictionary.read_bytes())
    data[data.index(b" ") + 1] ^= 1  # one frequency digit: same size
    before = tokens._source_stamp(fake_jieba)
    dictionary.write_bytes(bytes(data))
    os.utime(dictionary, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with its old modification time
    assert tokens._source_stamp(fake_jieba) != before


def test_dictionary_fingerprint_is_a_digest_of_the_content(fake_jieba: Path):
    first = tokens._source_digest(fake_jieba)
    assert first.startswith("jieba 0.42.1 sha256:")
    dictionary = fake_jieba / "dict.txt"
    dictionary.write_bytes(dictionary.read_bytes().replace("户籍".encode(), "户口".encode(), 1))
    assert tokens._source_digest(fake_jieba) != first
    contents = {name: (fake_jieba / name).read_bytes() for name in tokens._JIEBA_FILES}
    assert tokens._source_digest(fake_jieba, contents) == tokens._source_digest(fake_jieba)


def test_the_index_carries_the_digest_of_what_it_was_built_from(segmenter):
    jieba_dir = tokens._jieba_dir()
    assert jieba_dir is not None
    assert segmenter.index.source == tokens._source_digest(jieba_dir)
