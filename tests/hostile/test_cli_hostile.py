"""Options and signals a careless or hostile caller may send: bounded, one line, nothing left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NATIONAL = str(REPO / "plans" / "national.txt")
QINGHAI = str(REPO / "plans" / "qinghai.txt")
PROVINCES = REPO / "tests" / "fixtures" / "provinces"


def _align(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aligner", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_COLOR": "1", **(env or {})}, check=False)


@pytest.mark.parametrize("option", ["--link-threshold", "--adapted-threshold"])
@pytest.mark.parametrize("value", ["nan", "inf", "-0.1", "1.5"])
def test_thresholds_outside_zero_to_one_are_refused(option: str, value: str, tmp_path: Path) -> None:
    done = _align(NATIONAL, QINGHAI, option, value, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and option in done.stderr and "0 to 1" in done.stderr


@pytest.mark.parametrize("value", ["1e308", "inf", "nan", "0", "-3"])
def test_absurd_max_size_gives_a_message_not_an_internal_error(value: str, tmp_path: Path) -> None:
    done = _align(NATIONAL, QINGHAI, "--max-size", value, "-f", "json", cwd=tmp_path)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    if value == "1e308":
        assert done.returncode == 0  # a huge limit is no limit, not a crash
    else:
        assert done.returncode == 2 and "--max-size" in done.stderr


def test_jobs_are_capped_at_the_cores(tmp_path: Path) -> None:
    done = _align(NATIONAL, str(PROVINCES), "-f", "csv", "-o", str(tmp_path / "out"), "--jobs", "100000", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cores = len(os.sched_getaffinity(0))
    if cores < 100000:
        assert f"capped at {cores}" in done.stderr
    assert (tmp_path / "out" / "matrix.csv").exists()


def test_worker_count_never_exceeds_the_cores() -> None:
    from aligner.batch import worker_count

    assert worker_count(100000) == len(os.sched_getaffinity(0))
    assert worker_count(1) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "aligner", NATIONAL, QINGHAI, "-f", "json"], cwd=tmp_path,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: cannot write to standard output: no space left on device"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_batch_leaves_no_temp_files(signum: int, code: int, tmp_path: Path) -> None:
    """Stopped while writing reports: one line, the conventional status, no .aligner-*.tmp left."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(60):
        (folder / f"p{n:02}.txt").write_bytes((PROVINCES / "anhui.txt").read_bytes())
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "aligner", NATIONAL, str(folder), "-f", "html", "-o", str(out),
                                "-j", "1"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out.exists() and any(out.iterdir())) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the batch finished before the signal arrived")
    assert process.returncode == code, err
    assert err.strip().splitlines()[-1] == "stopped: no report was left half-written"
    assert not list(out.glob(".aligner-*.tmp"))


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv", "xlsx"])
def test_a_folder_with_a_file_name_that_is_not_utf8_completes(fmt: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "anhui.txt").write_bytes((PROVINCES / "anhui.txt").read_bytes())
    os.close(os.open(os.path.join(os.fsencode(folder), b"q\xff\xfe.txt"), os.O_WRONLY | os.O_CREAT))
    with open(os.path.join(os.fsencode(folder), b"q\xff\xfe.txt"), "wb") as handle:
        handle.write(Path(QINGHAI).read_bytes())
    out = tmp_path / "out"
    done = _align(NATIONAL, str(folder), "-f", fmt, "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) >= 3 or fmt == "json"  # two reports and the matrix (json: one document)
    for path in out.iterdir():
        if path.suffix in (".md", ".html", ".json", ".csv"):
            path.read_bytes().decode("utf-8")  # valid UTF-8 whatever the file name held


def test_a_file_of_more_clauses_than_any_plan_is_refused_in_one_line(tmp_path: Path) -> None:
    from aligner.pipeline import MAX_CLAUSES

    flood = tmp_path / "flood.txt"
    flood.write_text("".join(f"{n}.推进第{n}项任务建设。\n" for n in range(1, MAX_CLAUSES + 200)), encoding="utf-8")
    done = _align(NATIONAL, str(flood), "-f", "json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and str(MAX_CLAUSES) in done.stderr
