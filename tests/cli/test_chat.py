"""`chaisevide chat` through a real subprocess: a whole consultation typed at the prompt."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.cli.conftest import SCRIPT

FR_ONLY = {"CHAISEVIDE_JURISDICTIONS": "fr"}


def test_a_whole_consultation_in_the_terminal(run_cli) -> None:
    """Typing numbers reaches the verdict card with its sources and 'Vos réponses'."""
    # ass, shelter, family, none, refused
    result = run_cli("chat", stdin="1\n2\n6\n7\n2\nq\n", env=FR_ONLY)
    assert result.returncode == 0, result.stderr
    assert "Quelle est votre profession ?" in result.stdout
    assert "Vous devez garder le secret" in result.stdout
    assert "Vos réponses" in result.stdout
    assert "Au revoir" in result.stdout


def test_d_prints_the_note_for_the_file_at_the_verdict(run_cli) -> None:
    """At the verdict, d prints the note to paste: the answer given and the articles."""
    result = run_cli("chat", stdin="1\n2\n6\n7\n2\nd\nq\n", env=FR_ONLY)
    assert result.returncode == 0, result.stderr
    note = result.stdout.split("📝 Note pour le dossier — ", 1)[1]
    assert "Demande de : Famille, proche (France)" in note
    assert "À la famille : rien." in note
    assert "CP 226-13" in note
    assert "Cette note ne contient aucune donnée personnelle" in note


def test_help_back_and_change_in_the_terminal(run_cli) -> None:
    """a shows the help, r goes back, m1 changes the first answer."""
    stdin = "a\n1\nr\n2\n2\n6\n7\n2\nm1\n3\nq\n"
    result = run_cli("chat", stdin=stdin, env=FR_ONLY)
    assert result.returncode == 0, result.stderr
    assert "L411-3" in result.stdout  # the profession question's help
    assert result.stdout.count("Quelle est votre profession ?") >= 3


def test_urgence_from_the_first_question(run_cli) -> None:
    """u gives the emergency numbers at once."""
    result = run_cli("chat", stdin="u\nq\n", env=FR_ONLY)
    assert "Agissez maintenant" in result.stdout
    assert "15 — SAMU" in result.stdout


def test_nonsense_empty_lines_and_end_of_input_are_handled_kindly(run_cli) -> None:
    """Text where a number is expected gets a reminder; end of input says goodbye, status 0."""
    result = run_cli("chat", stdin="\nbonjour\n99\n", env=FR_ONLY)
    assert result.returncode == 0
    assert result.stdout.count("Je n'ai pas compris") == 3
    assert "bonjour" not in result.stdout
    assert "Au revoir" in result.stdout
    assert "Traceback" not in result.stderr


def test_ctrl_c_ends_the_chat_kindly(tmp_path) -> None:
    """Ctrl-C at the prompt says goodbye and exits 130, without a traceback."""
    env = {**os.environ, "CHAISEVIDE_JURISDICTIONS": "fr", "CHAISEVIDE_DB": str(tmp_path / "s")}
    process = subprocess.Popen(
        [str(SCRIPT), "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    seen = ""
    while "Tapez le numéro" not in seen:  # the first question is on screen: it waits at the prompt
        line = process.stdout.readline()
        assert line, "the chat ended before asking anything"
        seen += line
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "interrompue" in seen + out
    assert "Traceback" not in err
