"""Word tokens (jieba) and character bigrams for comparing Chinese clauses.

Segmentation is jieba's, word for word: the same dictionary (jieba's own dict.txt), the same
max-probability route through the word DAG and the same HMM for runs of unknown characters.
What differs is how the dictionary is loaded. jieba unmarshals its whole prefix dictionary
(~500,000 entries, 0.6-1 s) before cutting the first sentence, although a plan's text only
ever looks up a few thousand of them: every lookup is a fragment of the text, so only entries
that begin with a character or a character pair of the text can matter.

So the prefix dictionary is built once from jieba's files into an index in the user cache
directory ($ALIGNER_CACHE_DIR, else $XDG_CACHE_HOME/aligner, else ~/.cache/aligner), keyed on
jieba's version and files and this module's code, and entries are hashed into buckets by their
first two characters (one for single characters, which also carry the HMM emission
probabilities). Before a text is cut, the buckets of its characters and character pairs are read
from the memory-mapped index; the FREQ table thus holds exactly jieba's values for every fragment
the text can ask about, and the cut is identical. The index is data only, read through the
cache's folder and owner checks (aligner.cache); its header carries a digest of itself and every
bucket a CRC-32 checked when the bucket is first read, so a damaged or foreign index is rebuilt,
never read into wrong tokens. If the index cannot be built or read (read-only home, a folder
others can write, odd platform), jieba's own Tokenizer is used, without jieba's marshal cache in
/tmp: slower to start, same tokens, never an error because of the cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import logging
import mmap
import re
import sys
import zlib
from array import array
from collections.abc import Iterator
from functools import lru_cache
from math import log
from pathlib import Path

from aligner import __version__, cache
from aligner.cache import cache_dir
from aligner.cjk import has_han_or_alnum
from aligner.lazy_re import lazy

# Function words carry nothing to compare; content words are weighted by IDF instead of listed here.
_STOP = frozenset("的和与及等在为对以了是将把由向从于按其并或之中上下内外有到要更各个项")  # one character each

_log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# jieba's algorithm (jieba 0.42.1, MIT licence: Tokenizer.cut with HMM=True, finalseg.cut),
# kept line for line so ties and floating-point sums come out the same.

_RE_HAN = lazy("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_RE_SKIP = lazy("(\r\n|\\s)", re.U)
_RE_HMM_HAN = lazy("([\u4E00-\u9FD5]+)")
_RE_HMM_SKIP = lazy("([a-zA-Z0-9]+(?:\\.\\d+)?%?)")
_MIN_FLOAT = -3.14e100
_PREV_STATUS = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}

FORMAT = 2  # bump when the index layout changes: the cache file name includes it
_MAGIC = b"aligner-jieba-index\n"
_JIEBA_FILES = ("dict.txt", "finalseg/prob_emit.py", "finalseg/prob_start.py", "finalseg/prob_trans.py")
_JIEBA_VERSION = re.compile(rb"""__version__\s*=\s*['"]([^'"]+)['"]""")
_INDEX_PREFIX, _INDEX_SUFFIX = "jieba-prefix-", ".idx"
_SECTIONS = ("word_off", "emit_off", "word_crc", "emit_crc", "word_body", "emit_body")
_WORD_BITS = 18  # 262,144 buckets for ~500,000 entries: a text loads few strangers with its own
_EMIT_BITS = 14  # 16,384 buckets for ~15,000 characters with emission probabilities
_INDEXES_KEPT = 3  # index files kept in the cache folder (7.6 MB each)


def _slot(key: str, bits: int) -> int:
    """A stable bucket number for a one- or two-character key (str hash() differs per process)."""
    second = ord(key[1]) + 1 if len(key) > 1 else 0
    return (((ord(key[0]) * 0x110001 + second) * 0x9E3779B1) & 0xFFFFFFFF) >> (32 - bits)


class _Index:
    """The memory-mapped bucket index; loads buckets into the plain dicts the algorithm reads."""

    def __init__(self, path: Path, stamp: str) -> None:
        self.path = path
        handle = cache.open_file(path)  # a regular file of ours in a private folder, or nothing
        if handle is None:
            raise OSError(f"no usable index at {path}")
        with handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        head_end = self._map.find(b"\n", len(_MAGIC))
        if self._map[: len(_MAGIC)] != _MAGIC or head_end < 0:
            raise ValueError("not an index")
        head = json.loads(self._map[len(_MAGIC) : head_end])
        if head.pop("check", None) != _header_check(head):
            raise ValueError("damaged index header")
        if head["format"] != FORMAT or head["stamp"] != stamp or head["size"] != len(self._map):
            raise ValueError("stale or truncated index")
        view = memoryview(self._map)
        self._word_off = _array(view, head["word_off"], (1 << _WORD_BITS) + 1)
        self._emit_off = _array(view, head["emit_off"], (1 << _EMIT_BITS) + 1)
        self._word_crc = _array(view, head["word_crc"], 1 << _WORD_BITS)
        self._emit_crc = _array(view, head["emit_crc"], 1 << _EMIT_BITS)
        self._word_body = head["word_body"]
        self._emit_body = head["emit_body"]
        self.source: str = head["source"]  # jieba's version and a digest of its files
        self.total: int = head["total"]
        self.start_p: dict[str, float] = head["start"]
        self.trans_p: dict[str, dict[str, float]] = head["trans"]
        self.FREQ: dict[str, int] = {}
        self.emit_p: dict[str, dict[str, float]] = {s: {} for s in "BMES"}
        self._seen: set[str] = set()
        self._word_done = bytearray(1 << _WORD_BITS)
        self._emit_done = bytearray(1 << _EMIT_BITS)
        self.load_for("中国的")  # a cheap check that offsets and bodies agree
        if not (self.FREQ.get("中国") and self.FREQ.get("的") and self.emit_p["S"].get("的")):
            raise ValueError("damaged index")

    def load_for(self, block: str) -> None:
        """Make sure every entry a fragment of `block` could look up is in FREQ (and emit_p)."""
        keys = {block[i : i + 2] for i in range(len(block))}  # pairs, and the last character alone
        keys.update(block)
        keys -= self._seen
        if not keys:
            return
        self._seen |= keys
        freq, mm, off, base = self.FREQ, self._map, self._word_off, self._word_body
        for key in keys:
            slot = _slot(key, _WORD_BITS)
            if not self._word_done[slot]:
                self._word_done[slot] = 1
                chunk = mm[base + off[slot] : base + off[slot + 1]]
                if zlib.crc32(chunk) != self._word_crc[slot]:
                    raise ValueError(f"damaged index bucket {slot}")
                if chunk:
                    parts = chunk.decode("utf-8").split("\t")
                    if len(parts) % 2:
                        raise ValueError(f"damaged index bucket {slot}")
                    freq.update(zip(parts[0::2], map(int, parts[1::2])))
            if len(key) == 1:
                eslot = _slot(key, _EMIT_BITS)
                if not self._emit_done[eslot]:
                    self._emit_done[eslot] = 1
                    chunk = mm[self._emit_body + self._emit_off[eslot] : self._emit_body + self._emit_off[eslot + 1]]
                    if zlib.crc32(chunk) != self._emit_crc[eslot]:
                        raise ValueError(f"damaged index bucket {eslot}")
                    if chunk:
                        parts = chunk.decode("utf-8").split("\t")
                        if len(parts) % 5:
                            raise ValueError(f"damaged index bucket {eslot}")
                        for i in range(0, len(parts) - 4, 5):
                            char = parts[i]
                            for state, value in zip("BMES", parts[i + 1 : i + 5]):
                                if value:
                                    self.emit_p[state][char] = float(value)


def _array(view: memoryview, at: object, count: int) -> memoryview:
    """`count` unsigned 32-bit numbers of the index from byte `at`, which must lie inside it."""
    if type(at) is not int or at % 4 or not 0 <= at <= len(view) - 4 * count:
        raise ValueError("index section out of bounds")
    return view[at : at + 4 * count].cast("I")


def _header_check(head: dict[str, object]) -> str:
    """The digest the header carries of itself: damage to the totals, probabilities or section
    positions is found on opening."""
    return hashlib.sha256(json.dumps(head, sort_keys=True).encode()).hexdigest()


class _Segmenter:
    """jieba.Tokenizer.lcut(text) (accurate mode, HMM on) over a lazily loaded index."""

    _BLOCKS_KEPT = 20_000  # memo of cut blocks; cleared when full, so memory stays flat in long batches

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.FREQ = index.FREQ
        self.logtotal = log(index.total)
        # A block (a run between punctuation) is cut the same wherever it occurs, and a plan's
        # titles, bodies, phrases and sentences share most of their blocks.
        self._blocks: dict[str, tuple[str, ...]] = {}

    def lcut(self, sentence: str) -> list[str]:
        return list(self.cut(sentence))

    def cut(self, sentence: str) -> Iterator[str]:
        for blk in _RE_HAN.split(sentence):
            if not blk:
                continue
            if _RE_HAN.match(blk):
                done = self._blocks.get(blk)
                if done is None:
                    self.index.load_for(blk)
                    done = tuple(self._cut_dag(blk))
                    if len(self._blocks) >= self._BLOCKS_KEPT:
                        self._blocks.clear()
                    self._blocks[blk] = done
                yield from done
            else:
                for x in _RE_SKIP.split(blk):
                    if _RE_SKIP.match(x):
                        yield x
                    else:
                        yield from x

    def _route(self, sentence: str) -> list[tuple[float, int]]:
        """Tokenizer.get_DAG and Tokenizer.calc in one pass, with the same arithmetic and ties."""
        freq, logtotal = self.FREQ, self.logtotal
        n = len(sentence)
        dag: list[list[int]] = []
        for k in range(n):
            tmplist = []
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                if freq[frag]:
                    tmplist.append(i)
                i += 1
                frag = sentence[k : i + 1]
            if not tmplist:
                tmplist.append(k)
            dag.append(tmplist)
        route: list[tuple[float, int]] = [(0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):
            route[idx] = max((log(freq.get(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in dag[idx])
        return route

    def _cut_dag(self, sentence: str) -> Iterator[str]:
        route = self._route(sentence)
        x = 0
        buf = ""
        n = len(sentence)
        while x < n:
            y = route[x][1] + 1
            l_word = sentence[x:y]
            if y - x == 1:
                buf += l_word
            else:
                if buf:
                    yield from self._flush(buf)
                    buf = ""
                yield l_word
            x = y
        if buf:
            yield from self._flush(buf)

    def _flush(self, buf: str) -> Iterator[str]:
        if len(buf) == 1:
            yield buf
        elif not self.FREQ.get(buf):
            yield from self._hmm_cut(buf)
        else:
            yield from buf

    def _hmm_cut(self, sentence: str) -> Iterator[str]:
        for blk in _RE_HMM_HAN.split(sentence):
            if _RE_HMM_HAN.match(blk):
                yield from self._viterbi_cut(blk)
            else:
                for x in _RE_HMM_SKIP.split(blk):
                    if x:
                        yield x

    def _viterbi_cut(self, sentence: str) -> Iterator[str]:
        _, pos_list = self._viterbi(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i]
            if pos == "B":
                begin = i
            elif pos == "E":
                yield sentence[begin : i + 1]
                nexti = i + 1
            elif pos == "S":
                yield char
                nexti = i + 1
        if nexti < len(sentence):
            yield sentence[nexti:]

    def _viterbi(self, obs: str) -> tuple[float, list[str]]:
        start_p, trans_p, emit_p = self.index.start_p, self.index.trans_p, self.index.emit_p
        states = "BMES"
        V: list[dict[str, float]] = [{}]
        path: dict[str, list[str]] = {}
        for y in states:
            V[0][y] = start_p[y] + emit_p[y].get(obs[0], _MIN_FLOAT)
            path[y] = [y]
        for t in range(1, len(obs)):
            V.append({})
            newpath = {}
            for y in states:
                em_p = emit_p[y].get(obs[t], _MIN_FLOAT)
                (prob, state) = max(
                    [(V[t - 1][y0] + trans_p[y0].get(y, _MIN_FLOAT) + em_p, y0) for y0 in _PREV_STATUS[y]]
                )
                V[t][y] = prob
                newpath[y] = path[state] + [y]
            path = newpath
        (prob, state) = max((V[len(obs) - 1][y], y) for y in "ES")
        return (prob, path[state])


# ---------------------------------------------------------------------------------------------
# Building and finding the index.


def _jieba_dir() -> Path | None:
    spec = importlib.util.find_spec("jieba")  # finds the package without importing it (~0.1 s)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _jieba_version(jieba_dir: Path) -> str:
    """jieba's __version__, read from its source rather than imported (importing costs 0.1 s)."""
    with open(jieba_dir / "__init__.py", "rb") as f:
        found = _JIEBA_VERSION.search(f.read(4096))
    return found.group(1).decode("ascii", "replace") if found else "unknown"


