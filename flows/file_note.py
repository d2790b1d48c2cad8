"""« 📝 Note pour le dossier »: a paste-ready trace of the consultation, with no personal data.

What was asked (in categories), by whom (a category), what was answered or shared and on which
basis (articles), the date — the written trace that L226-2-2 CASF, art. 458ter and Belgian
practice expect. For sharing in Belgium, the four conditions of the shared secret are listed
with what the worker answered about each.
"""

from __future__ import annotations

import datetime as dt

from flows import texts
from flows.card import addressed_lines, citation
from flows.outcome import Verdict
from knowledge import contract

TITLE = "📝 Note pour le dossier — {date}"
NO_REQUEST = "Aucune demande extérieure : question d'un signalement ou d'une alerte."
FOOTER = (
    "Cette note ne contient aucune donnée personnelle : complétez-la dans le dossier selon les "
    "règles de votre service (qui, quoi, à qui)."
)
SHARING_CONDITIONS_HEADING = "Conditions du secret partagé (Belgique)"
CONDITIONS = (
    ("consent", "accord de la personne, ou décision prise en se mettant à sa place (chaise vide)"),
    ("partner_bound", "destinataire lui-même tenu au secret"),
    ("same_mission", "même mission auprès de la même personne"),
    ("", "seulement ce qui est strictement nécessaire à cette mission"),
)
CHECKED = {
    "yes": "oui",
    "given": "oui",
    "no": "non",
    "refused": "non",
    contract.UNSURE: "à vérifier",
}
PARTNERS = frozenset({"colleague", "partner", "case_meeting"})


def file_note(verdict: Verdict, today: dt.date | None = None) -> str:
    """The note for this verdict, dated today (or `today`)."""
    day = (today or dt.date.today()).strftime("%d/%m/%Y")
    given, law = verdict.given, verdict.jurisdiction
    by_id = {shown.question_id: shown for shown in verdict.answers}
    lines = [TITLE.format(date=day)]
    requester = by_id.get("requester")
    if requester is None or given.get("requester") == "nobody":
        lines.append(NO_REQUEST)
    else:
        lines.append(f"Demande de : {requester.choice} ({law.name})")
    context = [
        f"{shown.question} : {shown.choice}"
        for shown in verdict.answers
        if shown.question_id not in ("jurisdiction", "requester")
    ]
    if context:
        lines.append("Situation : " + " · ".join(context))
    lines.append(f"Réponse : {verdict.rule.title}")
    lines += [f"  {line}" for line in addressed(verdict)]
    statutory = [s for s in verdict.cited if s.statutory]
    lines.append("Fondement : " + " ; ".join(citation(s) for s in statutory))
    if verdict.rule.debated:
        lines.append("Point discuté entre auteurs : la réponse suit la lecture prudente.")
    if law.id == "be" and verdict.verdict == "may_share" and given.get("requester") in PARTNERS:
        lines.append(f"{SHARING_CONDITIONS_HEADING} :")
        for question_id, condition in CONDITIONS:
            answer = CHECKED.get(given.get(question_id, ""), "à garantir")
            lines.append(f"  - {condition} : {answer}")
    lines.append(FOOTER)
    return "\n".join(lines)


def addressed(verdict: Verdict) -> list[str]:
    """The answer given to the requester and the alert, as the card says them."""
    return list(addressed_lines(verdict)) or [texts.VERDICT_TITLES[verdict.verdict]]
