"""Reading the files a scenario names, within stated bounds.

Every file a command reads for a scenario (the file itself, each file it ``extends``, each
empirical distribution's CSV) comes through :func:`read_bounded`, and every scenario's TOML
through :func:`parse_toml`, so a hostile or mistaken input is refused here, once, with a reason a
planner can act on rather than a Python error:

- a file name with a NUL character or longer than :data:`MAX_NAME_CHARS`, a symlink loop, a
  folder, a device, a missing file or one that cannot be read;
- a scenario file larger than :data:`MAX_SCENARIO_BYTES`, a CSV larger than
  :data:`MAX_CSV_BYTES` or with more than :data:`MAX_CSV_ROWS` rows (checked before reading);
- tables and arrays nested more than :data:`MAX_NESTING` deep, whole numbers of more than
  :data:`MAX_DIGITS` digits.

Problems are raised as :class:`FileProblem` (a ``ValueError``) whose text is the reason without
the file's name; the caller puts the name (and the key that names the file) in front.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: The largest scenario file read (bytes): 4 MiB, some hundred times the largest real one.
MAX_SCENARIO_BYTES = 4 * 1024 * 1024
#: The largest CSV of observations read (bytes): 64 MiB.
MAX_CSV_BYTES = 64 * 1024 * 1024
#: The most rows a CSV of observations may have (a header and blank rows count).
MAX_CSV_ROWS = 1_000_000
#: How deep tables and arrays may sit inside one another (a scenario uses 5 at most).
MAX_NESTING = 32
#: The most files in an ``extends`` chain, the file named on the command line included.
MAX_EXTENDS = 32
#: The most parts of a dotted key path (``--set``, uncertain inputs' keys).
MAX_KEY_PARTS = 32
#: The most digits of a whole number (``run.seed`` goes up to 2**63 - 1, 19 digits).
MAX_DIGITS = 19
#: The longest file name (characters, folders included) read.
MAX_NAME_CHARS = 1024

_LONG_DIGITS = re.compile(rf"(?<![\w.])[+-]?\d[\d_]{{{MAX_DIGITS},}}")


class FileProblem(ValueError):
    """A file or its contents refused: the text is the reason, without the file's name."""


def shown_name(name: str | os.PathLike[str]) -> str:
    """A file name as messages show it: NUL characters visible, an overlong name shortened."""
    text = os.fspath(name).replace("\x00", "\\x00")
    return elided(text, 120) if len(text) > MAX_NAME_CHARS else text


def elided(text: str, head: int, tail: int = 30) -> str:
    """``text``'s first ``head`` and last ``tail`` characters, and how long it is."""
    return f"{text[:head]}...{text[-tail:]} ({len(text):,} characters)"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def check_name(name: str | os.PathLike[str]) -> None:
    """Refuse a file name no file can have here (a NUL character, too long)."""
    text = os.fspath(name)
    if "\x00" in text:
        raise FileProblem("a file name cannot contain a NUL character")
    if len(text) > MAX_NAME_CHARS:
        raise FileProblem(f"file name too long: {len(text):,} characters; "
                          f"at most {MAX_NAME_CHARS:,}")


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.ENOENT: "file not found",
        errno.ENOTDIR: "file not found (a part of its path is a file, not a folder)",
        errno.ELOOP: "symlink loop: the link leads back to itself",
        errno.ENAMETOOLONG: "file name too long for the system (a part of it may have at most "
                            "255 characters)",
        errno.EACCES: "permission denied",
    }
    return reasons.get(exc.errno or 0, f"cannot read it: {exc.strerror or exc}")


