"""Atomic writes and untrusted file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.report import write as write_module
from aligner.report.write import default_report_path, safe_filename, write_atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_creates_parent_and_writes_text_and_bytes(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "sub" / "青海.md"
    write_atomic(target, "# 青海\n")
    assert target.read_text(encoding="utf-8") == "# 青海\n"
    write_atomic(target, b"\x00\x01binary")
    assert target.read_bytes() == b"\x00\x01binary"
    assert leftovers(target.parent) == []


def test_write_encoding_for_excel_csv(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    write_atomic(target, "省,值\r\n", encoding="utf-8-sig")
    assert target.read_bytes() == "\ufeff省,值\r\n".encode()  # CRLF kept as given, BOM added


def test_replace_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "青海.md"
    target.write_text("old report", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(write_module.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new report")
    assert target.read_text(encoding="utf-8") == "old report"
    assert leftovers(tmp_path) == []


def test_failure_midway_through_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.html"
    target.write_bytes(b"<p>old</p>")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C after the data went to the temp file

    monkeypatch.setattr(write_module.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "<p>new</p>")
    assert target.read_bytes() == b"<p>old</p>"
    assert leftovers(tmp_path) == []


def test_encoding_error_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "青海", encoding="ascii")
    assert list(tmp_path.iterdir()) == []


def test_existing_permissions_kept_new_files_readable(tmp_path: Path) -> None:
    target = tmp_path / "new.md"
    write_atomic(target, "x")
    assert target.stat().st_mode & 0o777 == 0o644
    os.chmod(target, 0o600)
    write_atomic(target, "y")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("a/b", "a_b"),
        ("a\\b", "a_b"),
        ("\x00x", "x"),
        ("", "fallback"),
        ("   ", "fallback"),
        ("..", "fallback"),
        (".hidden", "hidden"),
        ("青海", "青海"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("name.", "name"),
        ("CON", "_CON"),
        ("x\u202egpj.exe", "xgpj.exe"),  # right-to-left override removed
        ("line\nbreak\ttab", "linebreaktab"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name, "fallback") == expected


def test_safe_filename_limits_length_and_never_contains_separators() -> None:
    long = safe_filename("青海" * 100, "f")
    assert len(long) == 80
    assert len(safe_filename("😀" * 100, "f").encode()) <= 240
    for name in ["../../etc/passwd", "a/../b", "/abs/path", "C:\\Windows\\x"]:
        cleaned = safe_filename(name, "f")
        assert "/" not in cleaned and "\\" not in cleaned and ".." not in cleaned
        assert not cleaned.startswith(".")


def test_safe_filename_fallback_is_cleaned_too() -> None:
    assert safe_filename("", "../x") == "x"
    assert safe_filename("", "") == "report"


def test_default_report_path(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    assert default_report_path(folder, "青海", "md") == folder / "青海.md"
    assert default_report_path(folder, "青海", "markdown") == folder / "青海.md"
    assert default_report_path(folder, "../../etc/passwd", "html") == folder / "etc_passwd.html"
    assert default_report_path(folder, "", "xlsx") == folder / "report.xlsx"
    with pytest.raises(ValueError, match="format"):
        default_report_path(folder, "青海", "../x")


def test_default_report_path_refuses_symlink_escape(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    outside = tmp_path / "elsewhere.md"
    (folder / "青海.md").symlink_to(outside)
    with pytest.raises(ValueError, match="outside"):
        default_report_path(folder, "青海", "md")
