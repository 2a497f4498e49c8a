"""``repaycli remind``: what is due or overdue, for cron; and the calendar feed (``--ics``).

Cron conventions: nothing due → nothing printed, exit 0; never a prompt; plain text with no
escape codes when stdout is not a terminal; ``--exit-code`` → exit 1 when something is overdue;
errors on stderr with a non-zero exit. No database yet → nothing due, and none is created.

Only light modules are imported at the top: this module is loaded for every ``repaycli`` run, and
cron runs ``remind`` often. pydantic-backed code and rich are imported when used. No
``from __future__ import annotations`` here: typer reads the options' annotations, and string
annotations would be compiled and evaluated on every run (about 1 ms).
"""

import os
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from repaycli.cli.common import JsonOption, LangOption, command_lang, now, today, write_out
from repaycli.i18n import get_lang, t

if TYPE_CHECKING:
    from repaycli.core.conduct import Flag
    from repaycli.core.due import CollectionAfterAgreement
    from repaycli.core.records import DueInstallment, OpenFollowUp

#: Same values as ``core.reminders.DEFAULT_DAYS`` / ``MAX_DAYS`` (a test keeps them equal); kept
#: here so that loading the command does not load pydantic.
DEFAULT_DAYS = 3
MAX_DAYS = 366
#: When the suggested crontab line runs: every day at 08:00.
CRON_SCHEDULE = "0 8 * * *"

DaysOption = Annotated[
    int,
    typer.Option(
        "--days",
        min=0,
        max=MAX_DAYS,
        help="Report what falls due from today through N days ahead (default 3).",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Report as of this date instead of today."),
]
ExitCodeOption = Annotated[
    bool, typer.Option("--exit-code", help="Exit with 1 when something is overdue (scripts).")
]
IcsOption = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        metavar="FILE",
        dir_okay=False,
        help="Also write an iCalendar feed to FILE: what is overdue and due in the next 90 days.",
    ),
]
AllOption = Annotated[
    bool, typer.Option("--all", help="With --ics: every unpaid installment and open follow-up.")
]
CrontabOption = Annotated[
    bool, typer.Option("--crontab", help="Print a crontab line that runs this every morning.")
]
InstallOption = Annotated[
    bool,
    typer.Option(
        "--install", help="Show the crontab line, ask, and add it to your crontab (crontab -)."
    ),
]
UninstallOption = Annotated[
    bool, typer.Option("--uninstall", help="Remove the line --install added from your crontab.")
]


def installed_command() -> str:
    """The absolute path of the ``repaycli`` command running now (or, failing that, the one next
    to this Python, or on PATH); as a last resort ``<python> -m repaycli``."""
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and Path(argv0).name in ("repaycli", "repaycli.exe") and Path(argv0).is_file():
        return os.path.abspath(argv0)
    beside = Path(sys.executable).parent / "repaycli"
    if beside.is_file():
        return os.path.abspath(beside)
    found = shutil.which("repaycli")
    if found:
        return os.path.abspath(found)
    return f"{os.path.abspath(sys.executable)} -m repaycli"


def crontab_line(*, days: int, ics: Path | None, everything: bool = False) -> str:
    """A ready line for ``crontab -e``. Cron gives no ``LANG`` and its own ``HOME``-based paths,
    so the data directory (when set) and a Chinese language choice are spelled out."""
    import shlex  # here: cron's own runs of ``remind`` never print this line

    parts: list[str] = []
    home = os.environ.get("REPAYCLI_HOME")
    if home:
        parts.append(f"REPAYCLI_HOME={shlex.quote(os.path.abspath(os.path.expanduser(home)))}")
    if get_lang() != "en":
        parts.append(f"REPAYCLI_LANG={get_lang()}")
    command = installed_command()
    parts.append(command if " -m " in command else shlex.quote(command))
    parts.append("remind")
    if days != DEFAULT_DAYS:
        parts.append(f"--days {days}")
    if ics is not None:
        parts.append(f"--ics {shlex.quote(str(ics.expanduser().absolute()))}")
        if everything:
            parts.append("--all")
    # In a crontab an unescaped % ends the command.
    return f"{CRON_SCHEDULE} {' '.join(parts)}".replace("%", r"\%")


def load_due(
    until: date,
) -> "tuple[list[DueInstallment], list[OpenFollowUp], list[CollectionAfterAgreement]]":
    """Unpaid installments and open follow-ups due on or before ``until`` (overdue included),
    and contacts logged as collection after an agreement, read through the store's indexed
    queries. No database yet: nothing, and none is created."""
    from repaycli.paths import db_path

    path = db_path()
    if not path.exists():
        return [], [], []
    from repaycli import store

    with store.opened(path, read_only=True) as conn:
        return (
            store.due_installments(conn, until=until),
            store.open_follow_ups_latest(conn, until=until),
            store.collection_after_agreement(conn),
        )


