"""Word tokens (jieba) and character bigrams for comparing Chinese clauses."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

_WORDLIKE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# Function words carry nothing to compare; content words are weighted by IDF instead of listed here.
_STOP = frozenset("的 和 与 及 等 在 为 对 以 了 是 将 把 由 向 从 于 按 其 并 或 之 中 上 下 内 外 有 到 要 更 各 个 项".split())


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """Content words in order (duplicates kept, so frequencies can be counted)."""
    return [w for w in _tokenizer().lcut(text) if _WORDLIKE.search(w) and w not in _STOP and not w.isdigit()]


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each CJK run: robust where word segmentation differs."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def warm_up() -> None:
    """Load the dictionary now (before worker processes fork, so they share it)."""
    _tokenizer()
