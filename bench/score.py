#!/usr/bin/env python3
"""Score an alignment (the `align … --format json` document) against a gold file, in-repo.

Same logic as ../shared/tools/score_alignment.py, without importing anything from ../shared:

    python bench/score.py out.json tests/gold/qinghai.json [--national-keys tests/gold/national_keys.json] [--verbose]

or from Python:

    from bench.score import score          # or: sys.path.insert(0, "bench"); from score import score
    result = score(output_json, gold, keys)

Scores:
  strict     precision / recall / F1 over (provincial task, national unit) links; links listed under
             "ok" in the gold are neither required nor penalised.
  additions  F1 of the provincial tasks reported as additions (found and without any link).
  parse      how many gold tasks were found among the provincial clauses at all.
A provincial task is found by its title (simplified script, pinyin readings, punctuation and spaces
dropped): an exact title first, else the clause whose title contains / is contained in the gold title
with the closest length. A national clause counts as unit K when its title or text contains K's `find`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

try:
    import opencc  # the converter the project uses

    _t2s = opencc.OpenCC("t2s").convert
except Exception:  # pragma: no cover - still works on simplified input

    def _t2s(s: str) -> str:
        return s


REPO = Path(__file__).resolve().parent.parent
DEFAULT_KEYS = REPO / "tests" / "gold" / "national_keys.json"

_PINYIN = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
_DROP = re.compile(r"[\s\u3000\"“”‘’'《》〈〉「」『』()（）\[\]【】、，,。.；;：:！!？?·—\-]")


def norm(s: str | None) -> str:
    s = _PINYIN.sub("", s or "")
    return _DROP.sub("", _t2s(s))


def clauses_of(doc: dict) -> list[dict]:
    return doc.get("clauses") or doc.get("units") or doc.get("tasks") or []


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3) if p + r else 0.0


def score(output_json: dict, gold: dict, keys: dict, province_index: int = 0) -> dict[str, Any]:
    """Score one province of an alignment document.

    `keys` is national_keys.json as loaded (with "units") or its "units" mapping.
    Returns the scorer's figures plus "rows": one entry per gold task with what was predicted
    (title, found clause id, gold, ok, predicted units, and the error kinds).
    """
    units: dict[str, dict] = keys.get("units", keys)
    nat = {str(c["id"]): c for c in clauses_of(output_json["national"])}
    prov_doc = output_json["provinces"][province_index]
    prov = {str(c["id"]): c for c in clauses_of(prov_doc)}
    finds = {k: norm(u["find"]) for k, u in units.items()}

    def key_of(nid: str) -> set[str]:
        c = nat.get(str(nid))
        if c is None:
            return set()
        title, body = norm(c.get("title")), norm((c.get("title") or "") + (c.get("text") or ""))
        found = {k for k, f in finds.items() if f in body}
        # a clause that contains several units (a whole section) is resolved by its title when possible
        by_title = {k for k in found if finds[k] in title}
        return by_title or found

    links: dict[str, set[str]] = {}
    for link in prov_doc.get("links", []):
        if "province" not in link or "national" not in link:
            continue
        links.setdefault(str(link["province"]), set()).update(key_of(str(link["national"])))

    titles = {pid: norm(c.get("title")) for pid, c in prov.items()}

    def find_prov(title: str) -> str | None:
        g = norm(title)
        exact = [pid for pid, t in titles.items() if t == g]
        if exact:
            return exact[0]
        near = [pid for pid, t in titles.items() if g and (g in t or (t and t in g))]
        return min(near, key=lambda pid: abs(len(titles[pid]) - len(g))) if near else None

    tp = fp = fn = 0
    found = 0
    add_tp = add_fp = add_fn = 0
    rows: list[dict[str, Any]] = []
    for t in gold["tasks"]:
        pid = find_prov(t["title"])
        g, ok = set(t["links"]), set(t.get("ok", []))
        p = links.get(pid, set()) if pid else set()
        if pid:
            found += 1
        tp += len(p & g)
        fp += len(p - g - ok)
        fn += len(g - p)
        pred_add, gold_add = bool(pid) and not p, not g
        add_tp += pred_add and gold_add
        add_fp += pred_add and not gold_add
        add_fn += gold_add and not pred_add
        errors = []
        if not pid:
            errors.append("not found")
        if p - g - ok:
            errors.append("wrong link")
        if g - p:
            errors.append("missed link")
        if pred_add and not gold_add:
            errors.append("wrong addition")
        if gold_add and pid and not pred_add:
            errors.append("missed addition")
        rows.append({
            "task": t["title"], "found": bool(pid), "clause": pid,
            "line": prov[pid].get("line") if pid else None,
            "gold": sorted(g), "ok": sorted(ok), "pred": sorted(p),
            "wrong": sorted(p - g - ok), "missed": sorted(g - p), "errors": errors,
        })

    P, R, F = _prf(tp, fp, fn)
    aP, aR, aF = _prf(add_tp, add_fp, add_fn)
    return {
        "precision": P, "recall": R, "f1": F,
        "additions_precision": aP, "additions_recall": aR, "additions_f1": aF,
        "tp": tp, "fp": fp, "fn": fn, "add_tp": add_tp, "add_fp": add_fp, "add_fn": add_fn,
        "tasks_found": found, "tasks_gold": len(gold["tasks"]), "province_clauses": len(prov),
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output")
    ap.add_argument("gold")
    ap.add_argument("--national-keys", default=str(DEFAULT_KEYS))
    ap.add_argument("--province-index", type=int, default=0)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args(argv)

    out = json.loads(Path(a.output).read_text(encoding="utf-8"))
    gold = json.loads(Path(a.gold).read_text(encoding="utf-8"))
    keys = json.loads(Path(a.national_keys).read_text(encoding="utf-8"))
    result = score(out, gold, keys, a.province_index)
    rows = result.pop("rows")
    if a.verbose:
        for r in rows:
            if r["wrong"] or r["missed"] or not r["found"]:
                print(json.dumps({"task": r["task"], "found": r["found"], "gold": r["gold"], "pred": r["pred"]},
                                 ensure_ascii=False))
    shown = {k: v for k, v in result.items() if k not in ("additions_precision", "additions_recall")}
    print(json.dumps(shown, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
