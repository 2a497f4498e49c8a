"""``repaycli call``: the call screen driven with Textual's pilot at 80 × 24, in both languages,
against a real database; a crash simulated by dropping the app with its draft on disk."""

from __future__ import annotations

import asyncio
import io
import json
import re
import stat
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static

from helpers import invoke, run
from repaycli import drafts
from repaycli.i18n import set_lang
from repaycli.paths import call_draft_path
from repaycli.services.call import Situation, prepare
from repaycli.tui.call import CallApp
from repaycli.tui.dialogs import Ask, Choice, EndCall

TODAY = "2026-12-02"
CST = timezone(timedelta(hours=8))
#: The call starts at 14:30:05 and every later reading of the clock is 5 s after that, however
#: often the screen's one-second timer reads it (on a loaded machine it can read it twice before
#: the test looks: a clock moving on each reading made the timer show 00:10 by chance).
START = datetime(2026, 12, 2, 14, 30, tzinfo=CST)
SIZE = (80, 24)
PLAN = [
    *("plan", "--no-input", "--platform", "huabei", "--overdue", "8000"),
    *("--income", "6000", "--expenses", "3500", "--days-overdue", "30"),
]


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now = min(self.now + timedelta(seconds=5), START + timedelta(seconds=10))
        return self.now


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)


