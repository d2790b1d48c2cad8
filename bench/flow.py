"""Speed of the consultation engine: one flow step, one full consultation (with « what would
change the answer », computed by replay), and that replay on its own. Whole processes (a cold
`ask`, the chat, the bot) are timed by bench/startup.py.

Run: .venv/bin/python bench/flow.py   (prints numbers; nothing is asserted)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.consultation import Consultation  # noqa: E402
from flows.outcome import NextQuestion  # noqa: E402
from knowledge.check import enumerate_paths  # noqa: E402
from knowledge.loader import load_knowledge  # noqa: E402


def walk(
    served: tuple[str, ...],
    answers: dict[str, str],
    step_times: list[float],
    replay_times: list[float],
) -> None:
    """Answer one path question by question, timing every step, then the replay."""
    consultation = Consultation(served)
    outcome = consultation.current()
    while isinstance(outcome, NextQuestion):
        question_id = outcome.question.id
        started = time.perf_counter()
        outcome = consultation.answer(question_id, answers[question_id])
        step_times.append(time.perf_counter() - started)
    started = time.perf_counter()
    getattr(outcome, "what_if", None)  # the card shows what would change the answer
    replay_times.append(time.perf_counter() - started)


def bench_paths() -> None:
    """Walk every enumerated path of both countries."""
    knowledge = load_knowledge()
    steps: list[float] = []
    replays: list[float] = []
    consultations: list[float] = []
    restores: list[float] = []
    for jurisdiction_id in ("fr", "be"):
        for answers in enumerate_paths(knowledge.get(jurisdiction_id)):
            full = {"jurisdiction": jurisdiction_id, **answers}
            started = time.perf_counter()
            walk(("fr", "be"), full, steps, replays)
            consultations.append(time.perf_counter() - started)
            started = time.perf_counter()
            Consultation(("fr", "be"), full).current()
            restores.append(time.perf_counter() - started)
    print(f"paths walked:                {len(consultations)}")
    print(f"flow step, median:           {statistics.median(steps) * 1e6:.1f} µs")
    print(f"flow step, p99:              {statistics.quantiles(steps, n=100)[98] * 1e6:.1f} µs")
    print(f"full consultation, median:   {statistics.median(consultations) * 1e6:.1f} µs")
    print(f"what_if replay, median:      {statistics.median(replays) * 1e6:.1f} µs")
    print(f"restore from answers+verdict, median: {statistics.median(restores) * 1e6:.1f} µs")


if __name__ == "__main__":
    bench_paths()
