"""The user cache under attack: nothing planted in it may run, and nothing it cannot vouch for is read.

A pickle that would create a file when unpickled is planted under every name the cache could read
(today's names and the `national-<key>.pickle` / `jieba-prefix-<crc>.idx` names earlier versions
used, computed for the real example plan); folders others can write, folders and files owned by
someone else, symlinked folders, damaged JSON, wrong digests, wrong types and a missing home
folder are each only a cache miss: the run gives exactly what an uncached run gives.

The pickles are only ever written (pickle.dumps) and inspected with pickletools, never loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import pickletools
import re
import shutil
import subprocess
import sys
import threading
import zlib
from array import array
from importlib import resources
from pathlib import Path

import pytest

from aligner import cache, codec, tokens
from aligner.match import Thresholds
from aligner.pipeline import National, align_plans, load_national, load_plan
from aligner.report.json_report import province_json
from aligner.thesaurus import load_thesaurus

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "plans" / "national.txt"
QINGHAI = ROOT / "plans" / "qinghai.txt"
PLANTED_TITLE = "PLANTED: read from a cache that should not have been trusted"


class _Trap:
    """Unpickling this runs `touch marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204 - what pickle calls
        return (os.system, (f"touch {self.marker}",))


def _trap(marker: Path) -> bytes:
    payload = pickle.dumps(("key", _Trap(marker)), protocol=pickle.HIGHEST_PROTOCOL)
    opcodes = {op.name for op, _, _ in pickletools.genops(payload)}
    assert "REDUCE" in opcodes and b"system" in payload and str(marker).encode() in payload  # armed, not run
    return payload


# --- the names the cache reads, and those earlier versions read -----------------------------------


def _old_code_fingerprint() -> str:
    """cache.code_fingerprint as earlier versions computed it (Python version, then code and data)."""
    digest = hashlib.sha256(sys.version.encode())
    package = resources.files("aligner")
    for folder in (package, package.joinpath("data")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".txt")):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()


def _old_index_name() -> str:
    jieba_dir = tokens._jieba_dir()
    assert jieba_dir is not None
    parts = ["format 1", sys.byteorder, str(array("I").itemsize)]
    for name in ("dict.txt", "finalseg/prob_emit.py", "finalseg/prob_start.py", "finalseg/prob_trans.py"):
        st = (jieba_dir / name).stat()
        parts.append(f"{jieba_dir / name}:{st.st_size}:{st.st_mtime_ns}")
    return f"jieba-prefix-{zlib.crc32('|'.join(parts).encode()):08x}.idx"


def _readable_names(path: Path) -> list[str]:
    """Every file name an `align` of this national plan reads from the cache, now or before."""
    thesaurus = load_thesaurus()
    document = path.read_bytes()
    old = hashlib.sha256(document)
    for part in (_old_code_fingerprint(), str(path), repr(thesaurus)):
        old.update(b"\0" + part.encode())
    new_key = cache.national_key(document, str(path), repr(thesaurus), tokens.dictionary_fingerprint())
    found = tokens.index_path()
    assert found is not None
    return [f"national-{old.hexdigest()[:32]}.pickle", f"national-{new_key}.json", found[0].name, _old_index_name()]


@pytest.fixture(scope="module")
def uncached() -> dict:
    """Qinghai against the national plan prepared afresh, without the national cache."""
    thesaurus = load_thesaurus()
    return province_json(align_plans(load_plan(NATIONAL), load_plan(QINGHAI), thesaurus, Thresholds()))


def _run_json() -> dict:
    """Qinghai against the national plan as `align` loads it (through the cache)."""
    thesaurus = load_thesaurus()
    national = load_national(NATIONAL, thesaurus)
    return province_json(align_plans(national.plan, load_plan(QINGHAI), thesaurus, Thresholds(), national.units))


def _copy_index(session: Path, folder: Path) -> Path:
    """The session's dictionary index (built now if no test has yet), copied into folder."""
    found = tokens.index_path()
    assert found is not None
    name = found[0].name
    if not (session / name).exists():
        tokens.build_index(session / name, found[1])
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    shutil.copyfile(session / name, folder / name)
    (folder / name).chmod(0o600)
    return folder / name


@pytest.fixture
def fresh_tokens(monkeypatch: pytest.MonkeyPatch):
    """The segmenter as in a new process (it opens the index again), restored afterwards."""
    monkeypatch.setattr(tokens, "_TOKENIZER", None)
    tokens._content_words.cache_clear()
    yield monkeypatch
    tokens._content_words.cache_clear()


@pytest.mark.parametrize("location", ["ALIGNER_CACHE_DIR", "XDG_CACHE_HOME", "HOME"])
def test_planted_pickles_never_run(location, tmp_path, fresh_tokens, uncached, private_cache):
    """Traps under the national plan's names (old and new) and the old index name, in each place
    the cache can be; the index's own name is planted in the two tests after this one."""
    monkeypatch = fresh_tokens
    monkeypatch.delenv("ALIGNER_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    if location == "ALIGNER_CACHE_DIR":
        folder = tmp_path / "cache"
        monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    elif location == "XDG_CACHE_HOME":
        folder = tmp_path / "xdg" / "aligner"
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    else:
        folder = tmp_path / "home" / ".cache" / "aligner"
        (tmp_path / "home").mkdir()
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == folder
    _copy_index(private_cache, folder)
    marker = tmp_path / "pwned"
    old_pickle, new_json, _, old_index = _readable_names(NATIONAL)
    for name in (old_pickle, new_json, old_index):
        (folder / name).write_bytes(_trap(marker))
    assert _run_json() == uncached
    monkeypatch.setattr(tokens, "_TOKENIZER", None)  # the next run reads what the first one wrote
    assert _run_json() == uncached
    assert (folder / new_json).read_bytes().startswith(b"aligner-cache\n")
    assert not marker.exists()
    assert not (folder / old_pickle).exists()  # an old pickle is removed once the cache is written


def test_planted_pickles_never_run_in_a_real_process(tmp_path, monkeypatch):
    """The whole CLI, as a user runs it, over a cache folder full of traps."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    for name in _readable_names(NATIONAL):
        (folder / name).write_bytes(_trap(marker))
    command = [sys.executable, "-m", "aligner", str(NATIONAL), str(QINGHAI), "--format", "json"]

    def run(cache_dir: str) -> bytes:
        env = dict(os.environ, ALIGNER_CACHE_DIR=cache_dir)
        done = subprocess.run(command, env=env, capture_output=True, timeout=300, check=False, cwd=tmp_path)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        assert b"Traceback" not in done.stderr
        return done.stdout

    uncached = run("")
    assert run(str(folder)) == uncached
    assert run(str(folder)) == uncached  # with the cache it wrote itself
    assert not marker.exists()


def test_a_pickle_inside_a_well_formed_envelope_is_a_miss(tmp_path, monkeypatch):
    """Right magic, schema, key and digest, but the body is a pickle: the JSON reader refuses it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    folder.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    name = _readable_names(NATIONAL)[1]
    key = name.removeprefix("national-").removesuffix(".json")
    body = _trap(marker)
    head = json.dumps({"schema": codec.SCHEMA, "key": key, "sha256": hashlib.sha256(body).hexdigest()}).encode()
    (folder / name).write_bytes(b"aligner-cache\n" + head + b"\n" + body)
    assert cache.load(key, codec.SCHEMA) is None
    assert load_national(NATIONAL, load_thesaurus()).plan == load_plan(NATIONAL)
    assert not marker.exists()


# --- folders and files the cache cannot vouch for --------------------------------------------------


def _entry(folder: Path) -> Path:
    [entry] = folder.glob("national-*.json")
    return entry


def _tamper(entry: Path, change, fix_digest: bool = True) -> None:
    """Rewrite a stored national plan: `change` edits its JSON value; the digest is recomputed
    (a well-formed entry someone else could have written) unless fix_digest is False."""
    data = entry.read_bytes()
    magic_end = data.index(b"\n") + 1
    head_end = data.index(b"\n", magic_end)
    head = json.loads(data[magic_end:head_end])
    body = change(json.loads(data[head_end + 1 :]))
    body = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    if fix_digest:
        head["sha256"] = hashlib.sha256(body).hexdigest()
    entry.write_bytes(data[:magic_end] + json.dumps(head).encode() + b"\n" + body)


def _retitle(value: dict) -> dict:
    value["plan"][1] = PLANTED_TITLE  # Plan's second field: its title
    return value


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder holding the national plan as this version stores it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    load_national(NATIONAL, load_thesaurus())
    assert folder.stat().st_mode & 0o777 == 0o700
    assert _entry(folder).stat().st_mode & 0o777 == 0o600
    return folder


def _title() -> str:
    return load_national(NATIONAL, load_thesaurus()).plan.title


def test_a_well_formed_entry_in_a_private_folder_is_used(stored):
    """The control for the tests below: a tampered but well-formed entry in a folder that passes
    the checks *is* read, so a miss below is the checks' doing."""
    _tamper(_entry(stored), _retitle)
    assert _title() == PLANTED_TITLE


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702], ids=oct)
def test_a_folder_others_can_write_is_not_read_nor_written(stored, mode):
    _tamper(_entry(stored), _retitle)
    before = sorted(p.name for p in stored.iterdir())
    stored.chmod(mode)
    assert _title() == load_plan(NATIONAL).title
    assert sorted(p.name for p in stored.iterdir()) == before
    assert stored.stat().st_mode & 0o777 == mode  # not "repaired" either: someone may already have written


def test_a_folder_owned_by_someone_else_is_not_read(stored, monkeypatch):
    """Simulated: tests run as root, so the folder stays root's and the process claims another uid."""
    _tamper(_entry(stored), _retitle)
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 4242)
    assert _title() == load_plan(NATIONAL).title


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_file_owned_by_someone_else_is_not_read(stored, monkeypatch):
    """Folder ours, file not: the folder is given to another uid and the test runs as it."""
    _tamper(_entry(stored), _retitle)
    expected = load_plan(NATIONAL).title
    other = 4242
    os.chown(stored, other, other)
    try:
        monkeypatch.setattr(os, "geteuid", lambda: other)
        assert _title() == expected
    finally:
        monkeypatch.setattr(os, "geteuid", lambda: 0)
        os.chown(stored, 0, 0)


def test_an_entry_others_can_write_is_not_read(stored):
    entry = _entry(stored)
    _tamper(entry, _retitle)
    entry.chmod(0o666)
    assert _title() == load_plan(NATIONAL).title


def test_a_symlinked_folder_is_not_used(stored, tmp_path, monkeypatch):
    _tamper(_entry(stored), _retitle)
    link = tmp_path / "link"
    link.symlink_to(stored, target_is_directory=True)
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(link))
    before = sorted(p.name for p in stored.iterdir())
    assert _title() == load_plan(NATIONAL).title
    assert sorted(p.name for p in stored.iterdir()) == before  # nothing written through the link


def test_a_symlinked_entry_is_not_followed(stored, tmp_path):
    entry = _entry(stored)
    _tamper(entry, _retitle)
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert _title() == load_plan(NATIONAL).title
    assert json.loads(elsewhere.read_bytes().split(b"\n", 2)[2])["plan"][1] == PLANTED_TITLE  # left alone


def test_a_fifo_in_place_of_an_entry_does_not_hang(stored):
    entry = _entry(stored)
    entry.unlink()
    os.mkfifo(entry, 0o600)
    titles: list[str] = []
    worker = threading.Thread(target=lambda: titles.append(_title()), daemon=True)
    worker.start()
    worker.join(timeout=120)  # a hang guard only
    assert titles == [load_plan(NATIONAL).title]


def _first_clause(change):
    """A change to the stored plan's first clause (a list of Clause's field values)."""

    def apply(value: dict) -> dict:
        clause = value["plan"][3][0]
        change(clause)
        return _retitle(value)

    return apply


def _edit_head(entry: Path, change) -> None:
    data = entry.read_bytes()
    magic_end = data.index(b"\n") + 1
    head_end = data.index(b"\n", magic_end)
    head = json.loads(data[magic_end:head_end])
    change(head)
    entry.write_bytes(data[:magic_end] + json.dumps(head).encode() + data[head_end:])


_DAMAGE = {
    "not json": lambda e: _tamper(e, lambda v: b"{not json"),
    "truncated": lambda e: e.write_bytes(e.read_bytes()[:-1000]),
    "empty": lambda e: e.write_bytes(b""),
    "digest mismatch": lambda e: _tamper(e, _retitle, fix_digest=False),
    "line as text": lambda e: _tamper(e, _first_clause(lambda c: c.__setitem__(6, str(c[6])))),
    "unknown kind": lambda e: _tamper(e, _first_clause(lambda c: c.__setitem__(1, "plot"))),
    "bool for int": lambda e: _tamper(e, _first_clause(lambda c: c.__setitem__(6, True))),
    "missing field": lambda e: _tamper(e, lambda v: _retitle(v) | {"units": [u[:-1] for u in v["units"]]}),
    "no such clause": lambda e: _tamper(e, lambda v: _retitle(v) | {"units": [[10**6, *u[1:]] for u in v["units"]]}),
    "counts as text": lambda e: _tamper(e, lambda v: _retitle(v) | {"units": [[*u[:8], {"户籍": "1"}, *u[9:]]
                                                                                for u in v["units"]]}),
    "another layout": lambda e: _tamper(e, lambda v: _retitle(v) | {"layout": "0" * 64}),
    "not an object": lambda e: _tamper(e, lambda v: [v]),
    "deep nesting": lambda e: _tamper(e, lambda v: b"[" * 100_000 + b"]" * 100_000),
    "another schema": lambda e: _edit_head(e, lambda h: h.__setitem__("schema", h["schema"] + 1)),
    "another key": lambda e: _edit_head(e, lambda h: h.__setitem__("key", "0" * 32)),
    "header not json": lambda e: e.write_bytes(b"aligner-cache\n{oops\n[]"),
    "no magic": lambda e: e.write_bytes(e.read_bytes().split(b"\n", 1)[1]),
}


@pytest.mark.parametrize("damage", sorted(_DAMAGE))
def test_damaged_entries_are_a_miss(stored, damage):
    _DAMAGE[damage](_entry(stored))
    national = load_national(NATIONAL, load_thesaurus())
    assert national.plan == load_plan(NATIONAL)
    assert national.plan.title != PLANTED_TITLE


# --- where the cache is -----------------------------------------------------------------------------


def test_a_missing_home_is_not_created(tmp_path, monkeypatch):
    home = tmp_path / "no" / "such" / "home"
    monkeypatch.delenv("ALIGNER_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    assert cache.cache_dir() is None
    assert load_national(NATIONAL, load_thesaurus()).units
    env = {k: v for k, v in os.environ.items() if k not in ("ALIGNER_CACHE_DIR", "XDG_CACHE_HOME")}
    done = subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), str(QINGHAI), "--format", "json"],
                          env=env, capture_output=True, timeout=300, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert not (tmp_path / "no").exists()


def test_missing_folders_are_created_private(tmp_path, monkeypatch):
    folder = tmp_path / "a" / "b" / "cache"
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    load_national(NATIONAL, load_thesaurus())
    for created in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert created.stat().st_mode & 0o777 == 0o700, created


# --- the dictionary index goes through the same checks ----------------------------------------------


@pytest.fixture(scope="module")
def jieba_reference():
    """jieba's own Tokenizer (its prefix dictionary built from dict.txt)."""
    return tokens._jieba_tokenizer()


def _content(reference, text: str) -> list[str]:
    wordlike = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")  # what tokens keeps: a CJK character, letter or digit
    return [w for w in reference.lcut(text) if wordlike.search(w) and w not in tokens._STOP and not w.isdigit()]


@pytest.mark.parametrize("problem", ["folder 0777", "foreign owner", "symlinked folder"])
def test_an_index_in_a_folder_the_cache_cannot_vouch_for_is_not_mapped(problem, tmp_path, fresh_tokens, private_cache):
    monkeypatch = fresh_tokens
    folder = tmp_path / "cache"
    index = _copy_index(private_cache, folder)
    if problem == "folder 0777":
        folder.chmod(0o777)
    elif problem == "foreign owner":
        real = os.geteuid()
        monkeypatch.setattr(os, "geteuid", lambda: real + 4242)
    else:
        link = tmp_path / "link"
        link.symlink_to(folder, target_is_directory=True)
        folder = link
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    before = index.read_bytes()
    assert tokens._open_index() is None  # neither read nor rebuilt: jieba's own loading this run
    assert index.read_bytes() == before
    assert sorted(p.name for p in index.parent.iterdir()) == [index.name]


def test_an_index_file_others_can_write_is_replaced_not_read(tmp_path, fresh_tokens, private_cache):
    monkeypatch = fresh_tokens
    folder = tmp_path / "cache"
    index = _copy_index(private_cache, folder)
    index.chmod(0o666)
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    mapped = []
    real_index = tokens._Index
    monkeypatch.setattr(tokens, "_Index", lambda *a: mapped.append(a) or real_index(*a))
    assert isinstance(tokens._open_index(), real_index)
    assert len(mapped) == 2  # the first attempt refused the file, the second opened the rebuilt one
    assert index.stat().st_mode & 0o777 == 0o600


def test_a_planted_index_is_rebuilt_and_never_run(tmp_path, fresh_tokens):
    monkeypatch = fresh_tokens
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    marker = tmp_path / "pwned"
    found = tokens.index_path()
    assert found is not None
    found[0].write_bytes(_trap(marker))
    assert tokens.words("深化户籍制度改革") == ["深化", "户籍制度", "改革"]
    assert isinstance(tokens._TOKENIZER, tokens._Segmenter)
    assert found[0].read_bytes().startswith(b"aligner-jieba-index\n")
    assert not marker.exists()


def test_a_bucket_changed_in_place_is_caught_not_cut_wrongly(tmp_path, fresh_tokens, private_cache, jieba_reference):
    """A frequency edited inside a bucket (same length, header intact) is found by the bucket's
    CRC when the bucket is read: the run falls back to jieba, and the file is removed."""
    monkeypatch = fresh_tokens
    folder = tmp_path / "cache"
    index = _copy_index(private_cache, folder)
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    data = index.read_bytes()
    at = data.index("\t户籍制度\t".encode()) + len("\t户籍制度\t".encode())
    index.write_bytes(data[:at] + (b"2" if data[at : at + 1] == b"1" else b"1") + data[at + 1 :])
    monkeypatch.setattr(tokens, "_jieba_tokenizer", lambda: jieba_reference)
    text = "进一步深化户籍制度改革"
    assert tokens.words(text) == _content(jieba_reference, text)
    assert tokens._TOKENIZER is jieba_reference
    assert not index.exists()


@pytest.mark.parametrize("field", ["total", "start"])
def test_an_index_header_changed_in_place_is_caught(tmp_path, fresh_tokens, private_cache, field):
    monkeypatch = fresh_tokens
    folder = tmp_path / "cache"
    index = _copy_index(private_cache, folder)
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(folder))
    data = index.read_bytes()
    at = data.index(f'"{field}": '.encode()) + len(f'"{field}": '.encode())
    if field == "start":
        at = data.index(b"-", at) + 1  # into the first log probability
    index.write_bytes(data[:at] + (b"2" if data[at : at + 1] != b"2" else b"3") + data[at + 1 :])
    found = tokens.index_path()
    assert found is not None and found[0] == index
    with pytest.raises(ValueError, match="header"):  # what makes _open_index rebuild it
        tokens._Index(*found)


def test_the_jieba_fallback_reads_no_marshal_cache(tmp_path, fresh_tokens):
    """jieba's own Tokenizer.initialize() marshal-loads `jieba.cache` from the shared temporary
    folder; the fallback builds its dictionary from dict.txt instead, so a planted one is ignored."""
    monkeypatch = fresh_tokens
    import marshal  # only to write the plant

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    (tmp / "jieba.cache").write_bytes(marshal.dumps(({"深": 1, "深化户": 5}, 6)))
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    monkeypatch.setenv("ALIGNER_CACHE_DIR", "")
    assert tokens.words("深化户籍制度改革") == ["深化", "户籍制度", "改革"]
    assert sorted(p.name for p in tmp.iterdir()) == ["jieba.cache"]


def test_no_module_of_the_project_can_unpickle():
    """The rule, kept: no pickle, marshal, shelve or eval in the aligner package."""
    offenders = []
    for source in sorted((ROOT / "aligner").rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        for word in ("import pickle", "import marshal", "import shelve", "pickle.load", "marshal.load", "eval(", "exec("):
            if word in text:
                offenders.append(f"{source.relative_to(ROOT)}: {word}")
    assert not offenders


def test_the_prepared_plan_reads_back_equal(stored):
    """The JSON round trip gives objects equal to freshly prepared ones (types included)."""
    thesaurus = load_thesaurus()
    cached = load_national(NATIONAL, thesaurus)
    plan = load_plan(NATIONAL)
    from aligner.match import prepare_national

    assert cached == National(plan, prepare_national(plan, thesaurus))
    assert all(unit.clause is cached.plan.by_id()[unit.clause.id] for unit in cached.units)
