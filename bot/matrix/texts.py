"""The French words of the Matrix adapter (the consultation's own words are in `flows/texts.py`)."""

from __future__ import annotations

KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
"""The reactions that answer a question: the keycap of choice 1 … 10."""

KEYS_QUESTION = (
    "Tapez le numéro d'un choix (ou réagissez avec 1️⃣, 2️⃣…) · r retour · n recommencer · "
    "a aide · u urgence"
)
KEYS_VERDICT = (
    "Cette réponse vous a aidé ? Réagissez 👍 ou 👎 · d note pour le dossier · m + numéro pour "
    "modifier une réponse (ex. m3) · r retour · n recommencer"
)
FEEDBACK = {"👍": "up", "👎": "down"}
"""Reactions on a verdict that say whether it helped (skin tones ignored)."""
KEYS_THREAD = "Tapez le numéro d'un choix dans ce fil · r retour · n recommencer · u urgence"
WELCOME = (
    "Bonjour 👋 Je suis Chaise vide. Je vous aide à savoir si vous devez garder le secret, si "
    "vous pouvez partager une information, si vous devez la transmettre ou agir tout de suite — "
    "avec la règle et ses sources.\n"
    "Répondez en tapant le numéro d'un choix. Je ne vous demande jamais de nom et je ne garde "
    "rien."
)
HELP = (
    "Comment ça marche\n"
    "Je pose quelques questions (votre métier, votre cadre, qui demande, s'il y a un danger, "
    "l'accord de la personne), puis je donne la règle qui s'applique, ses conditions et ses "
    "sources.\n\n"
    "Pendant une question : tapez son numéro ou réagissez avec 1️⃣, 2️⃣… ; r retour, "
    "n recommencer, a aide sur la question, u urgence.\n"
    "Après la réponse : d note pour le dossier, m3 pour modifier la réponse 3.\n\n"
    "!consulter — nouvelle consultation (vous pouvez ajouter des mots : !consulter police refus)\n"
    "!urgence — péril : que faire maintenant, les numéros d'urgence\n"
    "!apropos — ce que fait ce bot et ce qu'il garde\n"
    "Dans un salon d'équipe : !verif (ex. !verif police refus) ouvre une vérification rapide "
    "dans un fil."
)
CARRIED_IN_MESSAGES = (
    "Chaque consultation tient dans mes propres messages de la conversation (chiffrés quand "
    "elle l'est)."
)
ABOUT_MATRIX = (
    "Pour chiffrer de bout en bout, mon appareil garde un magasin de clés (protégé par une clé) "
    "qui liste les appareils avec lesquels j'échange : leurs identifiants techniques et clés "
    "publiques, rien d'autre — ni message, ni nom affiché."
)
NOT_UNDERSTOOD = "Je n'ai pas compris. Tapez un numéro de 1 à {count}, ou a pour l'aide."
NOT_UNDERSTOOD_VERDICT = "Je n'ai pas compris. {keys}"
NOTHING_TO_ANSWER = (
    "Aucune consultation en cours ici. Tapez !consulter pour en commencer une, ou !aide."
)
UNKNOWN_COMMAND = (
    "Je ne connais pas cette commande. Commandes : !consulter, !urgence, !aide, !apropos ; "
    "dans un salon : !verif."
)
UNDECRYPTABLE = (
    "🔒 Je n'ai pas pu déchiffrer votre dernier message (clés de chiffrement pas encore "
    "reçues). Pouvez-vous le renvoyer ? Si cela se répète, ouvrez une nouvelle conversation "
    "directe avec moi."
)
ROOM_HELLO = (
    "Bonjour 👋 Dans ce salon, tapez !verif pour une vérification rapide (par exemple "
    "« !verif police refus ») : elle se déroule dans un fil, seule la personne qui la lance y "
    "répond. Pour une consultation complète, écrivez-moi en conversation directe."
)
VERIF_ONLY_IN_ROOMS = "!verif s'utilise dans un salon d'équipe ; ici, voici une consultation."
STATS_REFUSED = "Les statistiques sont réservées aux personnes désignées par le service."
STATS_ONLY_DIRECT = "Demandez-moi !stats en conversation directe : je n'envoie rien dans un salon."
