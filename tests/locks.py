"""Row-lock helpers for the PostgreSQL concurrency tests: hold a service's lock in another
connection, and try a change beside it that must not wait for that lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, connections, transaction


@contextmanager
def held(lock: Callable[[], Any]) -> Iterator[None]:
    """Run `lock` in a transaction of its own connection (a thread) and keep that transaction open
    until the block ends; an error in `lock` fails the test."""
    locked, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                lock()
                locked.set()
                done.wait(timeout=20)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            locked.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        yield
    finally:
        done.set()
        holder.join(timeout=30)
    assert not errors, errors


def commit_beside(change: Callable[[], Any]) -> str:
    """Run `change` with its foreign-key checks at once and a lock timeout of 2 s: "committed",
    or what it waited for."""
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '2s'")
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks now, not at COMMIT
            change()
    except OperationalError as exc:
        return f"waited for the lock: {exc}"
    return "committed"
