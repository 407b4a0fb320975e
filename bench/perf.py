"""Whole-process timings of the `align` command: single pair, batches, start-up baseline, memory.

    python bench/make_inputs.py                 # once: bench/out/p1, p31, p300, p3000
    python bench/perf.py                        # every case; prints a Markdown table
    python bench/perf.py --cases single p31 --repeat 9
    python bench/perf.py --profile              # also a cProfile of the single pair, summarised
    python bench/perf.py --tree /tmp/before     # run another copy of the package (PYTHONPATH) to compare
    python bench/perf.py --compare-trees /tmp/before /tmp/after --repeat 15   # single pair, interleaved

Each case runs the real command in a subprocess, as a user would, after one untimed warm-up run
(which writes the dictionary index and byte-code caches; the "cold" case measures a first run with an
empty index cache instead). Reported per case: median wall time of the repeats, CPU time (user +
system, the process and its workers), per-province wall time, and memory:

- max RSS: the largest single process (os.wait4 / getrusage of children);
- tree PSS: the sum of proportional set sizes over the whole process tree (parent and pool workers),
  sampled from /proc every 0.1 s (Linux only), its peak and its growth from the first third of the
  run to the last third (a batch that streams should stay flat).

Children run without PYTHONDONTWRITEBYTECODE (as on a normal install, .pyc files are written and
reused) and with NO_COLOR, output to /dev/null unless said otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHARED = ROOT.parent / "shared"
NATIONAL = ROOT / "plans" / "national.txt"
QINGHAI = ROOT / "plans" / "qinghai.txt"
BASELINE_IMPORTS = "import typer, rich, rapidfuzz, opencc"


# ------------------------------------------------------------------------------------------ memory


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(kids.get(p, ()))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB; PSS from smaps_rollup, else RSS for both."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
        return pss or rss, rss
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return rss, rss


class TreeSampler(threading.Thread):
    """Samples the summed memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int, int, int]] = []  # (t, pss kB, rss kB, processes)
        self._halt = threading.Event()
        self.available = os.path.isdir("/proc")

    def run(self) -> None:
        if not self.available:
            return
        start = time.perf_counter()
        while not self._halt.is_set():
            pids = _tree(self.pid)
            pss = rss = 0
            for p in pids:
                a, b = _memory_kb(p)
                pss, rss = pss + a, rss + b
            if rss:
                self.samples.append((time.perf_counter() - start, pss, rss, len(pids)))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def peak_mb(self) -> float | None:
        return max(s[1] for s in self.samples) / 1024 if self.samples else None

    def curve_mb(self, points: int = 10) -> list[float]:
        """Peak PSS within each tenth of the run, in MB: flat for a batch that streams."""
        if len(self.samples) < points:
            return []
        out = []
        for i in range(points):
            part = self.samples[i * len(self.samples) // points : (i + 1) * len(self.samples) // points]
            out.append(round(max(s[1] for s in part) / 1024))
        return out

    def growth_mb(self) -> float | None:
        """Peak over the last third of the run minus peak over the first third (after start-up)."""
        if len(self.samples) < 9:
            return None
        third = len(self.samples) // 3
        first = max(s[1] for s in self.samples[1:third])
        last = max(s[1] for s in self.samples[-third:])
        return (last - first) / 1024


# ------------------------------------------------------------------------------------------ running


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mb: float
    tree_pss_mb: float | None
    growth_mb: float | None
    code: int
    curve_mb: list[float] = field(default_factory=list)


@dataclass
class Result:
    case: str
    provinces: int
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    def median(self, attr: str) -> float | None:
        values = [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]
        return statistics.median(values) if values else None

    def peak(self, attr: str) -> float | None:
        values = [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]
        return max(values) if values else None


def child_env(tree: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "100"
    if tree is not None:
        env["PYTHONPATH"] = str(tree) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if extra:
        env.update(extra)
    return env


def run_once(cmd: list[str], env: dict[str, str], sample: bool, stdout=subprocess.DEVNULL) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=stdout, stderr=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop()
    # ru_maxrss is in kB on Linux, bytes on macOS.
    max_rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, max_rss,
               sampler.peak_mb() if sampler else None, sampler.growth_mb() if sampler else None, proc.returncode,
               sampler.curve_mb() if sampler else [])


def align_cmd() -> list[str]:
    """The installed console script, as users run it (`python -m aligner` would put the current
    folder first on sys.path, and --tree could not take effect)."""
    script = Path(sys.executable).parent / ("align.exe" if os.name == "nt" else "align")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "aligner"]


