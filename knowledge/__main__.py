"""`python -m knowledge fr|be`: check one jurisdiction's knowledge on its own, for rule authors."""

from __future__ import annotations

import datetime as dt
import sys

from knowledge.check import check_jurisdiction, format_report
from knowledge.loader import KnowledgeError, load_jurisdiction


def main(argv: list[str]) -> int:
    """Load and check the jurisdictions named on the command line."""
    status = 0
    for jurisdiction_id in argv or ["fr", "be"]:
        try:
            report = check_jurisdiction(load_jurisdiction(jurisdiction_id), dt.date.today())
        except KnowledgeError as error:
            print(f"[{jurisdiction_id}] {error}")
            status = 1
            continue
        print(format_report(report))
        if not report.ok:
            status = 1
    return status


sys.exit(main(sys.argv[1:]))
