"""Property test: whatever JSON is thrown at a write endpoint, the answer is never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "open", "reply", "note", "high", "a@b.example", "\x00", "\ud800"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "requester",
    "requester_email",
    "requester_name",
    "subject",
    "text",
    "channel",
    "team",
    "priority",
    "tags",
    "status",
    "owner",
    "note",
    "add_tags",
    "remove_tags",
    "kind",
    "name",
    "emails",
    "preferred_name",
    "phone",
    "language",
    "time_zone",
    "organization",
    "notes",
    "domain",
]
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={f: json_values for f in FIELDS}),
)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def write_targets(personas):
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


@FUZZ
@given(body=bodies, target=st.integers(min_value=0, max_value=6))
def test_random_json_bodies_never_cause_a_500(personas, api, body, target):
    method, path = write_targets(personas)[target]
    raw = json.dumps(body)
    response = api.send(method, path, raw=raw)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "view",
                "status",
                "team",
                "owner",
                "channel",
                "tag",
                "contact_kind",
                "q",
                "limit",
                "offset",
                "requester",
                "kind",
                "organization",
            ]
        ),
        st.text(max_size=30) | st.integers(min_value=-(2**70), max_value=2**70).map(str),
        max_size=5,
    ),
    path=st.sampled_from(["/conversations", "/contacts", "/organizations", "/agents", "/teams"]),
)
def test_random_query_parameters_never_cause_a_500(personas, api, params, path):
    response = api.get(path, params)
    assert response.status_code < 500
