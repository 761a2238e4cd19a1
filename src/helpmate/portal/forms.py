"""Forms of the portal: they only check the shape of input; the actions decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; cleans to a list (empty when none were chosen)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(item, initial) for item in items if item]


class SignInForm(forms.Form):
    email = forms.CharField(
        label="Your email address",
        max_length=254,
        error_messages={"required": "Enter the email address you write to us from."},
    )
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class NewRequestForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=300,
        help_text="A few words that say what it is about.",
        error_messages={"required": "Give your request a subject: a few words are enough."},
    )
    message = forms.CharField(
        label="Message",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Tell us what happened and what you need. Order numbers help.",
        error_messages={"required": "Write a message so we know how to help."},
    )
    attachments = MultipleFileField(label="Attachments", required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label="Attachments", required=False)
