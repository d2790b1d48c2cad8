"""The knowledge check: every path reaches exactly one rule, every rule is reachable and sourced."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from knowledge import shape
from knowledge.engine import AmbiguousRuleError, NoRuleError, decide, decide_alert
from knowledge.loader import KnowledgeBase
from knowledge.models import Decision, Jurisdiction, Rule

STALE_AFTER = dt.timedelta(days=365)
MAX_EXAMPLES = 5


def enumerate_paths(jurisdiction: Jurisdiction) -> Iterator[dict[str, str]]:
    """Every complete set of answers the conversation can produce, péril included."""
    return shape.paths(jurisdiction)


@dataclass
class PathsReport:
    """Every path of one jurisdiction run through the engine: which rule each reaches."""

    paths: int = 0
    usage: Counter = field(default_factory=Counter)
    first_path: dict[str, dict[str, str]] = field(default_factory=dict)
    """For each rule, the first path that reaches it."""
    gaps: list[dict[str, str]] = field(default_factory=list)
    gap_count: int = 0
    ambiguities: list[str] = field(default_factory=list)
    ambiguity_count: int = 0
    alert_usage: Counter = field(default_factory=Counter)
    misplaced_alerts: list[str] = field(default_factory=list)
    """Alerts reached where they must not be: nobody asks (the verdict is the alert), péril."""


def check_paths(jurisdiction: Jurisdiction) -> PathsReport:
    """Run every path of the conversation through the engine (the slow part of the check)."""
    report = PathsReport()
    for answers in enumerate_paths(jurisdiction):
        report.paths += 1
        try:
            rule_id = decide(jurisdiction, answers).id
        except NoRuleError:
            report.gap_count += 1
            if len(report.gaps) < MAX_EXAMPLES:
                report.gaps.append(answers)
            continue
        except AmbiguousRuleError as error:
            report.ambiguity_count += 1
            if len(report.ambiguities) < MAX_EXAMPLES:
                report.ambiguities.append(str(error))
            continue
        report.usage[rule_id] += 1
        report.first_path.setdefault(rule_id, answers)
        check_alert(jurisdiction, answers, report)
    return report


def check_alert(jurisdiction: Jurisdiction, answers: dict[str, str], report: PathsReport) -> None:
    """Count the alert of one path; an alert where nobody asks or at péril is misplaced."""
    try:
        alert = decide_alert(jurisdiction, answers)
    except AmbiguousRuleError as error:
        report.ambiguity_count += 1
        if len(report.ambiguities) < MAX_EXAMPLES:
            report.ambiguities.append(str(error))
        return
    if alert is None:
        return
    report.alert_usage[alert.id] += 1
    misplaced = answers.get("requester") == "nobody" or shape.takes_shortcut(jurisdiction, answers)
    if misplaced and len(report.misplaced_alerts) < MAX_EXAMPLES:
        report.misplaced_alerts.append(f"{alert.id} on {answers}")


@dataclass
class JurisdictionReport:
    """What the check found for one jurisdiction."""

    jurisdiction: str
    paths: int = 0
    usage: Counter = field(default_factory=Counter)
    gaps: list[dict[str, str]] = field(default_factory=list)
    gap_count: int = 0
    ambiguities: list[str] = field(default_factory=list)
    ambiguity_count: int = 0
    unreachable: list[str] = field(default_factory=list)
    misplaced_alerts: list[str] = field(default_factory=list)
    unsourced: list[str] = field(default_factory=list)
    future: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    urgence_problem: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing blocks: stale rules are listed but do not fail the check."""
        return not (
            self.gap_count
            or self.ambiguity_count
            or self.unreachable
            or self.misplaced_alerts
            or self.unsourced
            or self.future
            or self.urgence_problem
        )