@pytest.fixture
def saved_plan() -> dict[str, Any]:
    result = invoke(*PLAN, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def setup_for(lang: str, platform: str | None = None, situation: Situation | None = None) -> Any:
    set_lang(lang)
    return prepare(platform, situation or Situation(), day=date.fromisoformat(TODAY))


def drive(app: CallApp, script: Callable[[Any], Awaitable[None]]) -> Any:
    """Run ``app`` at 80 × 24 under the pilot, with ``script(pilot)``; the app's result."""

    async def main() -> Any:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await script(pilot)
        return app.return_value

    return asyncio.run(main())


def text_of(app: CallApp, selector: str) -> str:
    """A widget's text as plain lines, each run of spaces as one (tables pad their columns)."""
    from rich.console import Console

    console = Console(width=300, record=True, file=io.StringIO())
    console.print(app.query_one(selector, Static).content)
    lines = console.export_text().splitlines()
    lines = [line.replace("\u00a0", " ") for line in lines]  # units kept by their numbers
    return "\n".join(re.sub(" +", " ", line).strip() for line in lines).strip()


async def type_into(pilot: Any, field: str, text: str) -> None:
    box = pilot.app.query_one(f"#{field}", Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


async def type_offer(pilot: Any, periods: str, payment: str) -> None:
    await type_into(pilot, "offer-periods", periods)
    await type_into(pilot, "offer-payment", payment)


# --- the screen -----------------------------------------------------------------------------


def test_the_card_timer_and_checklist_are_in_view_in_english(saved_plan: dict[str, Any]) -> None:
    ladder = saved_plan["ladder"]
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        top = text_of(app, "#who")
        assert "Huabei" in top and "95188" in top and "verify it in the official app" in top
        assert text_of(app, "#timer") == "call 00:05"
        card = text_of(app, "#card")
        assert "Open with" in card and "Aim for" in card
        assert "at most ¥1,250.00 a month; never agree above it" in card
        assert ladder["walk_away_monthly"] == "1250.00"
        step = text_of(app, "#step")
        assert step.startswith("Next 1/5") and "I want to repay" in step
        await pilot.press("f2")
        assert text_of(app, "#step").startswith("Next 2/5")
        assert "agent's name or ID" in text_of(app, "#step")
        await pilot.click("#step")  # the mouse ticks too
        assert text_of(app, "#step").startswith("Next 3/5")
        assert app.query_one("#offer-amount", Input).value == "8000.00"

    drive(app, script)


def test_the_same_screen_in_chinese(saved_plan: dict[str, Any]) -> None:
    app = CallApp(setup_for("zh"), clock=Clock())

    async def script(pilot: Any) -> None:
        top = text_of(app, "#who")
        assert "花呗" in top and "95188" in top and "先在官方 App 里核对号码" in top
        assert text_of(app, "#timer") == "通话 00:05"
        card = text_of(app, "#card")
        assert "开口先提" in card and "争取目标" in card
        assert "每月最多 1,250.00 元，超过就不答应" in card
        assert text_of(app, "#step").startswith("下一步 1/5")
        await type_offer(pilot, "6", "1400")
        verdict = text_of(app, "#verdict")
        assert verdict.startswith("!! 超过你的底线：不要答应 !!")
        assert "1,400.00 元 × 6 期" in verdict

    drive(app, script)


def test_an_offer_above_the_walk_away_line_says_do_not_agree(saved_plan: dict[str, Any]) -> None:
    """6 × 1,400 is above the 1,250 line; 7 × 1,150 is within it (same result as `offer`)."""
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        verdict = text_of(app, "#verdict")
        assert verdict.splitlines()[0] == "!! ABOVE YOUR WALK-AWAY LINE: DO NOT AGREE !!"
        assert "Payment ¥1,400.00 × 6, first due 2027-01-02" in verdict
        assert "Total ¥8,400.00" in verdict
        await type_offer(pilot, "7", "1150")
        verdict = text_of(app, "#verdict")
        assert "DO NOT AGREE" not in verdict
        assert "Payment ¥1,150.00 × 7" in verdict

    drive(app, script)
    for payment, periods, position in (("1400", "6", "above_walk_away"), ("1150", "7", None)):
        result = invoke(
            "offer", "--json", "--amount", "8000", "--periods", periods, "--payment", payment
        )
        assert result.exit_code == 0, result.output
        found = json.loads(result.stdout)["ladder_position"]
        assert (found == "above_walk_away") == (position == "above_walk_away")


def test_the_verdict_is_the_offer_commands_evaluation(saved_plan: dict[str, Any]) -> None:
    """APR and court lines on screen are `repaycli offer --json`'s own figures."""
    result = invoke("offer", "--json", "--amount", "8000", "--periods", "12", "--fee-rate", "0.6%")
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_into(pilot, "offer-periods", "12")
        await type_into(pilot, "offer-fee_rate", "0.6%")
        verdict = text_of(app, "#verdict")
        assert f"APR {Decimal(expected['apr_percent']):.2f}%" in verdict
        assert f"compounded {Decimal(expected['apr_compound_percent']):.2f}%" in verdict
        assert "above 4 × LPR 12.00%" in verdict
        assert "below the court line 24.00%" in verdict
        await type_into(pilot, "offer-payment", "980")  # a second price: one line, no crash
        assert text_of(app, "#verdict") == (
            "fill in only one of payment, fee per period and annual rate"
        )

    drive(app, script)


def test_a_bad_value_is_one_translated_line(saved_plan: dict[str, Any]) -> None:
    app = CallApp(setup_for("zh"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_into(pilot, "offer-periods", "999")
        assert text_of(app, "#verdict") == "期数：999 必须在 1 到 360 之间"
        await type_into(pilot, "offer-periods", "6")
        await type_into(pilot, "offer-payment", "abc")
        assert len(text_of(app, "#verdict").splitlines()) == 1
        assert "abc" in text_of(app, "#verdict")

    drive(app, script)


# --- a whole call ---------------------------------------------------------------------------


def test_a_full_call_is_saved_as_a_log_entry_with_its_offers_and_agreement(
    saved_plan: dict[str, Any],
) -> None:
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        await pilot.press("enter")  # kept
        await type_offer(pilot, "7", "1150")
        await pilot.press("enter")  # kept
        assert text_of(app, "#kept").startswith("2 offers kept")
        await pilot.press("f2", "f2")
        await pilot.press("f3")
        await type_into(pilot, "record-agent", "A123")
        await type_into(pilot, "record-ref", "T-998")
        await type_into(pilot, "record-follow_up", "+3d")
        app.query_one("#record-notes", Input).value = "客服说 7 期可以 <b>[red]x[/red]"
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, EndCall)
        outcome = app.screen.query_one("#outcome", Choice)
        assert outcome.chosen == 1  # "pending": never "agreed" unless the user says so
        await pilot.press("up")
        await pilot.pause()
        assert outcome.chosen == 0  # agreed
        agreement = app.screen.query_one("#agreement", Choice)
        assert agreement.chosen == 1  # the last offer kept: 7 × 1,150
        await pilot.click("#save")
        await pilot.pause()

    saved = drive(app, script)
    assert saved is not None and saved.entry.id == 1 and saved.offers == 2
    assert saved.agreement_id == 1
    assert not call_draft_path().exists()

    listed = invoke("log", "list", "--json")
    assert listed.exit_code == 0, listed.output
    (entry,) = json.loads(listed.stdout)["entries"]
    assert entry["platform"] == "huabei" and entry["channel"] == "phone"
    assert entry["outcome"] == "agreed" and entry["number"] == "95188"
    assert entry["agent"] == "A123" and entry["ref"] == "T-998"
    assert entry["follow_up"] == "2026-12-05"
    assert entry["agreed_terms"] == "Offer: ¥8,000.00 as 7 payments of ¥1,150.00"
    assert entry["notes"] == "客服说 7 期可以 <b>[red]x[/red]"  # literal, as typed
    assert entry["at"] == "2026-12-02T14:30:05+08:00"
    assert "1,400.00" in entry["offered"] and "1,150.00" in entry["offered"]

    shown = invoke("log", "show", "1", "--json")
    checks = json.loads(shown.stdout)["offer_checks"]
    assert [c["evaluation"]["payment"] for c in checks] == ["1400.00", "1150.00"]
    assert checks[0]["evaluation"]["ladder_position"] == "above_walk_away"

    verified = invoke("log", "verify")
    assert verified.exit_code == 0, verified.output
    assert "events" in verified.stdout or "entries" in verified.stdout

    agreements = json.loads(invoke("agreement", "show", "1", "--json").stdout)["agreement"]
    assert agreements["log_entry"] == 1 and agreements["source"] == "call"
    assert [i["amount"] for i in agreements["schedule"]][:2] == ["1150.00", "1150.00"]
    assert agreements["total"] == "8050.00"


def test_an_offer_above_the_walk_away_line_is_never_the_agreement_unasked(
    saved_plan: dict[str, Any],
) -> None:
    """The screen said DO NOT AGREE to 6 × 1,400: pressing Save straight away must not record
    it as the agreement; "no agreement yet" is chosen until the user picks an offer."""
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        await pilot.press("enter")  # kept
        await pilot.press("f10")
        assert isinstance(app.screen, EndCall)
        agreement = app.screen.query_one("#agreement", Choice)
        assert agreement.chosen == 1  # "no agreement yet", after the one offer
        await pilot.click("#save")
        await pilot.pause()

    saved = drive(app, script)
    assert saved is not None and saved.offers == 1 and saved.agreement_id is None
    assert json.loads(invoke("agreement", "list", "--json").stdout)["agreements"] == []


def test_an_entry_the_log_refuses_is_said_and_nothing_is_written(
    saved_plan: dict[str, Any],
) -> None:
    """A follow-up before the call is `log add`'s own refusal; the dialog stays open."""
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await pilot.press("f3")
        await type_into(pilot, "record-follow_up", "2026-11-01")
        assert "2026-11-01" in text_of(app, "#record-error")
        await pilot.press("f10")
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, EndCall)
        assert "2026-11-01" in str(app.screen.query_one("#end-error", Static).content)
        await pilot.click("#back")
        await pilot.pause()
        assert not isinstance(app.screen, EndCall)

    drive(app, script)
    assert json.loads(invoke("log", "list", "--json").stdout)["entries"] == []


def test_quitting_asks_first_and_can_keep_the_draft(saved_plan: dict[str, Any]) -> None:
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, Ask)
        await pilot.press("escape")  # no: back to the call
        assert not isinstance(app.screen, Ask)
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.click("#keep")
        await pilot.pause()

    assert drive(app, script) is None
    assert json.loads(call_draft_path().read_text("utf-8"))["offer"]["payment"] == "1400"


# --- the draft --------------------------------------------------------------------------------


def test_a_draft_is_written_as_typed_and_offered_back_after_a_crash(
    saved_plan: dict[str, Any],
) -> None:
    first = CallApp(setup_for("zh"), clock=Clock())

    async def typing(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        await pilot.press("enter")
        await pilot.press("f2")
        await pilot.press("f3")
        await type_into(pilot, "record-agent", "A123")
        await pilot.pause(0.6)  # the draft is written once typing pauses
        # The crash: the process dies here, nothing saved, nothing cleaned up.

    drive(first, typing)
    path = call_draft_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob(".call-draft.json.*"))  # written beside, then renamed

    draft = drafts.load()
    assert draft is not None and draft["record"]["agent"] == "A123"
    second = CallApp(setup_for("zh"), clock=Clock(), draft=draft)

    async def restoring(pilot: Any) -> None:
        assert isinstance(second.screen, Ask)
        question = str(second.screen.query_one(Static).content)
        assert "2026-12-02\u00a014:30" in question and "花呗" in question
        # Two whole lines at 80 columns, never one broken after the time (rich breaks there)
        assert question.splitlines()[0] == "上次的通话（花呗，2026-12-02\u00a014:30）还没有保存。"
        await pilot.press("enter")  # the first answer: carry on
        await pilot.pause()
        assert second.query_one("#offer-payment", Input).value == "1400"
        assert second.query_one("#record-agent", Input).value == "A123"
        assert text_of(second, "#step").startswith("下一步 2/5")
        assert text_of(second, "#kept").startswith("已记下 1 个报价")
        assert text_of(second, "#verdict").startswith("!! 超过你的底线")
        assert second.started == START + timedelta(seconds=5)  # the call's own start

    drive(second, restoring)


def test_a_draft_can_be_discarded_and_an_unreadable_one_is_set_aside(
    saved_plan: dict[str, Any],
) -> None:
    drafts.save({"platform": "huabei", "started_at": "2026-12-02T14:00:00+08:00", "offer": {}})
    app = CallApp(setup_for("en"), clock=Clock(), draft=drafts.load())

    async def discard(pilot: Any) -> None:
        await pilot.click("#discard")
        await pilot.pause()

    drive(app, discard)
    assert not call_draft_path().exists()
    call_draft_path().write_text("{not json", encoding="utf-8")
    assert drafts.load() is None
    assert Path(str(call_draft_path()) + ".unreadable").exists()


# --- situation flags, no plan -------------------------------------------------------------------


def test_numbers_from_situation_flags_without_a_saved_plan() -> None:
    setup = setup_for("en", "借呗", Situation(overdue="1万", income="3000", expenses="2000"))
    assert setup.source == "flags"
    app = CallApp(setup, clock=Clock())

    async def script(pilot: Any) -> None:
        assert "at most ¥500.00 a month" in text_of(app, "#card")
        assert app.query_one("#offer-amount", Input).value == "10000.00"
        await type_offer(pilot, "10", "1000")
        assert "DO NOT AGREE" in text_of(app, "#verdict")

    drive(app, script)


def test_without_a_plan_offers_still_get_their_lines() -> None:
    app = CallApp(setup_for("en", "huabei"), clock=Clock())

    async def script(pilot: Any) -> None:
        assert text_of(app, "#card").startswith("No saved plan")
        await type_into(pilot, "offer-amount", "8000")
        await type_offer(pilot, "12", "980")
        verdict = text_of(app, "#verdict")
        assert "no walk-away line to compare" in verdict
        assert "APR" in verdict

    drive(app, script)


# --- 80 × 24 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_everything_fits_80_by_24(saved_plan: dict[str, Any], lang: str) -> None:
    """No widget on the call screen or in its dialogs lies outside the screen or is cut short."""
    app = CallApp(setup_for(lang), clock=Clock())
    screen_region = Region(0, 0, *SIZE)

    def check(ids: list[str]) -> None:
        for widget_id in ids:
            widget = app.screen.query_one(f"#{widget_id}")
            region = widget.region
            assert region.area > 0, widget_id
            assert screen_region.contains_region(region), (widget_id, region)
            parent = widget.parent  # nor cut by its row (review: "[ Quit, discard it" lost its "]")
            if isinstance(parent, Widget):
                assert parent.region.contains_region(region), (widget_id, region, parent.region)
            if isinstance(widget, Static):  # its text shown whole, not cut
                assert widget.virtual_size.height <= region.height, widget_id
        for scroller in app.screen.query(ScrollableContainer):  # nothing scrolled out of view
            assert scroller.max_scroll_y == 0, (scroller, scroller.max_scroll_y)

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        check(["who", "timer", "card", "step", "verdict"])
        check([f"offer-{n}" for n in ("amount", "periods", "payment", "first_due")])
        check(["key-tick", "key-switch_tab", "key-keep", "key-end_call", "key-request_quit"])
        for n in ("amount", "upfront_fee"):
            assert app.query_one(f"#offer-{n}").region.width >= 14
        await pilot.press("enter")
        check(["verdict", "kept"])
        await pilot.press("f3")
        check(["record-agent", "record-ref", "record-follow_up", "record-notes"])
        await pilot.press("f10")
        check(["outcome", "save", "back"])
        await pilot.press("up")  # "agreed": the choice of offer appears, and still fits
        await pilot.pause()
        check(["outcome", "agreement", "save", "back"])
        await pilot.press("escape", "ctrl+q")
        check(["back", "keep", "discard"])

    drive(app, script)


def test_more_room_is_used(saved_plan: dict[str, Any]) -> None:
    app = CallApp(setup_for("zh"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "6", "1400")
        verdict = app.query_one("#verdict").region
        assert verdict.width > 80

    async def main() -> None:
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.pause()
            await script(pilot)

    asyncio.run(main())


# --- the command --------------------------------------------------------------------------------


def test_the_command_needs_a_terminal() -> None:
    done = run("call", "huabei")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "Error: repaycli call needs a terminal; to log a call use repaycli log add"
    )


def test_an_unknown_platform_is_one_line() -> None:
    with pytest.raises(Exception) as caught:
        setup_for("en", "no-such-lender")
    assert getattr(caught.value, "key", "").startswith("err.")


def test_the_hardship_route_asks_for_a_pause_and_agrees_to_nothing() -> None:
    setup = setup_for("zh", "花呗", Situation(overdue="5000", income="0"))
    app = CallApp(setup, clock=Clock())

    async def script(pilot: Any) -> None:
        card = text_of(app, "#card")
        assert "先申请 暂停还款 3 个月" in card
        assert "现在不答应任何每月还款" in card
        await type_offer(pilot, "12", "100")
        assert text_of(app, "#verdict").startswith("!! 超过你的底线：不要答应 !!")

    drive(app, script)


def test_the_key_bar_works_with_the_mouse(saved_plan: dict[str, Any]) -> None:
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await pilot.click("#key-tick")
        assert text_of(app, "#step").startswith("Next 2/5")
        await pilot.click("#key-switch_tab")
        assert app.query_one("#record-agent", Input).has_focus
        await pilot.click("#key-switch_tab")
        await type_offer(pilot, "7", "1150")
        await pilot.click("#key-keep")
        assert text_of(app, "#kept").startswith("1 offer kept")
        await pilot.click("#key-end_call")
        assert isinstance(app.screen, EndCall)
        await pilot.click("#back")
        await pilot.click("#key-request_quit")
        assert isinstance(app.screen, Ask)
        await pilot.click("#discard")
        await pilot.pause()

    assert drive(app, script) is None
    assert not call_draft_path().exists()


def test_an_agreement_that_agreement_add_would_refuse_writes_nothing(
    saved_plan: dict[str, Any],
) -> None:
    """`agreement add` takes at most 120 installments: a 240-month offer accepted as the
    agreement is one line in the dialog, and neither the entry nor the agreement is written."""
    app = CallApp(setup_for("en"), clock=Clock())

    async def script(pilot: Any) -> None:
        await type_offer(pilot, "240", "40")
        await pilot.press("f10")
        await pilot.press("up")  # "agreed"
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, EndCall)
        error = str(app.screen.query_one("#end-error", Static).content)
        assert error == "number of installments: 240 must be between 1 and 120"
        await pilot.click("#back")

    drive(app, script)
    assert json.loads(invoke("log", "list", "--json").stdout)["entries"] == []
    assert json.loads(invoke("agreement", "list", "--json").stdout)["agreements"] == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", r"\+¥719\.25 total, -¥432\.96/month"),
        ("zh", r"总额 \+719\.25\s元，每期 -432\.96\s元"),
    ],
)
def test_the_verdict_compares_with_the_plan_in_the_one_money_format(
    saved_plan: dict[str, Any], lang: str, expected: str
) -> None:
    """The comparison with the plan's target is written by the one money formatter (it was a
    bare ``+802.91`` in English and ``… 元`` glued on in Chinese)."""
    from repaycli.services.call import evaluate_typed
    from repaycli.tui.verdict import verdict_text

    setup = setup_for(lang)
    result = evaluate_typed(setup, {"amount": "8000", "periods": "12", "payment": "750"})
    assert result is not None and result.compared_with_plan is not None
    console = io.StringIO()
    from rich.console import Console

    Console(file=console, width=200, color_system=None).print(verdict_text(result))
    text = console.getvalue()
    assert re.search(expected, text), text
    assert not re.search(r"元\s元", text)
    set_lang("en")


