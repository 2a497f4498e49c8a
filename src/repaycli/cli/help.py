"""Help screens and the framework's own usage errors, in the user's language.

Typer builds each command's help from the ``help=`` strings of its declarations, in English,
and its bundled Click writes ``Usage:``, ``Options:``, ``No such option`` … as plain English
f-strings (it has no gettext; typer's own few ``gettext`` calls need compiled ``.mo`` files in
the ``messages`` domain). So the words on a help screen come from the catalogues instead
(``i18n/<lang>/help.toml``), looked up when the screen is shown — the language is known only
once ``--lang`` and the environment are read, and commands are built lazily:

* every command gets ``RepayContext`` (``cli/__init__.py``; Click's public
  ``Command.context_class``), whose ``make_formatter`` — called for every help screen and usage
  line — imports this module (not loaded otherwise) and first puts the catalogue's
  texts on the command (``help``, ``short_help``, each parameter's ``help`` and ``metavar``:
  public attributes) and then returns ``Formatter``, which translates the headings and wraps by
  display width (a Chinese character takes two columns; a line may break between two of them,
  never before a closing or after an opening punctuation mark);
* ``usage_message`` words a Click usage error (its public attributes: the option, the
  parameter, the suggestions) from the catalogue.

Keys: ``help.<command path>._command`` (first line: the summary in command lists),
``help.<command path>.<long option without -->`` or the positional argument's name, with
``help._common.<option>`` for the options every command shares (``--json``, ``--lang`` …), and
``metavar.<kind>`` for the placeholder (``金额`` / ``AMOUNT``). ``tests/test_help_i18n.py``
fails on any key missing from either catalogue, so a new command or option needs its help.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from repaycli.cli.typer_private import HelpFormatter

#: The options every command may have, whose help is ``help._common.<name>``.
COMMON = ("help", "lang", "json", "no-input")

#: The placeholder shown after an option that takes a value, by its long name (or argument
#: name); anything else gets one by its type (``_kind``).
METAVARS = {
    "overdue": "amount", "income": "amount", "expenses": "amount", "cash": "amount",
    "principal": "amount", "interest": "amount", "penalty": "amount",
    "income-after": "amount", "amount": "amount", "total": "amount", "payment": "amount",
    "upfront-fee": "amount", "walk-away": "amount",
    "recovery": "date", "start": "date", "since": "date", "until": "date", "as-of": "date",
    "first-due": "date", "follow-up": "date", "date": "date",
    "at": "time",
    "platform": "platform", "lang": "lang", "reason": "reason", "channel": "channel",
    "outcome": "outcome", "strategy": "strategy", "kind": "kind", "proposal": "proposal",
    "days-overdue": "days", "days": "days", "periods": "periods", "limit": "count",
    "annual-rate": "rate", "penalty-rate": "rate", "fee-rate": "rate",
    "limit-share": "share", "extra": "amount_date", "limit-from": "amount_date",
    "order": "ids", "amounts": "amounts", "fingerprint": "code",
    "corrects": "id", "log": "id", "void": "id", "agreement_id": "id", "entry_id": "id",
    "format": "format", "number": "phone",
    "target": "file", "debts": "file", "output": "file", "ics": "file", "export": "file",
    "from-plan": "file", "attach": "file", "shell": "shell", "bill": "file", "import": "file",
}  # fmt: skip


def option_key(param: Any) -> str:
    """``days-overdue`` for ``--days-overdue``; an argument's own name (``entry_id``)."""
    names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
    for name in names:
        if name.startswith("--"):
            return str(name[2:])
    return str(param.name)


def command_path(ctx: Any) -> list[str]:
    """The subcommand names from the root down (``["log", "add"]``; ``[]`` for the root)."""
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return names[::-1]


def command_key(path: Sequence[str]) -> str:
    return "help." + (".".join(path) if path else "_root")


