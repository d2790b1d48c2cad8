"""Read the strict YAML into validated models, with errors naming file, rule and field.

pydantic checks each item against its model (`knowledge/models.py`, `knowledge/constraints.py`);
this module adds what spans items: ids used once, conditions naming known questions and choices,
cited sources in the catalogue, stable button codes (`knowledge/codes.yaml`). Only a load from
the YAML imports it (and pydantic and PyYAML): a process reading compiled knowledge never does.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from knowledge import contract, shape
from knowledge.base import KnowledgeError
from knowledge.codes import REGISTRY, Registry, question_problems, registry_from
from knowledge.models import (
    CODES,
    AlertRule,
    EmergencyNumber,
    Jurisdiction,
    Question,
    Rule,
    Source,
    StatusRule,
    Term,
)
from knowledge.strict_yaml import read_yaml
from knowledge.vocabulary import Situation, Words, situation_problems, word_problems

WORKER_STATUSES = ("bound", "debated", "not_bound")
FACTS: dict[str, tuple[str, ...]] = {"worker": WORKER_STATUSES}
"""Facts derived from the answers that rules may test besides the answers themselves."""


def _display(path: Path, root: Path) -> str:
    """The path as a person finds it in the repository (knowledge/fr/rules/x.yaml)."""
    try:
        return f"knowledge/{path.relative_to(root).as_posix()}"
    except ValueError:
        return str(path)


def _describe(error: ValidationError) -> str:
    """One line per pydantic problem: 'field x: message'."""
    parts = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = "unknown key (check its spelling)"
        parts.append(f"field '{location}': {message}")
    return "; ".join(parts)


def _read(path: Path, root: Path) -> Any:
    """Read a YAML file, turning syntax errors and duplicate keys into KnowledgeError."""
    if not path.is_file():
        raise KnowledgeError(f"{_display(path, root)}: file is missing")
    try:
        return read_yaml(path)
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{_display(path, root)}: {error}") from None


@functools.cache
def _adapter(model: type) -> TypeAdapter:
    """pydantic's validator of one knowledge model, built once."""
    return TypeAdapter(model)


def _build(model: type, data: Any, where: str) -> Any:
    """Validate one item, naming where it came from on failure."""
    try:
        return _adapter(model).validate_python(data)
    except ValidationError as error:
        raise KnowledgeError(f"{where}: {_describe(error)}") from None


def _items(data: Any, where: str, kind: str) -> list:
    """Check a file holds a list of items."""
    if not isinstance(data, list):
        raise KnowledgeError(f"{where}: expected a list of {kind}")
    return data


def _label(item: Any, key: str, index: int) -> str:
    """Name an item by its id when it has one, else by its position."""
    if isinstance(item, dict) and isinstance(item.get(key), str):
        return repr(item[key])
    return f"#{index + 1}"


def _load_questions(path: Path, root: Path, registry: Registry) -> tuple[Question, ...]:
    """Load the questions, in the order they are asked, their codes checked with the registry."""
    where = _display(path, root)
    questions = []
    for index, item in enumerate(_items(_read(path, root), where, "questions")):
        questions.append(_build(Question, item, f"{where}: question {_label(item, 'id', index)}"))
    ids = [question.id for question in questions]
    repeated = sorted({question_id for question_id in ids if ids.count(question_id) > 1})
    if repeated:
        raise KnowledgeError(f"{where}: questions listed twice: {', '.join(repeated)}")
    if shape.COUNTRY_QUESTION in ids:
        raise KnowledgeError(f"{where}: '{shape.COUNTRY_QUESTION}' lives in jurisdictions.yaml")
    for question in questions:
        _check_codes(where, path.parent.name, question, registry)
    return tuple(questions)


def _check_codes(where: str, country: str, question: Question, registry: Registry) -> None:
    """Refuse a question whose choice codes disagree with the registry of stable codes."""
    problems = question_problems(country, question, registry)
    if problems:
        raise KnowledgeError(f"{where}: " + f"; {where}: ".join(problems))


