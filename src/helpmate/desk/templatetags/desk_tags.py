"""Small template helpers of the agents' workspace: waits, badges, event lines, safe links."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms, template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from helpmate.desk.event_lines import feature_event_text
from helpmate.desk.models import Conversation, Event, EventType, Priority, Status

register = template.Library()

STATUS_LABELS = dict(Status.choices)
PRIORITY_LABELS = dict(Priority.choices)

# How long a customer may wait before the row is highlighted, by priority (need).
LONG_WAIT: dict[int, timedelta] = {
    Priority.URGENT: timedelta(hours=1),
    Priority.HIGH: timedelta(hours=4),
    Priority.NORMAL: timedelta(hours=24),
    Priority.LOW: timedelta(hours=72),
}


def humanise(delta: timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 60:
        return "<1 min"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days = hours // 24
    if days < 60:
        return f"{days} d"
    return f"{days // 30} mo"


@register.filter
def since(value: datetime | None) -> str:
    """'3 h', '2 d': how long ago a moment was."""
    if value is None:
        return ""
    return humanise(timezone.now() - value)


@register.filter
def long_wait(conversation: Conversation) -> bool:
    if conversation.waiting_since is None:
        return False
    limit = LONG_WAIT.get(conversation.priority, LONG_WAIT[Priority.NORMAL])
    return timezone.now() - conversation.waiting_since > limit


@register.simple_tag
def status_badge(status: str) -> SafeString:
    return format_html(
        '<span class="badge status-{}">{}</span>', status, STATUS_LABELS.get(status, status)
    )


@register.simple_tag
def priority_badge(priority: int, quiet: bool = True) -> SafeString:
    """The priority; a normal one is left out of lists unless ``quiet`` is false."""
    if quiet and priority == Priority.NORMAL:
        return SafeString("")
    return format_html(
        '<span class="badge priority-{}">{}</span>', priority, PRIORITY_LABELS.get(priority, "")
    )


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes as Django's widgets/attrs.html writes them (True bare, False left out)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(' {}="{}"', name, value) if value is not True else f" {name}",)
            for name, value in attrs.items()
            if value is not False
        ),
    )


_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("input", "hidden", "text", "number", "file")
}


@register.simple_tag
def field_widget(field: forms.BoundField) -> SafeString:
    """The field's widget as ``{{ field }}`` renders it (same name, id, value, options, selected
    option and attributes such as ``required`` or ``aria-invalid``), written in Python for the
    plain widgets (inputs, textareas, selects); any other widget goes through Django's template.
    Django renders each widget (and each option of a select) through a template include, which
    made the forms the costliest part of the workspace pages."""
    widget = field.field.widget
    if field.field.show_hidden_initial or field.field.localize:
        return SafeString(str(field))
    attrs = field.build_widget_attrs({})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    template_name = context["template_name"]
    if template_name == "django/forms/widgets/select.html" and not any(
        group for group, _options, _index in context["optgroups"]
    ):
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], _attrs(option["attrs"]), option["label"])
                for _group, group_options, _index in context["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', context["name"], _attrs(context["attrs"]), options
        )
    if template_name == "django/forms/widgets/textarea.html":
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            _attrs(context["attrs"]),
            context["value"] or "",
        )
    if template_name in _INPUT_TEMPLATES:
        value = context["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            context["type"],
            context["name"],
            format_html(' value="{}"', value) if value is not None else "",
            _attrs(context["attrs"]),
        )
    if template_name == "django/forms/widgets/clearable_file_input.html" and not context.get(
        "is_initial"
    ):
        return format_html(
            '<input type="{}" name="{}"{}>',
            context["type"],
            context["name"],
            _attrs(context["attrs"]),
        )
    return SafeString(str(field))


@register.simple_tag
def contact_url(contact_id: int) -> str:
    """The contact's page, once the people app provides one; empty otherwise."""
    try:
        return reverse("people:contact", args=[contact_id])
    except NoReverseMatch:
        return ""


def _name(names: dict[int, str], pk: Any, nobody: str) -> str:
    if pk is None:
        return nobody
    return names.get(pk, f"#{pk}")


@register.simple_tag
def event_text(event: Event, agents: dict[int, str], teams: dict[int, str]) -> SafeString:
    """One readable line for a key event of the conversation (escaped)."""
    line = feature_event_text(event)
    if line is not None:
        return line
    data = event.data or {}
    who = event.actor_name
    kind = event.type
    if kind == EventType.ASSIGNED:
        owner = data.get("owner")
        if owner is None:
            return format_html("{} unassigned it", who)
        if owner == event.actor_agent_id:
            why = " by replying" if data.get("reason") == "replied" else ""
            return format_html("{} took ownership{}", who, why)
        return format_html("{} assigned it to {}", who, _name(agents, owner, "nobody"))
    if kind == EventType.TRANSFERRED:
        parts = []
        if data.get("to_team") != data.get("from_team"):
            parts.append(f"team {_name(teams, data.get('to_team'), 'no team')}")
        if data.get("to_owner") != data.get("from_owner"):
            parts.append(_name(agents, data.get("to_owner"), "nobody in particular"))
        return format_html(
            "{} handed it over to {}: “{}”", who, " / ".join(parts) or "—", data.get("reason", "")
        )
    if kind == EventType.STATUS_CHANGED:
        return format_html(
            "{} changed the status from {} to {}",
            who,
            STATUS_LABELS.get(data.get("previous", ""), data.get("previous", "?")),
            STATUS_LABELS.get(data.get("status", ""), data.get("status", "?")),
        )
    if kind == EventType.REOPENED:
        return format_html("{} reopened it", who)
    if kind == EventType.MERGED:
        if "into" in data:
            url = reverse("desk:conversation", args=[data["into"]])
            return format_html('{} merged it into <a href="{}">#{}</a>', who, url, data["into"])
        url = reverse("desk:conversation", args=[data.get("merged", 0)])
        return format_html(
            '{} merged <a href="{}">#{}</a> into this one ({} messages moved)',
            who,
            url,
            data.get("merged"),
            data.get("messages", 0),
        )
    if kind == EventType.TAGGED:
        bits = []
        if data.get("added"):
            bits.append(("added", ", ".join(data["added"])))
        if data.get("removed"):
            bits.append(("removed", ", ".join(data["removed"])))
        return format_html(
            "{} {}", who, format_html_join("; ", "{} tags {}", bits) or "changed tags"
        )
    if kind == EventType.PRIORITY_CHANGED:
        return format_html(
            "{} changed the priority from {} to {}",
            who,
            PRIORITY_LABELS.get(data.get("previous", 0), "?"),
            PRIORITY_LABELS.get(data.get("priority", 0), "?"),
        )
    if kind == EventType.PARTICIPANT_ADDED:
        return format_html("{} added a participant", who)
    return format_html("{}: {}", who, event.get_type_display())