def test_the_card_keeps_an_amount_with_its_unit() -> None:
    """rich wraps at any whitespace, the no-break space included: the card read
    ``…还清本息 14,705.88`` / ``元；减免罚息…`` at 80 columns."""
    from rich.console import Console
    from rich.text import Text

    from repaycli.tui.call import two_columns

    target = "每月还 1,461.96 元，11 期按年利率 18.25% 还清本息 14,705.88 元；减免罚息 294.12 元"
    for width in range(30, 90):
        console = Console(width=width, record=True, color_system=None)
        console.print(two_columns([("争取目标", Text(target, "bold"))]))
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        assert not any(line.lstrip().startswith(("元", "期")) for line in lines), (width, lines)
        shown = "".join(lines).replace("争取目标", "", 1).replace("\u00a0", " ").replace(" ", "")
        assert shown == target.replace(" ", "")  # nothing lost or cut


def test_a_draft_from_another_lender_is_named_by_its_own_lender() -> None:
    """A 花呗 call left unsaved, then a call to 借呗: the question names 花呗 (the draft's
    lender), not 借呗 — else a frightened user carries one lender's offer into another's log."""
    drafts.save({"platform": "huabei", "started_at": "2026-12-02T14:00:00+08:00", "offer": {}})
    setup = setup_for("zh", "借呗", Situation(overdue="1万", income="3000", expenses="2000"))
    app = CallApp(setup, clock=Clock(), draft=drafts.load())

    async def script(pilot: Any) -> None:
        question = str(app.screen.query_one(".title", Static).content)
        assert "花呗" in question and "借呗" not in question, question

    drive(app, script)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_for_another_lender_is_not_called_no_plan(
    saved_plan: dict[str, Any], lang: str
) -> None:
    """The saved plan is 花呗's and the call is to 借呗: the screen says the plan is another
    lender's — and not, in the card above it, that there is no saved plan at all."""
    app = CallApp(setup_for(lang, "借呗"), clock=Clock())

    async def script(pilot: Any) -> None:
        warning = text_of(app, "#warnings")
        assert "借呗" in warning or "Jiebei" in warning, warning  # "the plan is not 借呗's"
        card = text_of(app, "#card")
        assert "还没有保存的方案" not in card and "No saved plan" not in card, card
        assert "repaycli plan" in card

    drive(app, script)
