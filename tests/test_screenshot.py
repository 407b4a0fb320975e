"""The HTML report rendered by a real browser (headless Chromium), so a person can look at it.

Skipped where Chromium is not installed (apt-get install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from aligner.match import Thresholds
from aligner.pipeline import align_plans, load_plan
from aligner.report.html import render_html
from aligner.thesaurus import load_thesaurus

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_html_report_renders_to_png(tmp_path: Path) -> None:
    national = load_plan(ROOT / "plans" / "national.txt")
    province = load_plan(ROOT / "plans" / "qinghai.txt")
    alignment = align_plans(national, province, load_thesaurus(), Thresholds())
    page = tmp_path / "qinghai.html"
    page.write_text(render_html(alignment, "original"), encoding="utf-8")
    png = tmp_path / "qinghai.png"

    subprocess.run(
        [str(ROOT / "scripts" / "screenshot_html.sh"), str(page), str(png), "1200", "900"],
        check=True, capture_output=True, timeout=60,
    )

    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 900)
    assert len(data) > 20_000  # a blank page compresses to a few kB; a rendered report does not
