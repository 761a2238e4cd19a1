"""The API clients of tests/api for the promise endpoints."""

from tests.api.conftest import api, api_for  # noqa: F401
