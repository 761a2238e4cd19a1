"""Downloading attachments from the workspace."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from helpmate.desk import actions as desk
from helpmate.desk.models import Attachment

pytestmark = pytest.mark.django_db


def attach(personas, name: str, content: bytes, kind: str, team=None) -> Attachment:
    conv = desk.create_conversation(
        requester=personas.customer,
        subject="With a file",
        text="See attached",
        team=team or personas.support,
        attachments=[SimpleUploadedFile(name, content, content_type=kind)],
    )
    return Attachment.objects.get(message__conversation=conv)


def test_download_is_an_attachment_with_its_type_and_nosniff(personas, client_for):
    item = attach(personas, "photo.png", b"\x89PNG fake", "image/png")
    response = client_for("agent").get(f"/desk/attachments/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="photo.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"\x89PNG fake"


def test_html_upload_is_never_rendered_inline(personas, client_for):
    item = attach(personas, "page.html", b"<script>alert(1)</script>", "text/html")
    response = client_for("agent").get(f"/desk/attachments/{item.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_bogus_stored_type_falls_back_to_octet_stream(personas, client_for):
    item = attach(personas, "notes.txt", b"hello", "text/plain")
    Attachment.objects.filter(pk=item.pk).update(content_type="text/html\r\nX-Evil: 1")
    response = client_for("agent").get(f"/desk/attachments/{item.pk}/")
    assert response["Content-Type"] == "application/octet-stream"


def test_unknown_attachment_is_404(personas, client_for):
    assert client_for("agent").get("/desk/attachments/424242/").status_code == 404


def test_missing_file_is_a_clear_404_not_a_500(personas, client_for):
    item = attach(personas, "gone.txt", b"bye", "text/plain")
    item.file.delete(save=False)
    response = client_for("agent").get(f"/desk/attachments/{item.pk}/")
    assert response.status_code == 404


@override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True)
def test_agent_of_another_team_cannot_download_by_guessing(personas, client_for):
    item = attach(personas, "photo.png", b"data", "image/png")
    assert client_for("other_agent").get(f"/desk/attachments/{item.pk}/").status_code == 404
    assert client_for("agent").get(f"/desk/attachments/{item.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["customer", "other_customer", "colleague", "supplier"])
def test_contacts_use_the_portal_not_the_desk_download(personas, client_for, persona):
    item = attach(personas, "photo.png", b"data", "image/png")
    assert client_for(persona).get(f"/desk/attachments/{item.pk}/").status_code == 403
