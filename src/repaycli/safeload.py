"""Reading the files a user hands to repaycli (debts, platforms, LPR table, saved plan, JSON
exports) without letting their shape crash it: bounded in size, in nesting depth, and in the
digits of a number. Each problem arrives as the exception the callers already turn into one
line (``OSError`` for the file, ``ValueError`` / ``TOMLDecodeError`` for its content)."""

from __future__ import annotations

import errno
import json
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The largest data file read (a debts or platforms file is a few kilobytes).
MAX_FILE_BYTES = 4 * 1024 * 1024


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """The file's UTF-8 text; ``OSError`` (with a ``strerror``) for a file that is not a regular
    file (a FIFO would block) or is larger than ``limit`` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
    return data.decode("utf-8")


def loads_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads`` (floats as ``Decimal``) where nesting too deep and integers too long
    to convert are ``TOMLDecodeError`` like any other mistake in the file."""
    import tomllib  # here: the shipped data is read as JSON, only user files are TOML

    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise tomllib.TOMLDecodeError(str(exc).split(";")[0][:120]) from None


def loads_json(text: str) -> Any:
    """``json.loads`` where nesting too deep and numbers too long are ``ValueError``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
