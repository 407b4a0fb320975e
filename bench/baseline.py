#!/usr/bin/env python3
"""A naive baseline aligner, to show what the real matcher adds.

Each provincial task or measure is linked to the national task or measure whose TITLE is most similar by
rapidfuzz `fuzz.ratio` (titles in simplified script, punctuation and spaces dropped), when that best
score reaches one threshold; otherwise the provincial task is an addition. Parsing is the project's
own (`aligner.pipeline.load_plan`), so only the matching differs from `align`.

    python bench/baseline.py plans/national.txt plans/qinghai.txt [--threshold 60] > out.json

The output has the JSON shape of `align … --format json` (clauses via aligner.report.json_report.plan_json).
`tune_threshold` picks the threshold that maximises the baseline's F1 on a gold set (Qinghai in
bench/accuracy.py), so the comparison with the matcher is fair.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from aligner.model import Kind, Plan
from aligner.pipeline import load_plan
from aligner.report.json_report import plan_json

DEFAULT_THRESHOLD = 60.0
_DROP = re.compile(r"[\s\u3000\"“”‘’'《》〈〉「」『』()（）\[\]【】、，,。.；;：:！!？?·—\-]")
_KINDS = (Kind.TASK, Kind.MEASURE)


def _t(s: str) -> str:
    return _DROP.sub("", s or "")


def score_matrix(national: Plan, province: Plan) -> list[tuple[str, list[tuple[str, float]]]]:
    """For each provincial task/measure: (id, [(national id, ratio), …] best first)."""
    nat = [(c.id, _t(c.title)) for c in national.of_kind(*_KINDS)]
    rows = []
    for c in province.of_kind(*_KINDS):
        title = _t(c.title)
        scored = sorted(((nid, fuzz.ratio(title, nt)) for nid, nt in nat), key=lambda x: -x[1])
        rows.append((c.id, scored))
    return rows


def align_json(national: Plan, province: Plan, threshold: float = DEFAULT_THRESHOLD,
               matrix: list[tuple[str, list[tuple[str, float]]]] | None = None) -> dict[str, Any]:
    """The alignment document for one province, in the `align --format json` shape."""
    matrix = matrix if matrix is not None else score_matrix(national, province)
    links, additions = [], []
    best_for: dict[str, float] = {}
    for pid, scored in matrix:
        nid, s = scored[0] if scored else ("", 0.0)
        if nid and s >= threshold:
            links.append({"province": pid, "national": nid, "score": round(s / 100, 4), "relation": "adapted",
                          "evidence": [f"title fuzz.ratio {s:.1f}"]})
            best_for[nid] = max(best_for.get(nid, 0.0), s)
        else:
            additions.append(pid)
    coverage = [{"national": c.id, "status": "covered" if c.id in best_for else "gap",
                 "score": round(best_for.get(c.id, 0.0) / 100, 4)} for c in national.of_kind(*_KINDS)]
    body = plan_json(province)
    body.update(links=links, coverage=coverage, additions=additions)
    return {"national": plan_json(national), "provinces": [body], "errors": []}


def tune_threshold(national: Plan, province: Plan, gold: dict, keys: dict) -> tuple[float, dict]:
    """The threshold (0–100, step 1) maximising strict F1 on `gold` (ties: higher additions F1, then lower)."""
    from score import score  # bench/score.py; bench/ is on sys.path when run as a script or from accuracy

    matrix = score_matrix(national, province)
    best: tuple[tuple[float, float, float], float, dict] | None = None
    for th in range(0, 101):
        result = score(align_json(national, province, th, matrix), gold, keys)
        rank = (result["f1"], result["additions_f1"], -th)
        if best is None or rank > best[0]:
            best = (rank, float(th), result)
    assert best is not None
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="title-only fuzz.ratio baseline aligner")
    ap.add_argument("national")
    ap.add_argument("province")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="fuzz.ratio 0-100 (default %(default)s)")
    a = ap.parse_args(argv)
    doc = align_json(load_plan(a.national), load_plan(a.province), a.threshold)
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
