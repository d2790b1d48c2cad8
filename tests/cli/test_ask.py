"""`chaisevide ask` through a real subprocess: the contract's JSON, readable text, bad input."""

from __future__ import annotations

import json

import pytest

CONTRACT_KEYS = {
    "complete",
    "jurisdiction",
    "answers",
    "verdict",
    "debated",
    "rule",
    "title",
    "summary",
    "conditions",
    "sources",
    "kb_version",
    "next_question",
    "alert",
    "what_if",
    "file_note",
}
FAMILY = ["profession=ass", "setting=shelter", "requester=family", "risk=none", "consent=refused"]


def test_complete_answers_give_the_contract_json(run_cli) -> None:
    """The contract's example: a family asking, consent refused → keep silent, with sources."""
    result = run_cli("ask", *FAMILY, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert data["complete"] is True
    assert data["jurisdiction"] == "fr"
    assert data["answers"] == {
        "profession": "ass",
        "setting": "shelter",
        "requester": "family",
        "risk": "none",
        "consent": "refused",
    }
    assert data["verdict"] == "must_keep_silent"
    assert data["next_question"] is None
    assert data["ignored"] == []
    assert data["sources"], "a verdict always cites its sources"
    for source in data["sources"]:
        assert set(source) == {"code", "article", "label", "url", "checked_on"}
        assert source["url"].startswith("https://")
    assert any(s["code"] == "CP" and s["article"] == "226-13" for s in data["sources"])


def test_missing_answers_give_the_next_question_with_button_labels(run_cli) -> None:
    """Incomplete answers: complete false, no verdict, the next question and its exact labels."""
    result = run_cli("ask", "profession=ass", "setting=shelter", "--json")
    data = json.loads(result.stdout)
    assert data["complete"] is False
    assert data["verdict"] is None
    question = data["next_question"]
    assert question["id"] == "requester"
    labels = {c["id"]: c["label"] for c in question["choices"]}
    assert labels["family"] == "Famille, proche"
    assert len(labels) == 13


def test_no_answer_at_all_asks_the_profession_in_france(run_cli) -> None:
    """With no answer the country defaults to France and the first question is the profession."""
    data = json.loads(run_cli("ask", "--json").stdout)
    assert data["jurisdiction"] == "fr"
    assert data["next_question"]["id"] == "profession"


def test_answers_not_asked_on_the_path_are_ignored_and_reported(run_cli) -> None:
    """Consent given for a written requisition is not asked, so it is reported as ignored."""
    result = run_cli(
        "ask",
        "profession=social",
        "setting=shelter",
        "requester=requisition",
        "risk=none",
        "consent=given",
        "partner_bound=yes",
        "--json",
    )
    data = json.loads(result.stdout)
    assert data["complete"] is True
    assert sorted(data["ignored"]) == ["consent", "partner_bound"]
    assert "consent" not in data["answers"]


def test_peril_short_circuits_everything(run_cli) -> None:
    """risk=peril alone gives the emergency answer."""
    data = json.loads(run_cli("ask", "risk=peril", "--json").stdout)
    assert data["complete"] is True
    assert data["verdict"] == "must_act"
    assert any(s["article"] == "223-6" for s in data["sources"])


def test_belgian_answers_cite_both_numberings(run_cli) -> None:
    """In Belgium, a family asking without consent: silence, 458 with its 2024 number 352."""
    result = run_cli(
        "ask",
        "jurisdiction=be",
        "profession=as",
        "setting=cpas",
        "requester=family",
        "risk=none",
        "consent=refused",
        "--json",
    )
    data = json.loads(result.stdout)
    assert data["jurisdiction"] == "be"
    assert data["verdict"] == "must_keep_silent"
    cited = {(s["code"], s["article"]) for s in data["sources"]}
    assert {("CP-BE", "458"), ("CP-BE-2024", "352")} <= cited


def test_text_output_is_the_card_a_person_reads(run_cli) -> None:
    """Without --json, the verdict card: headline, sources with links, 'Vos réponses'."""
    result = run_cli("ask", *FAMILY)
    assert result.returncode == 0
    assert "Vous devez garder le secret" in result.stdout
    assert "Sources" in result.stdout
    assert "https://" in result.stdout
    assert "Vos réponses" in result.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["profession=astronaut"], ["astronaut", "ass", "health", "social", "other"]),
        (["colour=blue"], ["colour", "profession", "requester"]),
        (["profession"], ["profession", "question=choix"]),
        (["profession=ass", "profession=health"], ["profession", "deux fois"]),
        (["jurisdiction=de"], ["de", "fr", "be"]),
        (["profession=as"], ["as", "ass"]),
    ],
)
def test_bad_tokens_exit_2_with_a_french_message_naming_them(run_cli, args, named) -> None:
    """A bad token: exit 2, nothing on stdout, stderr names it and lists the valid choices."""
    result = run_cli("ask", *args, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    for word in named:
        assert word in result.stderr
    assert "Traceback" not in result.stderr


def test_a_country_not_served_is_refused(run_cli) -> None:
    """An instance configured for Belgium only refuses French answers, kindly."""
    result = run_cli("ask", "jurisdiction=fr", env={"CHAISEVIDE_JURISDICTIONS": "be"})
    assert result.returncode == 2
    assert "be" in result.stderr


def test_jurisdiction_default_follows_configuration(run_cli) -> None:
    """The first configured country is the default."""
    data = json.loads(run_cli("ask", "--json", env={"CHAISEVIDE_JURISDICTIONS": "be,fr"}).stdout)
    assert data["jurisdiction"] == "be"
    assert data["next_question"]["choices"][0]["id"] == "as"


def test_bad_configuration_is_explained(run_cli) -> None:
    """An unknown country in the configuration names the variable and the valid values."""
    result = run_cli("ask", env={"CHAISEVIDE_JURISDICTIONS": "fr,xx"})
    assert result.returncode == 3
    assert "CHAISEVIDE_JURISDICTIONS" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_verdict_carries_what_would_change_it_and_a_note_for_the_file(run_cli) -> None:
    """`what_if` lists consent given (by replay); `file_note` is a dated trace with articles."""
    data = json.loads(run_cli("ask", *FAMILY, "--json").stdout)
    assert data["alert"] is None
    assert {"question": "consent", "choice": "given", "verdict": "may_share"}.items() <= (
        data["what_if"][0].items()
    )
    assert data["file_note"].startswith("📝 Note pour le dossier — ")
    assert "CP 226-13" in data["file_note"]
    cited = [f"{s['code']} {s['article']}" for s in data["sources"]]
    assert cited[:2] == ["CASF L411-3", "CASF L345-1"]  # why the worker is bound, first


def test_unfinished_answers_have_no_alert_what_if_or_note(run_cli) -> None:
    """Before the verdict, the three keys are there, empty."""
    data = json.loads(run_cli("ask", "profession=ass", "--json").stdout)
    assert (data["alert"], data["what_if"], data["file_note"]) == (None, [], None)
