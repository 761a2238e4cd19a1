"""Wrong payloads get a 4xx with the error body, never a 500, and nothing half-saved."""

from __future__ import annotations

import pytest
from django.test import override_settings

from helpmate.desk.models import Conversation, Event, Message
from helpmate.people.models import Contact, Organization

from .conftest import assert_error

pytestmark = pytest.mark.django_db

HUGE = "x" * 300_000


def write_paths(personas):
    conv = personas.conversation()
    return [
        ("POST", "/conversations"),
        ("PATCH", f"/conversations/{conv.pk}"),
        ("POST", f"/conversations/{conv.pk}/messages"),
        ("POST", "/contacts"),
        ("PATCH", f"/contacts/{personas.customer.pk}"),
        ("POST", "/organizations"),
        ("PATCH", f"/organizations/{personas.acme.pk}"),
    ]


def counts():
    return (
        Conversation.objects.count(),
        Message.objects.count(),
        Event.objects.count(),
        Contact.objects.count(),
        Organization.objects.count(),
    )


@pytest.mark.parametrize(
    "raw",
    ['{"subject": ', "not json at all", "{'single': 'quotes'}", "\x00\xff", "[" * 5000, "{,}"],
)
def test_malformed_json_is_a_400(personas, api, raw):
    for method, path in write_paths(personas):
        before = counts()
        error = assert_error(api.send(method, path, raw=raw), 400, "bad_request")
        assert error["message"] == "The request body is not valid JSON."
        assert counts() == before


@pytest.mark.parametrize("raw", ["[]", "[1, 2]", '"text"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_a_422(personas, api, raw):
    for method, path in write_paths(personas):
        response = api.send(method, path, raw=raw)
        if raw == "null" and method == "PATCH":
            # ninja reads a JSON null like an empty body; an empty PATCH changes nothing
            assert response.status_code in (200, 422)
            continue
        assert_error(response, 422, "validation_error")


def test_missing_fields_are_named(personas, api):
    error = assert_error(api.post("/conversations", {}), 422, "validation_error")
    locs = {tuple(d["loc"]) for d in error["details"]}
    assert {("body", "subject"), ("body", "text")} <= locs
    assert any(d["message"] == "'subject' is required." for d in error["details"])
    error = assert_error(api.post("/contacts", {}), 422, "validation_error")
    assert error["details"][0]["loc"] == ["body", "name"]


@pytest.mark.parametrize(
    ("path_key", "body", "field"),
    [
        ("new_conv", {"requester": "carla", "subject": "s", "text": "t"}, "requester"),
        ("new_conv", {"requester_email": "a@b.example", "subject": ["s"], "text": "t"}, "subject"),
        ("new_conv", {"requester_email": "a@b.example", "subject": "s", "text": {"a": 1}}, "text"),
        (
            "new_conv",
            {"requester_email": "a@b.example", "subject": "s", "text": "t", "tags": "a"},
            "tags",
        ),
        (
            "new_conv",
            {"requester_email": "a@b.example", "subject": "s", "text": "t", "team": 1.5},
            "team",
        ),
        ("patch_conv", {"owner": "me"}, "owner"),
        ("patch_conv", {"priority": 3}, "priority"),
        ("patch_conv", {"tags": [1, 2]}, "tags"),
        ("message", {"kind": "reply", "text": 12}, "text"),
        ("contact", {"name": "X", "emails": "a@b.example"}, "emails"),
        ("contact", {"name": 5}, "name"),
    ],
)
def test_wrong_types_are_a_422_naming_the_field(personas, api, path_key, body, field):
    conv = personas.conversation()
    paths = {
        "new_conv": ("POST", "/conversations"),
        "patch_conv": ("PATCH", f"/conversations/{conv.pk}"),
        "message": ("POST", f"/conversations/{conv.pk}/messages"),
        "contact": ("POST", "/contacts"),
    }
    before = counts()
    method, path = paths[path_key]
    error = assert_error(api.send(method, path, body), 422, "validation_error")
    assert error["details"][0]["loc"][:2] == ["body", field]
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "pending"),
        ("status", "OPEN"),
        ("priority", "vip"),
        ("owner", 0),
        ("owner", -1),
        ("owner", 2**64),
        ("team", 10**30),
    ],
)
def test_unknown_enum_values_and_out_of_range_ids_are_refused(personas, api, field, value):
    conv = personas.conversation()
    body = {field: value}
    if field == "team":
        body["note"] = "x"
    assert_error(api.patch(f"/conversations/{conv.pk}", body), 422, "validation_error")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"view": "everything"},
        {"channel": "pigeon"},
        {"contact_kind": "vip"},
        {"team": "support"},
        {"owner": 2**70},
        {"limit": 0},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": 10**12},
        {"q": "x" * 201},
    ],
)
def test_bad_list_parameters_are_a_422(personas, api, params):
    assert_error(api.get("/conversations", params), 422, "validation_error")


