"""Forms of the agents' workspace. They only validate input; the views call the actions.

Choices of teams and agents are passed in as lists (built once per request), so validating a
form never costs a query per field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from helpmate.desk.models import Channel, Priority, Status
from helpmate.desk.selectors import INBOX_VIEWS, InboxFilters
from helpmate.people.models import ContactKind

Choices = Sequence[tuple[Any, str]]

REPLY_STATUSES: Choices = [
    (Status.WAITING_CUSTOMER, "Waiting on customer"),
    (Status.WAITING_OTHER, "Waiting on someone else"),
    (Status.OPEN, "Open (I still have work to do)"),
    (Status.RESOLVED, "Resolved"),
]
LOGGED_CHANNELS: Choices = [
    (Channel.PHONE, "Phone call"),
    (Channel.CHAT, "Chat"),
    (Channel.EMAIL, "Email"),
    (Channel.INTERNAL, "Internal (a colleague asked in person)"),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list is checked by the actions' attachment limits."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class WorkspaceForm(forms.Form):
    """Ids prefixed per form (reply-text, note-text, ...): several forms share one page."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _int_choices(items: Choices, empty: str) -> list[tuple[Any, str]]:
    return [("", empty), *[(str(pk), label) for pk, label in items]]


class InboxFilterForm(WorkspaceForm):
    id_prefix = "f"
    view = forms.ChoiceField(choices=list(INBOX_VIEWS.items()), required=False)
    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(required=False, label="Status")
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Team")
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Owner")
    channel = forms.ChoiceField(required=False, label="Channel")
    tag = forms.CharField(required=False, max_length=60, label="Tag")
    kind = forms.ChoiceField(required=False, label="Contact")
    page = forms.IntegerField(required=False, min_value=1, max_value=200)

    def __init__(self, *args: Any, teams: Choices, agents: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "status").choices = [("", "Any status"), *Status.choices]
        _choices(self, "team").choices = _int_choices(teams, "Any team")
        _choices(self, "owner").choices = _int_choices(agents, "Anyone")
        _choices(self, "channel").choices = [("", "Any channel"), *Channel.choices]
        _choices(self, "kind").choices = [("", "Anyone"), *ContactKind.choices]

    def filters(self) -> InboxFilters:
        self.is_valid()  # a bad value drops only its own filter, never the others
        data = getattr(self, "cleaned_data", {})
        return InboxFilters(
            status=data.get("status") or "",
            team=data.get("team"),
            owner=data.get("owner"),
            channel=data.get("channel") or "",
            tag=(data.get("tag") or "").strip().lower(),
            contact_kind=data.get("kind") or "",
            query=data.get("q") or "",
        )

    def has_filters(self) -> bool:
        f = self.filters()
        return bool(f.status or f.team or f.owner or f.channel or f.tag or f.contact_kind)


class ReplyForm(WorkspaceForm):
    id_prefix = "reply"
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 9}),
        label="Reply to the customer",
        strip=False,
        error_messages={"required": "Write your reply before sending."},
    )
    status = forms.ChoiceField(choices=REPLY_STATUSES, label="Then set the status to")
    attachments = MultipleFileField(label="Attach files")
    last_seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    confirm_stale = forms.BooleanField(widget=forms.HiddenInput, required=False)


class NoteForm(WorkspaceForm):
    id_prefix = "note"
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Internal note (only agents see it)",
        error_messages={"required": "Write the note before saving it."},
    )
    attachments = MultipleFileField(label="Attach files")


