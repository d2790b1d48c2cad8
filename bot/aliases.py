"""Answers typed after a command: `question=choice` pairs or French words (`police refus`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from bot.codec import choices_of
from flows.consultation import Consultation
from flows.errors import FlowError
from knowledge.loader import KnowledgeBase, load_knowledge

ALIASES: dict[str, tuple[str, str]] = {
    # who asks
    "police": ("requester", "police"),
    "gendarmerie": ("requester", "police"),
    "gendarme": ("requester", "police"),
    "policier": ("requester", "police"),
    "requisition": ("requester", "requisition"),
    "opj": ("requester", "requisition"),
    "procureur": ("requester", "requisition"),
    "famille": ("requester", "family"),
    "proche": ("requester", "family"),
    "partenaire": ("requester", "partner"),
    "collegue": ("requester", "colleague"),
    "hierarchie": ("requester", "colleague"),
    "reunion": ("requester", "case_meeting"),
    "commission": ("requester", "case_meeting"),
    "temoin": ("requester", "witness"),
    "huissier": ("requester", "bailiff"),
    "prefecture": ("requester", "authority"),
    "mairie": ("requester", "authority"),
    "caf": ("requester", "authority"),
    "elu": ("requester", "authority"),
    "personne": ("requester", "nobody"),
    "signaler": ("requester", "nobody"),
    "signalement": ("requester", "nobody"),
    # danger
    "peril": ("risk", "peril"),
    "enfant": ("risk", "child"),
    "mineur": ("risk", "child"),
    "vulnerable": ("risk", "vulnerable"),
    "maltraitance": ("risk", "vulnerable"),
    "couple": ("risk", "couple"),
    "conjugales": ("risk", "couple"),
    "arme": ("risk", "weapon"),
    "crime": ("risk", "crime"),
    "delit": ("risk", "crime"),
    "aucun": ("risk", "none"),
    # consent
    "refus": ("consent", "refused"),
    "refuse": ("consent", "refused"),
    "accord": ("consent", "given"),
    "consentement": ("consent", "given"),
    # who I am, where I work
    "soignant": ("profession", "health"),
    "infirmier": ("profession", "health"),
    "infirmiere": ("profession", "health"),
    "medecin": ("profession", "health"),
    "educateur": ("profession", "social"),
    "educatrice": ("profession", "social"),
    "benevole": ("profession", "other"),
    "chrs": ("setting", "shelter"),
    "siao": ("setting", "shelter"),
    "hebergement": ("setting", "shelter"),
    "ase": ("setting", "child_protection"),
    "pmi": ("setting", "child_protection"),
    "ccas": ("setting", "social_aid"),
    "rsa": ("setting", "social_aid"),
    "hopital": ("setting", "hospital"),
    "ehpad": ("setting", "medico_social"),
    "cpas": ("setting", "cpas"),
    # country
    "france": ("jurisdiction", "fr"),
    "belgique": ("jurisdiction", "be"),
}
"""French words (lowercase, without accents) and the answer each stands for."""

FILLERS = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "un", "une", "et", "avec", "qui", "demande",
     "ma", "mon", "mes", "par", "pour", "en", "a", "au", "aux", "danger", "ecrite", "oral"}
)  # fmt: skip
NEGATION = "sans"
"""'sans réquisition' does not mean a requisition: the word after 'sans' is skipped."""


@dataclass
class Parsed:
    """Answers understood from typed words, and whether some words were not understood."""

    answers: dict[str, str] = field(default_factory=dict)
    unknown: int = 0


def normalize(word: str) -> str:
    """Lowercase, no accents, no surrounding punctuation: 'Réquisition,' → 'requisition'."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.strip(".,;:!?()'\"«»")


def parse_words(words: list[str], served: tuple[str, ...]) -> Parsed:
    """Read `question=choice` pairs and French words; the first answer to a question wins."""
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
        pair = split_pair(word) if "=" in word else ALIASES.get(word)
        if pair is None or not fits(pair, parsed.answers, served):
            parsed.unknown += 1
            continue
        parsed.answers.setdefault(*pair)
    return parsed


def prefilled(
    words: list[str], served: tuple[str, ...], knowledge: KnowledgeBase
) -> tuple[Consultation, bool]:
    """A consultation prefilled from the words typed after a command; True if some were lost."""
    parsed = parse_words(words, served)
    try:
        return Consultation(served, parsed.answers, knowledge=knowledge), bool(parsed.unknown)
    except FlowError:
        return Consultation(served, knowledge=knowledge), True


def split_pair(word: str) -> tuple[str, str] | None:
    """'requester=police' → ('requester', 'police'); anything else → None."""
    question, _, choice = word.partition("=")
    if question not in ("jurisdiction", *load_knowledge().order) or not choice:
        return None
    return question, choice


def fits(pair: tuple[str, str], answers: dict[str, str], served: tuple[str, ...]) -> bool:
    """The choice exists for this question in the country of the consultation."""
    question, choice = pair
    if question == "jurisdiction":
        return choice in served
    law = answers.get("jurisdiction", served[0])
    return choice in choices_of(law, question)


def vocabulary() -> str:
    """The words understood, grouped by question, for a kind reminder."""
    groups: dict[str, list[str]] = {}
    for word, (question, _) in ALIASES.items():
        groups.setdefault(question, []).append(word)
    return " · ".join(", ".join(words) for words in groups.values())
