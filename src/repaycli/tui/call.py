"""``repaycli call``: one screen for the length of a phone call with a lender.

Always in view: whom to call (and to check the number in the official app), a call timer, the
opening, target and walk-away numbers from the call card, and the next thing to say or ask for,
ticked off as the call goes. Below, two tabs: the offer box (evaluated as it is typed, exactly as
``repaycli offer`` evaluates it) and the call-log fields. Everything typed is kept as a draft
(``repaycli.drafts``) until the call is saved; ending the call writes the log entry and the
offers checked during it in one transaction (``services.call.finish``).

Text the user typed is shown as ``rich.text.Text``, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Input, Label, Static, TabbedContent, TabPane

from repaycli import drafts
from repaycli.errors import BadInput, RepayError
from repaycli.i18n import get_lang, t
from repaycli.services.call import OFFER_FIELDS, CallSetup, Saved, evaluate_typed, finish
from repaycli.tui.dialogs import Ask, EndAnswer, EndCall

#: The call-log fields typed during the call, in the order shown (``catalog/log_fields.toml``).
RECORD_FIELDS = (
    "agent",
    "ref",
    "agreed_terms",
    "confirmation",
    "follow_up",
    "follow_up_action",
    "notes",
)
#: ``repaycli offer``'s messages name its flags; on this screen they name the boxes.
SCREEN_ERRORS = {
    "offer.err.terms": "call.err.terms",
    "offer.err.fee_rate_percent": "call.err.fee_rate_percent",
    "offer.err.fee_too_large": "call.err.fee_too_large",
    "err.log_at_future": "call.err.at_future",
}
#: How long typing pauses before the draft is written (seconds).
DRAFT_DELAY = 0.3


#: Spaces that would leave a unit alone at the start of a line ("118.23 / 元", "7 / 期").
_GLUED = (" 元", " 期", " 个月", " 天")


def glued(text: str) -> str:
    """``text`` with a number and its unit kept on one line (no-break spaces)."""
    for unit in _GLUED:
        text = text.replace(unit, "\u00a0" + unit[1:])
    return text


class Wrapped:
    """A value broken into lines by :func:`repaycli.render.wrap.wrap` at the width the layout
    gives it: an amount with its unit, Chinese punctuation kept off a line's start. rich's own
    wrapping breaks at any whitespace, the no-break space of :func:`glued` included, and the
    call card read ``…还清本息 14,705.88`` / ``元；减免罚息…``."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from repaycli.render.wrap import wrap

        plain = self.text.plain
        pieces: list[Text] = []
        at = 0
        for line in wrap(plain, max(options.max_width, 1)):
            start = plain.find(line, at)
            if start < 0:  # not a piece of the text as it stands: let rich wrap it
                yield self.text
                return
            pieces.append(self.text[start : start + len(line)])
            at = start + len(line)
        joined = Text("\n").join(pieces)
        joined.overflow = "fold"
        yield joined


