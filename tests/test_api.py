"""The library API: `from aligner import align` does what `align` does, on paths, bytes and text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import aligner
from aligner import InputError, Kind, Result, align, parse_plan, read_text

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "plans" / "national.txt"
QINGHAI = REPO / "plans" / "qinghai.txt"


@pytest.fixture(scope="module")
def result() -> Result:
    return align(NATIONAL, QINGHAI)


def test_to_dict_equals_the_json_the_cli_prints(result: Result, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), str(QINGHAI), "--format", "json"],
                          capture_output=True, check=True, env={"ALIGNER_CACHE_DIR": str(tmp_path), "PATH": ""})
    printed = json.loads(done.stdout)
    # The CLI adds where the file came from (version, date, inputs' sha256); the library's data is the rest.
    assert printed.pop("provenance")["inputs"][1]["file"] == str(QINGHAI)
    assert result.to_dict() == printed


def test_readme_example_runs() -> None:
    """The README's one-liner, exactly as a user types it after `pip install -e .`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith('python -c "from aligner import align'))
    done = subprocess.run(command, shell=True, cwd=REPO, capture_output=True, text=True, check=True)
    summary = eval(done.stdout)  # noqa: S307 - our own output: a dict literal printed by the example
    assert summary["tasks"] == {"covered": 19, "partial": 0, "gap": 0, "total": 19}


def test_paths_bytes_and_text_give_the_same_alignment(result: Result) -> None:
    by_bytes = align(NATIONAL.read_bytes(), QINGHAI.read_bytes())
    by_text = align(NATIONAL.read_text(encoding="utf-8"), QINGHAI.read_text(encoding="utf-8"))
    for other in (by_bytes, by_text):
        assert [(l.province, l.national, l.score) for l in other.alignments[0].links] == \
            [(l.province, l.national, l.score) for l in result.alignments[0].links]
        assert other.alignments[0].province.name == "青海"


def test_a_bad_province_is_recorded_and_the_rest_aligned(tmp_path: Path) -> None:
    missing = tmp_path / "nosuch.txt"
    result = align(NATIONAL, missing, QINGHAI)
    assert [a.province.name for a in result.alignments] == ["青海"]
    assert [(e.name, e.error) for e in result.errors] == [("nosuch", "file not found")]
    assert result.to_dict()["errors"] == [{"name": "nosuch", "error": "file not found"}]


def test_a_bad_national_plan_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        align(tmp_path / "none.txt", QINGHAI)


@pytest.mark.parametrize("options", [{"link_threshold": float("nan")}, {"adapted_threshold": 2.0},
                                     {"link_threshold": 0.6, "adapted_threshold": 0.5}, {"max_size_mb": -1}])
def test_bad_options_raise_value_error(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        align(NATIONAL, QINGHAI, **options)


def test_render_every_format(result: Result) -> None:
    for fmt in ("terminal", "md", "json", "csv", "html"):
        text = result.render(fmt)
        assert isinstance(text, str) and "青海" in text, fmt
    assert result.render("xlsx")[:2] == b"PK"


def test_write_one_report_and_a_batch_folder(result: Result, tmp_path: Path) -> None:
    assert result.write(tmp_path / "q.md") == [tmp_path / "q.md"]
    assert (tmp_path / "q.md").read_text(encoding="utf-8") == result.render("md")
    several = align(NATIONAL, QINGHAI, REPO / "tests" / "fixtures" / "provinces" / "anhui.txt")
    written = several.write(tmp_path / "out", "md")
    assert sorted(p.name for p in written) == ["matrix.html", "matrix.md", "安徽.md", "青海.md"]


@pytest.mark.parametrize("fmt", ["md", "html", "review"])
def test_result_write_and_the_batch_command_write_the_same_files(fmt: str, tmp_path: Path) -> None:
    # Two writers of a report folder (the library's Result.write, the CLI's streaming batch) name the
    # reports and the matrix files alike (a folder of review sheets gets matrix.csv, which
    # --decisions FOLDER skips).
    anhui = REPO / "tests" / "fixtures" / "provinces" / "anhui.txt"
    written = align(NATIONAL, QINGHAI, anhui).write(tmp_path / "api", fmt)
    subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), str(QINGHAI), str(anhui), "-f", fmt,
                    "-o", str(tmp_path / "cli")], capture_output=True, check=True,
                   env={"ALIGNER_CACHE_DIR": str(tmp_path / "cache"), "PATH": ""})
    assert sorted(p.name for p in written) == sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert "matrix.html" in {p.name for p in written} and len(written) == (3 if fmt == "html" else 4)


def test_write_never_replaces_an_input(tmp_path: Path) -> None:
    province = tmp_path / "qinghai.md"
    province.write_bytes(QINGHAI.read_bytes())
    result = align(NATIONAL, province)
    with pytest.raises(OSError, match="input documents"):
        result.write(province)
    assert province.read_bytes() == QINGHAI.read_bytes()


def test_read_and_parse() -> None:
    source = read_text(QINGHAI)
    assert source.encoding == "utf-8" and "青海" in source.text
    plan = parse_plan(QINGHAI)
    assert len(plan.of_kind(Kind.TASK)) == 39
    assert parse_plan(source.text).title == plan.title


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        aligner.no_such_thing  # noqa: B018


def test_a_meeting_report_is_not_presented_as_an_implementation() -> None:
    document = align(NATIONAL, REPO / "plans" / "examples" / "ndrc_meeting_2021.txt").to_dict()["provinces"][0]
    assert [w["code"] for w in document["warnings"]][:1] == ["not-an-implementation"]
    assert {link["relation"] for link in document["links"]} <= {"partial"}
    assert document["summary"]["unreliable"] == "not-an-implementation"
    assert document["summary"]["tasks"]["covered"] == 0


def test_swapped_arguments_are_named() -> None:
    document = align(QINGHAI, NATIONAL).to_dict()["provinces"][0]
    assert "arguments-swapped" in [w["code"] for w in document["warnings"]]


def test_a_truncated_copy_marks_coverage_unreliable_in_every_format() -> None:
    result = align(NATIONAL, REPO / "tests" / "fixtures" / "partial" / "hunan.txt")
    assert result.to_dict()["provinces"][0]["summary"]["unreliable"] == "truncated"
    for fmt in ("terminal", "md", "html"):
        text = result.render(fmt, lang="en")
        assert "truncated" in text and "unreliable" in text, fmt
        chinese = str(result.render(fmt))
        assert "文本不完整" in chinese and "覆盖率不可靠" in chinese and "不能作为缺口率" in chinese, fmt
