"""Answers typed as words: `question=choice` pairs, or a country's words (`police refus`).

Which word stands for which answer is data (`knowledge/<country>/words.yaml`); how typed text is
read is here, for every front end: lowercase, accents dropped, small words skipped, « sans »
skipping the next word, the first answer to a question kept.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from flows.consultation import Consultation
from flows.errors import FlowError
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.shape import COUNTRY_QUESTION

FILLERS = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "un", "une", "et", "avec", "qui", "demande",
     "ma", "mon", "mes", "par", "pour", "en", "a", "au", "aux", "danger", "ecrite", "oral",
     "justice"}
)  # fmt: skip
"""Words that say nothing about the answers (« huissier de justice » is the bailiff)."""
NEGATION = "sans"
"""'sans réquisition' does not mean a requisition: the word after 'sans' is skipped."""


@dataclass
class Parsed:
    """Answers understood from typed words, and how many words were not understood."""

    answers: dict[str, str] = field(default_factory=dict)
    unknown: int = 0


def normalize(word: str) -> str:
    """Lowercase, no accents, no surrounding punctuation: 'Réquisition,' → 'requisition'."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.strip(".,;:!?()'\"«»")


def parse_words(
    words: list[str], served: tuple[str, ...], knowledge: KnowledgeBase | None = None
) -> Parsed:
    """Read `question=choice` pairs and the words of the consultation's country (the first
    served until a country is understood); the first answer to a question wins."""
    kb = knowledge or load_knowledge()
    parsed = Parsed()
    skip = False
    for raw in words:
        word = normalize(raw)
        if skip or not word or word in FILLERS:
            skip = False
            continue
        if word == NEGATION:
            skip = True
            continue
        pair = split_pair(word, kb) if "=" in word else meaning(word, parsed.answers, served, kb)
        if pair is None or not fits(pair, parsed.answers, served, kb):
            parsed.unknown += 1
            continue
        parsed.answers.setdefault(*pair)
    return parsed


def prefilled(
    words: list[str], served: tuple[str, ...], knowledge: KnowledgeBase
) -> tuple[Consultation, bool]:
    """A consultation prefilled from the words typed after a command; True if some were lost."""
    parsed = parse_words(words, served, knowledge)
    try:
        return Consultation(served, parsed.answers, knowledge=knowledge), bool(parsed.unknown)
    except FlowError:
        return Consultation(served, knowledge=knowledge), True


def meaning(
    word: str, answers: dict[str, str], served: tuple[str, ...], kb: KnowledgeBase
) -> tuple[str, str] | None:
    """The answer a word stands for in the consultation's country, or the country it names."""
    found = kb.get(answers.get(COUNTRY_QUESTION, served[0])).words.meaning(word)
    if found is not None:
        return found
    for jurisdiction in served:
        if word in kb.get(jurisdiction).words.country:
            return COUNTRY_QUESTION, jurisdiction
    return None


def split_pair(word: str, kb: KnowledgeBase) -> tuple[str, str] | None:
    """'requester=police' → ('requester', 'police'); anything else → None."""
    question, _, choice = word.partition("=")
    if question not in (COUNTRY_QUESTION, *kb.order) or not choice:
        return None
    return question, choice


def fits(
    pair: tuple[str, str], answers: dict[str, str], served: tuple[str, ...], kb: KnowledgeBase
) -> bool:
    """The choice exists for this question in the country of the consultation."""
    question_id, choice_id = pair
    if question_id == COUNTRY_QUESTION:
        return choice_id in served
    question = kb.get(answers.get(COUNTRY_QUESTION, served[0])).question(question_id)
    return question is not None and question.choice(choice_id) is not None


def vocabulary(kb: KnowledgeBase, served: tuple[str, ...], jurisdiction: str) -> str:
    """The words understood in a country's consultation, grouped by question, for a kind
    reminder (with the countries' names when several are served)."""
    groups = kb.get(jurisdiction).words.by_question()
    if len(served) > 1:
        groups.append([word for country in served for word in kb.get(country).words.country])
    return " · ".join(", ".join(words) for words in groups)
