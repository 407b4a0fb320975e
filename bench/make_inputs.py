"""Realistic benchmark inputs: provincial plans at 1, 31, 300 and 3,000 provinces.

    python bench/make_inputs.py            # writes bench/out/p1, p31, p300, p3000 (gitignored)
    python bench/make_inputs.py --sizes 31 --seed 7

Every file is a real plan re-worded and re-ordered, so the matcher does the work it does on real
input: the real provincial plans (plans/qinghai.txt, tests/fixtures/partial/*.txt and, when present,
tests/fixtures/provinces/*.txt) and the national plan itself turned into a provincial one (title,
issuer and document number of a province, 全国 → 全省). Each copy then gets, at random (seeded):

- the province renamed (short name, full name and document-number prefix, from aligner/data/provinces.txt);
- numbered tasks shuffled within their run (same numbering style, consecutive lines) and renumbered;
- about one task in ten dropped, and one sentence in ten dropped from the rest;
- synonyms swapped both ways (推进↔推动, 加强↔强化, 完善↔健全 …), a different subset per file;
- the script converted to simplified in about a third of the files, and about one file in twenty
  saved as GBK (the reader detects the encoding).

The same seed gives the same files. Sizes above the number of provinces repeat province names (as a
batch of drafts or of prefecture plans would): the reports get unique file names either way.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

# (file, the province it names): the real plans the copies are made from.
SOURCES = [
    ("plans/qinghai.txt", "青海"),
    ("tests/fixtures/partial/gansu.txt", "甘肃"),
    ("tests/fixtures/partial/hebei.txt", "河北"),
    ("tests/fixtures/partial/hunan.txt", "湖南"),
    ("tests/fixtures/provinces/henan.txt", "河南"),
    ("tests/fixtures/provinces/sichuan.txt", "四川"),
    ("plans/national.txt", ""),  # the national plan, turned into a provincial one
]

# Policy-text synonyms; each file swaps a random subset of the pairs (both directions at once).
SYNONYMS = [
    ("推进", "推动"), ("加强", "强化"), ("完善", "健全"), ("促进", "推动"), ("提升", "提高"),
    ("加快", "加速"), ("统筹", "协调"), ("支持", "扶持"), ("鼓励", "引导"), ("优化", "改善"),
    ("建立", "建设"), ("落实", "执行"), ("稳步", "有序"), ("积极", "主动"), ("全面", "整体"),
]

_ARABIC = re.compile(r"^(\d{1,2})([.、．])")
_CN_PAREN = re.compile(r"^([（(])([一二三四五六七八九十]{1,3})([）)])")
_CN_NUM = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n - 1]
    if n < 20:
        return "十" + _CN_NUM[n - 11]
    return _CN_NUM[n // 10 - 1] + "十" + (_CN_NUM[n % 10 - 1] if n % 10 else "")


def provinces() -> list[tuple[str, str, str]]:
    """(short name, full name, document-number prefix) for each provincial-level division."""
    out = []
    for line in (ROOT / "aligner" / "data" / "provinces.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        forms = line.split()
        short, full = forms[0], forms[1]
        prefix = next((f for f in forms[2:] if not f.isascii() and ("政" in f or "府" in f or f.endswith("发"))),
                      short[0] + "政发")
        out.append((short, full, prefix))
    return out


def read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


class Converter:
    """Simplified ↔ traditional via OpenCC (a dependency of the project)."""

    def __init__(self) -> None:
        import opencc

        self.t2s = opencc.OpenCC("t2s").convert
        self.s2t = opencc.OpenCC("s2t").convert


def _forms(word: str, conv: Converter) -> set[str]:
    return {word, conv.s2t(word)}


def rename(text: str, source: str, target: tuple[str, str, str], source_rows: dict[str, tuple[str, str, str]],
           conv: Converter, rng: random.Random) -> str:
    """Source province → target province: full name, short name and document-number prefix, both scripts."""
    short, full, prefix = target
    if source:
        s_short, s_full, s_prefix = source_rows[source]
        for old, new in ((s_full, full), (s_prefix, prefix), (s_short, short)):
            for form in _forms(old, conv):
                text = text.replace(form, new if form == old else conv.s2t(new))
        return text
    # The national plan: the State Council becomes the provincial government, the country the province.
    swaps = [("各省、自治區、直轄市人民政府,國務院各部委、各直屬機構", "各市(州)、縣(市、區)人民政府,省政府各部門"),
             ("國務院關于印發", f"{full}人民政府關于印發"), ("國務院", f"{full}人民政府"),
             ("國發〔2024〕17號", f"{prefix}〔2024〕{rng.randint(10, 60)}號"),
             ("《深入實施以人為本的新型城鎮化戰略五年行動計劃》", f"《{full}深入實施以人為本的新型城鎮化戰略五年行動計劃實施方案》"),
             ("全國", "全省"), ("我國", "我省")]
    for old, new in swaps:
        text = text.replace(old, new)
    lines = text.splitlines()
    for i, line in enumerate(lines):  # the plan's own title line
        if line.strip() == "深入實施以人為本的新型城鎮化戰略五年行動計劃":
            lines[i] = f"{full}深入實施以人為本的新型城鎮化戰略五年行動計劃實施方案"
    return "\n".join(lines)


def swap_synonyms(text: str, rng: random.Random, conv: Converter) -> str:
    mapping: dict[str, str] = {}
    for a, b in rng.sample(SYNONYMS, k=rng.randint(3, 8)):
        if a in mapping or b in mapping:
            continue
        for fa, fb in ((a, b), (conv.s2t(a), conv.s2t(b))):
            mapping[fa], mapping[fb] = fb, fa
    pattern = re.compile("|".join(sorted(map(re.escape, mapping), key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group(0)], text)


def _style(line: str) -> str | None:
    if _ARABIC.match(line):
        return "arabic"
    if _CN_PAREN.match(line):
        return "cn-paren"
    return None


def _renumber(line: str, style: str, n: int) -> str:
    if style == "arabic":
        return _ARABIC.sub(lambda m: f"{n}{m.group(2)}", line, count=1)
    return _CN_PAREN.sub(lambda m: f"{m.group(1)}{cn_number(n)}{m.group(3)}", line, count=1)


def _drop_sentence(line: str, rng: random.Random) -> str:
    parts = re.findall(r"[^。]+。?", line)
    if len(parts) < 3:
        return line
    del parts[rng.randrange(1, len(parts))]  # never the first: it is the task's title
    return "".join(parts)


def reorder(text: str, rng: random.Random) -> str:
    """Shuffle, drop and shorten numbered tasks within each run of one numbering style."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        style = _style(lines[i])
        if style is None:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _style(lines[j]) == style:
            j += 1
        run = lines[i:j]
        if style == "arabic" or len(run) >= 3:  # (一)(二)… also number sections: shuffle only long runs
            rng.shuffle(run)
            if len(run) > 3:
                run = [line for line in run if rng.random() > 0.1] or run[:1]
            run = [_drop_sentence(line, rng) if rng.random() < 0.1 else line for line in run]
        out.extend(_renumber(line, style, n) for n, line in enumerate(run, start=1))
        i = j
    return "\n".join(out) + "\n"