def check_jurisdiction(
    jurisdiction: Jurisdiction, today: dt.date, paths: PathsReport | None = None
) -> JurisdictionReport:
    """Run every check on one jurisdiction (`paths`: its paths already run, else run now)."""
    paths = paths or check_paths(jurisdiction)
    report = JurisdictionReport(
        jurisdiction.id,
        paths=paths.paths,
        usage=Counter(paths.usage),
        gaps=list(paths.gaps),
        gap_count=paths.gap_count,
        ambiguities=list(paths.ambiguities),
        ambiguity_count=paths.ambiguity_count,
        misplaced_alerts=list(paths.misplaced_alerts),
    )
    report.urgence_problem = urgence_problem(jurisdiction)
    decisions = [(rule, paths.usage) for rule in jurisdiction.rules]
    decisions += [(alert, paths.alert_usage) for alert in jurisdiction.alerts]
    for decision, usage in decisions:
        check_decision(jurisdiction, decision, decision.id in usage, today, report)
    return report


def check_decision(
    jurisdiction: Jurisdiction,
    decision: Decision,
    reached: bool,
    today: dt.date,
    report: JurisdictionReport,
) -> None:
    """One rule or alert: reached by some path, citing a statute, dated, not stale."""
    if not reached:
        report.unreachable.append(decision.id)
    cited = [jurisdiction.sources[key] for key in decision.sources]
    if not any(source.statutory for source in cited):
        report.unsourced.append(decision.id)
    kind = "rule" if isinstance(decision, Rule) else "alert"
    dates = [(kind, decision.checked_on)] + [(f"source {s.label}", s.checked_on) for s in cited]
    for what, date in dates:
        if date > today:
            report.future.append(f"{decision.id}: {what} checked_on {date} is in the future")
    if today - decision.checked_on > STALE_AFTER:
        report.stale.append(f"{decision.id} (checked {decision.checked_on})")


def urgence_problem(jurisdiction: Jurisdiction) -> str:
    """What is wrong with the shortcut taken from the first question (péril), or ''."""
    found = shape.shortcut(jurisdiction)
    if found is None:
        return "no shortcut choice (péril) in questions.yaml"
    try:
        urgent = decide(jurisdiction, dict([found]))
    except LookupError as error:
        return f"urgence from the first question: {error}"
    if urgent.verdict != "must_act":
        return f"urgence reaches {urgent.id}, whose verdict is not must_act"
    return ""


def check_knowledge(knowledge: KnowledgeBase, today: dt.date) -> list[JurisdictionReport]:
    """Run the check on every jurisdiction (stable codes were checked when it was loaded)."""
    return [check_jurisdiction(j, today) for j in knowledge.jurisdictions.values()]


def format_report(report: JurisdictionReport) -> str:
    """A readable summary of one jurisdiction's check."""
    lines = [
        f"[{report.jurisdiction}] {report.paths} parcours, {len(report.usage)} règles atteintes"
        f" — {'OK' if report.ok else 'ÉCHEC'}"
    ]
    if report.gap_count:
        lines.append(f"  {report.gap_count} parcours sans règle, par exemple :")
        lines += [f"    {gap}" for gap in report.gaps]
    if report.ambiguity_count:
        lines.append(f"  {report.ambiguity_count} parcours ambigus, par exemple :")
        lines += [f"    {text}" for text in report.ambiguities]
    if report.unreachable:
        lines.append(f"  règles jamais atteintes : {', '.join(report.unreachable)}")
    if report.misplaced_alerts:
        lines.append("  alertes mal placées (personne ne demande, ou péril) :")
        lines += [f"    {text}" for text in report.misplaced_alerts]
    if report.unsourced:
        lines.append(f"  règles sans texte de loi cité : {', '.join(report.unsourced)}")
    lines += [f"  date future : {text}" for text in report.future]
    if report.urgence_problem:
        lines.append(f"  urgence : {report.urgence_problem}")
    if report.stale:
        lines.append(f"  à revérifier (plus de 12 mois) : {', '.join(report.stale)}")
    return "\n".join(lines)
