"""The call screen's dialogs: end the call, quit, restore a draft. Each answers with
``dismiss``; none writes anything itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static

from repaycli.i18n import t

Answer = TypeVar("Answer")


class Dialog(ModalScreen[Answer], Generic[Answer]):
    """A dialog that answers once. A second answer (Enter pressed twice, a click and a key in
    the same frame) used to dismiss the screen below it: Textual then popped the call screen
    itself and the app died of a ``ScreenStackError``."""

    answered = False

    def answer(self, result: Answer) -> None:
        if self.answered or not self.is_active:
            return
        self.answered = True
        self.dismiss(result)


#: The outcomes of a call, in the order offered (``catalog/log_fields.toml``).
OUTCOMES = ("agreed", "pending", "callback_promised", "refused", "no_answer", "threatened")

DIALOG_CSS = """
ModalScreen { align: center middle; }
.dialog {
    width: 76; max-width: 100%; height: auto; max-height: 100%;
    border: heavy $accent; padding: 0 1; background: $surface;
}
.dialog Vertical { height: auto; }
.dialog .title { text-style: bold; }
.dialog .error { text-style: bold; height: auto; }
.dialog Horizontal { height: auto; margin-top: 1; }
.dialog Button { margin-right: 1; min-width: 0; }
.dialog OptionList { height: auto; max-height: 7; border: none; padding: 0; }
"""


class Choice(OptionList):
    """One answer among a few: the highlighted line is the answer, marked "(•)" in text (no
    colour needed) — moving with the arrows or clicking chooses, nothing else to press."""

    def __init__(self, labels: list[str], *, chosen: int = 0, id: str | None = None) -> None:
        self.labels = labels
        super().__init__(*(self._prompt(n, n == chosen) for n in range(len(labels))), id=id)
        self._initial = chosen

    def _prompt(self, n: int, on: bool) -> Text:
        return Text(("(•) " if on else "( ) ") + self.labels[n])

    def on_mount(self) -> None:
        self.highlighted = self._initial

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        new = event.option_index
        for n in range(len(self.labels)):
            self.replace_option_prompt_at_index(n, self._prompt(n, n == new))

    @property
    def chosen(self) -> int:
        return self.highlighted if self.highlighted is not None else 0


@dataclass(frozen=True)
class EndAnswer:
    outcome: str
    #: The index of the kept offer to record as the agreement (``None``: no agreement).
    agreement: int | None


class EndCall(Dialog[EndAnswer | None]):
    """How did the call end? With "agreed", which kept offer (if any) becomes the agreement."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self, offers: list[str], error: str | None = None, above: list[bool] | None = None
    ) -> None:
        super().__init__()
        self.offers = offers
        self.error = error
        #: Which offers are above the walk-away line: never the one chosen unasked.
        self.above = above or [False] * len(offers)

    def _default_agreement(self) -> int:
        """The last offer within the walk-away line; with none, "no agreement yet"."""
        within = [n for n, above in enumerate(self.above) if not above]
        return within[-1] if within else len(self.offers)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(Text(t("call.end.title")), classes="title")
            yield Label(Text(t("call.end.outcome")))
            # never "agreed" unasked: a hurried Save must not record an agreement
            labels = [t(f"outcome.{o}") for o in OUTCOMES]
            yield Choice(labels, chosen=OUTCOMES.index("pending"), id="outcome")
            with Vertical(id="agreement-box"):
                if self.offers:
                    yield Label(Text(t("call.end.agreement")))
                    labels = [*self.offers, t("call.end.no_agreement")]
                    yield Choice(labels, chosen=self._default_agreement(), id="agreement")
                else:
                    yield Label(Text(t("call.end.no_offers")))
            yield Static(Text(self.error or ""), id="end-error", classes="error")
            with Horizontal():
                yield Button(Text(f"[ {t('call.end.save')} ]"), id="save", compact=True)
                yield Button(Text(f"[ {t('call.end.back')} ]"), id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#outcome", Choice).focus()
        self._show_agreement()

    def _outcome(self) -> str:
        return OUTCOMES[self.query_one("#outcome", Choice).chosen]

    def _show_agreement(self) -> None:
        self.query_one("#agreement-box").display = self._outcome() == "agreed"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "outcome":
            self._show_agreement()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_next()  # Enter on a choice: on to the next question, or to Save

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            self.answer(None)
        else:
            self.save()

    def save(self) -> None:
        """Save, as chosen so far (the Save button, or F10 again)."""
        outcome = self._outcome()
        agreement: int | None = None
        if outcome == "agreed" and self.offers:
            index = self.query_one("#agreement", Choice).chosen
            agreement = index if 0 <= index < len(self.offers) else None
        self.answer(EndAnswer(outcome, agreement))

    def action_cancel(self) -> None:
        self.answer(None)


class Ask(Dialog[str]):
    """A question with a few answers (buttons); answers the chosen button's id."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False
    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, answers: list[tuple[str, str]], cancel: str) -> None:
        super().__init__()
        self.question = question
        self.answers = answers
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="title")
            with Horizontal():
                for answer_id, label in self.answers:
                    yield Button(Text(f"[ {label} ]"), id=answer_id, compact=True)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.answer(event.button.id or self.cancel)

    def action_cancel(self) -> None:
        self.answer(self.cancel)
