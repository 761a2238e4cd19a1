"""The API client fixtures of tests/api, shared with the guard's tests."""

from tests.api.conftest import ApiClient, api, api_for  # noqa: F401