class AssignForm(WorkspaceForm):
    id_prefix = "assign"
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Owner")

    def __init__(self, *args: Any, agents: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner").choices = _int_choices(agents, "Nobody (unassigned)")


class TransferForm(WorkspaceForm):
    id_prefix = "transfer"
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="To team")
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="To agent")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Handoff note",
        help_text="What the new owner needs to know, so the customer never repeats themselves.",
        error_messages={"required": "Write a handoff note so the new owner gets the story."},
    )
    # Ticked by default: the customer is told, by name, who owns their request now. Unticked
    # (or an unbound checkbox) sends nothing, e.g. for a colleague's request handled internally.
    tell_customer = forms.BooleanField(
        required=False, initial=True, label="Tell the customer who has it now"
    )
    customer_message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        strip=False,
        label="Message to the customer",
        help_text="Sent as a reply signed by you. Left empty, the suggested wording is sent.",
    )
    customer_message_suggested = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=20000
    )

    def __init__(self, *args: Any, teams: Choices, agents: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "team").choices = _int_choices(teams, "Keep the team")
        _choices(self, "owner").choices = _int_choices(agents, "Anyone in the team")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("team") and not data.get("owner") and "note" not in self.errors:
            raise forms.ValidationError("Choose the team or the person to hand it to.")
        return data


class StatusForm(WorkspaceForm):
    id_prefix = "status"
    status = forms.ChoiceField(choices=Status.choices)


class PriorityForm(WorkspaceForm):
    id_prefix = "priority"
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, label="Priority")


class TagsForm(WorkspaceForm):
    id_prefix = "tags"
    add = forms.CharField(required=False, max_length=300, label="Add tags")
    remove = forms.CharField(required=False, max_length=60)

    def tags_to_add(self) -> list[str]:
        raw = self.cleaned_data.get("add") or ""
        return [t.strip() for t in raw.split(",") if t.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("add") or "").strip() and not (data.get("remove") or "").strip():
            raise forms.ValidationError("Type a tag to add (several separated by commas).")
        return data


class MergeForm(WorkspaceForm):
    id_prefix = "merge"
    target = forms.IntegerField(
        min_value=1,
        label="Merge into conversation #",
        error_messages={"required": "Give the number of the conversation to merge into."},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class NewConversationForm(WorkspaceForm):
    id_prefix = "new"
    channel = forms.ChoiceField(choices=LOGGED_CHANNELS, label="How did they reach us?")
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Team")
    priority = forms.TypedChoiceField(
        choices=Priority.choices, coerce=int, initial=Priority.NORMAL, label="Priority"
    )
    subject = forms.CharField(
        max_length=300,
        label="Subject",
        error_messages={"required": "A subject is needed: a few words that say what it is about."},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        label="What they told us",
        help_text="In their words as far as you can; it becomes the first message.",
        error_messages={"required": "Write down what they asked or told us."},
    )
    attachments = MultipleFileField(label="Attach files")
    own_it = forms.BooleanField(required=False, initial=True, label="I own this conversation")

    def __init__(self, *args: Any, teams: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "team").choices = _int_choices(teams, "No team yet")


BULK_ACTIONS: Choices = [("assign", "Assign to"), ("status", "Set status"), ("tag", "Add tag")]


class BulkForm(WorkspaceForm):
    id_prefix = "bulk"
    ids = forms.TypedMultipleChoiceField(coerce=int, label="Conversations")
    action = forms.ChoiceField(choices=BULK_ACTIONS, label="Action")
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Owner")
    status = forms.ChoiceField(required=False, label="Status")
    tag = forms.CharField(required=False, max_length=60, label="Tag")
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, agents: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner").choices = [
            ("", "Choose an agent"),
            ("0", "Nobody (unassign)"),
            *[(str(pk), label) for pk, label in agents],
        ]
        _choices(self, "status").choices = [("", "Choose a status"), *Status.choices]
        # Any whole numbers: which ones the agent may change is decided by visible_to.
        raw_ids = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        _choices(self, "ids").choices = [(v, v) for v in raw_ids if str(v).isdigit()][:500]
        self.fields["ids"].error_messages["required"] = "Tick at least one conversation."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == "assign" and data.get("owner") is None:
            self.add_error("owner", "Choose who should own them (or Nobody).")
        if action == "status" and not data.get("status"):
            self.add_error("status", "Choose the status to set.")
        if action == "tag" and not (data.get("tag") or "").strip():
            self.add_error("tag", "Type the tag to add.")
        return data
