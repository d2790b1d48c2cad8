"""The verdict card says what a worker must see: numbers, debates, caveats, prudence, sources."""

from __future__ import annotations

from flows.card import build_card, card_text
from flows.consultation import Consultation
from flows.outcome import Verdict


def card_for(served: tuple[str, ...], answers: dict[str, str]) -> str:
    """The plain-text card of a complete consultation."""
    outcome = Consultation(served, answers).current()
    assert isinstance(outcome, Verdict)
    return card_text(build_card(outcome))


def test_peril_card_gives_the_emergency_numbers_first() -> None:
    """The emergency card lists 15, 17, 112 and 114 before anything else is explained."""
    text = card_for(("fr",), {"risk": "peril"})
    assert text.startswith("🚨 Agissez maintenant")
    for number in ("15 — SAMU", "17 — Police", "112", "114"):
        assert number in text
    assert text.index("Numéros d'urgence") < text.index("Sources")


def test_belgian_peril_card_gives_belgian_numbers() -> None:
    """Belgium: 112 and 101, and the duty to help cited under both numberings."""
    text = card_for(("be",), {"risk": "peril"})
    assert "101" in text
    assert "422bis" in text
    assert "299" in text


def test_debated_card_names_the_positions_and_who_holds_them() -> None:
    """An information préoccupante by a bound worker is presented as debated, with authors."""
    outcome = Consultation(
        ("fr",),
        {
            "profession": "ass",
            "setting": "private",
            "requester": "nobody",
            "risk": "child",
            "consent": "refused",
        },
    ).current()
    assert outcome.rule.debated
    text = card_text(build_card(outcome))
    assert "⚖️ Point discuté" in text
    for position in outcome.rule.positions:
        assert position.held_by in text


def test_unsure_answers_are_flagged_as_the_prudent_reading() -> None:
    """A 'Je ne sais pas' answer is named on the card, which says it is the prudent reading."""
    text = card_for(
        ("fr",),
        {
            "profession": "social",
            "setting": "private",
            "requester": "partner",
            "partner_bound": "unsure",
            "same_mission": "yes",
            "risk": "none",
            "consent": "given",
        },
    )
    assert "Tenu·e au secret" in text
    assert "lecture prudente" in text


def test_source_caveat_and_unverified_numbers_are_shown() -> None:
    """The 2024 Belgian Code's reported date of entry into force is shown beside its article."""
    text = card_for(
        ("be",),
        {
            "profession": "as",
            "setting": "cpas",
            "requester": "family",
            "risk": "none",
            "consent": "refused",
        },
    )
    assert "Article 352" in text
    assert "rapportée, non vérifiée" in text
    assert "Vos réponses" in text
    assert "pas un avis juridique" in text


def test_urgence_before_choosing_a_country_gives_every_country_numbers() -> None:
    """Serving France and Belgium, /urgence at once lists both countries' numbers, named."""
    consultation = Consultation(("fr", "be"))
    text = card_text(build_card(consultation.urgence()))
    assert "Numéros d'urgence — France" in text
    assert "Numéros d'urgence — Belgique" in text
    assert "15 — SAMU" in text
    assert "101" in text


def test_urgence_after_choosing_belgium_gives_only_belgian_numbers() -> None:
    """Once the country is chosen, only its numbers are shown."""
    consultation = Consultation(("fr", "be"))
    consultation.answer("jurisdiction", "be")
    text = card_text(build_card(consultation.urgence()))
    assert "— France" not in text
    assert "15 — SAMU" not in text
    assert "112" in text


FIRST_SCREEN = 600
"""About what a phone shows before scrolling."""


def test_the_first_screen_holds_headline_addressees_and_first_condition(paths_report) -> None:
    """For every rule, the first 600 characters hold the headline, each « À … » line (the
    requester's answer, then the alert) and the beginning of the first condition."""
    for country, report in paths_report.items():
        for answers in report.first_path.values():
            verdict = Consultation((country,), answers).current()
            card = build_card(verdict)
            first = card_text(card)[:FIRST_SCREEN]
            assert first.startswith(card.headline), verdict.rule.id
            for line in card.addressed:
                assert line in first, (verdict.rule.id, line)
            if verdict.rule.conditions:
                assert verdict.rule.conditions[0][:60] in first, verdict.rule.id
