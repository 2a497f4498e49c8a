"""Writing the files a command produces (log exports, letters) so that a full disk or a kill
half-way never leaves half a file — nor destroys the previous one.

A regular file (or a new one) is written beside the target, flushed to disk and renamed over it
in one step; a device or a pipe (``/dev/stdout``, a FIFO) is written directly.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from repaycli.errors import BadInput, Failure, RepayError


def _follows_to_file(target: Path) -> bool:
    """Whether ``target`` is a symbolic link that leads to a regular file or to nothing (writing
    through it would change or create a file somewhere else). A link to a device or a pipe
    (``/dev/stdout``) is fine."""
    try:
        if not stat.S_ISLNK(os.lstat(target).st_mode):
            return False
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.stat(target).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def check_target(target: Path, *, force: bool) -> None:
    """Before writing ``target``: refuse a symbolic link to a file (never written through), and
    an existing file unless ``force``. A name the system refuses (too long, a missing folder)
    is one line too."""
    if _follows_to_file(target):
        raise BadInput("err.file_symlink", path=str(target))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise BadInput("err.file_write", path=str(target), detail=exc.strerror or str(exc)) from exc
    if stat.S_ISREG(info.st_mode) and not force:
        raise BadInput("err.file_exists", path=str(target))


def write_private(
    target: Path, data: bytes, *, error: type[RepayError] = Failure, mode: int = 0o600
) -> None:
    """Write ``data`` to ``target``; a new file gets ``mode``, an existing one keeps its own.
    Any ``OSError`` becomes one ``err.file_write`` line (``error``: its class)."""
    with private_file(target, error=error, mode=mode) as handle:
        handle.write(data)


@contextmanager
def private_file(
    target: Path, *, error: type[RepayError] = Failure, mode: int = 0o600
) -> Iterator[BinaryIO]:
    """``write_private`` for a file written as it is produced (a long export): the handle writes
    beside the target, and only a block that ends without an exception replaces the target."""
    tmp: str | None = None
    if _follows_to_file(target):
        raise BadInput("err.file_symlink", path=str(target))
    try:
        try:
            info = target.stat()
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            with target.open("wb") as handle:
                yield handle
            return
        real = target
        keep = stat.S_IMODE(info.st_mode) if info is not None else mode
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name[:64]}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, keep)
        os.replace(tmp, real)
        tmp = None
    except OSError as exc:
        raise error("err.file_write", path=str(target), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
