"""Shared helpers for the CLI tests: copies of the real plans and an in-process `align` runner,
and a private cache folder for the whole session, so tests never read or write ~/.cache/aligner.

The runner calls `aligner.cli.main` exactly as the console script does (argument rewriting,
logging set-up, last-resort error handling included), so a test sees what a user sees; it is
in-process because starting Python and loading the segmenter per run would make the suite slow.
Only a few tests start a real subprocess, for what needs one (pipes, ttys, hash seeds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aligner.cli import main

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "plans" / "national.txt"
QINGHAI = REPO / "plans" / "qinghai.txt"
PARTIAL = REPO / "tests" / "fixtures" / "partial"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """ALIGNER_CACHE_DIR for every test: an environment variable rather than a monkeypatch, so the
    subprocesses some tests start inherit it too. Tests that need their own folder set it again."""
    folder = tmp_path_factory.mktemp("aligner-cache")
    old = os.environ.get("ALIGNER_CACHE_DIR")
    os.environ["ALIGNER_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("ALIGNER_CACHE_DIR", None)
    else:
        os.environ["ALIGNER_CACHE_DIR"] = old


@dataclass(frozen=True)
class Run:
    """What one `align` run produced."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh current directory holding copies of the plans, so default `reports/` lands here."""
    for source in (NATIONAL, QINGHAI, *sorted(PARTIAL.glob("*.txt"))):
        shutil.copyfile(source, tmp_path / source.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def align(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `align ARGS…` in-process through the real entry point and capture its output."""

    def run(*args: object) -> Run:
        monkeypatch.setattr(sys, "argv", ["align", *map(str, args)])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = _exit_code(stop.code)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_module(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m aligner ARGS…` in a real process (bytes out, so encodings are checked too)."""
    environment = {**os.environ, **(env or {})}
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "aligner", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )


def files_under(folder: Path) -> set[str]:
    """Every file below a folder, relative, to compare before and after a run."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def align_in_english(align: Callable[..., Run]) -> Callable[..., Run]:
    """`align` with `--lang en` added to every comparison, for tests that pin the CLI's mechanics on
    its English wording (tests/test_chinese.py covers the default, Chinese, reports)."""

    def run(*args: object) -> Run:
        words = [str(a) for a in args]
        plain = words[:1] != ["outline"] and not {"--help", "-h", "--version"} & set(words) and "--lang" not in words
        return align(*args, *(["--lang", "en"] if plain and words else []))

    return run
