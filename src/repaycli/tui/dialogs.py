"""The call screen's dialogs: end the call, quit, restore a draft. Each answers with
``dismiss``; none writes anything itself."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from repaycli.i18n import t

#: The outcomes of a call, in the order offered (``catalog/log_fields.toml``).
OUTCOMES = ("agreed", "pending", "callback_promised", "refused", "no_answer")

DIALOG_CSS = """
ModalScreen { align: center middle; }
.dialog {
    width: 76; max-width: 100%; height: auto; max-height: 100%;
    border: heavy $accent; padding: 0 1; background: $surface;
}
.dialog .title { text-style: bold; }
.dialog .error { text-style: bold reverse; }
.dialog Horizontal { height: auto; }
.dialog Button { margin-right: 1; }
.dialog RadioSet { width: 100%; }
"""


@dataclass(frozen=True)
class EndAnswer:
    outcome: str
    #: The index of the kept offer to record as the agreement (``None``: no agreement).
    agreement: int | None


class EndCall(ModalScreen[EndAnswer | None]):
    """How did the call end? With "agreed", which kept offer (if any) becomes the agreement."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, offers: list[str], error: str | None = None) -> None:
        super().__init__()
        self.offers = offers
        self.error = error

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(t("call.end.title"), classes="title")
            yield Label(t("call.end.outcome"))
            with RadioSet(id="outcome"):
                for n, outcome in enumerate(OUTCOMES):
                    yield RadioButton(t(f"outcome.{outcome}"), value=n == 0, id=f"o-{outcome}")
            with Vertical(id="agreement-box"):
                if self.offers:
                    yield Label(t("call.end.agreement"))
                    with RadioSet(id="agreement"):
                        for n, offer in enumerate(self.offers):
                            label = Text(offer)  # typed numbers, never markup
                            yield RadioButton(label, value=n == len(self.offers) - 1)
                        yield RadioButton(t("call.end.no_agreement"), id="no-agreement")
                else:
                    yield Label(t("call.end.no_offers"))
            yield Static(Text(self.error or ""), id="end-error", classes="error")
            with Horizontal():
                yield Button(t("call.end.save"), id="save", variant="primary")
                yield Button(t("call.end.back"), id="back")

    def on_mount(self) -> None:
        self.query_one("#outcome", RadioSet).focus()
        self._show_agreement()

    def _outcome(self) -> str:
        index = self.query_one("#outcome", RadioSet).pressed_index
        return OUTCOMES[index] if index >= 0 else OUTCOMES[0]

    def _show_agreement(self) -> None:
        self.query_one("#agreement-box").display = self._outcome() == "agreed"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "outcome":
            self._show_agreement()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            self.dismiss(None)
            return
        outcome = self._outcome()
        agreement: int | None = None
        if outcome == "agreed" and self.offers:
            index = self.query_one("#agreement", RadioSet).pressed_index
            agreement = index if 0 <= index < len(self.offers) else None
        self.dismiss(EndAnswer(outcome, agreement))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Ask(ModalScreen[str]):
    """A question with a few answers (buttons); answers the chosen button's id."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, question: str, answers: list[tuple[str, str]], cancel: str) -> None:
        super().__init__()
        self.question = question
        self.answers = answers
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="title")
            with Horizontal():
                for n, (answer_id, label) in enumerate(self.answers):
                    yield Button(label, id=answer_id, variant="primary" if n == 0 else "default")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or self.cancel)

    def action_cancel(self) -> None:
        self.dismiss(self.cancel)