@lru_cache(maxsize=1)
def _own_code() -> str:
    """A digest of this module, which writes and reads the index."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _source_stamp(jieba_dir: Path) -> str:
    """Identifies the index: its layout, this code, jieba's version and the files it is built from.

    The files are identified by their status (size, times, inode), which any rewrite changes, so
    finding the index costs a few stat calls; the digest of their content is computed when the
    index is built and kept in its header (`dictionary_fingerprint`)."""
    parts = [f"format {FORMAT}", sys.byteorder, str(array("I").itemsize), f"aligner {__version__} {_own_code()}",
             f"jieba {_jieba_version(jieba_dir)}"]
    for name in _JIEBA_FILES:
        st = (jieba_dir / name).stat()
        parts.append(f"{jieba_dir / name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_dev}:{st.st_ino}")
    return "|".join(parts)


def _source_digest(jieba_dir: Path, contents: dict[str, bytes] | None = None) -> str:
    """jieba's version and a digest of the dictionary and model files (given, or read now)."""
    digest = hashlib.sha256()
    for name in _JIEBA_FILES:
        data = contents[name] if contents is not None else (jieba_dir / name).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return f"jieba {_jieba_version(jieba_dir)} sha256:{digest.hexdigest()}"


@lru_cache(maxsize=1)
def dictionary_fingerprint() -> str:
    """What the tokens depend on besides this code: jieba's version and a digest of its dictionary
    and HMM model files, for the keys of cached results (the prepared national plan). Taken from
    the index header when the index is in use, so a run does not hash 6 MB."""
    tokenizer = _tokenizer()
    if isinstance(tokenizer, _Segmenter):
        return tokenizer.index.source
    jieba_dir = _jieba_dir()
    return _source_digest(jieba_dir) if jieba_dir is not None else "no jieba"


