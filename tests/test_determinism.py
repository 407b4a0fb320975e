"""The same inputs give the same bytes, whatever the interpreter's hash seed (sets and dicts of
strings iterate in a seed-dependent order: every order users see must come from a sort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _json(tmp_path: Path, national: Path, province: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "ALIGNER_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
    done = subprocess.run([sys.executable, "-m", "aligner", str(national), str(province), "-f", "json"],
                          capture_output=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    return done.stdout


@pytest.mark.parametrize("pair", [
    ("plans/national.txt", "plans/qinghai.txt"),
    ("../shared/corpus/jienengfa_national.txt", "../shared/corpus/jienengfa_beijing.txt"),  # articles
])
def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path, pair: tuple[str, str]) -> None:
    national, province = (ROOT / p for p in pair)
    if not province.exists():
        pytest.skip("../shared/corpus is absent")
    assert _json(tmp_path, national, province, "1") == _json(tmp_path, national, province, "2")
