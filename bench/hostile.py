"""Hostile inputs at full size: build each, run the real `align` on it, print time, exit code, memory.

    python bench/hostile.py            # all cases
    python bench/hostile.py bomb br    # some of them

Each case is a separate `align plans/national.txt FILE --format json` process; peak memory is its
maximum resident set size (resource.getrusage(RUSAGE_CHILDREN) in a fresh parent per case). The
wall time includes starting Python (~0.3 s for a normal run).
Targets (bench/README.md, "Hostile inputs"): the zip bomb exits 2 within 10 s under 1 GB; 100,000
<br> or nested <div> around a few tasks finish under 5 s with the tasks found.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "plans" / "national.txt"
TASKS = (
    "深化户籍制度改革。放开放宽除个别超大城市外的落户限制。",
    "健全常住地提供基本公共服务制度。推进基本公共服务均等化。",
    "加强城市洪涝治理。实施城市排水防涝能力提升工程。",
)


def _tasks_html() -> str:
    return "<p>一、重点任务</p>" + "".join(f"<p>{n}.{task}</p>" for n, task in enumerate(TASKS, 1))


def zip_bomb(folder: Path) -> Path:
    """A 4 MB .docx whose word/document.xml is 4 GiB of one repeated character."""
    path = folder / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"a" * (1 << 24)
            for _ in range(256):
                member.write(chunk)
    return path


def many_br(folder: Path) -> Path:
    path = folder / "br.html"
    path.write_text(f"<html><body>{_tasks_html()}{'<br>' * 100_000}</body></html>", encoding="utf-8")
    return path


def nested_div(folder: Path) -> Path:
    path = folder / "div.html"
    path.write_text(
        f"<html><body>{'<div>' * 100_000}{_tasks_html()}{'</div>' * 100_000}</body></html>", encoding="utf-8"
    )
    return path


def long_line(folder: Path) -> Path:
    """9.9 MB of plan-like sentences on one line (no line break at all)."""
    rng = random.Random(7)
    sentences = [task.split("。")[1] + "。" for task in TASKS] + ["推进农业转移人口市民化，完善城镇基础设施。"]
    path = folder / "line.txt"
    target = int(9.9 * 1024 * 1024)
    parts, size = [], 0
    while size < target:
        sentence = rng.choice(sentences)
        parts.append(sentence)
        size += len(sentence.encode())
    path.write_text("".join(parts)[: target // 3], encoding="utf-8")
    return path


def big_docx(folder: Path) -> Path:
    """A legitimate ~10 MB .docx of text (varied sentences, so it does not compress away)."""
    import docx

    rng = random.Random(11)
    alphabet = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))
    document = docx.Document()
    document.add_paragraph("一、重点任务")
    for n, task in enumerate(TASKS, 1):
        document.add_paragraph(f"{n}.{task}")
    path = folder / "big.docx"
    while True:
        for _ in range(2000):
            document.add_paragraph("".join(rng.choice(alphabet) for _ in range(300)) + "。")
        document.save(str(path))
        if path.stat().st_size > 9.5 * 1024 * 1024:
            return path


CASES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "bomb": ("zip bomb: 4 MB .docx, 4 GiB document.xml", zip_bomb),
    "br": ("HTML, 3 tasks + 100,000 <br>", many_br),
    "div": ("HTML, 3 tasks inside 100,000 nested <div>", nested_div),
    "line": ("one 9.9 MB line of text", long_line),
    "docx": ("a real-looking 10 MB .docx of text", big_docx),
}


# A fresh parent per case, so RUSAGE_CHILDREN's maximum covers that one align process only.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


def run(path: Path) -> tuple[float, int, float, str, int | None]:
    """Wall time, exit code, peak RSS (MB) of one align process; its error line; tasks found."""
    env = {**os.environ, "ALIGNER_CACHE_DIR": os.environ.get("ALIGNER_CACHE_DIR", tempfile.mkdtemp())}
    command = [sys.executable, "-m", "aligner", str(NATIONAL), str(path), "--format", "json"]
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, env=env,
                          check=False, timeout=600)
    wall = time.monotonic() - start
    *messages, peak_kb = done.stderr.decode().splitlines()
    tasks = None
    if done.returncode == 0:
        province = json.loads(done.stdout)["provinces"][0]
        tasks = sum(1 for clause in province["clauses"] if clause["kind"] == "task")
    error = next((line for line in messages if line.startswith("error:")), "")
    return wall, done.returncode, int(peak_kb) / 1024, error, tasks


def main(names: list[str]) -> None:
    chosen = names or list(CASES)
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        # Warm the national plan's cache and the dictionary index, so the first case is not charged.
        subprocess.run([sys.executable, "-m", "aligner", str(NATIONAL), str(NATIONAL.parent / "qinghai.txt"),
                        "--format", "json"], capture_output=True, check=False)
        print(f"{'case':<46} {'file':>9} {'wall':>7} {'exit':>4} {'peak RSS':>9}  result")
        for name in chosen:
            label, build = CASES[name]
            path = build(Path(folder))
            wall, code, peak, error, tasks = run(path)
            size = path.stat().st_size / 1024 / 1024
            result = f"{tasks} tasks found" if tasks is not None else error.replace(str(path), path.name)
            print(f"{label:<46} {size:>6.1f} MB {wall:>6.2f}s {code:>4} {peak:>6.0f} MB  {result}")
            path.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
