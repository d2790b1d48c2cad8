"""« 📝 Note pour le dossier »: categories, answer, articles and date; never anything personal."""

from __future__ import annotations

import datetime as dt

from flows.consultation import Consultation
from flows.file_note import file_note
from flows.outcome import Verdict

DAY = dt.date(2026, 12, 5)


def note_for(country: str, answers: dict[str, str]) -> str:
    """The note of a complete consultation, dated DAY."""
    outcome = Consultation((country,), answers).current()
    assert isinstance(outcome, Verdict)
    return file_note(outcome, DAY)


def test_a_french_note_names_the_request_the_answer_and_the_articles() -> None:
    """Family asking a CHRS social worker, consent refused: who asked, what was said, on what."""
    note = note_for(
        "fr",
        {
            "profession": "ass",
            "setting": "shelter",
            "requester": "family",
            "risk": "none",
            "consent": "refused",
        },
    )
    lines = note.splitlines()
    assert lines[0] == "📝 Note pour le dossier — 05/12/2026"
    assert lines[1] == "Demande de : Famille, proche (France)"
    assert "Accord de la personne : Non, elle refuse" in lines[2]
    assert "À la famille : rien." in note
    basis = next(line for line in lines if line.startswith("Fondement : "))
    for cited in ("CASF L411-3", "CASF L345-1", "CP 226-13"):
        assert cited in basis
    assert "DOCTRINE" not in basis
    assert lines[-1].startswith("Cette note ne contient aucune donnée personnelle")


def test_belgian_sharing_lists_the_four_conditions_with_the_answers_given() -> None:
    """Sharing in Belgium: consent, bound by secret, same mission, strictly necessary."""
    note = note_for(
        "be",
        {
            "profession": "as",
            "setting": "cpas",
            "requester": "partner",
            "partner_bound": "yes",
            "same_mission": "yes",
            "risk": "none",
            "consent": "given",
        },
    )
    assert "Conditions du secret partagé (Belgique) :" in note
    assert "(chaise vide) : oui" in note
    assert "destinataire lui-même tenu au secret : oui" in note
    assert "même mission auprès de la même personne : oui" in note
    assert "strictement nécessaire à cette mission : à garantir" in note


def test_when_nobody_asks_the_note_says_it_is_about_alerting() -> None:
    """No requester: the note records a question of reporting, not an answer to someone."""
    note = note_for(
        "fr",
        {
            "profession": "social",
            "setting": "private",
            "requester": "nobody",
            "risk": "none",
            "consent": "not_asked",
        },
    )
    assert "Aucune demande extérieure" in note
    assert "Demande de" not in note


def test_an_unverified_article_is_flagged_in_the_note() -> None:
    """One source, one tag, everywhere: the note says which cited numbers are unverified."""
    note = note_for(
        "fr",
        {
            "profession": "social",
            "setting": "child_protection",
            "requester": "nobody",
            "risk": "child",
            "consent": "not_asked",
        },
    )
    basis = next(line for line in note.splitlines() if line.startswith("Fondement : "))
    assert "CSP L2112-9 (numéro ou texte non vérifié)" in basis
    assert "CASF L221-6 ;" in basis or basis.endswith("CASF L221-6")
