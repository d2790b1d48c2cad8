"""Inline mode: cards for common situations computed by the flows, and deep links into private."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from flows import texts
from flows.situations import answer
from knowledge.loader import load_knowledge
from tests.bot.conftest import WORKER, Harness
from tests.bot.updates import chosen_result, inline_query


def results(bot: Harness) -> list[dict]:
    """The cards of the last answerInlineQuery."""
    return bot.api.calls_to("answerInlineQuery")[-1]["results"]


async def test_police_query_offers_the_police_card_with_a_verdict_from_the_flows(
    bot: Harness,
) -> None:
    """`@bot police` → the police cards first, each description computed by the flows."""
    await bot.send(inline_query(WORKER, "police"))
    cards = results(bot)
    ids = [card["id"] for card in cards]
    assert "fr-police" in ids
    assert set(ids) <= {"fr-police", "fr-requisition"}
    police = next(card for card in cards if card["id"] == "fr-police")
    situations = load_knowledge().get("fr").situations
    situation = next(s for s in situations if s.id == "police")
    expected = answer(situation, "fr", load_knowledge())
    assert expected is not None
    assert all(headline in police["description"] for headline in expected.headlines)
    assert expected.headlines[0] in police["input_message_content"]["message_text"]
    assert police["input_message_content"]["parse_mode"] == "HTML"


async def test_empty_query_lists_every_common_situation(bot: Harness) -> None:
    """`@bot` alone → one card per situation the knowledge base answers."""
    await bot.send(inline_query(WORKER, ""))
    ids = {card["id"] for card in results(bot)}
    assert {"fr-police", "fr-requisition", "fr-family", "fr-partner", "fr-child", "fr-peril"} <= ids


async def test_card_deep_link_opens_the_prefilled_consultation_in_private(bot: Harness) -> None:
    """The card's button is t.me/<bot>?start=<payload>; /start <payload> skips known answers."""
    await bot.send(inline_query(WORKER, "famille"))
    family = next(card for card in results(bot) if card["id"] == "fr-family")
    (button,) = family["reply_markup"]["inline_keyboard"][0]
    link = urlparse(button["url"])
    assert link.netloc == "t.me"
    assert link.path == "/chaisevide_test_bot"
    payload = parse_qs(link.query)["start"][0]
    assert len(payload) <= 64
    await bot.command(f"/start {payload}")
    await bot.answer("profession", "ass")
    await bot.answer("setting", "shelter")
    assert bot.events[-1].kind == "completed"  # requester, risk, consent came from the link
    assert bot.events[-1].channel == "inline"
    assert bot.events[-1].answers["requester"] == "family"


async def test_a_broken_deep_link_starts_a_blank_consultation_kindly(bot: Harness) -> None:
    """/start with a payload that is not ours: a kind note and a blank consultation."""
    await bot.command("/start not-a-payload_of-ours")
    welcome, _ = bot.messages()
    assert "consultation vierge" in welcome["text"]
    assert bot.asked() == "profession"


async def test_chosen_card_is_reported_without_the_query(bot: Harness) -> None:
    """A posted card is reported as an inline consultation; the query text goes nowhere."""
    await bot.send(chosen_result(WORKER, "fr-peril", "péril chez Mme Martin"))
    (event,) = bot.events
    assert event.channel == "inline"
    assert event.verdict == "must_act"
    assert "Martin" not in repr(event)
    assert texts.VERDICT_TITLES["must_act"]
