"""An analyst's decisions (issue 15): review sheet out, decisions in, every report follows.

Each "What it must show" item of the issue is a test here, on the real example pair.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aligner import align as align_api
from aligner.decisions import Decision, Decisions, apply, load, parse_rows, resolve
from aligner.errors import InputError
from aligner.report.view import numbering

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "plans" / "national.txt"
QINGHAI = REPO / "plans" / "qinghai.txt"
PROVINCES = REPO / "tests" / "fixtures" / "provinces"

Json = dict[str, Any]


def _province(run_out: str) -> Json:
    document = json.loads(run_out)
    assert len(document["provinces"]) == 1
    province: Json = document["provinces"][0]
    return province


@pytest.fixture(scope="module")
def baseline() -> Json:
    done = subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), str(QINGHAI), "-f", "json"],
                          capture_output=True, text=True, check=True, cwd=REPO)
    return _province(done.stdout)


def _choice(p: Json) -> tuple[Json, str, str]:
    """A link that is its national task's only counterpart (rejecting it makes a gap), an
    addition, and another national task to link that addition to."""
    counts = Counter(link["national"] for link in p["links"])
    task_ids = {c["national"] for c in p["coverage"]}
    rejected = next(l for l in p["links"] if counts[l["national"]] == 1 and l["national"] in task_ids
                    and sum(1 for m in p["links"] if m["province"] == l["province"]) == 1)
    target = next(c["national"] for c in p["coverage"] if c["national"] != rejected["national"])
    return rejected, p["additions"][0], target


def _write_csv(path: Path, rows: list[list[str]], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def _pairs(links: list[Json]) -> set[tuple[str, str]]:
    return {(l["province"], l["national"]) for l in links}


def _check_applied(before: Json, after: Json, rejected: Json, addition: str, target: str) -> None:
    pair = (rejected["province"], rejected["national"])
    assert pair not in _pairs(after["links"])
    assert [(l["province"], l["national"], l["decision"]) for l in after["rejected"]] == [(*pair, "reject")]
    added = [l for l in after["links"] if (l["province"], l["national"]) == (addition, target)]
    assert len(added) == 1 and added[0]["decision"] == "add"
    assert all(l["decision"] is None for l in after["links"] if l is not added[0])
    # coverage and additions follow: the rejected link's task is a gap, the addition is linked
    status = {c["national"]: c for c in after["coverage"]}
    assert status[rejected["national"]]["status"] == "gap"
    assert {c["national"]: c["status"] for c in before["coverage"]}[rejected["national"]] != "gap"
    assert addition in status[target]["counterparts"]
    assert addition not in after["additions"] and addition in before["additions"]
    assert rejected["province"] in after["additions"]
    assert after["summary"] != before["summary"]


def test_csv_by_json_ids_rejects_and_adds(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    rejected, addition, target = _choice(baseline)
    decisions = _write_csv(workdir / "d.csv", [["provincial", "national", "decision"],
                                               [rejected["province"], rejected["national"], "reject"],
                                               [addition, target, "add"]])
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", decisions)
    assert run.code == 0, run.err
    _check_applied(baseline, _province(run.out), rejected, addition, target)


def test_without_decisions_the_json_has_no_decision_keys(baseline: Json) -> None:
    assert "rejected" not in baseline and all("decision" not in l for l in baseline["links"])


def _labels() -> tuple[Any, Any]:
    alignment = align_api(NATIONAL, QINGHAI).alignments[0]
    return alignment, (alignment.province.by_id(), alignment.national.by_id())


def test_csv_by_numbering_as_reports_show_it(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    rejected, addition, target = _choice(baseline)
    _, (p_index, n_index) = _labels()
    p_of, n_of = p_index[rejected["province"]], n_index[rejected["national"]]
    # Inline items (一是、二是 …) share a numbering: the title column tells them apart.
    rows = [["省级条款", "省级标题", "国家条款", "决定"],
            [numbering(p_of, p_index), p_of.title, numbering(n_of, n_index), "否决"],
            [numbering(p_index[addition], p_index), p_index[addition].title, numbering(n_index[target], n_index), "新增"]]
    assert re.search(r"[一二三四五六七八九十]、", rows[1][2])  # a numbering, not an id
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", _write_csv(workdir / "n.csv", rows))
    assert run.code == 0, run.err
    _check_applied(baseline, _province(run.out), rejected, addition, target)


def test_numbering_with_its_line_and_exact_title_resolve() -> None:
    alignment, (_, n_index) = _labels()
    national = alignment.national
    clause = n_index[alignment.coverage[0].national]
    candidates = [n_index[c.national] for c in alignment.coverage]
    assert resolve(f"{numbering(clause, n_index)}（第{clause.line}行）", national, candidates) == (clause, "")
    assert resolve(f"{numbering(clause, n_index)} (line {clause.line})", national, candidates) == (clause, "")
    assert resolve(clause.title, national, candidates) == (clause, "")
    assert resolve("九十九、", national, candidates) == (None, "unknown")


def test_an_inline_item_is_named_by_its_place_as_reports_show_it() -> None:
    from aligner.report.messages import Catalogue
    from aligner.report.view import clause_label

    alignment, (p_index, _) = _labels()
    province = alignment.province
    candidates = [c for c in province.clauses if c.kind.value == "task"]
    second = next(c for c in candidates if "第2项" in clause_label(c, p_index, Catalogue("zh")))
    shown = clause_label(second, p_index, Catalogue("zh"))  # 四、二是第2项（第14行）
    assert resolve(shown, province, candidates) == (second, "")
    assert resolve(clause_label(second, p_index, Catalogue("en")), province, candidates) == (second, "")
    assert resolve(numbering(second, p_index), province, candidates) == (None, "ambiguous")


def test_xlsx_from_review_with_filled_cells(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    run = align("national.txt", "qinghai.txt", "-f", "review", "-o", "review.xlsx")
    assert run.code == 0, run.err
    book = load_workbook(workdir / "review.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["省份", "省级条款", "省级标题", "国家条款"] and "决定" in header and "备注" in header
    rows = list(sheet.iter_rows(min_row=2))
    col = {name: header.index(name) for name in ("省级条款", "国家条款", "关系", "匹配度", "决定", "备注")}
    # doubtful first: partial links by rising score, then additions (no national clause) last
    scores = [float(r[col["匹配度"]].value) for r in rows if r[col["匹配度"]].value]
    assert scores[:2] == sorted(scores[:2]) and rows[0][col["关系"]].value == "部分"
    assert rows[-1][col["国家条款"]].value in (None, "")
    assert len(rows) == len(baseline["links"]) + len(baseline["additions"])
    first, last = rows[0], rows[-1]
    first[col["决定"]].value = "否决"
    first[col["备注"]].value = "不是同一项任务"
    target = next(r for r in rows if r[col["国家条款"]].value and r[col["国家条款"]].value != first[col["国家条款"]].value)
    last[col["国家条款"]].value = target[col["国家条款"]].value
    last[col["决定"]].value = "新增"
    book.save(workdir / "review.xlsx")
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", "review.xlsx")
    assert run.code == 0, run.err
    after = _province(run.out)
    assert len(after["rejected"]) == 1 and after["rejected"][0]["note"] == "不是同一项任务"
    assert len(after["links"]) == len(baseline["links"])  # one rejected, one added
    assert [l["decision"] for l in after["links"]].count("add") == 1
    assert len(after["additions"]) <= len(baseline["additions"])
    assert not [w for w in after["warnings"] if w["code"] == "stale-decision"]


def test_review_csv_round_trip_with_bom_and_chinese_words(workdir, align) -> None:  # type: ignore[no-untyped-def]
    run = align("national.txt", "qinghai.txt", "-f", "review", "-o", "review.csv")
    assert run.code == 0, run.err
    data = (workdir / "review.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    rows[1][8], rows[2][8] = "采纳", "确认"
    _write_csv(workdir / "review.csv", rows, bom=True)
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", "review.csv")
    assert run.code == 0, run.err
    assert [l["decision"] for l in _province(run.out)["links"]].count("accept") == 2
    md = align("national.txt", "qinghai.txt", "-f", "md", "-o", "q.md", "--decisions", "review.csv")
    assert md.code == 0, md.err
    text = (workdir / "q.md").read_text(encoding="utf-8")
    assert text.count("（人工确认）") >= 2 and "其中人工确认2条、人工新增0条、人工否决0条" in text
    en = align("national.txt", "qinghai.txt", "--lang", "en", "--decisions", "review.csv")
    assert "(confirmed)" in en.out and "2 links confirmed" in en.out


def test_a_review_sheet_made_after_decisions_carries_them_and_reads_back_the_same(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    # An analyst decides on part of the sheet, runs again for a fresh sheet, and must find every
    # decision and note in it (rejected links too), so that passing the new sheet back changes nothing.
    rejected, addition, target = _choice(baseline)
    accepted = next(l for l in baseline["links"] if l is not rejected)
    _write_csv(workdir / "d.csv", [
        ["provincial", "national", "decision", "note", "relation"],
        [rejected["province"], rejected["national"], "reject", "不是同一任务", ""],
        [accepted["province"], accepted["national"], "accept", "已核对", ""],
        [addition, target, "add", "正文第三句", "partial"],
    ])
    first = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", "d.csv")
    sheet = align("national.txt", "qinghai.txt", "-f", "review", "-o", "again.csv", "--decisions", "d.csv")
    assert first.code == 0 and sheet.code == 0, sheet.err
    rows = list(csv.reader((workdir / "again.csv").read_text(encoding="utf-8-sig").splitlines()))
    decided = [(r[8], r[9]) for r in rows[1:] if r[8]]
    assert sorted(decided) == sorted([("否决", "不是同一任务"), ("采纳", "已核对"), ("新增", "正文第三句")])
    # the relation column is the bare relation, as a decisions file's 新增 row may give it
    assert all(r[5] in ("相同", "调整", "部分") for r in rows[1:] if r[8]) and ["新增", "正文第三句"] == [
        r[8:10] for r in rows[1:] if r[5] == "部分" and r[8] == "新增"][0]
    again = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", "again.csv")
    assert again.code == 0, again.err
    before, after = _province(first.out), _province(again.out)
    assert [(l["province"], l["national"], l["decision"], l["note"]) for l in after["links"] + after["rejected"]] == \
        [(l["province"], l["national"], l["decision"], l["note"]) for l in before["links"] + before["rejected"]]
    assert after["coverage"] == before["coverage"] and after["additions"] == before["additions"]


@pytest.mark.parametrize("fmt", ["terminal", "csv", "html", "xlsx", "docx"])
def test_every_format_marks_decided_links(workdir, align, baseline: Json, fmt: str) -> None:  # type: ignore[no-untyped-def]
    link = baseline["links"][0]
    decisions = _write_csv(workdir / "d.csv", [["provincial", "national", "decision"],
                                               [link["province"], link["national"], "accept"]])
    out = workdir / f"q.{fmt}"
    run = align("national.txt", "qinghai.txt", "-f", fmt, *([] if fmt == "terminal" else ["-o", out]),
                "--decisions", decisions)
    assert run.code == 0, run.err
    data = run.out.encode() if fmt == "terminal" else out.read_bytes()
    if fmt in ("xlsx", "docx"):
        import zipfile

        with zipfile.ZipFile(out) as z:
            data = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    assert "人工确认".encode() in data


def test_stale_rows_warn_and_exit_0(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    proposed = _pairs(baseline["links"])
    task = baseline["coverage"][0]["national"]
    not_proposed = next(a for a in baseline["additions"] if (a, task) not in proposed)
    decisions = _write_csv(workdir / "s.csv", [["provincial", "national", "decision"],
                                               ["9.9.9", task, "accept"],
                                               [not_proposed, task, "reject"]])
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", decisions)
    assert run.code == 0, run.err
    stale = [w for w in _province(run.out)["warnings"] if w["code"] == "stale-decision"]
    assert len(stale) == 2 and "row 2" in stale[0]["message"] and "row 3" in stale[1]["message"]
    assert "9.9.9" in stale[0]["message"] and "no longer proposed" in stale[1]["message"]
    assert "第2行" in run.err and "第3行" in run.err
    assert _pairs(_province(run.out)["links"]) == proposed  # nothing applied to another clause


def test_rows_that_contradict_each_other_leave_the_pair_undecided(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    link, addition, target = _choice(baseline)
    decisions = _write_csv(workdir / "c.csv", [["provincial", "national", "decision"],
                                               [link["province"], link["national"], "accept"],
                                               [link["province"], link["national"], "reject"],
                                               [addition, target, "add"],
                                               [addition, target, "add"]])
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", decisions)
    assert run.code == 0, run.err
    after = _province(run.out)
    stale = [w["message"] for w in after["warnings"] if w["code"] == "stale-decision"]
    assert len(stale) == 2 and all("contradicts" in m for m in stale)
    assert "row 3" in stale[0] and "row 2" in stale[1]
    assert after["rejected"] == []  # neither row applied: the proposed link stays, undecided
    kept = [l for l in after["links"] if (l["province"], l["national"]) == (link["province"], link["national"])]
    assert len(kept) == 1 and kept[0]["decision"] is None
    added = [l for l in after["links"] if (l["province"], l["national"]) == (addition, target)]
    assert len(added) == 1  # a repeated row adds the link once


def test_a_row_for_another_province_is_stale(workdir, align, baseline: Json) -> None:  # type: ignore[no-untyped-def]
    link = baseline["links"][0]
    decisions = _write_csv(workdir / "p.csv", [["province", "provincial", "national", "decision"],
                                               ["河北", link["province"], link["national"], "reject"]])
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", decisions)
    assert run.code == 0, run.err
    after = _province(run.out)
    assert after["rejected"] == [] and [w["code"] for w in after["warnings"]].count("stale-decision") == 1


@pytest.mark.parametrize(("rows", "expected"), [
    ([["provincial", "decision"], ["4.1.1", "accept"]], "row 1: the header lacks the column(s) national"),
    ([["provincial", "national", "decision"], ["4.1.1", "3.2.4", "accept"], ["4.1.1", "3.2.4", "maybe"]],
     "row 3: unknown decision 'maybe'"),
    ([["provincial", "national", "decision"], ["", "3.2.4", "否决"]], "row 2: a decision needs both"),
])
def test_malformed_file_exits_2_naming_the_row(workdir, align, rows: list[list[str]], expected: str) -> None:  # type: ignore[no-untyped-def]
    run = align("national.txt", "qinghai.txt", "-f", "json", "--decisions", _write_csv(workdir / "m.csv", rows))
    assert run.code == 2 and run.out == ""
    assert expected in run.err and len(run.err_lines) == 1


def test_library_api_takes_decisions(tmp_path: Path, baseline: Json) -> None:
    rejected, addition, target = _choice(baseline)
    path = _write_csv(tmp_path / "d.csv", [["provincial", "national", "decision", "note"],
                                          [rejected["province"], rejected["national"], "reject", "误配"],
                                          [addition, target, "add", "见第三条"]])
    result = align_api(NATIONAL, QINGHAI, decisions=path)
    _check_applied(baseline, result.to_dict()["provinces"][0], rejected, addition, target)
    alignment = result.alignments[0]
    assert [(l.decision, l.note) for l in alignment.rejected] == [("reject", "误配")]
    added = next(l for l in alignment.links if l.decision == "add")
    assert added.note == "见第三条" and "见第三条" in " ".join(added.evidence.notes)
    rows = (Decision(2, rejected["province"], rejected["national"], "reject"),)
    again = align_api(NATIONAL, QINGHAI, decisions=Decisions(rows)).alignments[0]
    assert [(l.province, l.national) for l in again.rejected] == [(rejected["province"], rejected["national"])]


def test_batch_one_file_with_a_province_column(tmp_path: Path) -> None:
    paths = [PROVINCES / "anhui.txt", PROVINCES / "henan.txt"]
    first = align_api(NATIONAL, *paths).to_dict()["provinces"]
    link = first[0]["links"][0]
    decisions = _write_csv(tmp_path / "b.csv", [["province", "provincial", "national", "decision"],
                                                [first[0]["name"], link["province"], link["national"], "reject"],
                                                ["河北", link["province"], link["national"], "reject"]])
    after = align_api(NATIONAL, *paths, decisions=decisions).to_dict()["provinces"]
    assert [len(p["rejected"]) for p in after] == [1, 0]
    assert after[1]["links"] == [dict(l, decision=None, note="") for l in first[1]["links"]]
    done = subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), *map(str, paths), "-f", "json",
                           "--decisions", str(decisions)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert [len(p["rejected"]) for p in json.loads(done.stdout)["provinces"]] == [1, 0]
    assert "b.csv第3行：“河北”不在本批省份中，未采用" in done.stderr  # a row for no province of the batch is not dropped silently
    # a batch needs the province column: without it the row cannot be placed
    bare = _write_csv(tmp_path / "bare.csv", [["provincial", "national", "decision"],
                                              [link["province"], link["national"], "reject"]])
    with pytest.raises(InputError, match="row 2: name the province"):
        align_api(NATIONAL, *paths, decisions=bare)


def test_batch_folder_one_file_per_province(tmp_path: Path) -> None:
    paths = [PROVINCES / "anhui.txt", PROVINCES / "henan.txt"]
    first = align_api(NATIONAL, *paths).to_dict()["provinces"]
    link = first[1]["links"][0]
    folder = tmp_path / "decisions"
    folder.mkdir()
    _write_csv(folder / "henan.csv", [["provincial", "national", "decision"], [link["province"], link["national"], "否决"]])
    assert [d.province for d in load(folder).rows] == ["henan"]
    after = align_api(NATIONAL, *paths, decisions=folder).to_dict()["provinces"]
    assert [len(p["rejected"]) for p in after] == [0, 1]


def test_batch_review_folder_round_trip(tmp_path: Path) -> None:
    """`-f review -o FOLDER` for a batch, decisions filled in, `--decisions FOLDER` back."""
    from openpyxl import load_workbook

    paths = [str(PROVINCES / "anhui.txt"), str(PROVINCES / "henan.txt")]
    folder = tmp_path / "review"
    done = subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), *paths, "-f", "review", "-o", str(folder)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["matrix.csv", "matrix.html", "安徽.review.xlsx", "河南.review.xlsx"]
    book = load_workbook(folder / "河南.review.xlsx")
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("决定") + 1, value="否决")
    book.save(folder / "河南.review.xlsx")
    done = subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), *paths, "-f", "json", "--decisions", str(folder)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert [len(p["rejected"]) for p in json.loads(done.stdout)["provinces"]] == [0, 1]
    assert "stale-decision" not in done.stderr and "未采用" not in done.stderr


def test_readme_review_round_trip(tmp_path: Path) -> None:
    """The README's 人工复核 commands, run as written, with the analyst's step in between."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 人工复核 / Review decisions", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in section.split("```bash", 1)[1].split("```", 1)[0].splitlines() if line.startswith("align ")]
    assert len(commands) == 2 and "-f review" in commands[0] and "--decisions" in commands[1]
    shutil.copytree(REPO / "plans", tmp_path / "plans")

    def run(command: str) -> None:
        args = command.split()[1:]
        done = subprocess.run([sys.executable, "-m", "aligner", *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr

    run(commands[0])
    from openpyxl import load_workbook

    review = tmp_path / commands[0].split("-o ")[1].split()[0]
    book = load_workbook(review)
    sheet = book.worksheets[0]
    decision = [c.value for c in sheet[1]].index("决定") + 1
    sheet.cell(row=2, column=decision, value="采纳")
    book.save(review)
    run(commands[1])
    report = tmp_path / commands[1].split("-o ")[1].split()[0]
    assert "其中人工确认1条" in report.read_text(encoding="utf-8")


def test_review_sheet_neutralises_formulas_and_reads_back() -> None:
    """Plan titles like `=SUM(1)` stay text in the review workbook and are prefixed in its CSV;
    the escaped CSV still names its clauses when read back."""
    import io

    import openpyxl
    from report_fixtures import EVIL_FORMULAS, alignment

    from aligner.report.registry import RenderOptions, render_report

    al = alignment()
    book = openpyxl.load_workbook(io.BytesIO(render_report(al, "review", RenderOptions(lang="en"))))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert "=SUM(1) 健全常住地基本公共服务" in [c.value for c in cells]
    text = render_report(al, "review-csv", RenderOptions(lang="en"))
    assert isinstance(text, str) and text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["province", "provincial", "provincial_title", "national", "national_title", "relation", "score",
                       "evidence", "decision", "note"]
    assert not any(v.startswith(EVIL_FORMULAS) for row in rows for v in row)
    assert len(rows) - 1 == len(al.links) + len(al.additions)
    for row in rows[1:]:
        row[8] = "accept" if row[3] else ""
    applied = apply(al, parse_rows(rows))
    assert sum(1 for l in applied.links if l.decision == "accept") == len(al.links)
    assert not [n for n in applied.notices if n.code == "stale-decision"]
