"""The conversation as a person lives it: questions asked, back, change, restart, urgence."""

from __future__ import annotations

import pytest

from flows.consultation import Consultation
from flows.errors import NotCurrentQuestionError, UnknownChoiceError, UnknownQuestionError
from flows.outcome import NextQuestion, Verdict

FAMILY_PATH = [
    ("profession", "ass"),
    ("setting", "shelter"),
    ("requester", "family"),
    ("risk", "none"),
    ("consent", "refused"),
]


def answer_all(consultation: Consultation, pairs: list[tuple[str, str]]):
    """Answer each question in turn, checking it is the one asked."""
    outcome = consultation.current()
    for question_id, choice_id in pairs:
        assert isinstance(outcome, NextQuestion)
        assert outcome.question.id == question_id
        outcome = consultation.answer(question_id, choice_id)
    return outcome


def test_french_only_instance_starts_with_profession() -> None:
    """With one country served, the country is not asked."""
    outcome = Consultation(("fr",)).current()
    assert isinstance(outcome, NextQuestion)
    assert outcome.question.id == "profession"
    assert [c.id for c in outcome.choices] == ["ass", "health", "social", "other"]


def test_two_countries_ask_the_country_first_then_its_choices() -> None:
    """Serving France and Belgium, the country comes first and decides the choices."""
    consultation = Consultation(("fr", "be"))
    assert consultation.current().question.id == "jurisdiction"
    outcome = consultation.answer("jurisdiction", "be")
    assert [c.id for c in outcome.choices] == ["as", "health", "social", "other"]


def test_family_asking_without_consent_gets_silence() -> None:
    """The contract's example path reaches 'must keep silent' and cites 226-13."""
    outcome = answer_all(Consultation(("fr",)), FAMILY_PATH)
    assert isinstance(outcome, Verdict)
    assert outcome.verdict == "must_keep_silent"
    law = outcome.jurisdiction
    assert "CP 226-13" in {
        f"{law.sources[k].code} {law.sources[k].article}" for k in outcome.rule.sources
    }


def test_partner_questions_are_asked_only_for_professionals() -> None:
    """A partner professional brings the two partner questions; the family does not."""
    consultation = Consultation(("fr",))
    answer_all(consultation, [("profession", "ass"), ("setting", "shelter")])
    assert consultation.answer("requester", "partner").question.id == "partner_bound"
    consultation.back()
    assert consultation.answer("requester", "family").question.id == "risk"


def test_consent_is_not_asked_for_a_written_requisition() -> None:
    """After the risk, a requisition goes straight to the verdict."""
    outcome = answer_all(
        Consultation(("fr",)),
        [
            ("profession", "social"),
            ("setting", "shelter"),
            ("requester", "requisition"),
            ("risk", "none"),
        ],
    )
    assert isinstance(outcome, Verdict)
    assert outcome.verdict == "must_share"


def test_peril_short_circuits_at_the_risk_question() -> None:
    """Choosing péril ends the consultation on the emergency answer, without consent."""
    outcome = answer_all(
        Consultation(("fr",)),
        [
            ("profession", "other"),
            ("setting", "private"),
            ("requester", "family"),
            ("risk", "peril"),
        ],
    )
    assert isinstance(outcome, Verdict)
    assert outcome.verdict == "must_act"


def test_urgence_from_the_first_question_reaches_the_emergency_answer() -> None:
    """/urgence works before any answer; back returns to where the person was."""
    consultation = Consultation(("fr",))
    consultation.answer("profession", "ass")
    outcome = consultation.urgence()
    assert isinstance(outcome, Verdict)
    assert outcome.verdict == "must_act"
    back = consultation.back()
    assert isinstance(back, NextQuestion)
    assert back.question.id == "setting"
    assert consultation.answers == {"profession": "ass"}


