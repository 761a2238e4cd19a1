"""Listeners for the event log: other apps react to what happens to a conversation.

``@on_event`` registers a function that is called with every new ``Event`` inside the same
transaction as the action that wrote it (the conversation row is locked). Listeners keep derived
tables current (effort counters) or queue work with ``transaction.on_commit`` (an
acknowledgement email); they must be quick and must not write the conversation row itself.
Register listeners in the app's ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpmate.desk.models import Event

EventListener = Callable[["Event"], None]
_listeners: list[EventListener] = []


def on_event(listener: EventListener) -> EventListener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def event_recorded(event: Event) -> None:
    for listener in _listeners:
        listener(event)