def measure(case: str, provinces: int, cmd: list[str], env: dict[str, str], repeat: int, warm: bool = True,
            sample: bool = True, prepare=None) -> Result:
    result = Result(case, provinces)
    if warm:
        if prepare:
            prepare()
        run_once(cmd, env, sample=False)
    for _ in range(repeat):
        if prepare:
            prepare()
        run = run_once(cmd, env, sample)
        result.runs.append(run)
        if run.code not in (0, 1):
            result.note = f"exit {run.code}"
    return result


# ------------------------------------------------------------------------------------------ cases


def case_baseline(args, env) -> Result:
    r = measure("baseline: python -c \"" + BASELINE_IMPORTS + "\"", 0,
                [sys.executable, "-c", BASELINE_IMPORTS], env, args.repeat, sample=False)
    return r


def case_single(args, env) -> Result:
    cmd = [*align_cmd(), str(NATIONAL), str(QINGHAI)]
    return measure("single: national × qinghai (terminal)", 1, cmd, env, args.repeat)


def case_single_json(args, env) -> Result:
    cmd = [*align_cmd(), str(NATIONAL), str(QINGHAI), "--format", "json"]
    return measure("single: national × qinghai (json)", 1, cmd, env, args.repeat)


def case_cold(args, env) -> Result:
    """A first run on a machine: the dictionary index is built (once per jieba installation)."""
    folder = Path(tempfile.mkdtemp(prefix="aligner-cold-"))
    cold_env = dict(env, ALIGNER_CACHE_DIR=str(folder / "cache"))

    def empty() -> None:
        shutil.rmtree(folder / "cache", ignore_errors=True)

    cmd = [*align_cmd(), str(NATIONAL), str(QINGHAI)]
    try:
        return measure("single, first run (empty index cache)", 1, cmd, cold_env, max(1, args.repeat // 2),
                       warm=False, prepare=empty)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def case_batch(size: int):
    def run(args, env) -> Result:
        folder = OUT / f"p{size}"
        if not folder.is_dir():
            raise SystemExit(f"{folder} missing: run python bench/make_inputs.py first")
        reports = OUT / f"reports-p{size}"

        def clean() -> None:
            shutil.rmtree(reports, ignore_errors=True)

        cmd = [*align_cmd(), str(NATIONAL), str(folder), "--format", "csv", "-o", str(reports)]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        repeat = args.repeat if size <= 31 else 1
        return measure(f"batch: {size} province{'s' if size > 1 else ''} (csv -o dir)", size, cmd, env, repeat,
                       warm=size <= 300, prepare=clean)

    return run


CASES = {
    "baseline": case_baseline,
    "single": case_single,
    "single-json": case_single_json,
    "cold": case_cold,
    "p1": case_batch(1),
    "p31": case_batch(31),
    "p300": case_batch(300),
    "p3000": case_batch(3000),
}


# ------------------------------------------------------------------------------------------ reporting


def _fmt(value: float | None, pattern: str) -> str:
    return "–" if value is None else format(value, pattern)


def table(results: list[Result], baseline: float | None) -> str:
    lines = ["| case | provinces | wall s (median) | × baseline | CPU s | per province ms | max RSS MB | "
             "tree PSS MB (peak) | PSS growth MB | runs |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        wall = r.median("wall")
        ratio = wall / baseline if baseline and wall is not None and r.case.startswith("single") else None
        per = wall / r.provinces * 1000 if wall is not None and r.provinces else None
        lines.append(
            f"| {r.case}{' (' + r.note + ')' if r.note else ''} | {r.provinces or '–'} | {_fmt(wall, '.3f')} | "
            f"{_fmt(ratio, '.1f')} | {_fmt(r.median('cpu'), '.2f')} | {_fmt(per, '.0f')} | "
            f"{_fmt(r.peak('max_rss_mb'), '.0f')} | {_fmt(r.peak('tree_pss_mb'), '.0f')} | "
            f"{_fmt(r.peak('growth_mb') if r.case.startswith('batch') else None, '+.0f')} | {len(r.runs)} |"
        )
    curves = [(r.case, r.runs[-1].curve_mb) for r in results if r.case.startswith("batch") and r.runs and
              r.runs[-1].curve_mb]
    if curves:
        lines += ["", "Tree PSS (MB), peak within each tenth of the run (last run of each case):", ""]
        lines += [f"- {case}: {' '.join(str(v) for v in curve)}" for case, curve in curves]
    return "\n".join(lines)


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}, load average {load:.2f} at start")


# ------------------------------------------------------------------------------------------ profile


def profile(env: dict[str, str], label: str = "", top: int = 25) -> str:
    """cProfile of the single pair: the heaviest functions, and own time grouped by where the code lives."""
    import pstats

    OUT.mkdir(parents=True, exist_ok=True)
    prof = OUT / f"single{label}.prof"
    runner = OUT / "_profile_align.py"
    runner.write_text("import sys\nfrom aligner.cli import main\nsys.argv[0] = 'align'\nmain()\n")
    # cwd is bench/out: `python -m` puts the current folder first on sys.path, and the package
    # must come from the install (or --tree), as for the timed runs.
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), str(runner), str(NATIONAL), str(QINGHAI)],
                   env=env, cwd=OUT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    stats = pstats.Stats(str(prof))
    groups: dict[str, float] = {}
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        groups[_group(filename, name)] = groups.get(_group(filename, name), 0.0) + tottime
    total = sum(groups.values())
    out = [f"cProfile of `align plans/national.txt plans/qinghai.txt` (profiled total {total:.2f} s; "
           "the profiler roughly doubles the run time)", "", "Own time by where the code lives:", ""]
    for name, t in sorted(groups.items(), key=lambda kv: -kv[1])[:15]:
        out.append(f"  {t:7.3f} s  {100 * t / total:5.1f} %  {name}")
    import io

    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(str(prof), stream=buffer).strip_dirs().sort_stats(key).print_stats(top)
        text = buffer.getvalue()
        out += ["", f"Top {top} by {key}:", text[text.find("   ncalls") :].rstrip()]
    report = "\n".join(out) + "\n"
    (OUT / f"profile-single{label}.txt").write_text(report, encoding="utf-8")
    return report


