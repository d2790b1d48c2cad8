"""Pure render of the bot's fixed pages: welcome, help, sources, about, inline cards."""

from __future__ import annotations

from bot.messages import escape, source_html, split_html
from flows.situations import Answer
from flows.words import vocabulary
from knowledge.loader import KnowledgeBase

WELCOME = (
    "Bonjour 👋 Je suis <b>Chaise vide</b>. Je vous aide à savoir si vous devez garder le "
    "secret, si vous pouvez partager une information, si vous devez la transmettre ou agir "
    "tout de suite — avec la règle et ses sources.\n\n"
    "Répondez avec les boutons. Je ne vous demande jamais de nom et je ne garde rien."
)
HELP_PRIVATE = (
    "<b>Comment ça marche</b>\n"
    "Je pose quelques questions (votre métier, votre cadre, qui demande, s'il y a un danger, "
    "l'accord de la personne), puis je donne la règle qui s'applique, ses conditions et ses "
    "sources. ❓ explique chaque question.\n\n"
    "/consulter — nouvelle consultation (vous pouvez ajouter des mots : /consulter police refus)\n"
    "/urgence — péril : que faire maintenant, les numéros d'urgence\n"
    "/sources — les textes de loi utilisés\n"
    "/apropos — ce que fait ce bot et ce qu'il garde (rien)\n\n"
    "Dans un groupe d'équipe : /verif. Dans n'importe quelle conversation : tapez "
    "@{username} police (ou famille, enfant, péril…)."
)
HELP_GROUP = (
    "<b>Dans un groupe</b>\n"
    "/verif lance une vérification rapide ; vous pouvez ajouter des mots : "
    "<code>/verif police refus</code> ou <code>/verif requester=police risk=none</code>. "
    "Seule la personne qui la lance touche ses boutons ; la réponse est publiée pour "
    "l'équipe.\n/urgence donne les numéros d'urgence. Pour une consultation complète, "
    "écrivez-moi en privé."
)
WORDS_UNKNOWN = (
    "Je n'ai pas compris certains mots (je ne les répète pas : ils pourraient identifier "
    "quelqu'un). Mots compris : {words}. Vous pouvez aussi écrire question=choix, par exemple "
    "<code>requester=police risk=none</code>, ou lancer la commande seule."
)
PRIVATE_ONLY = (
    "Cette commande s'utilise en message privé avec moi. Ici, lancez /verif pour une "
    "vérification rapide."
)
BAD_LINK = "Ce lien ne correspond pas à une consultation ; voici une consultation vierge."
ABOUT = (
    "<b>Chaise vide</b> — une aide à la réflexion sur le secret professionnel pour le travail "
    "social et médico-social ({countries}). Ce n'est pas un avis juridique : en cas de doute, "
    "parlez-en à votre équipe, à votre hiérarchie ou à un·e juriste.\n\n"
    "<b>Ce que je garde sur vous : rien.</b> Pas de nom, pas d'identifiant, pas de message. "
    "{carried} Les statistiques du service ne comptent que des réponses anonymes, par "
    "catégories (jamais qui, jamais l'heure). {devices}\n\n"
    "Version de la base de connaissances : <code>{version}</code> · règles vérifiées "
    "jusqu'au {checked}."
)
CARRIED_IN_BUTTONS = "Toute la consultation tient dans les boutons."
DEVICES_ELSEWHERE = (
    "Si ce service vous répond aussi sur Tchap ou Matrix, le bot y garde un magasin de clés de "
    "chiffrement qui liste les appareils avec lesquels il échange (identifiants techniques et "
    "clés publiques ; jamais un message, jamais un nom)."
)
"""/apropos on Telegram: how the consultation is carried, and what the Matrix side keeps."""
INLINE_CAVEAT = (
    "Réponse de principe : elle peut changer selon votre métier et votre cadre. "
    "Ouvrez la consultation complète pour votre situation."
)
INLINE_DEPENDS = "Selon votre métier et votre cadre : "
CODE_NAMES = {
    "CP": "Code pénal",
    "CPP": "Code de procédure pénale",
    "CASF": "Code de l'action sociale et des familles",
    "CSP": "Code de la santé publique",
    "CPCE": "Code des procédures civiles d'exécution",
    "CESEDA": "Code de l'entrée et du séjour des étrangers",
    "CRPA": "Code des relations entre le public et l'administration",
    "CC": "Code civil",
    "CGFP": "Code général de la fonction publique",
    "CCH": "Code de la construction et de l'habitation",
    "RGPD": "Règlement général sur la protection des données",
    "CP-BE": "Code pénal belge (1867)",
    "CP-BE-2024": "Code pénal belge (2024)",
    "CIC": "Code d'instruction criminelle",
    "LO-CPAS": "Loi organique des CPAS",
    "CPAJ": "Code de la prévention, de l'aide à la jeunesse et de la protection de la jeunesse",
    "DEONTO": "Codes de déontologie",
    "DOCTRINE": "Doctrine, avis et guides",
}
"""How /sources titles each code of the contract."""