def test_back_asks_the_previous_question_again_and_counts() -> None:
    """Back from the verdict re-asks the last question and is counted for statistics."""
    consultation = Consultation(("fr",))
    answer_all(consultation, FAMILY_PATH)
    outcome = consultation.back()
    assert outcome.question.id == "consent"
    outcome = consultation.back()
    assert outcome.question.id == "risk"
    assert consultation.back_steps == 2
    assert "consent" not in consultation.answers


def test_back_at_the_first_question_says_so() -> None:
    """Back with nothing answered stays put and explains why."""
    outcome = Consultation(("fr",)).back()
    assert outcome.question.id == "profession"
    assert "première question" in outcome.note


def test_changing_the_requester_keeps_answers_that_still_apply() -> None:
    """From family to partner: risk and consent are kept, the partner questions are asked."""
    consultation = Consultation(("fr",))
    answer_all(consultation, FAMILY_PATH)
    assert consultation.change("requester").question.id == "requester"
    outcome = consultation.answer("requester", "partner")
    assert outcome.question.id == "partner_bound"
    consultation.answer("partner_bound", "yes")
    outcome = consultation.answer("same_mission", "yes")
    assert isinstance(outcome, Verdict)
    assert consultation.answers["consent"] == "refused"
    assert consultation.answers["risk"] == "none"


def test_changing_to_a_requisition_drops_the_consent_answer() -> None:
    """An answer that no longer applies is dropped, and reported as such."""
    consultation = Consultation(("fr",))
    answer_all(consultation, FAMILY_PATH)
    consultation.change("requester")
    outcome = consultation.answer("requester", "requisition")
    assert isinstance(outcome, Verdict)
    assert "consent" not in consultation.answers


def test_changing_the_country_drops_answers_invalid_there() -> None:
    """A French profession id does not exist in Belgium: it is asked again."""
    consultation = Consultation(("fr", "be"))
    answer_all(consultation, [("jurisdiction", "fr"), *FAMILY_PATH])
    consultation.change("jurisdiction")
    outcome = consultation.answer("jurisdiction", "be")
    assert outcome.question.id == "profession"
    assert consultation.answers["requester"] == "family"


def test_unsure_explains_and_never_dead_ends() -> None:
    """'Je ne sais pas' shows the explanation, moves on, and the verdict says it is prudent."""
    consultation = Consultation(("fr",))
    answer_all(
        consultation, [("profession", "social"), ("setting", "private"), ("requester", "partner")]
    )
    outcome = consultation.answer("partner_bound", "unsure")
    assert outcome.question.id == "same_mission"
    assert "Je ne sais pas" in outcome.note
    consultation.answer("same_mission", "unsure")
    consultation.answer("risk", "unsure")
    verdict = consultation.answer("consent", "not_asked")
    assert isinstance(verdict, Verdict)
    assert set(verdict.unsure) == {"partner_bound", "same_mission", "risk"}


def test_restart_forgets_everything() -> None:
    """Restart goes back to the first question with no answer and no back step: a new one."""
    consultation = Consultation(("fr", "be"))
    answer_all(consultation, [("jurisdiction", "fr"), *FAMILY_PATH[:2]])
    consultation.back()
    answer_all(consultation, FAMILY_PATH[1:])
    assert consultation.back_steps == 1
    outcome = consultation.restart()
    assert outcome.question.id == "jurisdiction"
    assert consultation.answers == {}
    assert consultation.back_steps == 0


@pytest.mark.parametrize(
    ("question_id", "choice_id", "error"),
    [
        ("profession", "astronaut", UnknownChoiceError),
        ("colour", "blue", UnknownQuestionError),
        ("risk", "none", NotCurrentQuestionError),
    ],
)
def test_bad_answers_are_refused_with_a_french_message(question_id, choice_id, error) -> None:
    """Unknown choices, unknown questions and stale buttons raise errors that explain."""
    consultation = Consultation(("fr",))
    with pytest.raises(error) as raised:
        consultation.answer(question_id, choice_id)
    assert any(word in str(raised.value) for word in ("inconnu", "plus celle"))
    assert consultation.answers == {}
