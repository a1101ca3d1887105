"""The registered background tasks: a name and a function `fn(task) -> None`.

Apps declare theirs in a `jobs` module with `@job("app.name")`; the worker finds a task's function
by its name, so the queue only ever carries a task's id (no pickled code, no personal data in Redis).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sleutelnet.tasks.models import Task

JobFunction = Callable[["Task"], None]


@dataclass(frozen=True)
class Job:
    """A registered task: its function, and how the persons it reads are logged."""

    name: str
    fn: JobFunction

    def activity_of(self, task: Task) -> str | None:
        return self.activity(task) if callable(self.activity) else self.activity
    #: The processing activity of the persons it reads (core.processing), None if it reads none,
    #: or a function of the task that tells (an import reads key persons or newcomers).
    activity: str | Callable[[Task], str] | None
    #: How those reads are logged: "export" for a download, "read" otherwise.
    read_operation: str


_JOBS: dict[str, Job] = {}


def job(name: str, *, activity: str | Callable[[Task], str] | None = None, read_operation: str = "read") -> Callable[[JobFunction], JobFunction]:
    """Register `fn` as the background task `name`."""

    def register(fn: JobFunction) -> JobFunction:
        if name in _JOBS and _JOBS[name].fn is not fn:
            raise ValueError(f"Two background tasks are called {name!r}")
        _JOBS[name] = Job(name, fn, activity, read_operation)
        return fn

    return register


def get(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"No background task is called {name!r}") from None


def names() -> list[str]:
    return sorted(_JOBS)