def _group(filename: str, name: str) -> str:
    path = filename.replace("\\", "/")
    if path == "~":  # C functions: by name (marshal.load, compile, re's compiler show up here)
        return "builtin: " + name.strip("{}<>").replace("built-in method ", "").replace("method ", "")
    if "/aligner/" in path:
        return "aligner/" + path.split("/aligner/", 1)[1]
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    if "<frozen" in path or "/importlib/" in path:
        return "import machinery"
    return "stdlib: " + Path(path).stem


# ------------------------------------------------------------------------------------------ main


def accuracy(env: dict[str, str]) -> str:
    scorer = SHARED / "tools" / "score_alignment.py"
    gold = SHARED / "gold" / "qinghai_interp.json"
    if not scorer.is_file() or not gold.is_file():
        return "accuracy: ../shared/tools/score_alignment.py or the gold file not found; skipped"
    with tempfile.NamedTemporaryFile("w+", suffix=".json", delete=False) as f:
        out = Path(f.name)
    try:
        with open(out, "w") as f:
            subprocess.run([*align_cmd(), str(NATIONAL), str(QINGHAI), "--format", "json"], env=env, cwd=ROOT,
                           stdout=f, stderr=subprocess.DEVNULL, check=False)
        score = subprocess.run([sys.executable, str(scorer), str(out), str(gold)], capture_output=True, text=True,
                               check=False)
        return "accuracy (qinghai gold): " + score.stdout.strip()
    finally:
        out.unlink(missing_ok=True)