def index_path() -> tuple[Path, str] | None:
    """The index file for the installed jieba and the stamp it must carry; None if there is none."""
    folder, jieba_dir = cache_dir(), _jieba_dir()
    if folder is None or jieba_dir is None:
        return None
    stamp = _source_stamp(jieba_dir)
    name = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return folder / f"{_INDEX_PREFIX}{name}{_INDEX_SUFFIX}", stamp


def _prefix_dict(dictionary: bytes) -> tuple[dict[str, int], int]:
    """jieba's Tokenizer.gen_pfdict: every word with its count, every proper prefix with 0."""
    lfreq: dict[str, int] = {}
    ltotal = 0
    for line in io.BytesIO(dictionary):  # lines split as jieba's file iteration splits them
        word, freq_text = line.strip().decode("utf-8").split(" ")[:2]
        freq = int(freq_text)
        lfreq[word] = freq
        ltotal += freq
        for ch in range(len(word)):
            wfrag = word[: ch + 1]
            if wfrag not in lfreq:
                lfreq[wfrag] = 0
    return lfreq, ltotal


def _buckets(entries: list[tuple[str, str]], bits: int) -> tuple[bytes, bytes, bytes]:
    """Group (key, text) pairs by bucket: the offsets array, the CRC-32 of each bucket's body and
    the concatenated bodies."""
    groups: list[list[str]] = [[] for _ in range(1 << bits)]
    for key, text in entries:
        groups[_slot(key, bits)].append(text)
    offsets = array("I", [0])
    crcs = array("I")
    body = bytearray()
    for group in groups:
        chunk = "\t".join(group).encode("utf-8")
        body += chunk
        offsets.append(len(body))
        crcs.append(zlib.crc32(chunk))
    return offsets.tobytes(), crcs.tobytes(), bytes(body)