def make(sizes: list[int], seed: int) -> None:
    conv = Converter()
    rows = provinces()
    by_short = {row[0]: row for row in rows}
    sources = [(ROOT / path, name) for path, name in SOURCES if (ROOT / path).is_file()]
    texts = [(read_text(path), name) for path, name in sources]
    pinyin = {}
    for line in (ROOT / "aligner" / "data" / "provinces.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            forms = line.split()
            pinyin[forms[0]] = next((f for f in forms if f.isascii() and f.islower()), f"p{len(pinyin)}")
    for size in sizes:
        rng = random.Random(f"{seed}-{size}")
        folder = OUT / f"p{size}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for n in range(size):
            text, source = texts[n % len(texts)] if size > 1 else texts[0]
            target = rows[n % len(rows)]
            body = rename(text, source, target, by_short, conv, rng)
            body = reorder(swap_synonyms(body, rng, conv), rng)
            if rng.random() < 1 / 3:
                body = conv.t2s(body)
            # No source name in the file name: a pinyin name there names the province (see provinces.txt).
            name = folder / f"{n + 1:04d}-{pinyin[target[0]]}-{n % len(texts)}.txt"
            encoding = "utf-8"
            if rng.random() < 0.05:
                try:
                    body.encode("gbk")
                    encoding = "gbk"
                except UnicodeEncodeError:
                    pass
            name.write_text(body, encoding=encoding)
        total = sum(p.stat().st_size for p in folder.iterdir())
        print(f"{folder.relative_to(ROOT)}: {size} files, {total / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 31, 300, 3000])
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    make(args.sizes, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