def _forget_provinces() -> None:
    """Remove the provincial plans single runs keep in the user cache (aligner.cache; the children
    inherit this process's environment, so the same folder), so the next run reads, cleans and
    parses its province as for a file it has not seen."""
    from aligner.cache import cache_dir

    folder = cache_dir()
    for entry in folder.glob("province-*.json") if folder and folder.is_dir() else ():
        entry.unlink(missing_ok=True)


def compare_trees(trees: list[Path], repeat: int) -> str:
    """The single pair and the baseline, run round-robin over package copies: on a shared machine
    the load changes minute to minute, and interleaving spreads it evenly over the versions. Each
    tree runs terminal, -f json, and -f json with the provincial plan removed from the user cache."""
    labels = ["baseline"]
    cmds = [([sys.executable, "-c", BASELINE_IMPORTS], child_env(None))]
    fresh: set[str] = set()  # runs whose province is not in the user cache (a file not aligned before)
    for t in trees:  # the terminal report (the default) and -f json, which needs neither rich nor s2t
        for label, extra in ((t.name, []), (f"{t.name} -f json", ["--format", "json"]),
                             (f"{t.name} -f json, province not cached", ["--format", "json"])):
            labels.append(label)
            cmds.append(([*align_cmd(), str(NATIONAL), str(QINGHAI), *extra], child_env(t)))
            if label.endswith("not cached"):
                fresh.add(label)
    for cmd, env in cmds:  # warm-up: byte-code and index caches
        run_once(cmd, env, sample=False)
    walls: dict[str, list[float]] = {label: [] for label in labels}
    cpus: dict[str, list[float]] = {label: [] for label in labels}
    for _ in range(repeat):
        for label, (cmd, env) in zip(labels, cmds):
            if label in fresh:
                _forget_provinces()
            run = run_once(cmd, env, sample=False)
            walls[label].append(run.wall)
            cpus[label].append(run.cpu)
    base = statistics.median(walls["baseline"])
    lines = ["| single pair, round-robin | wall s (median) | min | max | × baseline | CPU s (median) |",
             "|---|---:|---:|---:|---:|---:|"]
    for label in labels:
        w = walls[label]
        lines.append(f"| {label} | {statistics.median(w):.3f} | {min(w):.3f} | {max(w):.3f} | "
                     f"{statistics.median(w) / base:.2f} | {statistics.median(cpus[label]):.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--repeat", type=int, default=7, help="runs per case for the single pair and small batches")
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for batches (default: the CLI's own default)")
    parser.add_argument("--tree", type=Path, help="a folder holding another copy of the aligner package to run")
    parser.add_argument("--profile", action="store_true", help="also profile the single pair (cProfile)")
    parser.add_argument("--no-accuracy", action="store_true", help="skip the accuracy check against the gold file")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--compare-trees", type=Path, nargs="+", metavar="TREE",
                        help="only time the single pair (and the baseline) round-robin over these package copies")
    args = parser.parse_args(argv)
    if args.compare_trees:
        print(machine())
        print()
        print(compare_trees(args.compare_trees, args.repeat))
        return 0

    env = child_env(args.tree)
    print(machine())
    if args.tree:
        print(f"package from {args.tree}")
    results: list[Result] = []
    baseline = None
    for name in args.cases:
        result = CASES[name](args, env)
        if name == "baseline":
            baseline = result.median("wall")
        results.append(result)
        print(f"  {result.case}: {_fmt(result.median('wall'), '.3f')} s", file=sys.stderr, flush=True)
    print()
    print(table(results, baseline))
    if not args.no_accuracy:
        print()
        print(accuracy(env))
    if args.profile:
        print()
        print(profile(env, f"-{args.tree.name}" if args.tree else ""))
    if args.json:
        args.json.write_text(json.dumps([{"case": r.case, "provinces": r.provinces, "note": r.note,
                                          "runs": [vars(x) for x in r.runs]} for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
