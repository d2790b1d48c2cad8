"""Charts as inline SVG inside HTML: no script, no external file, printable in colour."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
"""Okabe–Ito colours: readable by people with a colour vision deficiency."""
HATCH = "url(#masked)"
DEFS = (
    '<svg width="0" height="0" aria-hidden="true" style="position:absolute">'
    '<defs><pattern id="masked" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ddd"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2"/></pattern></defs></svg>'
)
"""The hatch pattern marking masked counts; included once per page."""


@dataclass(frozen=True)
class Series:
    """One coloured part of a stacked bar: its label and colour."""

    label: str
    colour: str


@dataclass(frozen=True)
class Bar:
    """One bar: a label and one count per series (None: masked, below the minimum)."""

    label: str
    counts: tuple[int | None, ...]

    @property
    def visible(self) -> int:
        """The sum of the counts that are shown."""
        return sum(count or 0 for count in self.counts)

    @property
    def masked(self) -> bool:
        """True when one of the counts is masked."""
        return any(count is None for count in self.counts)


def number(count: int | None, min_count: int) -> str:
    """A count as printed: the number, or '<N' when masked."""
    return f"&lt;{min_count}" if count is None else f"{count:,}".replace(",", "\u202f")


def legend(series: tuple[Series, ...], min_count: int) -> str:
    """Coloured squares naming the series, and the hatch for masked counts."""
    items = [
        f'<span class="key"><svg width="12" height="12"><rect width="12" height="12" '
        f'fill="{s.colour}"/></svg> {escape(s.label)}</span>'
        for s in series
    ]
    items.append(
        f'<span class="key"><svg width="12" height="12"><rect width="12" height="12" '
        f'fill="{HATCH}"/></svg> masqué (moins de {min_count})</span>'
    )
    return f'<p class="legend">{" ".join(items)}</p>'


def bar_svg(bar: Bar, series: tuple[Series, ...], scale: int) -> str:
    """A horizontal stacked bar, 0–100 wide; a masked part is a short hatched stub."""
    parts, x = [], 0.0
    for count, serie in zip(bar.counts, series, strict=True):
        if count is None:
            width, fill = 1.5, HATCH
        else:
            width, fill = 100 * count / scale if scale else 0, serie.colour
        if width > 0:
            parts.append(f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="10" fill="{fill}"/>')
        x += width
    return (
        '<svg class="bar" viewBox="0 0 104 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(bar.label)}">{"".join(parts)}</svg>'
    )


def bar_table(
    bars: list[Bar], series: tuple[Series, ...], min_count: int, caption: str, empty: str
) -> str:
    """A table whose rows are label, stacked bar and the counts: a chart that prints and reads."""
    if not bars:
        return f'<p class="empty">{escape(empty)}</p>'
    scale = max(bar.visible for bar in bars) or 1
    head = "".join(f"<th>{escape(s.label)}</th>" for s in series) if len(series) > 1 else ""
    rows = []
    for bar in bars:
        counts = "".join(f'<td class="n">{number(c, min_count)}</td>' for c in bar.counts)
        rows.append(
            f'<tr><th scope="row">{escape(bar.label)}</th>'
            f"<td>{bar_svg(bar, series, scale)}</td>{counts}</tr>"
        )
    return (
        (legend(series, min_count) if len(series) > 1 else "")
        + f'<table class="bars"><caption>{escape(caption)}</caption>'
        f"<thead><tr><th></th><th></th>{head or '<th>Nombre</th>'}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def time_svg(bars: list[Bar], series: tuple[Series, ...], min_count: int, title: str) -> str:
    """Vertical stacked bars over time, with a y scale and some period labels."""
    if not bars:
        return ""
    width, height, left, bottom = 720, 240, 44, 40
    plot_w, plot_h = width - left - 8, height - bottom - 10
    top_value = max(max(bar.visible for bar in bars), 1)
    step = plot_w / len(bars)
    shapes = []
    for tick in (0, top_value // 2, top_value):
        y = 10 + plot_h - plot_h * tick / top_value
        shapes.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    every = max(1, len(bars) // 12)
    for index, bar in enumerate(bars):
        x, y = left + index * step, 10 + plot_h
        for count, serie in zip(bar.counts, series, strict=True):
            h = 3.0 if count is None else plot_h * count / top_value
            fill = HATCH if count is None else serie.colour
            if h > 0:
                y -= h
                shapes.append(
                    f'<rect x="{x + step * 0.1:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" '
                    f'height="{h:.1f}" fill="{fill}"><title>{escape(bar.label)} — '
                    f"{escape(serie.label)} : {number(count, min_count)}</title></rect>"
                )
        if index % every == 0:
            shapes.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{escape(bar.label)}</text>"
            )
    return (
        legend(series, min_count) + f'<svg class="time" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">{"".join(shapes)}</svg>'
    )