def param_key(path: Sequence[str], param: Any) -> str:
    """The catalogue key of one parameter's help (its command's, else the shared one)."""
    from repaycli.i18n import catalogue

    name = option_key(param)
    own = f"{command_key(path)}.{name}"
    if name in COMMON and own not in catalogue("en"):
        return f"help._common.{name}"
    return own


def _kind(param: Any) -> str:
    key = option_key(param)
    if key in METAVARS:
        return METAVARS[key]
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if getattr(descriptor, "is_path", False):
        return "file"
    if annotation is int:
        return "number"
    return "text"


def _metavar(param: Any) -> str | None:
    """The placeholder, or ``None`` to keep typer's (a flag has none; a fixed list of values,
    ``text|markdown|json``, is already what to type)."""
    from repaycli.i18n import t

    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    descriptor = getattr(param, "type_descriptor", None)
    is_argument = getattr(param, "param_type_name", "") == "argument"
    if getattr(descriptor, "is_choice", False) and not is_argument:
        return None
    return t(f"metavar.{_kind(param)}")


def _text(key: str, declared: str | None) -> str | None:
    """The catalogue's text for ``key``; the declaration's own (English) help when a command
    or option has no entry yet (``tests/test_help_i18n.py`` fails on that)."""
    from repaycli.i18n import catalogue, t

    return t(key) if key in catalogue("en") else declared


def _summary(key: str, declared: str | None) -> str | None:
    text = _text(f"{key}._command", None)
    return text.split("\n", 1)[0] if text is not None else declared


def localise(ctx: Any) -> None:
    """Put the catalogue's help (current language) on ``ctx``'s command and its parameters."""
    from repaycli.i18n import t

    command = ctx.command
    path = command_path(ctx)
    command.help = _text(f"{command_key(path)}._command", command.help)
    command.options_metavar = t("help.options_metavar")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = t("help.command_metavar")
    for name in getattr(command, "commands", {}):
        sub = command.commands[name]
        sub.short_help = _summary(command_key([*path, name]), sub.short_help)
    params = list(command.params)
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        params.append(help_option)
    for param in params:
        param.help = _text(param_key(path, param), param.help)
        param.show_default = False  # the catalogue's text says what the default is
        metavar = _metavar(param)
        if metavar is not None:
            param.metavar = metavar


def localise_tree(command: Any, path: list[str]) -> None:
    """The catalogue's summaries and option help on ``command`` and its subcommands, for shell
    completion (zsh and fish show them beside each candidate); no context exists there."""
    command.short_help = _summary(command_key(path), command.short_help)
    for param in command.params:
        param.help = _text(param_key(path, param), param.help)
    for name, sub in getattr(command, "commands", {}).items():
        localise_tree(sub, [*path, name])


def formatter_for(ctx: Any) -> Formatter:
    """``RepayContext.make_formatter`` (``cli/__init__.py``): the command's help put in the
    user's language, and the formatter that shows it."""
    localise(ctx)
    return Formatter(width=ctx.terminal_width, max_width=ctx.max_content_width)


# --- wrapping by display width ---------------------------------------------------------------

#: Marks that never start a line, and marks that never end one.
_CLOSING = set("，。、；：？！）》」』】〉,.;:?!)]}%…—")
_OPENING = set("（《「『【〈([{")
#: Characters that follow a number as its unit (``20天``, ``3个月``, ``12期``).
_MEASURES = set("个天期月年元万千百分钟小时周日号后前次笔家条岁")
#: CJK ideographs, kana, CJK and full-width punctuation: each may stand alone on a line's end.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"


@cache
def _tokens() -> re.Pattern[str]:
    """Spaces, one CJK character, or a run of anything else (compiled when help is shown:
    the character ranges take ~30 ms, more than the rest of this module)."""
    return re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")


def cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _units(text: str) -> list[str]:
    """Unbreakable pieces: a word, one CJK character, or a run of spaces — with a closing mark
    glued to what precedes it, an opening mark to what follows, a number to its unit (``3个月``)
    and a lone symbol to both sides (``金额@日期``)."""
    units: list[str] = []
    glue_next = False
    for token in _tokens().findall(text):
        if token.isspace():
            units.append(" ")
            glue_next = False
            continue
        prev = units[-1] if units and not units[-1].isspace() else None
        symbol = token.isascii() and not any(c.isalnum() for c in token)
        glue = prev is not None and (
            glue_next
            or token[0] in _CLOSING
            or symbol
            or (token in _MEASURES and any(c.isdigit() for c in prev) and prev[-1] not in _CLOSING)
        )
        if glue and prev is not None:
            units[-1] = prev + token
        else:
            units.append(token)
        glue_next = token[-1] in _OPENING or symbol
    return units


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` columns."""
    lines: list[str] = []
    line = ""
    for unit in _units(text):
        if unit.isspace():
            if line:
                line += " "
            continue
        if cells(line) + cells(unit) <= width or not line.strip():
            if not line.strip() and cells(unit) > width:  # longer than a line: cut it
                for char in unit:
                    if cells(line) + cells(char) > width and line:
                        lines.append(line)
                        line = ""
                    line += char
                continue
            line = line + unit if line.strip() else unit
            continue
        lines.append(line.rstrip())
        line = unit
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its source lines: a space between words, none between CJK."""
    out = ""
    for line in (line.strip() for line in lines):
        if out and line:
            wide = cells(out[-1]) == 2 or cells(line[0]) == 2
            out += line if wide else " " + line
        else:
            out += line
    return out


def paragraphs(text: str) -> list[str]:
    return [_join_lines(block.splitlines()) for block in re.split(r"\n\s*\n", text.strip())]


#: ``[default: …; 0<=x<=366; required]``, as typer appends it to an option's help.
_EXTRA = re.compile(r"\s*\[([^\[\]]*)\]$")
_RANGE = re.compile(r"^(-?\d+)<=x<=(-?\d+)$")
_AT_LEAST = re.compile(r"^x>=(-?\d+)$")
_AT_MOST = re.compile(r"^x<=(-?\d+)$")
#: Typer's type after an argument's name in its help row (``ID <int>``): the name says it.
_ARG_TYPE = re.compile(r"^([^-\s]\S*) <[^<>]*>$")


def _extras(text: str) -> str:
    """Typer's bracketed notes after an option's help, in the user's language."""
    from repaycli.i18n import t

    found = _EXTRA.search(text)
    if not found:
        return text
    parts = []
    for part in found.group(1).split("; "):
        low_high, low, high = _RANGE.match(part), _AT_LEAST.match(part), _AT_MOST.match(part)
        if part == "required":
            parts.append(t("help.extra.required"))
        elif low_high:
            parts.append(t("help.extra.range", low=low_high[1], high=low_high[2]))
        elif low:
            parts.append(t("help.extra.at_least", low=low[1]))
        elif high:
            parts.append(t("help.extra.at_most", high=high[1]))
        else:
            parts.append(part)
    return f"{text[: found.start()]}  [{t('help.extra.sep').join(parts)}]"


class Formatter(HelpFormatter):
    """Click's help formatter with translated headings and wrapping by display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        from repaycli.i18n import t

        head = f"{' ' * self.current_indent}{prefix or t('help.usage')}{prog} "
        args = re.sub(r"\{([^{}\s]+)\}", r"\1", args)  # typer's {ID}: a required argument
        room = max(self.width - cells(head), 20)
        lines = wrap(args, room)
        self.write(head + lines[0] + "\n")
        for line in lines[1:]:
            self.write(" " * cells(head) + line + "\n")

    def write_heading(self, heading: str) -> None:
        from repaycli.i18n import t

        name = t(f"help.heading.{heading.lower()}") if heading in _HEADINGS else heading
        self.write(f"{' ' * self.current_indent}{t('help.heading_format', name=name)}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 20)
        blocks = ["\n".join(indent + line for line in wrap(p, width)) for p in paragraphs(text)]
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = [(_ARG_TYPE.sub(r"\1", first), second) for first, second in rows]
        first_width = min(max((cells(first) for first, _ in rows), default=0), col_max)
        first_col = first_width + col_spacing
        indent = " " * self.current_indent
        text_width = max(self.width - first_col - self.current_indent, 16)
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_width:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = [line for p in paragraphs(_extras(second)) for line in wrap(p, text_width)]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        self.write_paragraph()
        self.write_heading(name)
        self.indent()
        try:
            yield
        finally:
            self.dedent()


_HEADINGS = {"Options", "Commands", "Arguments"}


# --- usage errors ---------------------------------------------------------------------------

_EXTRA_ARGS = re.compile(r"^Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", re.S)
_NO_COMMAND = re.compile(r"^No such command '(.*?)'\.")
_NOT_ONE_OF = re.compile(r"'(.*?)' is not one of")


def _suggest(wanted: str, names: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.75)


def _option_names(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    names: list[str] = []
    for param in ctx.command.get_params(ctx):
        names += [n for n in (*param.opts, *param.secondary_opts) if n.startswith("--")]
    return names


def _did_you_mean(found: list[str]) -> str:
    from repaycli.i18n import t

    return t("usage.did_you_mean", names=t("list_sep").join(found)) if found else ""


def _param_name(param: Any, ctx: Any) -> str:
    if param is None:
        return "?"
    if getattr(param, "param_type_name", "") == "argument":
        from repaycli.i18n import t

        return t(f"metavar.{_kind(param)}")
    return "/".join(n for n in param.opts if n.startswith("--")) or str(param.name)


def usage_message(error: Exception) -> str:
    """One Click usage error in the user's language (the English text when it is of a kind
    this does not know: better English than nothing)."""
    from typer import BadParameter

    from repaycli.cli.typer_private import (
        BadOptionUsage,
        MissingParameter,
        NoSuchOption,
        UsageError,
    )
    from repaycli.i18n import t

    ctx = getattr(error, "ctx", None)
    if isinstance(error, NoSuchOption):
        found = _suggest(error.option_name, _option_names(ctx))
        return t("usage.no_such_option", option=error.option_name) + _did_you_mean(found)
    if isinstance(error, BadOptionUsage):
        option = error.option_name
        key = "takes_no_value" if "does not take" in error.message else "needs_value"
        return t(f"usage.{key}", option=option)
    if isinstance(error, MissingParameter):
        name = _param_name(error.param, ctx)
        kind = "argument" if getattr(error.param, "param_type_name", "") == "argument" else "option"
        return t(f"usage.missing_{kind}", name=name)
    if isinstance(error, BadParameter):
        return _bad_value(error, ctx)
    if isinstance(error, UsageError):
        message = error.message
        extra = _EXTRA_ARGS.match(message)
        if extra:
            return t("usage.extra_args", args=extra.group(1))
        missing = _NO_COMMAND.match(message)
        if missing and ctx is not None:
            found = _suggest(missing.group(1), list(getattr(ctx.command, "commands", {})))
            return t("usage.no_such_command", name=missing.group(1)) + _did_you_mean(found)
        return message
    return str(error)


def _bad_value(error: Any, ctx: Any) -> str:
    from repaycli.i18n import t

    param = error.param
    name = _param_name(param, ctx)
    descriptor = getattr(param, "type_descriptor", None)
    if getattr(descriptor, "is_choice", False):
        value = _NOT_ONE_OF.search(error.message)
        choices = [str(getattr(c, "value", c)) for c in getattr(descriptor, "choices", ()) or ()]
        return t(
            "usage.not_a_choice",
            option=name,
            value=value.group(1) if value else "",
            choices=t("list_sep").join(choices),
        )
    if getattr(descriptor, "annotation", None) is int:
        low, high = getattr(param, "min", None), getattr(param, "max", None)
        if low is not None and high is not None:
            return t("usage.integer_range", option=name, low=low, high=high)
        if low is not None:
            return t("usage.integer_at_least", option=name, low=low)
        return t("usage.integer", option=name)
    return t("usage.invalid_value", option=name, detail=error.message)