def _load_sources(path: Path, root: Path, jurisdiction_id: str) -> dict[str, Source]:
    """Load the catalogue of sources, keyed by a short reference."""
    where = _display(path, root)
    data = _read(path, root)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a mapping of source keys to sources")
    allowed = CODES[jurisdiction_id] | {"DOCTRINE"}
    sources = {}
    for key, item in data.items():
        source = _build(Source, item, f"{where}: source '{key}'")
        if source.code not in allowed:
            raise KnowledgeError(
                f"{where}: source '{key}': field 'code': {source.code!r} is not a code of the "
                f"contract for {jurisdiction_id} ({', '.join(sorted(allowed))})"
            )
        sources[key] = source
    return sources


def _check_conditions(
    when: dict[str, tuple[str, ...]],
    questions: dict[str, Question],
    where: str,
) -> None:
    """Every condition names a known question or fact, and only its valid choices."""
    for key, values in when.items():
        if key in questions:
            valid: Iterable[str] = questions[key].choice_ids
        elif key in FACTS:
            valid = FACTS[key]
        else:
            known = ", ".join([*questions, *FACTS])
            raise KnowledgeError(f"{where}: field 'when.{key}': unknown question (known: {known})")
        unknown = [value for value in values if value not in valid]
        if unknown:
            raise KnowledgeError(
                f"{where}: field 'when.{key}': unknown choice {', '.join(unknown)} "
                f"(valid: {', '.join(valid)})"
            )