def remind(
    *,
    days: DaysOption = DEFAULT_DAYS,
    as_of: AsOfOption = None,
    exit_code: ExitCodeOption = False,
    json_out: JsonOption = False,
    ics: IcsOption = None,
    everything: AllOption = False,
    crontab: CrontabOption = False,
    install: InstallOption = False,
    uninstall: UninstallOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --ics: replace a file that is not a feed.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """List installments and follow-ups due within --days, and everything overdue.

    Made for cron: prints nothing and exits 0 when nothing is due, never prompts, and writes
    plain text when not on a terminal. --ics FILE also writes a calendar feed.
    """
    command_lang(lang)
    if everything and ics is None:  # --all widens the feed; without one it would do nothing
        from repaycli.errors import BadInput

        raise BadInput("err.all_without_ics")
    if crontab:
        write_out(crontab_line(days=days, ics=ics, everything=everything))
        return
    if install or uninstall:
        from repaycli.cli import remind_setup

        if install and uninstall:
            from repaycli.errors import BadInput

            raise BadInput("remind.err.install_both")
        if uninstall:
            remind_setup.uninstall()
        else:
            line = crontab_line(days=days, ics=ics, everything=everything)
            remind_setup.install(line)
        return
    from repaycli.core.reminders import CALENDAR_DAYS, feed, report, to_reminders, window_end

    day = today()
    if as_of is not None:
        from repaycli.core.dates import parse_date

        day = parse_date(as_of, today=day, field="as_of")
    if ics is not None:
        from repaycli.files import check_target
        from repaycli.render.ics import is_feed

        check_target(ics, force=force or is_feed(ics))
    until = window_end(day, days)
    feed_until: date | None = None if everything else window_end(day, CALENDAR_DAYS)
    if ics is not None:
        until = date.max if feed_until is None else max(until, feed_until)
    installments, follow_ups, collection = load_due(until)
    every = to_reminders(installments, follow_ups, as_of=day)
    result = report(every, as_of=day, days=days, collection=collection)
    if ics is not None:
        from repaycli.render.ics import write_calendar

        count = write_calendar(ics, feed(every, until=feed_until), stamp=now())
        if sys.stderr.isatty():
            from repaycli.render.safe import safe_text

            shown = safe_text(str(ics))
            typer.echo(t("remind.ics_written", count=count, path=shown), err=True)
    complaints, flags = _complaints_and_conduct(day, conduct=json_out)
    if json_out:
        from repaycli.cli.common import StdoutWriter
        from repaycli.i18n import get_lang
        from repaycli.render.json import write_json_stream
        from repaycli.services.collection import flag_json

        # as ``to_json`` would write it, each flag turned into JSON only when its turn comes
        out = StdoutWriter()
        lang = get_lang()
        head = {**result.as_json(), "complaints": complaints}
        write_json_stream(head, "conduct", (flag_json(f, lang) for f in flags), out)
        out.write("\n")
        out.flush()
    elif result.empty:
        # A person, not cron: say so, and what comes next (unless a complaint's answer is due).
        if sys.stdout.isatty() and not complaints:
            from repaycli.cli.remind_setup import nothing_due_line

            every_installment, every_follow_up, _ = load_due(date.max)
            later = to_reminders(every_installment, every_follow_up, as_of=day)
            write_out(nothing_due_line(day, until, later))
    else:
        if sys.stdout.isatty():
            from repaycli.render.remind import print_rich

            print_rich(result)
        else:
            from repaycli.render.remind import plain_text

            write_out(plain_text(result, cells=_columns()))
    if complaints and not json_out:
        write_out("\n".join(_complaint_line(c) for c in complaints))
    if not json_out:
        _check_in(day)
    if exit_code and result.has_overdue:
        raise typer.Exit(1)


def _check_in(day: date) -> None:
    """The monthly check-in of a household with a current plan (nothing otherwise: cron stays
    silent); it is recorded, so it is said once a month."""
    from repaycli.paths import db_path

    if not db_path().exists():
        return
    from repaycli import store
    from repaycli.services.checkin import check_in, due

    with store.opened(read_only=True) as conn:
        if not due(conn, day=day):
            return
    from repaycli.render.register import check_in_text

    with store.opened() as conn:
        found = check_in(conn, day=day, at=now())
    if found is not None:
        write_out(check_in_text(found))


def _complaints_and_conduct(
    day: date, *, conduct: bool
) -> tuple[list[dict[str, Any]], list["Flag"]]:
    """Complaints and 征信 disputes sent, each with its answer's due day and, once that has
    passed, the next step (12378); with ``conduct``, the conduct check's flags (``--json``)."""
    from repaycli.paths import db_path

    path = db_path()
    if not path.exists():
        return [], []
    from repaycli import store, store_complaints
    from repaycli.render.remind import platform_namer
    from repaycli.services.collection import complaint_lines, log_conduct

    with store.opened(path, read_only=True) as conn:
        sent = store_complaints.list_complaints(conn)
        found = log_conduct(conn)[0] if conduct else []
    rows = complaint_lines(sent, today=day, name_of=platform_namer())
    return rows, found


def _complaint_line(row: dict[str, Any]) -> str:
    key = "complaint.due"
    if row["overdue"]:
        key = "complaint.overdue_dispute" if row["kind"] == "dispute" else "complaint.overdue"
    if not row["reference"]:  # no reference to quote: say when it was sent instead
        key += "_noref"
    return t(
        key,
        kind=t(f"complaint.kind_{row['kind']}"),
        platform=row["platform_name"],
        ref=row["reference"] or "",
        sent=row["sent_on"],
        due=row["answer_due"],
    )


def _columns() -> int | None:
    """``COLUMNS`` when set to a sensible width (a person reading a pipe); cron has none."""
    value = os.environ.get("COLUMNS", "").strip()
    if value.isascii() and value.isdigit() and 20 <= int(value) <= 1000:
        return int(value)
    return None


def register(app: typer.Typer) -> None:
    app.command("remind")(remind)
