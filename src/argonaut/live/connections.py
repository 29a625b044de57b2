"""Connecting and disconnecting a node's clients, bounded by a deadline on its time source.

Pure helpers of `LiveNode` (no node state): every wait goes through the node's
`TimeSource`, so tests drive them under virtual time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Any

from argonaut.common.logging import Logger
from argonaut.live.timesource import TimeSource


async def wait_until_done(
    tasks: Iterable[asyncio.Future[Any]], deadline: float, time_source: TimeSource
) -> None:
    """Wait until every task is done or the monotonic `deadline` has passed."""
    pending = {t for t in tasks if not t.done()}
    while pending:
        remaining = deadline - time_source.monotonic()
        if remaining <= 0:
            return
        timer = asyncio.ensure_future(time_source.sleep(remaining))
        try:
            await asyncio.wait({*pending, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        pending = {t for t in pending if not t.done()}


async def connect_all(
    clients: Iterable[Any],
    deadline: float,
    time_source: TimeSource,
    log: Logger,
    timeout: float,
) -> list[str]:
    """Connect `clients` concurrently until `deadline`; cancel those still connecting.

    Return the ids of the clients that failed: their `connect()` raised or did not end
    within `timeout` seconds. Nothing will connect those later.
    """
    tasks = {asyncio.ensure_future(c.connect()): c for c in clients if hasattr(c, "connect")}
    await wait_until_done(tasks, deadline, time_source)
    late = [task for task in tasks if not task.done()]
    for task in late:
        task.cancel()
        log.warning(f"Client {tasks[task].client_id} did not connect within {timeout}s")
    await asyncio.gather(*late, return_exceptions=True)
    failed: list[str] = []
    for task, client in tasks.items():
        if task in late:
            failed.append(str(client.client_id))
        elif task.exception() is not None:
            failed.append(str(client.client_id))
            log.error(f"Client {client} failed to connect: {task.exception()!r}")
    return failed


async def disconnect_all(
    clients: Iterable[Any], deadline: float, time_source: TimeSource, log: Logger
) -> list[asyncio.Future[Any]]:
    """Start disconnecting every client and wait for them until `deadline`.

    Return the disconnect tasks; `finish_disconnects` cancels and reports them.
    """
    tasks = [asyncio.ensure_future(c.disconnect()) for c in clients if hasattr(c, "disconnect")]
    await wait_until_done(tasks, deadline, time_source)
    return tasks


async def finish_disconnects(tasks: Sequence[asyncio.Future[Any]], log: Logger) -> None:
    """Cancel the disconnects still running and log those that failed."""
    late = [task for task in tasks if not task.done()]
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for task in tasks:
        if task not in late and task.exception() is not None:
            log.error(f"Error disconnecting a client: {task.exception()!r}")


def connection_table(data_clients: Iterable[Any], exec_clients: Iterable[Any]) -> str:
    """Return a table of every client: name, data/execution, connected yes/no."""
    rows = [("Client", "Type", "Connected")]
    rows += [(str(c.client_id), "Data", _yes(c.is_connected)) for c in data_clients]
    rows += [(str(c.client_id), "Execution", _yes(c.is_connected)) for c in exec_clients]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    out = [line]
    for i, row in enumerate(rows):
        out.append("| " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
        if i == 0:
            out.append(line)
    out.append(line)
    return "\n".join(out)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


__all__ = [
    "connect_all",
    "connection_table",
    "disconnect_all",
    "finish_disconnects",
    "wait_until_done",
]
