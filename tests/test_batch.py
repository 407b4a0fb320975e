"""A batch over the eight constructed provincial plans: one report each and the matrix in every format."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import NATIONAL, REPO

PROVINCES = REPO / "tests" / "fixtures" / "provinces"
NAMES = {"安徽", "广西", "河南", "江西", "陕西", "四川", "云南", "浙江"}


def _national_task_count() -> int:
    from aligner.model import Kind
    from aligner.pipeline import load_plan

    return len(load_plan(NATIONAL).of_kind(Kind.TASK))


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "xlsx"])
def test_batch_writes_a_report_per_province_and_the_matrix(tmp_path: Path, align, fmt: str) -> None:
    out = tmp_path / "out"
    run = align(str(NATIONAL), str(PROVINCES), "--format", fmt, "-o", str(out), "--jobs", "2")
    assert run.code == 0, run.err
    reports = {p.stem for p in out.glob(f"*.{fmt}")} - {"matrix"}
    assert reports == NAMES  # provinces named from their plan titles
    assert (out / "matrix.html").is_file()
    matrix_html = (out / "matrix.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert name in matrix_html
    if fmt == "md":
        table = [line for line in (out / "matrix.md").read_text(encoding="utf-8").splitlines() if line.startswith("|")]
        header = table[0]
        assert all(name in header for name in NAMES)
        widths = {line.replace("\\|", "").count("|") for line in table}
        assert len(widths) == 1  # every row has the header's columns
    if fmt == "xlsx":
        from openpyxl import load_workbook

        rows = [list(r) for r in load_workbook(out / "matrix.xlsx").worksheets[0].iter_rows(values_only=True)]
        assert set(rows[0]) >= NAMES
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO((out / "matrix.csv").read_text(encoding="utf-8-sig"))))
        assert set(rows[0]) >= NAMES
        assert len(rows) - 1 >= _national_task_count()


def test_batch_terminal_matrix_and_json(align) -> None:
    run = align(str(NATIONAL), str(PROVINCES), "--jobs", "2")
    assert run.code == 0, run.err
    for name in NAMES:
        assert name in run.out
    run = align(str(NATIONAL), str(PROVINCES), "--format", "json", "--jobs", "2")
    document = json.loads(run.out)
    assert {p["name"] for p in document["provinces"]} == NAMES
    assert all(p["links"] for p in document["provinces"])


def test_matrix_html_is_well_formed(tmp_path: Path, align) -> None:
    out = tmp_path / "out"
    align(str(NATIONAL), str(PROVINCES), "--format", "html", "-o", str(out))
    ids: set[str] = set()
    hrefs: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            assert tag != "script"
            if values.get("id"):
                ids.add(values["id"] or "")
            if (values.get("href") or "").startswith("#"):
                hrefs.append((values["href"] or "")[1:])

    Collect().feed((out / "matrix.html").read_text(encoding="utf-8"))
    assert all(h in ids for h in hrefs)