def read_bounded(path: Path, limit_bytes: int, kind: str) -> bytes:
    """The bytes of a regular file of at most ``limit_bytes`` (``kind`` names what it is for the
    message: "a scenario file", "a CSV of observations"); the size is checked before reading."""
    check_name(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FileProblem(_os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem("not a file (a folder)")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem("not a file (a device, pipe or socket)")
    too_large = f"file too large: {kind} may have at most {_megabytes(limit_bytes)}"
    if info.st_size > limit_bytes:
        raise FileProblem(f"{too_large}, this one has {_megabytes(info.st_size)}")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit_bytes + 1)
    except OSError as exc:
        raise FileProblem(_os_reason(exc)) from None
    if len(raw) > limit_bytes:
        raise FileProblem(too_large)
    return raw


def resolved(path: Path) -> Path:
    """``path`` made absolute with symlinks followed; as it stands (absolute) where they cannot
    be (a loop, a bad name), so that reading it reports the problem."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(path))


# ---------------------------------------------------------------------------- TOML
def parse_toml(raw: bytes) -> dict[str, Any]:
    """A scenario file's bytes as TOML data, within the bounds (see :func:`check_data`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"not a UTF-8 text file (a scenario is TOML): "
                          f"byte {raw[exc.start]:#04x} at offset {exc.start}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileProblem(f"not valid TOML: {exc}") from None
    except RecursionError:
        raise FileProblem(_too_deep()) from None
    except ValueError:  # Python's own limit on the digits of an integer
        raise FileProblem(_long_number_in(text)) from None
    check_data(data)
    return data


def _too_deep(where: str = "") -> str:
    return f"{where}tables and arrays nested more than {MAX_NESTING} deep (a scenario needs 5 at most)"


def _long_number_in(text: str) -> str:
    match = _LONG_DIGITS.search(text)
    line = f"line {text.count(chr(10), 0, match.start()) + 1}: " if match else ""
    return f"{line}a whole number of more than {MAX_DIGITS} digits; at most {MAX_DIGITS}"


def check_data(data: Any) -> None:
    """Refuse data nested more than :data:`MAX_NESTING` deep or holding a whole number of more
    than :data:`MAX_DIGITS` digits (walked without recursion, so any depth is safe)."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        node, depth, key = stack.pop()
        if isinstance(node, dict | list) and depth > MAX_NESTING:
            raise FileProblem(_too_deep(f"{key}: " if key else ""))
        if isinstance(node, dict):
            stack.extend((value, depth + 1, f"{key}.{name}" if key else str(name))
                         for name, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, depth + 1, f"{key}[{i}]") for i, value in enumerate(node))
        elif isinstance(node, int) and not isinstance(node, bool) and abs(node) >= 10**MAX_DIGITS:
            place = f"{key}: " if key else ""
            raise FileProblem(f"{place}a whole number of {len(str(abs(node))):,} digits; "
                              f"at most {MAX_DIGITS}")


def parse_value_bounded(raw: str) -> tuple[bool, Any]:
    """``(True, value)`` for TOML value text within the bounds, ``(False, None)`` if it is not a
    TOML value; ``ValueError`` for one beyond a bound."""
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return False, None
    except RecursionError:
        raise FileProblem(_too_deep()) from None
    except ValueError:
        raise FileProblem(f"a whole number of more than {MAX_DIGITS} digits; "
                          f"at most {MAX_DIGITS}") from None
    check_data(value)
    return True, value


def check_key_parts(key: str) -> None:
    """Refuse a dotted key path of more than :data:`MAX_KEY_PARTS` parts."""
    parts = key.count(".") + 1
    if parts > MAX_KEY_PARTS:
        raise FileProblem(f"a key path of {parts:,} parts; at most {MAX_KEY_PARTS}")


# ---------------------------------------------------------------------------- CSV
def utf8_text(path: Path, raw: bytes) -> str:
    """A CSV's bytes as text; a byte that is not UTF-8 a ``FileProblem`` naming its row and
    column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        before = raw[start:exc.start].decode("utf-8-sig", errors="replace")
        column = len(next(csv.reader([before]), [""])) if before else 1
        msg = (f"{path}: row {line}, column {column}: byte {raw[exc.start]:#04x} is not UTF-8 "
               "text; save the file as CSV UTF-8")
        raise FileProblem(msg) from None


def csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(row number, fields)`` of a CSV of observations, read within the bounds; every problem a
    ``ValueError`` naming the file (and the row and column)."""
    try:
        raw = read_bounded(path, MAX_CSV_BYTES, "a CSV of observations")
    except FileProblem as exc:
        msg = f"{exc}: {shown_name(path)}"
        raise FileProblem(msg) from None
    text = utf8_text(path, raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row_number, row in enumerate(reader, start=1):
            if row_number > MAX_CSV_ROWS:
                msg = f"{path}: more than {MAX_CSV_ROWS:,} rows; at most {MAX_CSV_ROWS:,}"
                raise FileProblem(msg)
            yield row_number, row
    except csv.Error as exc:
        reason = str(exc)
        if "field larger" in reason:
            reason = f"a value longer than {csv.field_size_limit():,} characters"
        elif "NUL" in reason:
            reason = "a NUL byte (is it a spreadsheet rather than CSV text?)"
        msg = f"{path}: row {reader.line_num}: not readable as CSV: {reason}"
        raise FileProblem(msg) from None


def shown_text(text: str, limit: int = 40) -> str:
    """``repr`` of a value from a file, shortened to about ``limit`` characters."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} characters)"


def shown_override(text: str, limit: int = 120) -> str:
    """A ``--set`` item as messages show it, shortened past about ``limit`` characters."""
    return text if len(text) <= limit else elided(text, 60)
