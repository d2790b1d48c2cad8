"""The words every front end shares (terminal, Telegram), so they say the same thing."""

from __future__ import annotations

VERDICT_TITLES: dict[str, str] = {
    "must_keep_silent": "🤐 Vous devez garder le secret",
    "may_share": "🤝 Vous pouvez partager, sous conditions",
    "must_share": "📨 Vous devez transmettre, dans les limites de la loi",
    "must_act": "🚨 Agissez maintenant",
}

WORKER_STATUS: dict[str, str] = {
    "bound": "Vous êtes tenu·e au secret professionnel.",
    "debated": "Que vous soyez tenu·e au secret est discuté : la réponse suit la lecture prudente.",
    "not_bound": "Vous n'êtes pas tenu·e au secret professionnel, mais à la discrétion.",
}

UNSURE_NOTE = "Vous avez répondu « Je ne sais pas ». {help}"
PRUDENT = (
    "Vous avez répondu « Je ne sais pas » à : {questions}. Cette réponse est la lecture "
    "prudente ; si vous pouvez le vérifier, changez votre réponse."
)
ALREADY_FIRST = "Vous êtes déjà à la première question."

HEADINGS = {
    "conditions": "À respecter",
    "to_requester": "Ce que vous pouvez répondre",
    "debated": "⚖️ Point discuté",
    "unverified": "⚠️ À vérifier",
    "emergency": "Numéros d'urgence",
    "sources": "Sources",
    "answers": "Vos réponses",
}

DEBATED_INTRO = "Les auteurs ne sont pas d'accord ; la réponse ci-dessus est la lecture prudente."
CHECKED_ON = "vérifié le {date}"
UNVERIFIED_SOURCE = "numéro ou texte non vérifié"

FEEDBACK_QUESTION = "Cette réponse vous a aidé ?"
FEEDBACK_REASONS: dict[str, str] = {
    "wrong": "Informations fausses",
    "unclear": "Pas clair",
    "mismatch": "Ne correspond pas à ma situation",
}

BUTTONS = {
    "back": "↩️ Retour",
    "restart": "🔄 Recommencer",
    "help": "❓ Aide",
    "urgence": "🚨 Urgence",
    "change": "✏️ Modifier une réponse",
}
