"""Every breakdown counted in one pass over the statistics table, without sorting it.

SQLite groups the rows by day along the day index (no sort) and, for each day, joins each needed
column's values over the day's rows (`group_concat`, NULL as an empty text). Breakdowns whose
columns overlap form a family (profession and setting with the country; who asks, the danger and
the verdict; the rule, the feedback and its reason): Python splits the family's columns, which
stay aligned row by row, and counts each row's values in C (`Counter.update` over the rows'
values joined again); each breakdown is then read off its family's counts. A breakdown on one
column alone is counted with `str.count` per value when it has few values (the total is checked,
so a new value is never missed). The knowledge version is the same for every row of almost every
day: it is not joined, and a day with rows of several versions is read again with it.

Joining and splitting is safe: every column is a closed list or a short lowercase id (CHECK
constraints of stats/schema.sql), so no value holds a comma or SEPARATOR, and none is empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from sqlite_utils import Database

from stats.store import TABLE

SEPARATOR = "|"
"""Between the values of one row in a key."""
NULL = ""
"""An empty value (a value is never empty)."""
STEADY = "kb_version"
"""A column whose value is the same for all the rows of almost every day."""
FEW = 8
"""Up to this many values, one column's values are counted with `str.count`."""
WIDEST = 4
"""At most this many columns in a family (beyond, its tuples would be mostly unique)."""

Values = tuple[str | None, ...]
Counts = dict[tuple[str, Values], int]


@dataclass(frozen=True)
class Spec:
    """A breakdown as counted here: its columns, and which rows (SQL; '' for every row)."""

    columns: tuple[str, ...]
    where: str = ""


@dataclass
class Column:
    """One column's values, counted on its own: by `str.count` while they are few."""

    found: dict[str, Counter[str]] = field(default_factory=dict)
    values: list[str] | None = field(default_factory=list)
    """Every value seen, while they are FEW and none is empty (None after)."""

    def add(self, label: str, joined: str) -> None:
        """Count one day's values (joined by ',,') under a period label."""
        tally = self.found.get(label)
        if tally is None:
            tally = self.found[label] = Counter()
        if self.values:
            wrapped = f",{joined},"
            numbers = [wrapped.count(f",{value},") for value in self.values]
            if sum(numbers) == joined.count(",,") + 1:
                for value, number in zip(self.values, numbers, strict=True):
                    if number:
                        tally[value] += number
                return
        day = Counter(joined.split(",,"))
        tally.update(day)
        if self.values is not None:
            known = dict.fromkeys((*self.values, *day))
            few = len(known) <= FEW and NULL not in known
            self.values = list(known) if few else None


@dataclass
class Family:
    """Columns read together for the breakdowns that use them; each row's values, joined by
    SEPARATOR, counted per day (joined text hashes faster than a tuple)."""

    columns: tuple[str, ...]
    specs: list[int]
    steady: bool = False
    """The steady column is one of `columns`, left out of the day's tuples when it is single."""
    found: dict[tuple[str, str | None], Counter[str]] = field(default_factory=dict)

    @property
    def read(self) -> tuple[str, ...]:
        """The columns joined on a day with one steady value."""
        return tuple(column for column in self.columns if column != STEADY or not self.steady)

    def add(self, label: str, steady: str | None, joined: Sequence[str | None]) -> None:
        """Count one day's rows (`steady`: the day's single steady value, left out of them)."""
        tally = self.found.get((label, steady))
        if tally is None:
            tally = self.found[(label, steady)] = Counter()
        lists = [(text or "").split(",") for text in joined]
        tally.update(map(SEPARATOR.join, zip(*lists, strict=True)))


def not_null_columns(db: Database) -> frozenset[str]:
    """The columns the table declares NOT NULL."""
    rows = db.execute(f"PRAGMA table_info({TABLE})").fetchall()
    return frozenset(name for _, name, _, notnull, *_ in rows if notnull)


@dataclass(frozen=True)
class Reader:
    """What the SQL needs to know of the table: computed columns, NOT NULL ones, 'answered'."""

    not_null: frozenset[str]
    computed: dict[str, str]
    answered: Callable[[str], str]

    def value(self, column: str, keep_null: bool = False) -> str:
        """A column's value in SQL; NULL as an empty text unless kept (or impossible)."""
        value = self.computed.get(column, column)
        if keep_null or column in self.not_null:
            return value
        return f"ifnull({value}, '{NULL}')"

    def required(self, spec: Spec) -> str | None:
        """The column a breakdown requires answered, if that is its only condition."""
        return next((c for c in spec.columns if spec.where == self.answered(c)), None)

    def key(self, spec: Spec) -> str:
        """A breakdown counted on its own: its values joined, NULL for a row it leaves out."""
        required = self.required(spec)
        parts = [self.value(column, column == required) for column in spec.columns]
        key = f"||'{SEPARATOR}'||".join(parts)
        if spec.where and required is None:
            key = f"CASE WHEN {spec.where} THEN {key} END"
        return key


def families(specs: Sequence[Spec], reader: Reader) -> tuple[list[Family], list[int]]:
    """Breakdowns grouped by shared columns (their only condition: none, or 'answered'), and
    the others, counted on their own."""
    groups: list[tuple[set[str], list[int]]] = []
    alone = []
    for index, spec in enumerate(specs):
        if not spec.columns or (spec.where and reader.required(spec) is None):
            alone.append(index)
            continue
        columns = set(spec.columns)
        joined = [group for group in groups if group[0] & columns - {STEADY}]
        for group in joined:
            groups.remove(group)
            columns |= group[0]
        groups.append((columns, sorted([index, *(i for g in joined for i in g[1])])))
    found = []
    for columns, members in groups:
        if len(columns - {STEADY}) > WIDEST:
            alone += members
            continue
        ordered = tuple(dict.fromkeys(c for i in members for c in specs[i].columns))
        found.append(Family(ordered, members, STEADY in ordered and len(ordered) > 1))
    return found, sorted(alone)


