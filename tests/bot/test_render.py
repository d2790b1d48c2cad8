"""Pure render functions: valid Telegram HTML, below 4096 characters, buttons below 64 bytes."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.codec import GROUP, PRIVATE, Codec, State
from bot.messages import MESSAGE_LIMIT, card_blocks, escape, length, split_html
from bot.render import (
    Buttons,
    group_question_page,
    group_verdict_pages,
    question_page,
    verdict_pages,
)
from flows.card import build_card
from flows.consultation import Consultation
from flows.outcome import NextQuestion, Verdict
from knowledge.check import PathsReport
from knowledge.loader import load_knowledge
from tests.bot.fakeapi import TOKEN

TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}


class TagChecker(HTMLParser):
    """Checks that only Telegram's tags are used and that every tag is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a tag Telegram knows."""
        assert tag in TELEGRAM_TAGS, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close the last tag opened."""
        assert self.stack, tag
        assert self.stack.pop() == tag


def assert_telegram_html(text: str) -> None:
    """Valid Telegram HTML below the message limit."""
    assert 0 < length(text) <= MESSAGE_LIMIT
    checker = TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.stack == []


@pytest.fixture(scope="module")
def verdicts(paths_report: dict[str, PathsReport]) -> dict[str, list[Verdict]]:
    """Per country, a verdict for every rule, from the first path reaching it."""
    return {
        country: [
            Consultation((country,), answers).current() for answers in report.first_path.values()
        ]
        for country, report in paths_report.items()
    }


def all_callback_data(pages: list) -> list[str]:
    """The callback data of every button of the pages."""
    return [
        button.callback_data
        for page in pages
        if page.markup
        for row in page.markup.inline_keyboard
        for button in row
        if button.callback_data
    ]


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_every_rule_renders_as_valid_html_with_small_buttons(
    jurisdiction: str, verdicts: dict[str, list[Verdict]]
) -> None:
    """Each rule's card: Telegram HTML in messages below 4096, buttons below 64 bytes."""
    codec = Codec(TOKEN, "abcd1234")
    assert len(verdicts[jurisdiction]) == len(load_knowledge().get(jurisdiction).rules)
    for verdict in verdicts[jurisdiction]:
        state = State(codec.kb, jurisdiction, {}, 0, PRIVATE)
        pages = verdict_pages(verdict, Buttons(codec, state))
        pages += group_verdict_pages(verdict, "https://t.me/bot?start=x")
        for page in pages:
            assert_telegram_html(page.text)
        assert all(len(data.encode()) <= 64 for data in all_callback_data(pages))


def test_every_question_renders_with_small_buttons() -> None:
    """Every question, private (with and without help) and group: valid HTML, small buttons."""
    codec = Codec(TOKEN, "abcd1234")
    consultation = Consultation(("fr", "be"))
    path = [("jurisdiction", "fr"), ("profession", "ass"), ("setting", "shelter"),
            ("requester", "partner"), ("partner_bound", "yes"), ("same_mission", "no"),
            ("risk", "none")]  # fmt: skip
    for question_id, choice in path:
        outcome = consultation.current()
        assert isinstance(outcome, NextQuestion)
        owner_state = State(codec.kb, "fr", dict(consultation.answers), 0, GROUP, "A" * 8)
        pages = [
            question_page(outcome, consultation.jurisdiction, Buttons(codec, owner_state)),
            question_page(outcome, consultation.jurisdiction, Buttons(codec, owner_state), True),
            group_question_page(outcome, Buttons(codec, owner_state)),
        ]
        for page in pages:
            assert_telegram_html(page.text)
        assert all(len(data.encode()) <= 64 for data in all_callback_data(pages))
        consultation.answer(question_id, choice)


def test_long_cards_split_at_paragraph_boundaries() -> None:
    """Paragraphs are never cut when they fit; every message stays below the limit."""
    paragraphs = [f"<b>Titre {n}</b>\n" + "mot " * 300 for n in range(20)]
    messages = split_html(paragraphs)
    assert len(messages) > 1
    assert all(length(message) <= MESSAGE_LIMIT for message in messages)
    assert "\n\n".join(messages) == "\n\n".join(paragraphs)


def test_a_single_overlong_paragraph_is_cut_between_lines_then_words() -> None:
    """A paragraph over the limit is split by lines, and a line over it by words."""
    huge = "\n".join(["ligne " * 100] * 10) + "\n" + "x" * 5000
    messages = split_html([huge], limit=1000)
    assert all(length(message) <= 1000 for message in messages)
    assert "".join(messages).replace("\n", "").replace(" ", "") == huge.replace("\n", "").replace(
        " ", ""
    )


def test_user_visible_text_is_escaped(verdicts: dict[str, list[Verdict]]) -> None:
    """Angle brackets and ampersands in knowledge texts cannot break the HTML."""
    assert escape("<b>Tom & Jerry</b>") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    verdict = verdicts["fr"][0]
    blocks = card_blocks(build_card(verdict))
    assert_telegram_html("\n\n".join(blocks)[:MESSAGE_LIMIT].rsplit("\n\n", 1)[0])
