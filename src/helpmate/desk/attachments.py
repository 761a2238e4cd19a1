"""Attachment limits: checked before anything is written, so a refused file saves nothing."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename

from helpmate.desk.models import Attachment, Message


def validate_attachments(files: Sequence[UploadedFile]) -> None:
    """Raise ActionError naming the first file that breaks a limit."""
    from helpmate.desk.actions import ActionError

    limit = settings.HELPMATE_MAX_ATTACHMENT_BYTES
    if len(files) > settings.HELPMATE_MAX_ATTACHMENTS_PER_MESSAGE:
        raise ActionError(
            f"At most {settings.HELPMATE_MAX_ATTACHMENTS_PER_MESSAGE} files can be attached "
            "to one message."
        )
    blocked = {ext.lower().lstrip(".") for ext in settings.HELPMATE_BLOCKED_EXTENSIONS}
    for upload in files:
        name = upload.name or "attachment"
        size = upload.size or 0
        if size > limit:
            raise ActionError(
                f"“{name}” is {filesizeformat(size)}; the limit is {filesizeformat(limit)} "
                "a file. Nothing was sent: attach a smaller file or share a link."
            )
        suffixes = [s.lower().lstrip(".") for s in PurePath(name).suffixes]
        if any(s in blocked for s in suffixes):
            raise ActionError(
                f"“{name}” is a type of file that can carry programs "
                f"({', '.join('.' + s for s in suffixes if s in blocked)}), so it is refused. "
                "Nothing was sent: zip it or share it another way."
            )


def save_attachments(message: Message, files: Sequence[UploadedFile]) -> list[Attachment]:
    saved = []
    for upload in files:
        name = get_valid_filename(PurePath(upload.name or "attachment").name) or "attachment"
        content_type = (
            getattr(upload, "content_type", None)
            or mimetypes.guess_type(name)[0]
            or "application/octet-stream"
        )
        attachment = Attachment(
            message=message,
            filename=name,
            content_type=content_type[:120],
            size=upload.size or 0,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved
