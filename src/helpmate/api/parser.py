"""The API's JSON parser: plain ``json.loads``, then a refusal of text no database can store.

PostgreSQL refuses NUL characters in text and no database stores unpaired UTF-16 surrogates
(JSON can spell both, as ``\\u0000`` and ``\\ud800``). Refusing them at the door gives the client
a 422 naming the field instead of a 500 from the database driver.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

MESSAGE = "Text may not contain NUL characters or unpaired surrogates."


class UnstorableText(ValueError):
    def __init__(self, loc: list[str | int]) -> None:
        super().__init__(MESSAGE)
        self.loc = loc


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: Any, loc: list[str | int]) -> None:
    """Raise UnstorableText if any string (or key) inside ``value`` cannot be stored."""
    stack: list[tuple[Any, list[str | int]]] = [(value, loc)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _storable(item):
                raise UnstorableText(where)
        elif isinstance(item, dict):
            for key, child in item.items():
                if not _storable(key):
                    raise UnstorableText(where)
                stack.append((child, [*where, key]))
        elif isinstance(item, list):
            stack.extend((child, [*where, i]) for i, child in enumerate(item))


class SafeJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        check_text(data, ["body"])
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        for key, value in result.items():
            check_text(value, ["query", key])
        return result
