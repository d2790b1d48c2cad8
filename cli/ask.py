"""`chaisevide ask`: one consultation answered from `question=choice` pairs (see contract)."""

from __future__ import annotations

import json
import sys

from flows.card import build_card, card_text
from flows.consultation import Consultation
from flows.errors import FlowError
from flows.file_note import file_note
from flows.outcome import NextQuestion, Verdict
from knowledge.loader import load_knowledge

EXIT_BAD_INPUT = 2


def question_ids() -> list[str]:
    """Every question id `ask` accepts, the country first."""
    return ["jurisdiction", *load_knowledge().order]


def parse_pairs(tokens: list[str]) -> dict[str, str]:
    """`['risk=none', …]` → {'risk': 'none'}; malformed or repeated tokens are FlowErrors."""
    answers: dict[str, str] = {}
    for token in tokens:
        question_id, sep, choice_id = token.partition("=")
        question_id, choice_id = question_id.strip(), choice_id.strip()
        if not sep or not question_id or not choice_id:
            raise FlowError(
                f"Réponse mal formée « {token} » : écrivez question=choix, par exemple "
                f"risk=none. Questions possibles : {', '.join(question_ids())}."
            )
        if question_id in answers:
            raise FlowError(
                f"La question « {question_id} » est donnée deux fois "
                f"(« {answers[question_id]} » et « {choice_id} ») : gardez-en une seule."
            )
        answers[question_id] = choice_id
    return answers


def alert_json(verdict: Verdict) -> dict | None:
    """The contract's `alert` object: the authority to alert besides the requester, or None."""
    alert = verdict.alert
    if alert is None:
        return None
    law = verdict.jurisdiction
    return {
        "verdict": alert.verdict,
        "to": alert.to,
        "rule": alert.id,
        "sources": [law.sources[key].as_contract() for key in alert.sources],
    }


def contract_json(consultation: Consultation) -> dict:
    """The consultation as the contract's JSON object."""
    outcome = consultation.current()
    data: dict = {
        "complete": isinstance(outcome, Verdict),
        "jurisdiction": consultation.jurisdiction.id,
        "answers": consultation.legal_answers(),
        "verdict": None,
        "debated": False,
        "rule": None,
        "title": None,
        "summary": None,
        "conditions": [],
        "sources": [],
        "kb_version": consultation.knowledge.version,
        "next_question": None,
        "ignored": consultation.ignored(),
        "alert": None,
        "what_if": [],
        "file_note": None,
    }
    if isinstance(outcome, Verdict):
        rule = outcome.rule
        data.update(
            verdict=rule.verdict,
            debated=rule.debated,
            rule=rule.id,
            title=rule.title,
            summary=rule.summary,
            conditions=list(rule.conditions),
            sources=[source.as_contract() for source in outcome.sources],
            alert=alert_json(outcome),
            what_if=[variant.as_contract() for variant in outcome.what_if],
            file_note=file_note(outcome),
            to_requester=rule.to_requester or None,
            positions=[{"view": p.view, "held_by": p.held_by} for p in rule.positions],
            unverified=list(rule.unverified),
        )
    else:
        data["next_question"] = {
            "id": outcome.question.id,
            "text": outcome.question.text,
            "choices": [{"id": c.id, "label": c.label} for c in outcome.choices],
        }
    return data


def readable(consultation: Consultation) -> str:
    """The answer as a person reads it: the verdict card, or the next question and its choices."""
    outcome = consultation.current()
    ignored = consultation.ignored()
    note = (
        f"\n\n(Réponses ignorées, sans objet sur ce parcours : {', '.join(ignored)}.)"
        if ignored
        else ""
    )
    if isinstance(outcome, NextQuestion):
        question = outcome.question
        choices = "\n".join(f"  {question.id}={c.id}  — {c.label}" for c in outcome.choices)
        return (
            f"Il manque une réponse. Question suivante : {question.text}\n{choices}\n\n"
            f"Ajoutez l'une de ces réponses à la commande.{note}"
        )
    return card_text(build_card(outcome)) + note


def run_ask(tokens: list[str], as_json: bool, served: tuple[str, ...]) -> int:
    """Answer one consultation; exit status 2 with a French message on bad input."""
    try:
        answers = parse_pairs(tokens)
        if len(served) > 1:
            answers.setdefault("jurisdiction", served[0])
        consultation = Consultation(served, answers)
    except FlowError as error:
        print(f"chaisevide ask : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if as_json:
        print(json.dumps(contract_json(consultation), ensure_ascii=False, indent=2))
    else:
        print(readable(consultation))
    return 0
