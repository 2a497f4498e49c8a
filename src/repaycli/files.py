"""Writing the files a command produces (log exports, letters) so that a full disk or a kill
half-way never leaves half a file — nor destroys the previous one.

A regular file (or a new one) is written beside the target, flushed to disk and renamed over it
in one step; a device or a pipe (``/dev/stdout``, a FIFO) is written directly.

Every temporary file repaycli writes (exports, letters, reports, calendars, drafts, backups) has
one name: ``.<target name>.<8 random characters>.partial`` beside its target, held under an
exclusive ``flock`` from creation until it is renamed (or removed). One that nobody holds was
left by a writer killed half-way (SIGKILL runs no clean-up): the next writer into that folder
removes it (:func:`remove_stale_partials`), for it may hold a private copy of the log.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from repaycli.errors import BadInput, Failure, RepayError

#: The one name of a temporary file (``tempfile.mkstemp`` draws 8 characters from lower-case
#: letters, digits and ``_``).
PARTIAL_SUFFIX = ".partial"
_PARTIAL_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial$")
#: The files SQLite may keep beside a copy it is writing (a killed ``VACUUM INTO`` leaves its
#: rollback journal next to the ``.partial``).
SIDE_FILES = ("-journal", "-wal", "-shm")
_SIDE_NAME = re.compile(r"^(\..+\.[a-z0-9_]{8}\.partial)-(?:journal|wal|shm)$")


def new_partial(target: Path) -> tuple[int, str]:
    """A new temporary file for ``target`` (its descriptor, held locked, and its path)."""
    import fcntl

    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name[:64]}.", suffix=PARTIAL_SUFFIX
    )
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # "being written": not a leftover to remove
    except OSError:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, tmp


def remove_stale_partials(folder: Path, *, legacy: str | None = None) -> int:
    """Remove the temporary files killed writers left in ``folder``: regular files of the user's
    own with the one temporary name that no running writer holds locked, and SQLite's side files
    whose copy is gone. ``legacy``: a target name whose ``.<name>.xxxxxxxx.tmp`` files (the name
    before this one, never locked) go too. Returns how many temporary files were removed."""
    import fcntl

    legacy_name = (
        re.compile(r"^\." + re.escape(legacy[:64]) + r"\.[a-z0-9_]{8}\.tmp$") if legacy else None
    )
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    removed = 0
    for name in names:
        is_legacy = legacy_name is not None and legacy_name.match(name) is not None
        if not (_PARTIAL_NAME.match(name) or is_legacy):
            continue
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a writer running now holds it
            path.unlink(missing_ok=True)
            removed += 1
        except OSError:
            continue
        finally:
            os.close(fd)
    for name in names:
        side = _SIDE_NAME.match(name)
        if side and not (folder / side.group(1)).exists():  # its copy is gone: nothing holds it
            (folder / name).unlink(missing_ok=True)
    return removed


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
        remove_stale_partials(real.parent, legacy=real.name)
        fd, tmp = new_partial(real)
        with os.fdopen(fd, "wb") as handle:  # closed (unlocked) only once renamed or removed
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), keep)
            os.replace(tmp, real)
            tmp = None
    except OSError as exc:
        raise error("err.file_write", path=str(target), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
