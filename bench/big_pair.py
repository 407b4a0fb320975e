"""One very large national × provincial pair: is matching bounded in time and memory?

    python bench/big_pair.py                     # 3,000 × 3,000 tasks; also the two reference pairs
    python bench/big_pair.py --tasks 300 --skip-reference
    python bench/big_pair.py --repeat 5          # reference pairs: median of 5 (the default)

Writes bench/out/big/national-N.txt and province-N.txt (gitignored), made from the task titles and
bodies of the real plans in this repository (plans/national.txt, plans/qinghai.txt and the
constructed provinces in tests/fixtures/provinces/), recombined at random with a fixed seed:

- each national task's title joins the front of one real title to the back of another, its body is
  two to four sentences drawn from all real bodies;
- about 60 % of the provincial tasks carry out a national one (its title, a synonym swapped now and
  then, and some of its body sentences with one sentence of another task), the rest are recombined
  like the national ones (provincial additions);
- tasks are numbered 1. … 10. under （一）… （六） under 一、 … 五十、, as real plans are.

Then it runs the installed `align NATIONAL PROVINCE --format json` in a subprocess and prints the wall
time, the CPU time and the peak RSS of the child (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss, in a fresh
interpreter per run so the figure is that run's). The reference pairs (national × qinghai, and the
regulation pair yingshang_national × yingshang_shandong from ../shared/corpus when present) are timed
the same way, median of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "big"
SHARED = ROOT.parent / "shared"
SOURCES = [ROOT / "plans" / "national.txt", ROOT / "plans" / "qinghai.txt",
           *sorted((ROOT / "tests" / "fixtures" / "provinces").glob("*.txt"))]
SYNONYMS = [("推进", "推动"), ("加强", "强化"), ("完善", "健全"), ("提升", "提高"), ("促进", "推动")]
DIGITS = "一二三四五六七八九"
ACTIONS, SECTIONS = 50, 6  # × tasks per section (computed) = the number of tasks


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 50 → 五十 (enough for numbering actions)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens - 1] + "十")
    return head + (DIGITS[ones - 1] if ones else "")


def real_clauses() -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(title, body sentences) of every task and measure of the real plans, and their action
    titles, in simplified script."""
    sys.path.insert(0, str(ROOT))
    from aligner.model import Kind
    from aligner.pipeline import load_plan

    tasks, actions = [], []
    for path in SOURCES:
        plan = load_plan(path)
        actions += [c.title for c in plan.of_kind(Kind.ACTION)]
        for clause in plan.of_kind(Kind.TASK, Kind.MEASURE):
            sentences = [s + "。" for s in re.split(r"[。；;]", clause.text) if len(s) >= 6]
            if len(clause.title) >= 4 and sentences:
                tasks.append((clause.title.rstrip("。"), sentences))
    return tasks, sorted(set(actions))


def recombined(rng: random.Random, tasks: list[tuple[str, list[str]]], sentences: list[str]) -> tuple[str, list[str]]:
    first, second = rng.choice(tasks)[0], rng.choice(tasks)[0]
    title = first[: max(2, len(first) // 2)] + second[len(second) // 2 :]
    return title, rng.sample(sentences, rng.randint(2, 4))


def reworded(rng: random.Random, task: tuple[str, list[str]], sentences: list[str]) -> tuple[str, list[str]]:
    title, body = task
    for a, b in SYNONYMS:
        if a in title and rng.random() < 0.3:
            title = title.replace(a, b)
    kept = rng.sample(body, max(1, len(body) - rng.randint(0, 1)))
    return title, kept + [rng.choice(sentences)]


def plan_text(heading: str, tasks: list[tuple[str, list[str]]], actions: list[str]) -> str:
    per_section = -(-len(tasks) // (ACTIONS * SECTIONS))
    lines, it = [heading], iter(tasks)
    for a in range(1, ACTIONS + 1):
        lines.append(f"{chinese_number(a)}、{actions[(a - 1) % len(actions)]}")
        for s in range(1, SECTIONS + 1):
            lines.append(f"（{chinese_number(s)}）重点任务")
            for t in range(1, per_section + 1):
                task = next(it, None)
                if task is None:
                    return "\n".join(lines) + "\n"
                lines.append(f"{t}. {task[0]}。{''.join(task[1])}")
    return "\n".join(lines) + "\n"


def make_pair(n_tasks: int, seed: int) -> tuple[Path, Path]:
    rng = random.Random(seed)
    tasks, actions = real_clauses()
    sentences = sorted({s for _, body in tasks for s in body})
    national = [recombined(rng, tasks, sentences) for _ in range(n_tasks)]
    province = [reworded(rng, rng.choice(national), sentences) if rng.random() < 0.6 else
                recombined(rng, tasks, sentences) for _ in range(n_tasks)]
    OUT.mkdir(parents=True, exist_ok=True)
    n_path, p_path = OUT / f"national-{n_tasks}.txt", OUT / f"province-{n_tasks}.txt"
    n_path.write_text(plan_text("某某五年行动计划", national, rng.sample(actions, len(actions))), encoding="utf-8")
    p_path.write_text(plan_text("某省实施方案", province, rng.sample(actions, len(actions))), encoding="utf-8")
    return n_path, p_path


_CHILD = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.returncode, len(done.stdout))
"""


def run_align(national: Path, province: Path) -> tuple[float, float, float, int, int]:
    """Wall and CPU seconds, peak RSS in MB, exit status and output size of one `align … --format json`."""
    command = [sys.executable, "-c", _CHILD, "align", str(national), str(province), "--format", "json"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1"}
    wall, cpu, rss, code, size = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout.split()
    return float(wall), float(cpu), int(rss) / 1024, int(code), int(size)


def median_run(national: Path, province: Path, repeat: int) -> tuple[float, float, float]:
    """Median wall and CPU seconds, and the largest peak RSS in MB, of `repeat` runs after a warm-up."""
    run_align(national, province)  # warm-up: byte-code and dictionary-index caches
    runs = [run_align(national, province) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=3000, help="tasks in each plan of the large pair")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each reference pair (median)")
    parser.add_argument("--skip-reference", action="store_true", help="only the large pair")
    args = parser.parse_args()

    national, province = make_pair(args.tasks, args.seed)
    wall, cpu, rss, code, size = run_align(national, province)
    print(f"large pair {args.tasks} × {args.tasks} tasks: {wall:.1f} s wall, {cpu:.1f} s CPU, {rss:.0f} MB peak RSS "
          f"(exit {code}, {size / 1e6:.1f} MB of JSON)")
    if args.skip_reference:
        return
    pairs = [("example pair national × qinghai", ROOT / "plans" / "national.txt", ROOT / "plans" / "qinghai.txt")]
    regulation = SHARED / "corpus" / "yingshang_national.txt", SHARED / "corpus" / "yingshang_shandong.txt"
    if all(p.exists() for p in regulation):
        pairs.append(("regulation pair yingshang national × shandong", *regulation))
    for label, n, p in pairs:
        wall, cpu, rss = median_run(n, p, args.repeat)
        print(f"{label}: {wall:.3f} s wall, {cpu:.3f} s CPU (medians of {args.repeat}), {rss:.0f} MB peak RSS")
    print(json.dumps({"load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