def selected(specs: Sequence[Spec], reader: Reader, groups: list[Family], alone: list[int]) -> str:
    """What the day query selects: one-column families, wide families' columns, breakdowns
    counted on their own, and the steady column's least and greatest value."""
    found: list[str] = []
    for family in groups:
        if len(family.columns) == 1:
            column = family.columns[0]
            keep = all(reader.required(specs[i]) == column for i in family.specs)
            found.append(f"group_concat({reader.value(column, keep)}, ',,')")
    for family in groups:
        if len(family.columns) > 1:
            found += [f"group_concat({reader.value(c)}, ',')" for c in family.read]
    for index in alone:
        spec = specs[index]
        if spec.columns:
            found.append(f"group_concat({reader.key(spec)}, ',,')")
        else:
            found.append(f"COUNT(CASE WHEN {spec.where} THEN 1 END)" if spec.where else "COUNT(*)")
    if any(family.steady for family in groups):
        found.append(f"min({STEADY}), max({STEADY})")
    return ", ".join(found)


def tallies(
    db: Database,
    specs: Sequence[Spec],
    label_of: Callable[[str], str],
    bounds: tuple[str, str, str],
    finished: str,
    reader: Reader,
) -> list[Counts]:
    """Raw counts by (period label, values) of every breakdown, in one pass over the table.

    `bounds` are the first and last day and today (for `finished`, the condition every counted
    row meets); `label_of` turns a day into its period label.
    """
    groups, alone = families(specs, reader)
    singles = [family for family in groups if len(family.columns) == 1]
    wide = [family for family in groups if len(family.columns) > 1]
    steady = [family for family in wide if family.steady]
    where = f"WHERE day BETWEEN ? AND ? AND {finished}"
    sql = f"SELECT day, {selected(specs, reader, groups, alone)} FROM {TABLE} {where} GROUP BY day"  # noqa: S608
    columns = [Column() for _ in singles]
    own = {index: Column() for index in alone if specs[index].columns}
    totals = {index: Counter[str]() for index in alone if not specs[index].columns}
    mixed: list[tuple[str, str]] = []
    for day, *joined in db.execute(sql, bounds):
        label = label_of(day)
        values = iter(joined)
        for column, text in zip(columns, values, strict=False):
            if text is not None:
                column.add(label, str(text))
        low, high = joined[-2:] if steady else (None, None)
        if low != high:
            mixed.append((day, label))
        for family in wide:
            texts = [next(values) for _ in family.read]
            if not family.steady:
                family.add(label, None, texts)
            elif low == high:
                family.add(label, low, texts)
        for index in alone:
            text = next(values)
            if index in totals:
                totals[index][label] += text or 0
            elif text is not None:
                own[index].add(label, str(text))
    if mixed:
        exact = ", ".join(
            f"group_concat({reader.value(c)}, ',')" for f in steady for c in f.columns
        )
        again = f"SELECT {exact} FROM {TABLE} {where} AND day = ?"  # noqa: S608
        for day, label in mixed:
            texts = iter(db.execute(again, [*bounds, day]).fetchone())
            for family in steady:
                family.add(label, None, [next(texts) for _ in family.columns])
    return results(specs, reader, singles, columns, wide, own, totals)


def results(
    specs: Sequence[Spec],
    reader: Reader,
    singles: list[Family],
    columns: list[Column],
    wide: list[Family],
    own: dict[int, Column],
    totals: dict[int, Counter[str]],
) -> list[Counts]:
    """Every breakdown's counts by (label, values), from what the pass counted."""
    result: list[Counts] = [{} for _ in specs]
    for family, column in zip(singles, columns, strict=True):
        for index in family.specs:
            keep_empty = reader.required(specs[index]) is None
            for label, tally in column.found.items():
                for value, count in tally.items():
                    if value or keep_empty:
                        add(result[index], (label, (value or None,)), count)
    for family in wide:
        for index in family.specs:
            read_off(family, specs[index], reader.required(specs[index]), result[index])
    for index, column in own.items():
        for label, tally in column.found.items():
            for key, count in tally.items():
                add(result[index], (label, tuple(v or None for v in key.split(SEPARATOR))), count)
    for index, total in totals.items():
        result[index] = {(label, ()): count for label, count in total.items() if count}
    return result


def add(counts: Counts, cell: tuple[str, Values], count: int) -> None:
    """Add to one cell's count."""
    counts[cell] = counts.get(cell, 0) + count


def read_off(family: Family, spec: Spec, required: str | None, into: Counts) -> None:
    """One breakdown's counts from its family's tuples (rows without its required column left
    out; the steady value put back where a day had a single one)."""
    for (label, version), tally in family.found.items():
        names = family.columns if version is None else family.read
        positions = [names.index(c) for c in spec.columns if c in names]
        project = itemgetter(*positions) if len(positions) > 1 else None
        first = positions[0]
        needed = names.index(required) if required in names else -1
        sums: dict[object, int] = {}
        for joined, count in tally.items():
            row = joined.split(SEPARATOR)
            if needed < 0 or row[needed]:
                key = project(row) if project else row[first]
                sums[key] = sums.get(key, 0) + count
        shows_steady = STEADY in spec.columns and STEADY not in names
        steady_at = spec.columns.index(STEADY) if shows_steady else -1
        for key, count in sums.items():
            values: list[str | None] = [v or None for v in (key if project else (key,))]
            if steady_at >= 0:
                values.insert(steady_at, version)
            add(into, (label, tuple(values)), count)
