"""Where reports go: which inputs a run takes, and writing reports without ever losing a file.

The policy a user relies on, kept out of the CLI so the library's `Result.write` follows it too:
folders contribute their plan documents (sorted, never the national plan itself), a report never
replaces one of the input documents, every write is atomic, and each failure is one clear line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from aligner.errors import InputError

DOCUMENT_SUFFIXES = {".txt", ".text", ".md", ".docx", ".pdf", ".html", ".htm"}

Say = Callable[[str], None]  # where one-line messages go (the CLI: standard error)


def kind_on_disk(path: Path) -> str | None:
    """"folder", "file" (regular), "other" (device, pipe…) or None (missing or cannot be looked at).

    Path.is_dir() raises PermissionError for a path under an unreadable folder; here that only
    means we cannot tell, and reading or writing the path will report the real problem.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


def is_dir(path: Path) -> bool:
    return kind_on_disk(path) == "folder"


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file, so `align plan.txt ./plan.txt` is caught as a mistake.

    By inode where both exist (links, `./`, other spellings); by absolute path otherwise, so a
    missing file still gets its own "file not found" rather than an error from this check.
    A name the OS cannot take at all (an embedded NUL) is simply not the same file.
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    except ValueError:
        return False
    try:
        return os.path.abspath(a) == os.path.abspath(b)
    except ValueError:
        return False


def _is_plan_document(path: Path) -> bool:
    """A file in a province folder worth reading: not hidden, not Word's `~$` lock file."""
    return (
        path.suffix.lower() in DOCUMENT_SUFFIXES
        and not path.name.startswith((".", "~$"))
        and kind_on_disk(path) == "file"
    )


def expand_inputs(paths: Iterable[Path], national: Path) -> list[str]:
    """Files as given; folders contribute their plan documents, sorted, so runs are repeatable.

    The national plan usually sits in the same folder as the provincial ones (plans/national.txt,
    plans/qinghai.txt), so a folder never contributes it; named explicitly, it is still an error.
    """
    out: list[str] = []
    for path in paths:
        if is_dir(path):
            try:
                entries = sorted(path.iterdir())
            except OSError as error:
                reason = (error.strerror or type(error).__name__).lower()
                raise InputError(str(path), f"cannot list the folder ({reason})") from None
            found = [p for p in entries if _is_plan_document(p) and not same_file(p, national)]
            if not found:
                raise InputError(str(path), f"folder holds no provincial plan documents "
                                 f"({', '.join(sorted(DOCUMENT_SUFFIXES))})")
            out.extend(str(p) for p in found)
        else:
            out.append(str(path))
    return out


_UNREADABLE = {".doc": "skip.doc", ".wps": "skip.wps", ".ofd": "skip.ofd"}  # formats users have, and how to convert


def skipped_files(paths: Iterable[Path], lang: str) -> list[str]:
    """One line per file a folder holds but a batch does not read, and why (how to convert a .doc,
    .wps or .ofd). Hidden files and Word's `~$` lock files are not the user's documents: not listed."""
    from aligner.report.messages import Catalogue

    msg = Catalogue(lang)
    out = []
    for path in paths:
        if not is_dir(path):
            continue
        try:
            entries = sorted(path.iterdir())
        except OSError:
            continue  # expand_inputs says why the folder cannot be listed
        for entry in entries:
            if entry.name.startswith((".", "~$")) or _is_plan_document(entry) or kind_on_disk(entry) != "file":
                continue
            why = msg(_UNREADABLE.get(entry.suffix.lower(), "skip.other"))
            out.append(msg("batch.skipped", name=display_path(str(entry)), why=why))
    return out


def blocked_by_file(target: Path) -> str | None:
    """Why a report cannot go to `target` because of what is already on disk, else None.

    The OS says only "File exists" or "Not a directory" for `-o notes.txt/x.md`; the user
    needs to hear which part of the path is the problem.
    """
    for folder in reversed(target.parents):
        if kind_on_disk(folder) in ("file", "other"):
            return f"{folder} is a file, not a folder"
    if kind_on_disk(target) == "folder":
        return "it is a folder"
    return None


def unique_path(path: Path, used: set[Path]) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext` … when a report of this run already took it."""
    candidate, n = path, 2
    while candidate in used:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    used.add(candidate)
    return candidate


class Writer:
    """Writes reports atomically and turns every failure into one clear line.

    It refuses to replace an input document: `-f md -o qinghai.txt` would otherwise overwrite
    the provincial plan with its own report.
    """

    def __init__(self, inputs: Iterable[str | os.PathLike[str]], say: Say) -> None:
        self._inputs: set[tuple[int, int]] = set()
        for path in inputs:
            try:
                info = os.stat(path)
            except (OSError, ValueError):
                continue
            self._inputs.add((info.st_dev, info.st_ino))
        self._say = say
        self.failed = False

    def write(self, target: Path, data: str | bytes | Iterable[str]) -> bool:
        from aligner.report.write import write_atomic

        try:
            info = os.stat(target)
        except (OSError, ValueError):
            info = None
        if info is not None and (info.st_dev, info.st_ino) in self._inputs:
            return self._refuse(target, "it is one of the input documents")
        try:
            if info is not None and not stat.S_ISREG(info.st_mode):
                # A device or pipe (-o /dev/stdout, a FIFO): write through it. The atomic rename
                # would replace the node itself, and as root `-o /dev/null` would delete /dev/null.
                with open(target, "wb") as handle:
                    for chunk in [data] if isinstance(data, (str, bytes)) else data:
                        handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            else:
                write_atomic(target, data)
        except OSError as error:
            return self._refuse(target, blocked_by_file(target) or (error.strerror or str(error)).lower())
        return True

    def _refuse(self, target: Path, problem: str) -> bool:
        self._say(f"error: cannot write {display_path(target)}: {problem}")
        self.failed = True
        return False


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can always be printed and encoded: bytes that are not UTF-8 in a file
    name (kept by Python as surrogate escapes) are shown as \\xNN instead of crashing a writer."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def output_format(fmt: str, output: Path | None, several: bool) -> str:
    """The report format, and a check of -o before any work: a run that takes minutes should not
    end in "cannot write" when the answer was known at the start (ValueError says why).

    One province: -o names a file whose extension sets the format, or an existing folder to put
    <province>.<ext> in. Several: -o is a folder (or, for JSON, the one document's file name).
    """
    from aligner.report.registry import format_for_suffix

    if output is None:
        return fmt
    if fmt == "review" and output.suffix.lower() == ".csv" and not several:
        fmt = "review-csv"  # the review sheet as CSV: -o review.csv
    if fmt == "terminal":
        inferred = format_for_suffix(output.suffix)
        if inferred is not None and (not several or inferred == "json") and not is_dir(output):
            fmt = inferred
        elif is_dir(output) or several:
            raise ValueError(f"{output}: choose the report format with --format (md, json, csv, xlsx or html)")
        else:
            raise ValueError(f"{output}: cannot tell the report format from the extension; use --format")
    writes_file = not is_dir(output) and (not several or (fmt == "json" and output.suffix))
    problem = blocked_by_file(output if writes_file else output / "report")
    if problem:
        raise ValueError(f"cannot write {output}: {problem}")
    return fmt
