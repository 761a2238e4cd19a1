"""Listeners for the event log: other apps react to what happens to a conversation.

``@on_event`` registers a function that is called with every new ``Event`` inside the same
transaction as the action that wrote it (the conversation row is locked). Listeners keep derived
tables current (effort counters) or queue work with ``transaction.on_commit`` (an
acknowledgement email); they must be quick and must not write the conversation row itself.
Register listeners in the app's ``AppConfig.ready()``.

A listener that can take many events at once registers a ``batch`` function too. Inside
``with batched():`` (which must itself be inside the transaction) such listeners are not called
per event: their events are collected and handed to ``batch`` once, at the end of the block,
still in the same transaction, so many emails processed in one transaction cost one pass
instead of one per event. Blocks nest: an inner block that ends with an exception (a savepoint
rolled back) drops its events; one that ends normally passes them to the outer block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpmate.desk.models import Event

EventListener = Callable[["Event"], None]
BatchListener = Callable[[list["Event"]], None]
_listeners: list[EventListener] = []
_batch: dict[EventListener, BatchListener] = {}
_collecting: ContextVar[list[Event] | None] = ContextVar("desk_hooks_collecting", default=None)


def on_event(listener: EventListener, *, batch: BatchListener | None = None) -> EventListener:
    if listener not in _listeners:
        _listeners.append(listener)
    if batch is not None:
        _batch[listener] = batch
    return listener


def event_recorded(event: Event) -> None:
    collecting = _collecting.get()
    if collecting is not None:
        collecting.append(event)
    for listener in _listeners:
        if collecting is None or listener not in _batch:
            listener(event)


@contextmanager
def batched() -> Iterator[None]:
    """Collect the events for the batch listeners until the block ends (see the docstring)."""
    outer = _collecting.get()
    events: list[Event] = []
    token = _collecting.set(events)
    try:
        yield
    finally:
        _collecting.reset(token)
    if outer is not None:
        outer.extend(events)
    elif events:
        for listener, batch in list(_batch.items()):
            if listener in _listeners:
                batch(events)
