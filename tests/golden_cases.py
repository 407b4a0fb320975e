"""Whole-report golden cases: every output format for the example pair and one batch.

Each case is a real `align` run (a subprocess, so nothing in-process can leak between cases)
whose whole output is compared with a file under tests/golden/. They pin behaviour so a
refactor shows exactly what it changed. Regenerate on purpose only:

    python scripts/update_golden.py          # rewrites tests/golden/, then review `git diff tests/golden`
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
NATIONAL = "plans/national.txt"
QINGHAI = "plans/qinghai.txt"
PROVINCES = "tests/fixtures/provinces"


def _env(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES")}
    # SOURCE_DATE_EPOCH: the provenance date of every report (2024-01-01), so golden files stay byte-stable.
    env.update(NO_COLOR="1", ALIGNER_CACHE_DIR=cache, PYTHONHASHSEED="0", TERM="dumb", SOURCE_DATE_EPOCH="1704067200")
    return env


def run_align(args: list[str], cache: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m aligner ARGS` from the repository root, piped (so width 80, no colour)."""
    return subprocess.run([sys.executable, "-m", "aligner", *args], cwd=REPO, env=_env(cache),
                          capture_output=True, timeout=300, check=False)


def xlsx_values(data: bytes) -> str:
    """Every sheet's cell values as JSON text: what a user sees in Excel, without the zip's bytes."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    return json.dumps(sheets, ensure_ascii=False, indent=1, default=str) + "\n"


def _folder_texts(folder: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            name = path.relative_to(folder).as_posix()
            if name.endswith(".xlsx"):
                out[name + ".values.json"] = xlsx_values(data).encode()
            else:
                out[name] = data
    return out


@dataclass(frozen=True)
class Case:
    """One run; `files` maps golden file names to the bytes it produced."""

    name: str
    args: list[str]
    writes: str | None = None  # "file:<ext>" or "folder": the output goes to -o instead of stdout

    def produce(self, cache: str) -> dict[str, bytes]:
        with tempfile.TemporaryDirectory() as tmp:
            args = list(self.args)
            target: Path | None = None
            if self.writes == "folder":
                target = Path(tmp) / "out"
                args += ["-o", str(target)]
            elif self.writes:
                target = Path(tmp) / f"report.{self.writes}"
                args += ["-o", str(target)]
            done = run_align(args, cache)
            out: dict[str, bytes] = {
                f"{self.name}/exit.txt": f"{done.returncode}\n".encode(),
                f"{self.name}/stderr.txt": done.stderr.replace(tmp.encode(), b"TMP"),
            }
            if done.stdout:
                out[f"{self.name}/stdout.txt"] = done.stdout
            if target is not None and target.is_dir():
                out.update({f"{self.name}/{k}": v for k, v in _folder_texts(target).items()})
            elif target is not None and target.exists():
                data = target.read_bytes()
                key = f"{self.name}/report.{self.writes}"
                if self.writes == "xlsx":
                    out[key + ".values.json"] = xlsx_values(data).encode()
                else:
                    out[key] = data
            return out


CASES: list[Case] = [
    Case("pair-terminal", [NATIONAL, QINGHAI]),
    Case("pair-terminal-explain", [NATIONAL, QINGHAI, "--explain"]),
    Case("pair-terminal-traditional", [NATIONAL, QINGHAI, "--script", "traditional"]),
    Case("pair-terminal-en", [NATIONAL, QINGHAI, "--lang", "en"]),
    Case("pair-md-en-original", [NATIONAL, QINGHAI, "-f", "md", "--lang", "en", "--script", "original"], writes="md"),
    Case("pair-md", [NATIONAL, QINGHAI, "-f", "md"], writes="md"),
    Case("pair-md-explain-simplified", [NATIONAL, QINGHAI, "-f", "md", "--explain", "--script", "simplified"], writes="md"),
    Case("pair-json", [NATIONAL, QINGHAI, "-f", "json"]),
    Case("pair-csv", [NATIONAL, QINGHAI, "-f", "csv"]),
    Case("pair-xlsx", [NATIONAL, QINGHAI, "-f", "xlsx"], writes="xlsx"),
    Case("pair-html", [NATIONAL, QINGHAI, "-f", "html"], writes="html"),
    Case("batch-terminal", [NATIONAL, PROVINCES]),
    Case("batch-json", [NATIONAL, PROVINCES, "-f", "json"]),
    Case("batch-md", [NATIONAL, PROVINCES, "-f", "md"], writes="folder"),
    Case("batch-csv", [NATIONAL, PROVINCES, "-f", "csv"], writes="folder"),
    Case("batch-xlsx", [NATIONAL, PROVINCES, "-f", "xlsx"], writes="folder"),
    Case("batch-html", [NATIONAL, PROVINCES, "-f", "html"], writes="folder"),
    Case("outline", ["outline", QINGHAI]),
    Case("outline-json", ["outline", QINGHAI, "--json"]),
]


def produce_all(cache: str, report: Callable[[str], None] = lambda _: None) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for case in CASES:
        report(case.name)
        files.update(case.produce(cache))
    return files
