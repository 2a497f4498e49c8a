"""The call screen's draft: everything typed so far, kept in the data folder
(``paths.call_draft_path()``) as it is typed, so a crash or a closed terminal loses nothing.

Written whole each time beside the target and renamed over it (``files.write_private``: a kill
half-way leaves the previous draft), readable by the user only. A draft that cannot be read is
set aside (renamed, never deleted) and the call starts blank.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from repaycli.files import write_private
from repaycli.safeload import loads_json, read_text

#: Bumped when the draft's keys change meaning; an unknown version is set aside, not read.
VERSION = 1


def _path() -> Path:
    from repaycli.paths import call_draft_path

    return call_draft_path()


def save(data: dict[str, Any]) -> None:
    """Replace the draft with ``data`` (plain JSON values). ``OSError`` and ``Failure`` (a
    full disk) are the caller's to show."""
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = {"version": VERSION, **data}
    write_private(path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))


def load() -> dict[str, Any] | None:
    """The draft left by a call that was not saved, or ``None``."""
    path = _path()
    try:
        data = loads_json(read_text(path, limit=16 * 1024 * 1024))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, UnicodeDecodeError):
        _set_aside(path)
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        _set_aside(path)
        return None
    return data


def discard() -> None:
    _path().unlink(missing_ok=True)


def _set_aside(path: Path) -> None:
    try:
        path.replace(path.with_name(path.name + ".unreadable"))
    except OSError:
        pass
