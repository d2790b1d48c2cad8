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

ANSWER_LINES: dict[str, str] = {
    "must_keep_silent": "rien. Ne confirmez ni n'infirmez.",
    "may_share": "le strict nécessaire, aux conditions ci-dessous.",
    "must_share": "ce que la loi exige, rien de plus.",
    "must_act": "ce que les secours doivent savoir, rien de plus.",
}
"""The requester's answer in one line, after « À la famille : », when a rule says none."""
ALERT_VERDICTS: dict[str, str] = {
    "must_share": "obligation",
    "may_share": "possibilité",
}
WHAT_IF_VERDICTS: dict[str, str] = {
    "must_keep_silent": "vous devriez garder le secret",
    "may_share": "vous pourriez partager, sous conditions",
    "must_share": "vous devriez transmettre, dans les limites de la loi",
    "must_act": "agissez maintenant",
}
WHAT_IF_LINE = "Si « {choice} » ({question}) : {verdict}."
WHAT_IF_SHOWN = 3
"""At most this many « Ce qui changerait la réponse » lines on a card."""

HEADINGS = {
    "consent": "L'accord de la personne",
    "what_if": "Ce qui changerait la réponse",
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
    "hide_help": "⬅️ Revenir à la question",
    "cancel": "⬅️ Annuler",
    "thumbs_up": "👍 Oui",
    "thumbs_down": "👎 Non",
    "thanks": "✅ Merci pour votre retour",
    "start": "▶️ Commencer une consultation",
    "delete": "🗑️ Supprimer mon message",
    "full": "📋 Consultation complète en privé",
    "note": "📝 Note pour le dossier",
    "variant": "🔀 Si « {choice} »",
    "again": "🔁 Afficher la réponse",
}
NOTE_SENT = "Note envoyée ci-dessous : appuyez dessus pour la copier."

# Front ends with buttons (Telegram): short messages.

STEP = "Question {step}"
CHANGE_WHICH = "Quelle réponse voulez-vous modifier ?"
FEEDBACK_THANKS = "Merci pour votre retour !"
FEEDBACK_WHY = "Merci. Qu'est-ce qui n'allait pas ?"
DONE_BELOW = "✅ Réponse ci-dessous."
GLOSSARY_HEADING = "Les mots"

KB_UPDATED = "La base de connaissances a été mise à jour : vos réponses ont été reprises."
KB_UPDATED_RESTART = (
    "La base de connaissances a été mise à jour depuis ce message et vos réponses ne "
    "s'appliquent plus telles quelles. Recommencez : cela ne prend qu'une minute."
)
BAD_BUTTON = (
    "Ce bouton n'est plus valide. Pas d'inquiétude : recommencez avec /consulter "
    "(ou /verif dans un groupe)."
)
NO_RULE = (
    "Je n'ai pas encore de règle pour cette situation précise. Parlez-en à votre équipe, à "
    "votre hiérarchie ou à un·e juriste ; vous pouvez aussi modifier une réponse."
)
TECHNICAL_PROBLEM = (
    "Un problème technique m'empêche de répondre. Réessayez dans un instant ; si cela "
    "continue, recommencez avec /consulter."
)

PERSONAL_DATA_KINDS: dict[str, str] = {
    "email": "une adresse e-mail",
    "nir": "un numéro de sécurité sociale ou de registre national",
    "phone": "un numéro de téléphone",
    "birthdate": "une date de naissance",
    "address": "une adresse",
    "name": "un nom",
}
PERSONAL_DATA_WARNING = (
    "⚠️ Votre message semble contenir {kinds}. Je n'en ai pas besoin : je ne lis pas les "
    "messages et je ne garde rien. Pour protéger la personne, supprimez ce message."
)
FREE_TEXT_REMINDER = (
    "Je ne lis pas les messages tapés : répondez avec les boutons, c'est plus sûr pour la "
    "personne concernée. Pour commencer ou reprendre, touchez le bouton ci-dessous."
)
MESSAGE_DELETED = "🗑️ Message supprimé. Merci de protéger la personne."
MESSAGE_NOT_DELETED = (
    "Je n'ai pas pu supprimer ce message (trop ancien ?). Supprimez-le vous-même : appui long "
    "sur le message, puis « Supprimer »."
)
NOT_DELIVERED = (
    "Telegram n'a pas réussi à afficher ma réponse (le réseau a des ratés). Touchez le bouton "
    "ci-dessous pour l'afficher : vos réponses sont gardées dans le bouton."
)
NOTE_NOT_SENT = (
    "Telegram n'a pas réussi à envoyer la note (le réseau a des ratés). Touchez à nouveau "
    "« 📝 Note pour le dossier » dans un instant."
)
GROUP_TITLE = "Vérification rapide"
NOT_YOUR_CHECK = (
    "Cette vérification a été lancée par quelqu'un d'autre : ses boutons sont à elle. "
    "Lancez la vôtre avec /verif."
)