def words_unknown(kb: KnowledgeBase, served: tuple[str, ...], jurisdiction: str) -> str:
    """The kind reply to words that were not understood (never repeating them), listing the
    words understood in that country's consultation."""
    return WORDS_UNKNOWN.format(words=escape(vocabulary(kb, served, jurisdiction)))


def about(
    kb: KnowledgeBase,
    served: tuple[str, ...],
    carried: str = CARRIED_IN_BUTTONS,
    devices: str = DEVICES_ELSEWHERE,
) -> str:
    """What the bot is, what it keeps (nothing), and the version of its knowledge; `carried`
    and `devices` say where a consultation lives and what the crypto store lists."""
    laws = [kb.get(jurisdiction) for jurisdiction in served]
    dates = [rule.checked_on for law in laws for rule in law.rules]
    checked = max(dates).strftime("%d/%m/%Y") if dates else "?"
    countries = ", ".join(law.name for law in laws)
    return ABOUT.format(
        countries=escape(countries),
        version=escape(kb.version),
        checked=checked,
        carried=escape(carried),
        devices=escape(devices),
    )


def sources(kb: KnowledgeBase, served: tuple[str, ...]) -> list[str]:
    """The texts the rules cite, by country and code, as links; split into messages."""
    blocks = []
    for jurisdiction in served:
        law = kb.get(jurisdiction)
        blocks.append(f"📚 <b>{escape(law.name)}</b>")
        by_code: dict[str, list[str]] = {}
        for source in sorted(law.sources.values(), key=lambda s: (s.code, s.article)):
            by_code.setdefault(source.code, []).append(source_html(source))
        for code, lines in by_code.items():
            heading = CODE_NAMES.get(code, code)
            blocks.append("\n".join([f"<b>{escape(heading)}</b>", *lines]))
    return split_html(blocks)


def inline_card(item: Answer, disclaimer: str) -> tuple[str, str]:
    """An inline card: its one-line description and the HTML message it posts."""
    if len(item.headlines) == 1:
        short = item.headlines[0]
        lines = [f"<b>{escape(short)}</b>"]
        if len(item.rules) == 1:  # one rule for every worker: its title says more
            lines.append(escape(item.rules[0].title))
    else:
        short = INLINE_DEPENDS + " / ".join(item.headlines)
        lines = [escape(INLINE_DEPENDS), *(f"• <b>{escape(h)}</b>" for h in item.headlines)]
    lines += [f"➡️ <b>{escape(line)}</b>" for line in item.alerts]
    text = "\n".join(
        [f"🪑 <b>{escape(item.situation.title)}</b>", "", *lines, "", escape(INLINE_CAVEAT)]
    )
    return short, f"{text}\n\n<i>{escape(disclaimer)}</i>"
