"""Small server-rendered SVG charts for dashboards: no CDN, no JavaScript, readable by all.

Each chart is an inline ``<svg role="img">`` with a title and a description that says what it
shows; the dashboards put the same figures in a table next to it for screen readers and for
people who prefer numbers. Colours come from CSS classes (``chart-s0`` .. ``chart-s5``) in the
one stylesheet, so they follow the theme and keep their contrast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 36


@dataclass
class Series:
    name: str
    values: Sequence[float | None]  # None leaves a gap (no data for that point)


def _fmt(value: float) -> str:
    if abs(value) >= 100 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.1f}"


def _scale(
    series: Sequence[Series], floor: float | None, ceiling: float | None
) -> tuple[float, float]:
    values = [v for s in series for v in s.values if v is not None]
    low = min(values, default=0.0) if floor is None else floor
    high = max(values, default=1.0) if ceiling is None else ceiling
    if high <= low:
        high = low + 1
    return low, high


def _frame(title: str, summary: str, body: list[str], low: float, high: float, unit: str) -> str:
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'preserveAspectRatio="xMidYMid meet" focusable="false">',
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>",
    ]
    for i in range(5):
        value = low + (high - low) * i / 4
        y = PAD_TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="chart-grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-axis" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{escape(_fmt(value))}{escape(unit)}</text>'
        )
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    step = max(1, len(labels) // 8)  # at most about eight labels on the axis
    return [
        f'<text class="chart-axis" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">'
        f"{escape(label)}</text>"
        for i, (label, x) in enumerate(zip(labels, xs, strict=False))
        if i % step == 0 or i == len(labels) - 1
    ]


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    floor: float | None = 0,
    ceiling: float | None = None,
) -> SafeString:
    """Lines over time (one per series), e.g. weekly kept rate per team."""
    low, high = _scale(series, floor, ceiling)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    n = max(len(labels), 1)
    xs = [PAD_LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2) for i in range(n)]

    def y(v: float) -> float:
        return PAD_TOP + plot_h - plot_h * (v - low) / (high - low)

    body: list[str] = []
    for index, s in enumerate(series):
        css = f"chart-s{index % 6}"
        runs: list[list[str]] = [[]]
        for x, v in zip(xs, s.values, strict=False):
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{x:.1f},{y(v):.1f}")
            body.append(
                f'<circle class="{css}" cx="{x:.1f}" cy="{y(v):.1f}" r="3">'
                f"<title>{escape(s.name)}: {escape(_fmt(v))}{escape(unit)}</title></circle>"
            )
        body.extend(
            f'<polyline class="{css} chart-line" points="{" ".join(run)}"/>' for run in runs if run
        )
    body.extend(_x_labels(labels, xs))
    names = ", ".join(s.name for s in series)
    summary = f"{title}: {names} over {len(labels)} periods, from {labels[0] if labels else '—'}."
    return mark_safe(_frame(title, summary, body, low, high, unit))  # every part was escaped above


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    floor: float | None = 0,
    ceiling: float | None = None,
) -> SafeString:
    """One bar per label, e.g. promises broken per agent."""
    low, high = _scale([Series(title, values)], floor, ceiling)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    n = max(len(labels), 1)
    slot = plot_w / n
    bar = max(2.0, slot * 0.7)
    body: list[str] = []
    xs = []
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        x = PAD_LEFT + slot * i + (slot - bar) / 2
        xs.append(x + bar / 2)
        if v is None:
            continue
        h = plot_h * (v - low) / (high - low)
        body.append(
            f'<rect class="chart-s0" x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
            f'width="{bar:.1f}" height="{max(h, 0):.1f}">'
            f"<title>{escape(label)}: {escape(_fmt(v))}{escape(unit)}</title></rect>"
        )
    body.extend(_x_labels(labels, xs))
    summary = f"{title}, one bar for each of {len(labels)} items."
    return mark_safe(_frame(title, summary, body, low, high, unit))  # every part was escaped above
