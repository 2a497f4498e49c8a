"""``repaycli remind`` for a person: the "nothing due until …" line on a terminal, and
``--install`` / ``--uninstall``, which put the daily crontab line in place with the user's consent
(shown first, then asked) and take it out again.

The crontab is read with ``crontab -l`` and written whole with ``crontab -``; the line is marked by
the comment above it (``MARKER``), so that ``--uninstall`` removes only what ``--install`` added.
Nothing here runs under cron: ``remind`` without a terminal never imports this module.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from typing import TYPE_CHECKING

import typer

from repaycli.cli.common import read_answer, write_out
from repaycli.errors import BadInput
from repaycli.i18n import t

if TYPE_CHECKING:
    from repaycli.core.reminders import Reminder

#: The comment line written above the crontab line (not translated: it is found again by it).
MARKER = "# repaycli remind (added by 'repaycli remind --install'; remove with --uninstall)"
_YES = frozenset(("y", "yes", "是", "是的", "好", "好的", "对", "要", "确定", "可以", "行"))


def nothing_due_line(as_of: date, until: date, upcoming: list[Reminder]) -> str:
    """One line for a person who ran ``remind`` by hand and has nothing due within the window:
    the next thing that is due, or that nothing is scheduled."""
    from repaycli.render.remind import describe, platform_namer

    later = sorted((i for i in upcoming if i.due > until), key=lambda i: i.due)
    if not later:
        return t("remind.nothing_scheduled", until=until.isoformat())
    first = later[0]
    return t(
        "remind.nothing_due_until",
        due=first.due.isoformat(),
        days=(first.due - as_of).days,
        what=describe(first, platform_namer()),
    )


def _crontab() -> str:
    found = shutil.which("crontab")
    if found is None:
        raise BadInput("remind.err.no_crontab")
    return found


def _read(program: str) -> str:
    """The user's crontab now; empty when there is none (``crontab -l`` then fails)."""
    done = subprocess.run(
        [program, "-l"], capture_output=True, text=True, encoding="utf-8", check=False
    )
    if done.returncode == 0:
        return done.stdout
    if "no crontab" in done.stderr.lower():
        return ""
    raise BadInput("remind.err.crontab_failed", detail=done.stderr.strip() or done.returncode)


def _write(program: str, text: str) -> None:
    done = subprocess.run(
        [program, "-"], input=text, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if done.returncode != 0:
        raise BadInput("remind.err.crontab_failed", detail=done.stderr.strip() or done.returncode)


def without_ours(text: str) -> list[str]:
    """The crontab's lines without the marker and the line after it."""
    lines = text.splitlines()
    kept: list[str] = []
    skip_next = False
    for line in lines:
        if skip_next:
            skip_next = False
            continue
        if line.strip() == MARKER:
            skip_next = True
            continue
        kept.append(line)
    return kept


def _consent() -> bool:
    """Yes only when the person says so; the end of input (no one there) is no."""
    answer = read_answer(t("remind.install_ask"))
    return answer is not None and answer.strip().lower().rstrip("。.!！") in _YES


def install(line: str) -> None:
    """Show ``line``, ask, and add it to the crontab (replacing one added before)."""
    program = _crontab()
    before = _read(program)
    kept = without_ours(before)
    after = "\n".join([*kept, MARKER, line]) + "\n"
    if after == before:
        typer.echo(t("remind.install_already"), err=True)
        write_out(line)
        return
    typer.echo(t("remind.install_show"), err=True)
    write_out(line)  # whole, on one line: never wrapped, so it can be copied
    typer.echo(t("remind.install_mail"), err=True)
    if not _consent():
        typer.echo(t("remind.install_declined"), err=True)
        return
    _write(program, after)
    typer.echo(t("remind.installed"), err=True)


def uninstall() -> None:
    """Remove the line ``install`` added (the user's other lines stay as they were); asking
    for it is the consent."""
    program = _crontab()
    before = _read(program)
    kept = without_ours(before)
    if len(kept) == len(before.splitlines()):
        typer.echo(t("remind.uninstall_none"), err=True)
        return
    _write(program, "\n".join(kept) + "\n" if kept else "")
    typer.echo(t("remind.uninstalled"), err=True)