def _index_bytes(stamp: str) -> list[bytes]:
    """The index of the installed jieba's dictionary and HMM model, as chunks to write in order."""
    import jieba.finalseg.prob_emit as prob_emit  # the model jieba itself uses on CPython
    import jieba.finalseg.prob_start as prob_start
    import jieba.finalseg.prob_trans as prob_trans

    jieba_dir = _jieba_dir()
    assert jieba_dir is not None
    contents = {name: (jieba_dir / name).read_bytes() for name in _JIEBA_FILES}
    freq, total = _prefix_dict(contents["dict.txt"])
    word_entries = [(w[:2], f"{w}\t{f}") for w, f in freq.items() if w and "\t" not in w]
    emit_entries = []
    for char in sorted(set().union(*(table.keys() for table in prob_emit.P.values()))):
        if len(char) == 1 and char != "\t":
            values = [repr(prob_emit.P[s][char]) if char in prob_emit.P[s] else "" for s in "BMES"]
            emit_entries.append((char, "\t".join([char, *values])))
    word_off, word_crc, word_body = _buckets(word_entries, _WORD_BITS)
    emit_off, emit_crc, emit_body = _buckets(emit_entries, _EMIT_BITS)
    source = _source_digest(jieba_dir, contents)

    def header(size: int, positions: dict[str, int]) -> bytes:
        head: dict[str, object] = {"format": FORMAT, "stamp": stamp, "source": source, "size": size, "total": total,
                                   "start": prob_start.P, "trans": prob_trans.P, **positions}
        head["check"] = _header_check(head)
        return _MAGIC + json.dumps(head, sort_keys=True).encode() + b"\n"

    # The header holds the positions of what follows it: size it with wide numbers, then pad.
    start = (len(header(10**12, {k: 10**12 for k in _SECTIONS})) + 3) // 4 * 4  # the arrays are 4-byte aligned
    chunks = {"word_off": word_off, "emit_off": emit_off, "word_crc": word_crc, "emit_crc": emit_crc,
              "word_body": word_body, "emit_body": emit_body}
    positions, at = {}, start
    for name in _SECTIONS:
        positions[name] = at
        at += len(chunks[name])
    head = header(at, positions)
    head = head[:-1] + b" " * (start - len(head)) + b"\n"  # JSON allows trailing blanks
    return [head, *(chunks[name] for name in _SECTIONS)]


