"""The promise dashboard (/promises/report/) and its CSV. Agents see their own promises; leads
and admins see everyone's and filter by team and agent. The API serves the same figures."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpmate.desk.views.common import current_agent
from helpmate.people.models import Agent, Team
from helpmate.promises import metrics
from helpmate.service.metrics import attainment
from helpmate.service.targets import TARGET_LABELS
from helpmate.web.access import agent_required
from helpmate.web.charts import Series, bar_chart, line_chart

SHOWN_TARGETS = ("first_response", "resolution")

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


@dataclass
class Filters:
    days: int
    team: int | None
    agent: int | None
    start: datetime
    end: datetime
    own_only: bool


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def filters_for(request: HttpRequest, *, now: datetime | None = None) -> Filters:
    me = current_agent(request)
    now = now or timezone.now()
    days = PERIODS.get(request.GET.get("days", ""), 90)
    own_only = not me.is_lead
    return Filters(
        days=days,
        team=None if own_only else _int(request.GET.get("team")),
        agent=me.pk if own_only else _int(request.GET.get("agent")),
        start=now - timedelta(days=days),
        end=now,
        own_only=own_only,
    )


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


@dataclass
class TargetLine:
    label: str
    met: int
    missed: int
    pending: int
    rate: float | None  # percent


def service_attainment(f: Filters) -> dict[str, Any] | None:
    """First-response and resolution target attainment (helpmate.service.metrics), for the same
    period, team and agent as the promise figures."""
    report = attainment(start=f.start, end=f.end, team=f.team, agent=f.agent)

    def line(label: str, a: Any) -> TargetLine:
        return TargetLine(label, a.met, a.missed, a.pending, _percent(a.rate))

    overall = [line(TARGET_LABELS[name], report.overall.get(name)) for name in SHOWN_TARGETS]
    teams = [
        (row.label, [line(TARGET_LABELS[n], row.get(n)) for n in SHOWN_TARGETS])
        for row in report.teams
    ]
    periods = report.periods[-60:]
    chart = line_chart(
        "Service targets met per " + report.bucket,
        [f"{p.key:%d %b}" if isinstance(p.key, date) else str(p.label) for p in periods],
        [
            Series(
                TARGET_LABELS[name],
                [_percent(p.get(name).rate) for p in periods],
            )
            for name in SHOWN_TARGETS
        ],
        unit="%",
        ceiling=100,
    )
    return {"overall": overall, "teams": teams, "chart": chart, "bucket": report.bucket}


@agent_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    f = filters_for(request)
    data = metrics.promise_report(start=f.start, end=f.end, team=f.team, agent=f.agent)
    labels = [w.label for w in data.by_week]
    trend = line_chart(
        "Promises kept and broken per week",
        labels,
        [
            Series("Kept (early or on time)", [w.kept_rate for w in data.by_week]),
            Series("Kept early", [w.kept_early_rate for w in data.by_week]),
            Series("Broken", [w.broken_rate for w in data.by_week]),
        ],
        unit="%",
        ceiling=100,
    )
    per_agent = bar_chart(
        "Kept rate per agent",
        [a.label for a in data.by_agent],
        [a.kept_rate for a in data.by_agent],
        unit="%",
        ceiling=100,
    )
    query = request.GET.urlencode()
    return render(
        request,
        "promises/report.html",
        {
            "section": "promises",
            "filters": f,
            "report": data,
            "trend": trend,
            "per_agent": per_agent,
            "periods": list(PERIODS),
            "teams": [] if f.own_only else list(Team.objects.order_by("name")),
            "agents": []
            if f.own_only
            else list(Agent.objects.active().order_by("full_name").only("pk", "full_name")),
            "csv_query": query,
            # Service targets from the attainment tally (helpmate.service.tally): fast enough
            # to render with the page.
            "attainment": service_attainment(f),
        },
    )


@agent_required
@require_GET
def report_targets(request: HttpRequest) -> HttpResponse:
    """The service-target section of the report on its own (the page shows it too; an HTMX
    request gets the fragment). Read from the attainment tally: tens of milliseconds."""
    f = filters_for(request)
    data = service_attainment(f)
    fragment = request.headers.get("HX-Request") == "true"
    template = "promises/_attainment.html" if fragment else "promises/report_targets.html"
    return render(request, template, {"section": "promises", "attainment": data, "filters": f})


@agent_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    f = filters_for(request)
    data = metrics.promise_report(start=f.start, end=f.end, team=f.team, agent=f.agent)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="promises.csv"'
    writer = csv.writer(response)
    writer.writerow(metrics.CSV_COLUMNS)
    writer.writerows(metrics.csv_rows(data))
    return response
