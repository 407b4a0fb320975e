"""Accuracy of the matcher on the development plan (Qinghai) and the constructed held-out plans.

Runs bench/accuracy.py's evaluation once (the matcher exactly as `align` runs it, the title-only baseline
for comparison) and scores with bench/score.py against tests/gold/*.json. See bench/accuracy.py for the
table (`python bench/accuracy.py --errors` lists every error).

Figures when these floors were set (matcher as of commit ba795db plus work in progress):
Qinghai F1 1.000, additions F1 0.917, 39/39 tasks; constructed set (8 plans, 206 gold tasks)
micro P 0.941 / R 0.851 / F1 0.894, additions F1 0.769, all tasks found; baseline micro F1 0.697.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import accuracy  # noqa: E402

# The floor keeps the held-out figure from sliding back unnoticed.
CONSTRUCTED_MICRO_F1_FLOOR = 0.94  # measured 0.981 (README "Accuracy"); a margin for honest changes
CONSTRUCTED = [name for name, _, _ in accuracy.plan_set() if name != accuracy.DEV]


@pytest.fixture(scope="module")
def run() -> accuracy.Run:
    return accuracy.evaluate()


def _plan(run: accuracy.Run, name: str) -> accuracy.PlanResult:
    return next(p for p in run.plans if p.name == name)


def _misses(result: dict) -> list[str]:
    return [r["task"] for r in result["rows"] if not r["found"]]


def test_constructed_set_is_large_enough() -> None:
    assert len(CONSTRUCTED) >= 5, CONSTRUCTED


def test_qinghai(run: accuracy.Run) -> None:
    m = _plan(run, "qinghai").matcher
    assert m["tasks_gold"] == 39
    assert m["tasks_found"] == 39, _misses(m)
    assert m["f1"] >= 0.95, m
    assert m["additions_f1"] >= 0.90, m


@pytest.mark.parametrize("name", CONSTRUCTED)
def test_constructed_plan_all_gold_tasks_found(run: accuracy.Run, name: str) -> None:
    m = _plan(run, name).matcher
    assert m["tasks_found"] == m["tasks_gold"], f"{name}: not found: {_misses(m)}"


def test_constructed_micro_f1(run: accuracy.Run) -> None:
    total = accuracy.micro([p.matcher for p in run.constructed()])
    assert total["f1"] >= CONSTRUCTED_MICRO_F1_FLOOR, (total, "\n" + accuracy.table(run))


def test_matcher_beats_title_baseline(run: accuracy.Run) -> None:
    matcher = accuracy.micro([p.matcher for p in run.constructed()])
    base = accuracy.micro([p.baseline for p in run.constructed()])
    assert matcher["f1"] > base["f1"], accuracy.table(run)