@pytest.mark.parametrize(
    "path",
    [
        "/conversations/99999999",
        "/conversations/99999999/messages",
        "/conversations/99999999/events",
        "/contacts/99999999",
        "/organizations/99999999",
        "/agents/99999999",
        "/teams/99999999",
    ],
)
def test_unknown_ids_are_a_404(personas, api, path):
    assert_error(api.get(path), 404, "not_found")


@pytest.mark.parametrize("path", ["/conversations/0", "/conversations/-5", f"/contacts/{2**64}"])
def test_impossible_ids_are_refused_without_touching_the_database(personas, api, path):
    response = api.get(path)
    assert response.status_code in (404, 422)
    assert response.json()["error"]["code"] in ("not_found", "validation_error")


@pytest.mark.parametrize(
    ("path_key", "body"),
    [
        ("new_conv", {"requester_email": "a@b.example", "subject": HUGE, "text": "t"}),
        (
            "new_conv",
            {"requester_email": "a@b.example", "subject": "s", "text": "t", "requester_name": HUGE},
        ),
        ("new_conv", {"requester_email": HUGE + "@b.example", "subject": "s", "text": "t"}),
        (
            "new_conv",
            {"requester_email": "a@b.example", "subject": "s", "text": "t", "tags": ["t" * 61]},
        ),
        (
            "new_conv",
            {
                "requester_email": "a@b.example",
                "subject": "s",
                "text": "t",
                "tags": [f"t{i}" for i in range(51)],
            },
        ),
        ("message", {"kind": "note", "text": HUGE}),
        ("patch_conv", {"owner": 1, "note": HUGE}),
        ("contact", {"name": HUGE}),
        ("contact", {"name": "X", "phone": HUGE}),
        ("contact", {"name": "X", "language": "l" * 13}),
        ("contact", {"name": "X", "emails": ["a@b.example"] * 21}),
        ("org", {"name": "N" * 201}),
        ("org", {"name": "N", "domain": HUGE}),
    ],
)
def test_huge_strings_are_refused_before_the_database(personas, api, path_key, body):
    conv = personas.conversation()
    paths = {
        "new_conv": ("POST", "/conversations"),
        "patch_conv": ("PATCH", f"/conversations/{conv.pk}"),
        "message": ("POST", f"/conversations/{conv.pk}/messages"),
        "contact": ("POST", "/contacts"),
        "org": ("POST", "/organizations"),
    }
    before = counts()
    method, path = paths[path_key]
    assert_error(api.send(method, path, body), 422, "validation_error")
    assert counts() == before


def test_unknown_fields_are_refused_rather_than_ignored(personas, api):
    conv = personas.conversation()
    error = assert_error(
        api.patch(f"/conversations/{conv.pk}", {"subject": "New subject"}), 422, "validation_error"
    )
    assert error["details"][0]["loc"] == ["body", "subject"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_over_the_upload_limit_is_a_413(personas, api):
    conv = personas.conversation()
    response = api.post(f"/conversations/{conv.pk}/messages", {"kind": "note", "text": "y" * 5000})
    assert_error(response, 413, "payload_too_large")
    assert conv.messages.count() == 1


def test_null_for_a_required_patch_value_is_refused(personas, api):
    conv = personas.conversation()
    for field in ("status", "priority", "tags", "note"):
        assert_error(api.patch(f"/conversations/{conv.pk}", {field: None}), 422, "validation_error")


def test_tags_and_add_tags_together_are_refused(personas, api):
    conv = personas.conversation()
    body = {"tags": ["a"], "add_tags": ["b"]}
    assert_error(api.patch(f"/conversations/{conv.pk}", body), 422, "validation_error")


def test_unknown_path_and_method_use_the_error_body(personas, api):
    assert_error(api.get("/nothing/here"), 404, "not_found")
    error = assert_error(api.get("/conversations/"), 404, "not_found")
    assert "did you mean /api/conversations (without the slash)" in error["message"]
    error = assert_error(api.get("/nothing/"), 404, "not_found")
    assert "did you mean" not in error["message"]
    response = api.send("DELETE", "/conversations")
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_wrong_content_type_is_handled(personas, api):
    response = api.client.post(
        "/api/organizations",
        "name=Initech",
        content_type="application/x-www-form-urlencoded",
        headers=api._headers(),
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("raw", "loc"),
    [
        ('{"name": "Nul\\u0000Byte"}', ["body", "name"]),
        ('{"name": "Half \\ud800 surrogate"}', ["body", "name"]),
        ('{"name": "X", "emails": ["a\\u0000@b.example"]}', ["body", "emails", 0]),
        ('{"name": "X", "\\ud800": 1}', ["body"]),
    ],
)
def test_text_no_database_can_store_is_refused(personas, api, raw, loc):
    error = assert_error(api.post("/contacts", raw=raw), 422, "validation_error")
    assert error["details"][0]["loc"] == loc
    assert Contact.objects.count() == 4


def test_nul_in_a_query_parameter_is_refused(personas, api):
    for path in ("/conversations", "/contacts"):
        error = assert_error(api.get(path, {"q": "a\x00b"}), 422, "validation_error")
        assert error["details"][0]["loc"] == ["query", "q"]
