"""Entry point of the `chaisevide` command: parse the subcommand and run it."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from cli.stats import add_parser as add_stats_parser
from flows.config import ConfigError, load_settings
from knowledge.loader import KnowledgeError

EXIT_BROKEN = 3
DIAGRAM_PATH = Path("docs") / "flow.md"


def build_parser() -> argparse.ArgumentParser:
    """The command line, in French, with one subcommand per job."""
    parser = argparse.ArgumentParser(
        prog="chaisevide",
        description="Chaise vide : aide à la réflexion sur le secret professionnel.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE")
    commands.add_parser("chat", help="consultation interactive dans le terminal")
    ask = commands.add_parser("ask", help="réponse en une fois : chaisevide ask question=choix …")
    ask.add_argument("answers", nargs="*", metavar="QUESTION=CHOIX")
    ask.add_argument("--json", action="store_true", help="sortie JSON (voir contract.md)")
    diagram = commands.add_parser("diagram", help="écrit le diagramme Mermaid du parcours")
    diagram.add_argument(
        "--output",
        type=Path,
        default=DIAGRAM_PATH,
        help=f"fichier Markdown à écrire (défaut : {DIAGRAM_PATH}) ; - pour l'écran",
    )
    knowledge = commands.add_parser("knowledge", help="outils de la base de connaissances")
    knowledge_commands = knowledge.add_subparsers(dest="knowledge_command", metavar="COMMANDE")
    knowledge_commands.add_parser("check", help="vérifie que chaque parcours mène à une règle")
    commands.add_parser("run", help="lance le bot Telegram (TELEGRAM_BOT_TOKEN requis)")
    commands.add_parser(
        "matrix", help="lance le bot Matrix / Tchap (MATRIX_HOMESERVER et MATRIX_USER_ID requis)"
    )
    commands.add_parser("doctor", help="vérifie la configuration et dit quoi corriger")
    commands.add_parser("health", help="sonde de santé du bot en mode webhook (GET /healthz)")
    add_stats_parser(commands)
    return parser


def run_knowledge_check() -> int:
    """Print the knowledge check; exit 1 when something blocks."""
    from knowledge import loader
    from knowledge.check import check_knowledge, format_report

    # The YAML itself, read and checked whole: never a compiled form (knowledge/compiled.py).
    reports = check_knowledge(loader.load_knowledge_from(loader.DATA_DIR), dt.date.today())
    for report in reports:
        print(format_report(report))
    return 0 if all(report.ok for report in reports) else 1


def run_diagram(output: Path) -> int:
    """Write (or print) the Mermaid diagram generated from the machine."""
    from flows.diagram import markdown

    text = markdown()
    if str(output) == "-":
        print(text, end="")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"Diagramme écrit dans {output}")
    readme = Path("README.md")
    if output == DIAGRAM_PATH and readme.is_file():
        from flows.diagram import mermaid, with_diagram

        readme.write_text(with_diagram(readme.read_text(encoding="utf-8"), mermaid()), "utf-8")
        print(f"Diagramme mis à jour dans {readme}")
    return 0


def run_bot() -> int:
    """Start the Telegram bot, or explain how to get a consultation without one."""
    settings = load_settings()
    if not settings.token:
        print(
            "Aucun jeton Telegram : définissez TELEGRAM_BOT_TOKEN pour lancer le bot "
            "(voir docs/deploy.md).\nPour consulter sans Telegram : chaisevide chat",
            file=sys.stderr,
        )
        return EXIT_BROKEN
    from bot.app import run

    return run(settings)


def run_matrix_bot() -> int:
    """Start the Matrix bot, or say what is missing (exit 3, like `run` without a token)."""
    from bot.matrix.run import problems, run_matrix
    from bot.matrix.settings import load_matrix_settings

    matrix = load_matrix_settings()
    found = problems(matrix)
    if found:
        print("\n".join(found), file=sys.stderr)
        return EXIT_BROKEN
    return run_matrix(matrix, load_settings())


def run_health() -> int:
    """Probe the running bot's /healthz (webhook mode); 0 when it answers 'ok'."""
    import urllib.request

    settings = load_settings()
    if not settings.webhook_url:
        print("Mode polling : pas de sonde HTTP, le processus lui-même fait foi.")
        return 0
    host = "127.0.0.1" if settings.listen in ("0.0.0.0", "::", "") else settings.listen  # noqa: S104
    url = f"http://{host}:{settings.port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            healthy = response.status == 200 and response.read() == b"ok"
    except OSError as error:
        print(f"Le bot ne répond pas sur le port {settings.port} ({type(error).__name__}).")
        return 1
    print("ok" if healthy else f"Réponse inattendue de {url}.")
    return 0 if healthy else 1


def run_doctor_command() -> int:
    """Diagnose the configuration found in the environment."""
    from cli.doctor import run_doctor

    try:
        db_path = load_settings().db_path
    except ConfigError:  # the doctor explains each bad variable itself
        from flows.config import default_db_path

        db_path = default_db_path()
    return run_doctor(os.environ, db_path)


def dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run the chosen subcommand."""
    if args.command == "ask":
        from cli.ask import run_ask

        return run_ask(args.answers, args.json, load_settings().jurisdictions)
    if args.command == "chat":
        from cli.chat import run_chat
        from stats.recorder import start_recorder

        settings = load_settings()
        return run_chat(settings.jurisdictions, recorder=start_recorder(settings))
    if args.command == "stats":
        from cli.stats import run_stats

        return run_stats(args, load_settings().db_path)
    if args.command == "diagram":
        return run_diagram(args.output)
    if args.command == "knowledge" and args.knowledge_command == "check":
        return run_knowledge_check()
    if args.command == "run":
        return run_bot()
    if args.command == "matrix":
        return run_matrix_bot()
    if args.command == "doctor":
        return run_doctor_command()
    if args.command == "health":
        return run_health()
    parser.print_help()
    return 0 if args.command is None else 2


def main(argv: list[str] | None = None) -> int:
    """Run the command; broken knowledge or settings give a French message, not a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return dispatch(args, parser)
    except KnowledgeError as error:
        print(
            f"La base de connaissances est abîmée : {error}\n"
            "Corrigez ce fichier (ou réinstallez Chaise vide), puis lancez "
            "« chaisevide knowledge check ».",
            file=sys.stderr,
        )
        return EXIT_BROKEN
    except ConfigError as error:
        print(f"Configuration invalide : {error}", file=sys.stderr)
        return EXIT_BROKEN
    except BrokenPipeError:
        # The reader stopped early (e.g. `| head`): not a failure; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