def build_index(target: Path, stamp: str) -> None:
    """Write the index to `target`: into a private temporary file first, renamed when complete.

    The folder is created and checked (aligner.cache) and the temporary file created before the
    (2-3 s) build, so an unusable cache fails at once with OSError. Of the index files of other
    jieba installations (other virtual environments) or older layouts in the same folder, the
    newest few are kept, so switching between environments costs nothing.
    """
    cache.write_file(target, lambda: _index_bytes(stamp))
    cache.prune(target.parent, _is_index, _INDEXES_KEPT, keep=target.name)


def _is_index(name: str) -> bool:
    return name.startswith(_INDEX_PREFIX) and name.endswith(_INDEX_SUFFIX)


def _open_index() -> _Index | None:
    try:
        found = index_path()
        if found is None:
            return None
        path, stamp = found
        try:
            return _Index(path, stamp)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass  # missing, stale or damaged: (re)build it
        build_index(path, stamp)
        return _Index(path, stamp)
    except Exception as error:  # noqa: BLE001 - the cache is an optimisation, never a failure
        _log.debug("dictionary index unavailable (%s: %s); using jieba's own loading", type(error).__name__, error)
        return None


_TOKENIZER = None  # _Segmenter over the index, or jieba.Tokenizer when there is no index


def _jieba_tokenizer():  # -> jieba.Tokenizer
    """jieba's own Tokenizer, its prefix dictionary built from dict.txt: not `initialize()`, which
    would marshal-load (and write) a cache file in the shared temporary folder."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        tokenizer.initialized = True
    return tokenizer


def _tokenizer():  # -> _Segmenter | jieba.Tokenizer
    global _TOKENIZER
    if _TOKENIZER is None:
        index = _open_index()
        _TOKENIZER = _Segmenter(index) if index is not None else _jieba_tokenizer()
    return _TOKENIZER


def _lcut(text: str) -> list[str]:
    global _TOKENIZER
    tokenizer = _tokenizer()
    try:
        return tokenizer.lcut(text)
    except Exception as error:
        if not isinstance(tokenizer, _Segmenter):
            raise
        _log.debug("dictionary index failed (%s: %s); using jieba's own loading", type(error).__name__, error)
        cache.remove(tokenizer.index.path)  # damaged: the next run builds it again
        _TOKENIZER = _jieba_tokenizer()
        _content_words.cache_clear()
        _search_words.cache_clear()
        return _TOKENIZER.lcut(text)


@lru_cache(maxsize=2048)
def _content_words(text: str) -> tuple[str, ...]:
    # Memoised: the national plan's clauses and sentences are cut again for every province.
    return tuple(w for w in _lcut(text) if has_han_or_alnum(w, compatibility=False) and w not in _STOP and not w.isdigit())


def words(text: str) -> list[str]:
    """Content words in order (duplicates kept, so frequencies can be counted)."""
    return list(_content_words(text))


@lru_cache(maxsize=2048)
def _search_words(text: str) -> tuple[str, ...]:
    # jieba's search mode (cut_for_search): each word of three characters or more is preceded by its
    # dictionary sub-words of two and three characters, so 设备更新 also says 设备 and 更新 and a
    # compound matches its parts written apart. Memoised like _content_words.
    out: list[str] = []
    content = _content_words(text)
    freq = _tokenizer().FREQ  # after the cut: the text's dictionary buckets are loaded
    for word in content:
        for size in (2, 3):
            if len(word) > size:
                out.extend(gram for gram in (word[i : i + size] for i in range(len(word) - size + 1)) if freq.get(gram))
        out.append(word)
    return tuple(out)


def search_words(text: str) -> list[str]:
    """Content words with the dictionary words inside each compound (jieba's search mode): for
    matching, where one plan writes 设备更新 and the other 更新……设备."""
    return list(_search_words(text))


@lru_cache(maxsize=2048)
def _bigrams(text: str) -> tuple[str, ...]:
    # Adjacent pairs both in U+3400–U+9FFF: the pairs inside each run of such characters, in order
    # (what the runs of [\u3400-\u9fff]+ gave, without compiling that class at start-up).
    return tuple(a + b for a, b in zip(text, text[1:]) if "\u3400" <= a <= "\u9fff" and "\u3400" <= b <= "\u9fff")


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each CJK run: robust where word segmentation differs."""
    return list(_bigrams(text))


def warm_up() -> None:
    """Open (or build) the dictionary index now, before worker processes fork, so they share it."""
    _tokenizer()
