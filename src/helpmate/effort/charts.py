"""The radar's trend charts (inline SVG from helpmate.web.charts; the page repeats the figures
in a table)."""

from __future__ import annotations

from django.utils.safestring import SafeString

from helpmate.effort.selectors import Figures
from helpmate.web.charts import Series, line_chart

TRENDS = [
    ("score", "Effort score", "", None),
    ("handoffs", "Handoffs per conversation", "", None),
    ("wait_hours", "Hours waiting on us", " h", None),
    ("repeat_pct", "Repeat contacts", "%", 100.0),
    ("fcr_pct", "First-contact resolution", "%", 100.0),
    ("ces", "Customer Effort Score (1-7)", "", 7.0),
]


def trend_charts(weeks: list[Figures]) -> list[tuple[str, SafeString]]:
    labels = [w.label for w in weeks]
    charts = []
    for attr, title, unit, ceiling in TRENDS:
        values = [getattr(w, attr) for w in weeks]
        chart = line_chart(
            title, labels, [Series(title, values)], unit=unit, floor=0, ceiling=ceiling
        )
        charts.append((title, chart))
    return charts