def two_columns(rows: list[tuple[str, Text]]) -> Table:
    """Labels on the left, values wrapped beside them (a hanging indent, in any language)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        value = value.copy()
        value.plain = glued(value.plain)  # same length: the styles stay where they were
        # Chinese by repaycli's breaker; other text as rich wraps it (at spaces only: wrap would
        # also break ``+¥217.04/month`` after the slash)
        chinese = any(char >= "\u2e80" for char in value.plain)
        table.add_row(Text(label), Wrapped(value) if chinese else value)
    return table


def message(error: RepayError) -> str:
    """One translated line for an error, in the words of this screen."""
    key = SCREEN_ERRORS.get(error.key, error.key)
    return t(key, **error.params)


class Field(Input):
    """A one-line box; the arrow keys go to the next and the previous box, as on a form."""

    BINDINGS = [
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]


class CallApp(App[Saved | None]):
    """The call screen. ``clock`` gives the time (tests and screenshots pin it)."""

    TITLE = "repaycli call"
    #: Ctrl+P would open Textual's command palette: one more screen for F10 to get past.
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { layout: vertical; }
    #top { height: 1; }
    #who { width: 1fr; text-style: bold; }
    #timer { width: auto; text-style: bold; }
    #card { height: auto; border: round $accent; padding: 0 1; }
    #warnings { height: auto; text-style: italic; }
    #step { height: auto; max-height: 3; }
    TabbedContent { height: 1fr; }
    TabPane { padding: 0; }
    #offer-pane { layout: horizontal; }
    #offer-form { width: 31; height: auto; grid-size: 2; grid-columns: 11 1fr;
                  grid-rows: 1; grid-gutter: 0 1; }
    #offer-side { width: 1fr; height: 100%; padding-left: 1; }
    #verdict { height: auto; }
    #kept { height: auto; }
    #record-form { height: auto; grid-size: 2; grid-columns: 22 1fr; grid-rows: 1;
                   grid-gutter: 0 1; }
    #record-error { height: auto; text-style: bold; }
    Input.-textual-compact { height: 1; }
    Input.-textual-compact:focus { text-style: bold; }
    Label.field { width: 100%; }
    #keys { height: 1; }
    #keys Button { margin-right: 1; min-width: 0; }
    .danger { text-style: bold reverse; }
    """
    BINDINGS = [
        Binding("f2,ctrl+t", "tick", show=False),
        Binding("f3,ctrl+o", "switch_tab", show=False),
        Binding("f10,ctrl+s", "end_call", show=False, priority=True),
        Binding("ctrl+q", "request_quit", show=False, priority=True),
        Binding("escape", "request_quit", show=False),
    ]

    def __init__(
        self,
        setup: CallSetup,
        *,
        clock: Callable[[], datetime] | None = None,
        draft: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        from repaycli.cli.common import now

        self.setup = setup
        self.clock = clock or now
        self.started = self.clock()
        self.done: list[str] = []
        #: Offers kept during the call: (headline, ``offer --json`` text).
        self.kept: list[tuple[str, str]] = []
        self.pending_draft = draft
        self._draft_timer: Any = None
        self._restoring = False
        #: The call is written: no draft may be written after it (a typing pause's timer that
        #: fired between the save and the exit brought the saved call back as a draft).
        self._ended = False
        #: F10 answered an open question with its safe answer; the end-of-call dialog follows.
        self._end_next = False
        #: The exception that stopped the screen: the command says so in one line, exit 1.
        self.crash: BaseException | None = None

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from repaycli.paths import practice_active

        if practice_active():  # issue 24: a trial call never looks like a real one
            yield Static(Text(t("practice.banner"), style="reverse bold"), id="practice")
        with Horizontal(id="top"):
            yield Static(self._who(), id="who")
            yield Static("", id="timer")
        yield Static(self._card_text(), id="card")
        if self.setup.warnings:
            yield Static(Text("\n".join(self.setup.warnings)), id="warnings")
        yield Static("", id="step")
        with TabbedContent(initial="offer-tab"):
            with TabPane(t("call.tab.offer"), id="offer-tab"):
                with Horizontal(id="offer-pane"):
                    with Grid(id="offer-form"):
                        for name in OFFER_FIELDS:
                            yield Label(Text(t(f"call.offer.{name}")), classes="field")
                            yield Field(
                                value=self._offer_default(name),
                                placeholder=t(f"call.hint.{name}"),
                                id=f"offer-{name}",
                                compact=True,
                            )
                    with VerticalScroll(id="offer-side"):
                        yield Static(Text(t("call.verdict.empty")), id="verdict")
                        yield Static("", id="kept")
            with TabPane(t("call.tab.record"), id="record-tab"):
                with VerticalScroll():
                    with Grid(id="record-form"):
                        for name in RECORD_FIELDS:
                            yield Label(Text(t(f"logfield.{name}")), classes="field")
                            yield Field(
                                placeholder=t(f"call.hint.{name}"),
                                id=f"record-{name}",
                                compact=True,
                            )
                    yield Static("", id="record-error")
        with Horizontal(id="keys"):
            for action, key in (
                ("tick", "f2"),
                ("switch_tab", "f3"),
                ("keep", "enter"),
                ("end_call", "f10"),
                ("request_quit", "ctrl_q"),
            ):
                yield Button(Text(t(f"call.key.{key}")), id=f"key-{action}", compact=True)

    def on_mount(self) -> None:
        self.title = t("call.title")
        self._tick_timer()
        self.set_interval(1, self._tick_timer)
        self._show_step()
        self.query_one(
            "#offer-amount" if not self._offer_default("amount") else "#offer-periods", Input
        ).focus()
        if self.pending_draft is not None:
            draft = self.pending_draft
            when = str(draft.get("started_at", ""))[:16].replace("T", "\u00a0")
            question = t("call.restore.question", when=when, platform=self._draft_lender(draft))
            answers = [("restore", t("call.restore.yes")), ("discard", t("call.restore.no"))]
            self.push_screen(Ask(question, answers, cancel="restore"), self._restore_answer)

    def _draft_lender(self, draft: dict[str, Any]) -> str:
        """The lender the unsaved call was with (not this call's: they may differ)."""
        from repaycli.catalog import load_catalogue
        from repaycli.paths import user_platforms_file

        pid = draft.get("platform")
        if not isinstance(pid, str) or pid == self.setup.platform.id:
            return self.setup.platform_name
        try:
            return load_catalogue(user_platforms_file()).get(pid).name(get_lang())
        except (KeyError, RepayError):
            return pid

    def _who(self) -> Text:
        setup, card = self.setup, self.setup.card
        hotline = card.hotline if card is not None else setup.platform.hotline
        if card is not None and card.hotline is None:
            hotline = None
        text = Text(setup.platform_name, style="bold")
        if hotline:
            text.append("  " + t("call.hotline", hotline=hotline.split(",")[0].strip()))
            text.append(t("call.verify"))
        else:
            text.append("  " + t("call.no_hotline"))
        return text

    def _card_text(self) -> Text | Table:
        card = self.setup.card
        if card is None:
            # a warning below the card says why (a plan for another lender, an unreadable plan):
            # "no saved plan" would contradict it
            return Text(t("call.card.none_why_below" if self.setup.warnings else "call.card.none"))
        from repaycli.render.plan import money

        rows: list[tuple[str, Text]] = []
        if card.hardship_route and card.hardship is not None:
            pause = t(
                "call.card.pause_text",
                months=card.hardship.pause_months,
                date=card.hardship.write_again.isoformat(),
            )
            rows.append((t("call.card.pause"), Text(pause)))
        if card.opening is not None:
            rows.append((t("call.card.opening"), Text(card.opening.text)))
        if card.target is not None and (
            card.opening is None or card.target.proposal_id != card.opening.proposal_id
        ):
            rows.append((t("call.card.target"), Text(card.target.text)))
        walk = money(card.walk_away.monthly)
        if card.walk_away.after is not None and card.walk_away.after_from is not None:
            walk += t(
                "plan.walk_away_then",
                date=card.walk_away.after_from.isoformat(),
                amount=money(card.walk_away.after),
            )
        words = t("call.card.walk_away_text", amount=walk)
        if not card.walk_away.monthly and card.walk_away.after is None:
            words = t("call.card.walk_away_zero")
        rows.append((t("call.card.walk_away"), Text(words, "bold")))
        if card.say:
            say = card.say.removeprefix(t("call.card.say_prefix"))
            rows.append((t("call.card.say"), Text(say)))
        return two_columns(rows)

    def _offer_default(self, name: str) -> str:
        if name == "amount":
            amount = self.setup.default_amount()
            return f"{amount:f}" if amount is not None else ""
        return ""

    # --- the timer and the checklist ----------------------------------------------------------

    def _tick_timer(self) -> None:
        if not self.query("#timer"):
            return
        seconds = max(0, int((self.clock() - self.started).total_seconds()))
        hours, rest = divmod(seconds, 3600)
        shown = (
            f"{hours}:{rest // 60:02}:{rest % 60:02}"
            if hours
            else f"{rest // 60:02}:{rest % 60:02}"
        )
        self.query_one("#timer", Static).update(t("call.timer", time=shown))

    def _show_step(self) -> None:
        steps = [s for s in self.setup.steps if s[0] not in self.done]
        total = len(self.setup.steps)
        text = Text()
        if steps:
            step_id, words = steps[0]
            text.append(t("call.step.next", n=total - len(steps) + 1, total=total), style="bold")
            text.append("[ ] " + words)
        else:
            text.append(t("call.step.all_done", total=total), style="bold")
        self.query_one("#step", Static).update(text)

    def action_tick(self) -> None:
        steps = [s for s in self.setup.steps if s[0] not in self.done]
        if steps:
            self.done.append(steps[0][0])
            self._show_step()
            self._save_draft()

    def on_click(self, event: Any) -> None:
        widget = getattr(event, "widget", None)
        if widget is not None and widget.id == "step":
            self.action_tick()

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "record-tab" if tabs.active == "offer-tab" else "offer-tab"
        first = "#record-agent" if tabs.active == "record-tab" else "#offer-amount"
        self.query_one(first, Input).focus()

    # --- the offer box ------------------------------------------------------------------------

    def _typed_offer(self) -> dict[str, str]:
        return {name: self.query_one(f"#offer-{name}", Input).value for name in OFFER_FIELDS}

    def _evaluate(self) -> Any:
        """The current offer's evaluation, or ``None``; shows the verdict either way."""
        verdict = self.query_one("#verdict", Static)
        try:
            result = evaluate_typed(self.setup, self._typed_offer())
        except RepayError as error:
            verdict.update(Text(message(error), style="bold"))
            return None
        if result is None:
            verdict.update(Text(t("call.verdict.empty")))
            return None
        from repaycli.services.call import household_warning
        from repaycli.tui.verdict import verdict_text

        shown = verdict_text(result)
        warning = household_warning(self.setup, result)
        if warning is not None:  # what agreeing would leave the other lenders
            from rich.console import Group

            shown = Group(Text(warning, style="bold"), shown)
        verdict.update(shown)
        return result

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._restoring:
            return
        name = event.input.id or ""
        if name.startswith("offer-"):
            self._evaluate()
        elif name.startswith("record-"):
            self._check_record()
        self._schedule_draft()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if (event.input.id or "").startswith("offer-"):
            self.action_keep()
        else:
            self.screen.focus_next()

    def action_keep(self) -> None:
        """Keep the offer on screen (it goes with the log entry as an offer check)."""
        result = self._evaluate()
        if result is None:
            return
        from repaycli.render.json import to_json
        from repaycli.services.call import describe_offer

        kept = (describe_offer(result), to_json(result))
        if kept[1] not in (k[1] for k in self.kept):
            self.kept.append(kept)
        self._show_kept()
        self._save_draft()

    def _show_kept(self) -> None:
        """One line: how many offers go with the call (the end-of-call dialog lists them)."""
        text = Text(t("call.kept", count=len(self.kept)), style="bold") if self.kept else ""
        self.query_one("#kept", Static).update(text)

    # --- the call-log fields ------------------------------------------------------------------

    def _record(self) -> dict[str, str]:
        return {name: self.query_one(f"#record-{name}", Input).value for name in RECORD_FIELDS}

    def _log_fields(self, outcome: str, agreed: str | None = None) -> dict[str, str | None]:
        """Every call-log field as typed, with what the screen knows filled in (``agreed``:
        the accepted offer, for the agreed terms when none were typed)."""
        card = self.setup.card
        hotline = card.hotline if card is not None else self.setup.platform.hotline
        fields: dict[str, str | None] = {
            **self._record(),
            "at": self.started.isoformat(timespec="seconds"),
            "channel": "phone",
            "outcome": outcome,
            "number": hotline.split(",")[0].strip() if hotline else None,
            "asked": card.opening.text if card is not None and card.opening else None,
            "offered": ("；" if get_lang() == "zh" else "; ").join(h for h, _ in self.kept),
        }
        if agreed and not (fields.get("agreed_terms") or "").strip():
            fields["agreed_terms"] = agreed
        return {k: (v if v and v.strip() else None) for k, v in fields.items()}

    def _check_record(self) -> bool:
        """Each field as ``log add`` would read it; the first problem shown under the form."""
        from repaycli.services.log import read_fields

        shown = self.query_one("#record-error", Static)
        try:
            read_fields(
                {**self._log_fields("pending"), "platform": self.setup.platform.id},
                clock=self.clock(),
            )
        except BadInput as error:
            shown.update(Text(message(error)))
            return False
        shown.update("")
        return True

    # --- the draft ----------------------------------------------------------------------------

    def _draft(self) -> dict[str, Any]:
        return {
            "platform": self.setup.platform.id,
            "started_at": self.started.isoformat(timespec="seconds"),
            "offer": self._typed_offer(),
            "record": self._record(),
            "done": list(self.done),
            "kept": [{"headline": h, "evaluation": e} for h, e in self.kept],
        }

    def _pristine(self) -> bool:
        """Nothing typed yet: no draft is written (and the last call's draft is left alone)."""
        return (
            not self.done
            and not self.kept
            and not any(self._record().values())
            and all(v == self._offer_default(k) for k, v in self._typed_offer().items())
        )

    def _schedule_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def _save_draft(self) -> None:
        try:
            if self._ended or self.pending_draft is not None or self._pristine():
                return  # the restore question is open, or nothing to keep
            draft = self._draft()
        except NoMatches:  # the screen is being taken down: what was typed is already saved
            return
        try:
            drafts.save(draft)
        except (OSError, RepayError) as error:
            detail = message(error) if isinstance(error, RepayError) else str(error)
            self.notify(t("call.draft_failed", detail=detail), severity="error")

    def _restore_answer(self, answer: str | None) -> None:
        draft, self.pending_draft = self.pending_draft, None
        if answer != "restore" or draft is None:
            drafts.discard()
            self._end_if_asked()
            return
        self._restoring = True
        try:
            started = draft.get("started_at")
            if isinstance(started, str):
                try:
                    self.started = datetime.fromisoformat(started)
                except ValueError:
                    pass
            for group, names in (("offer", OFFER_FIELDS), ("record", RECORD_FIELDS)):
                values = draft.get(group)
                if isinstance(values, dict):
                    for name in names:
                        value = values.get(name)
                        if isinstance(value, str):
                            self.query_one(f"#{group}-{name}", Input).value = value
            done = draft.get("done")
            known = {s[0] for s in self.setup.steps}
            if isinstance(done, list):
                self.done = [d for d in done if isinstance(d, str) and d in known]
            kept = draft.get("kept")
            if isinstance(kept, list):
                self.kept = [
                    (str(k["headline"]), str(k["evaluation"]))
                    for k in kept
                    if isinstance(k, dict) and "headline" in k and "evaluation" in k
                ]
        finally:
            self._restoring = False
        self._show_step()
        self._show_kept()
        self._tick_timer()
        self._evaluate()
        self._check_record()
        self._end_if_asked()

    # --- ending -------------------------------------------------------------------------------

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        action = (event.button.id or "").removeprefix("key-")
        if action in ("tick", "switch_tab", "keep", "end_call", "request_quit"):
            await self.run_action(action)

    def action_end_call(self) -> None:
        """F10 from any state: on the call screen, the end-of-call dialog; in that dialog, Save;
        in a question (restore the draft? quit?), its safe answer, then the end-of-call dialog.
        It used to do nothing while a question was open, and the Enter that followed answered
        the question instead of saving the call."""
        top = self.screen
        if isinstance(top, EndCall):
            top.save()
            return
        if isinstance(top, Ask):
            self._end_next = True
            top.answer(top.cancel)
            return
        if len(self.screen_stack) > 1 or self._ended:
            return
        if self._evaluate() is not None:
            self.action_keep()  # the offer on screen goes with the entry
        self.push_screen(
            EndCall([h for h, _ in self.kept], above=self._kept_above()), self._end_answer
        )

    def _end_if_asked(self) -> None:
        if self._end_next:
            self._end_next = False
            self.action_end_call()

    def _kept_above(self) -> list[bool]:
        """For each kept offer: is it above the walk-away line (``above_walk_away``)?"""
        import json

        return [bool(json.loads(e).get("above_walk_away")) for _, e in self.kept]

    def _end_answer(self, answer: EndAnswer | None) -> None:
        if answer is None or self._ended:
            return
        agreement = None
        agreed = None
        if answer.agreement is not None:
            from repaycli.core.offer import OfferResult

            agreed, evaluation = self.kept[answer.agreement]
            agreement = OfferResult.model_validate_json(evaluation)
        try:
            saved = finish(
                self.setup,
                self._log_fields(answer.outcome, agreed),
                [e for _, e in self.kept],
                clock=self.clock(),
                agreement_from=agreement,
            )
        except RepayError as error:
            self.push_screen(
                EndCall([h for h, _ in self.kept], error=message(error), above=self._kept_above()),
                self._end_answer,
            )
            return
        self._ended = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        drafts.discard()
        self.exit(saved)

    def action_request_quit(self) -> None:
        if len(self.screen_stack) > 1:
            return
        answers = [
            ("back", t("call.quit.back")),
            ("keep", t("call.quit.keep")),
            ("discard", t("call.quit.discard")),
        ]
        self.push_screen(Ask(t("call.quit.question"), answers, cancel="back"), self._quit_answer)

    def _quit_answer(self, answer: str | None) -> None:
        if answer == "back":
            self._end_if_asked()
        elif answer == "keep":
            self._save_draft()
            self.exit(None, message=t("call.quit.kept"))
        elif answer == "discard":
            drafts.discard()
            self.exit(None)

    # --- a crash ------------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Any exception inside the app: what was typed is written as the draft, and the app
        stops with return code 1 and no traceback (the command prints one line and exits 1).
        Textual's own handler printed the traceback and ``run`` returned ``None``, which the
        command took for "quit without saving": exit 0."""
        if self.crash is None:
            self.crash = error
            try:
                self._save_draft()
            except Exception:  # the screen is broken: the last draft written stands
                pass
        self._return_code = 1
        if self._exception is None:  # the pilot re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()
