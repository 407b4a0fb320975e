"""Accuracy of the matcher on the development plan (Qinghai) and the constructed plans (not held out:
the matcher was tuned while looking at them).

Runs bench/accuracy.py's evaluation once (the matcher exactly as `align` runs it, the title-only baseline
for comparison) and scores with bench/score.py against tests/gold/*.json. See bench/accuracy.py for the
table (`python bench/accuracy.py --errors` lists every error).

Figures when these floors were set (matcher as of commit ba795db plus work in progress):
Qinghai F1 1.000, additions F1 0.917, 39/39 tasks; constructed set (8 plans, 206 gold tasks)
micro P 0.941 / R 0.851 / F1 0.894, additions F1 0.769, all tasks found; baseline micro F1 0.697.
Since the fixture-only thesaurus entries moved to plans/example_thesaurus.txt: constructed micro
P 0.989 / R 0.941 / F1 0.965 (0.981 with that example file, 0.942 with an empty thesaurus).
2026-12-03, with body-phrase links: constructed micro P 0.979 / R 0.995 / F1 0.987, additions F1 0.881;
later that day, with a general-titled task linking through its body when no title candidate exists:
P 0.979 / R 1.000 / F1 0.989, additions F1 0.877.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import accuracy  # noqa: E402

# The floor keeps the constructed set's figure (not held out) from sliding back unnoticed.
CONSTRUCTED_MICRO_F1_FLOOR = 0.96  # measured 0.987 on 2026-12-03 (README "Accuracy"); a margin for honest changes
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


def test_the_example_user_thesaurus_is_what_the_fixtures_were_tuned_with() -> None:
    # The fixture vocabulary left the shipped thesaurus; passed as a user file it brings the figure back.
    run = accuracy.evaluate(with_baseline=False, thesaurus=accuracy.load_thesaurus(accuracy.EXAMPLE))
    assert accuracy.micro([p.matcher for p in run.constructed()])["f1"] >= 0.97


def test_the_empty_thesaurus_ablation_is_scored_on_its_own(run: accuracy.Run) -> None:
    ablation = accuracy.evaluate(with_baseline=False, thesaurus=accuracy.Thesaurus())
    empty = accuracy.micro([p.matcher for p in ablation.constructed()])
    shipped = accuracy.micro([p.matcher for p in run.constructed()])
    assert empty["f1"] < shipped["f1"], (empty, shipped)  # the shipped thesaurus still earns its place
    report = accuracy.sections(run, ablation, [], [], [])
    assert "Ablation: empty thesaurus" in report and f"F1 {empty['f1']:.3f}" in report
    assert "held-out" not in report and "held out" not in report


def test_shared_development_sets_are_scored_with_the_shared_scorer() -> None:
    if not accuracy.SCORER.exists():
        pytest.skip("../shared not available")
    dev = dict(accuracy.shared_dev(accuracy.load_thesaurus()))
    assert dev["Qinghai dev"]["f1"] >= 0.95, dev
    assert dev["Qinghai dev"]["tasks_found"] == dev["Qinghai dev"]["tasks_gold"] == 39
    assert dev["Shandong dev"]["f1"] >= 0.90, dev
    assert dev["Shandong dev"]["precision"] >= 0.95, dev


def test_evalset_files_print_only_their_summary_lines_development_and_held_out_apart(tmp_path, monkeypatch) -> None:
    # An evaluation file's figures appear as one line; nothing of its links or tasks is printed.
    m = {"precision": 1.0, "recall": 0.5, "f1": 0.667, "additions_f1": 0.0, "tasks_found": 3, "tasks_gold": 4,
         "tp": 2, "fp": 0, "fn": 2, "rows": [{"task": "SECRET TASK"}]}
    run = accuracy.Run(threshold=0.0, baseline_dev={})
    report = accuracy.sections(run, run, [], [], [("B_demo", m), ("C_prov1", m)])
    assert "B_demo" in report and "F1 0.667" in report and "SECRET" not in report
    development, held_out = report.split("held out")
    assert "B_demo" in development and "C_prov1" not in development and "C_prov1" in held_out
    manifest = tmp_path / "manifest.json"
    manifest.write_text('[{"name": "B_x", "national": "n.txt", "province": "p.txt", "gold": "g.json"},'
                        ' {"name": "other", "national": "n.txt", "province": "p.txt", "gold": "g.json"}]')
    monkeypatch.setattr(accuracy, "EVALSET", tmp_path)
    assert [f[0] for f in accuracy.evalset_files()] == ["B_x", "other"]
    assert accuracy.is_development("B_x") and not accuracy.is_development("other")
