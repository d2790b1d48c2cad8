"""Matrix message contents: plain body, `org.matrix.custom.html`, and the state they carry.

The HTML is the one both messengers share (`bot/messages.py`), with line breaks as `<br>`. A
question's body lists its choices as lines `N. label`; a verdict's body holds the verdict's
title and each cited article as `CODE ARTICLE` (contract, "Matrix"). The state of the
consultation a message shows travels in its content under `STATE_KEY`, signed by the codec.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.matrix import texts as matrix_texts
from bot.messages import (
    MESSAGE_LIMIT,
    card_blocks,
    cited_source_html,
    escape,
    help_text,
    question_text,
    split_html,
)
from flows import texts
from flows.card import build_card, card_text
from flows.file_note import file_note
from flows.outcome import NextQuestion, Verdict
from knowledge.models import Jurisdiction

STATE_KEY = "fr.chaisevide.state"
"""The signed state of the consultation a bot message shows (absent from other messages)."""
ANSWERS_KEY = "fr.chaisevide.answers"
"""The worker's event this bot message answers: a replayed event is answered only once."""
TAG = re.compile(r"<[^>]+>")
Content = dict[str, Any]


def to_matrix_html(telegram_html: str) -> str:
    """Telegram's HTML (line breaks as newlines) as Matrix HTML (`<br>`), `<pre>` kept whole."""
    parts = re.split(r"(<pre>.*?</pre>)", telegram_html, flags=re.DOTALL)
    return "".join(
        part if part.startswith("<pre>") else part.replace("\n", "<br>") for part in parts
    )


def plain(telegram_html: str) -> str:
    """The text of some HTML, tags removed and entities read."""
    return html.unescape(TAG.sub("", telegram_html))


def message(body: str, formatted: str | None = None, notice: bool = False) -> Content:
    """An `m.text` (or `m.notice`) content, with its HTML when given."""
    content: Content = {"msgtype": "m.notice" if notice else "m.text", "body": body}
    if formatted is not None:
        content["format"] = "org.matrix.custom.html"
        content["formatted_body"] = formatted
    return content


def text_message(text: str, notice: bool = False) -> Content:
    """A plain message, its HTML escaped with line breaks."""
    return message(text, to_matrix_html(escape(text)), notice)


def question_message(
    outcome: NextQuestion, law: Jurisdiction, with_help: bool = False, keys: str = ""
) -> Content:
    """A question: the note, the answers so far, the question, numbered choices, the keys."""
    head = question_text(outcome)
    if with_help:
        head += "\n" + help_text(outcome, law)
    choices = [f"{n}. {escape(c.label)}" for n, c in enumerate(outcome.choices, start=1)]
    keys = keys or matrix_texts.KEYS_QUESTION
    formatted = "\n".join([head, *choices, "", f"<i>{escape(keys)}</i>"])
    return message(plain(formatted), to_matrix_html(formatted))


def verdict_messages(verdict: Verdict, compact: bool = False, keys: str = "") -> list[Content]:
    """The verdict card, cut below the limit: HTML with cited sources as links, and a plain body
    with `CODE ARTICLE` for each source; the keys close the last message."""
    card = build_card(verdict)
    blocks = card_blocks(card, compact=compact, source=cited_source_html)
    if not compact:
        blocks = blocks[:-1]  # the 👍/👎 question: Matrix has no buttons for it
    keys = keys or matrix_texts.KEYS_VERDICT
    blocks.append(f"<i>{escape(keys)}</i>")
    pieces = split_html(blocks, MESSAGE_LIMIT * 4)
    body = card_text(card, cite=True) + f"\n\n{keys}"
    if len(pieces) == 1:
        return [message(body, to_matrix_html(pieces[0]))]
    return [message(plain(piece), to_matrix_html(piece)) for piece in pieces]


def note_message(verdict: Verdict) -> Content:
    """« 📝 Note pour le dossier », in a block that Element copies whole."""
    note = file_note(verdict)
    return message(note, f"<pre>{escape(note)}</pre>")


def notice(text: str) -> Content:
    """A short notice from the bot (clients show it as the bot's aside)."""
    return text_message(text, notice=True)


def help_message(kb_notice: str = "") -> Content:
    """The help page."""
    return text_message(matrix_texts.HELP + (f"\n\n{kb_notice}" if kb_notice else ""))


def no_rule() -> Content:
    """A gap in the knowledge: the kind message Telegram gives too."""
    return text_message(texts.NO_RULE)
