"""The progress bar of long CLI work (generate, service recompute, effort rebuild)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Tick = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str, *, enabled: bool = True, total: int | None = None) -> Iterator[Tick]:
    """Yields ``tick(done, total)`` that moves a bar on stderr (or does nothing if disabled)."""
    if not enabled:
        yield lambda done, total: None
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=total)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield tick
