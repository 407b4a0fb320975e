"""Regulation timings as ratios to the example-plan pair, measured in the same run (issue 13).

    python bench/articles.py              # median of 5 whole `align` runs per case
    python bench/articles.py --repeat 9

Cases: the example plans (plans/national.txt vs plans/qinghai.txt), one regulation pair
(优化营商环境条例 → 山东省条例) and the six-province batch, all from ../shared/corpus (skipped when it
is absent). Each runs the real command in a subprocess after one untimed warm-up; output goes to
/dev/null; the user cache is a private temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PROVINCES = ("shandong", "beijing", "henan", "chongqing", "shanghai", "guangdong")


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "aligner", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    national = str(CORPUS / "yingshang_national.txt")
    cases = {"example plans": ["plans/national.txt", "plans/qinghai.txt", "-f", "json"]}
    if CORPUS.exists():
        cases["regulation pair"] = [national, str(CORPUS / "yingshang_shandong.txt"), "-f", "json"]
        cases["six-province batch"] = [national, *(str(CORPUS / f"yingshang_{p}.txt") for p in PROVINCES), "-f", "json"]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "ALIGNER_CACHE_DIR": cache, "NO_COLOR": "1"}
        medians = {}
        for name, args in cases.items():
            _run(args, env)  # warm-up: dictionary index, byte code, prepared national plan
            medians[name] = statistics.median(_run(args, env) for _ in range(repeat))
    base = medians["example plans"]
    print(f"| case | median of {repeat} (s) | ratio to example plans |")
    print("| --- | ---: | ---: |")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds:.2f} | {seconds / base:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