def _load_rules(
    folder: Path, root: Path, questions: dict[str, Question], sources: dict[str, Source]
) -> tuple[Rule, ...]:
    """Load every rule file of a jurisdiction and cross-check ids and source references."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise KnowledgeError(f"{_display(folder, root)}: no rule file found")
    for path in files:
        where_file = _display(path, root)
        for index, item in enumerate(_items(_read(path, root), where_file, "rules")):
            where = f"{where_file}: rule {_label(item, 'id', index)}"
            rule = _build(Rule, item, where)
            if rule.id in seen:
                raise KnowledgeError(f"{where}: field 'id': already used in {seen[rule.id]}")
            seen[rule.id] = where_file
            _check_conditions(rule.when, questions, where)
            _check_sources(rule.sources, sources, where)
            rules.append(rule)
    return tuple(rules)


def _check_sources(keys: Iterable[str], sources: dict[str, Source], where: str) -> None:
    """Every cited key is a source of sources.yaml."""
    for number, key in enumerate(keys, start=1):
        if key not in sources:
            raise KnowledgeError(
                f"{where}: field 'sources': source {number} ({key!r}) is not in sources.yaml"
            )


def _load_alerts(
    path: Path, root: Path, questions: dict[str, Question], sources: dict[str, Source]
) -> tuple[AlertRule, ...]:
    """Load the alerts of a jurisdiction (duties or faculties to alert an authority)."""
    where_file = _display(path, root)
    alerts: list[AlertRule] = []
    seen: set[str] = set()
    for index, item in enumerate(_items(_read(path, root) or [], where_file, "alerts")):
        where = f"{where_file}: alert {_label(item, 'id', index)}"
        alert = _build(AlertRule, item, where)
        if alert.id in seen:
            raise KnowledgeError(f"{where}: field 'id': already used")
        seen.add(alert.id)
        _check_conditions(alert.when, questions, where)
        _check_sources(alert.sources, sources, where)
        alerts.append(alert)
    return tuple(alerts)


def load_jurisdiction(
    folder: Path, root: Path, jurisdiction_id: str, registry: Registry | None = None
) -> Jurisdiction:
    """Validate one jurisdiction folder (the registry of codes read from `root` if not given)."""
    header_path = folder / "jurisdiction.yaml"
    header = _read(header_path, root)
    where = _display(header_path, root)
    if not isinstance(header, dict):
        raise KnowledgeError(f"{where}: expected a mapping")
    registry = registry or _registry(root)
    questions = _load_questions(folder / "questions.yaml", root, registry)
    by_id = {question.id: question for question in questions}
    sources = _load_sources(folder / "sources.yaml", root, jurisdiction_id)
    glossary_path = folder / "glossary.yaml"
    glossary_where = _display(glossary_path, root)
    glossary = tuple(
        _build(Term, item, f"{glossary_where}: term {_label(item, 'id', index)}")
        for index, item in enumerate(_items(_read(glossary_path, root), glossary_where, "terms"))
    )
    status_path = folder / "status.yaml"
    status_where = _display(status_path, root)
    status = tuple(
        _build(StatusRule, item, f"{status_where}: entry #{index + 1}")
        for index, item in enumerate(_items(_read(status_path, root), status_where, "entries"))
    )
    for index, entry in enumerate(status):
        _check_conditions(entry.when, by_id, f"{status_where}: entry #{index + 1}")
        _check_sources(entry.sources, sources, f"{status_where}: entry #{index + 1}")
    if not status or status[-1].when:
        raise KnowledgeError(f"{status_where}: the last entry must have no 'when' (the default)")
    rules = _load_rules(folder / "rules", root, by_id, sources)
    alerts = _load_alerts(folder / "alerts.yaml", root, by_id, sources)
    terms = {term.id for term in glossary}
    for question in questions:
        for term_id in question.glossary:
            if term_id not in terms:
                raise KnowledgeError(
                    f"{_display(folder / 'questions.yaml', root)}: question '{question.id}': "
                    f"field 'glossary': unknown term {term_id!r}"
                )
    words_where = _display(folder / "words.yaml", root)
    situations_where = _display(folder / "situations.yaml", root)
    situations = _read(folder / "situations.yaml", root)
    data = {
        **header,
        "id": jurisdiction_id,
        "questions": questions,
        "glossary": glossary,
        "sources": sources,
        "rules": rules,
        "alerts": alerts,
        "worker_status": status,
        "emergency": [_build(EmergencyNumber, item, where) for item in header.get("emergency", [])],
        "words": _build(Words, _read(folder / "words.yaml", root), words_where),
        "situations": [
            _build(Situation, item, f"{situations_where}: situation {_label(item, 'id', index)}")
            for index, item in enumerate(_items(situations, situations_where, "situations"))
        ],
    }
    law = _build(Jurisdiction, data, where)
    problems = shape.check_conditions(law)
    problems += word_problems(law, words_where) + situation_problems(law, situations_where)
    if problems:
        raise KnowledgeError("; ".join(problems))
    return law


def _registry(root: Path) -> Registry:
    """The registry of stable codes under `root` (knowledge/codes.yaml)."""
    path = root / REGISTRY
    data = _read(path, root)
    try:
        return registry_from(data)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise KnowledgeError(
            f"{_display(path, root)}: expected `slots` (a list) and `choices` (a mapping)"
        ) from None


def validate(root: Path) -> tuple[Question, dict[str, Jurisdiction]]:
    """Validate and cross-check the whole knowledge found under `root`: the country question,
    then every country."""
    registry = _registry(root)
    question_path = root / "jurisdictions.yaml"
    where = _display(question_path, root)
    jurisdiction_question = _build(Question, _read(question_path, root), where)
    _check_codes(where, "shared", jurisdiction_question, registry)
    if jurisdiction_question.choice_ids != contract.JURISDICTIONS:
        raise KnowledgeError(
            f"{_display(question_path, root)}: choices must be {', '.join(contract.JURISDICTIONS)}"
        )
    jurisdictions = {
        jurisdiction_id: load_jurisdiction(root / jurisdiction_id, root, jurisdiction_id, registry)
        for jurisdiction_id in contract.JURISDICTIONS
    }
    return jurisdiction_question, jurisdictions
