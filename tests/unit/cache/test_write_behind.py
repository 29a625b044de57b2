"""The cache's write-behind sink and the `PersistenceWriter`, on a real SQLite database.

`Flaky` wraps the real database at the I/O seam: while `down` its writes fail the way
an unreachable server's do (`CacheDatabaseError`), and `hold` parks a write until
released, so ordering, batching, backoff and the backlog bound can be observed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from argonaut.cache import Cache
from argonaut.cache.db import (
    AddOrderEvent,
    CacheDatabaseError,
    DbOp,
    DeleteOrder,
    LoadedState,
    MarkOrderClosed,
    PutKeyValue,
)
from argonaut.cache.db.sqlite import SqliteCacheDatabase
from argonaut.common.clock import TestClock
from argonaut.common.logging import Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.live.persistence import OwnershipJournal, PersistenceWriter
from argonaut.model.identifiers import ClientId
from argonaut.model.orders import Order
from argonaut.testkit import (
    accepted,
    btcusdt_perp,
    canceled,
    limit_order,
    submit_order,
    submitted,
)


class Flaky:
    """A real SQLite database whose writes can fail or be held."""

    def __init__(self, path: Path) -> None:
        self.inner = SqliteCacheDatabase(path)
        self.down = False
        self.hold: asyncio.Event | None = None
        self.writes: list[int] = []
        self.attempts = 0

    @property
    def name(self) -> str:
        return self.inner.name

    async def migrate(self) -> None:
        await self.inner.migrate()

    async def write(self, ops: Sequence[DbOp]) -> None:
        self.attempts += 1
        if self.hold is not None:
            await self.hold.wait()
        if self.down:
            raise CacheDatabaseError("connection refused (test)")
        await self.inner.write(ops)
        self.writes.append(len(ops))

    async def load(self, *, strict: bool = True) -> LoadedState:
        return await self.inner.load(strict=strict)

    async def clear(self) -> None:
        await self.inner.clear()

    async def flush(self) -> None:
        await self.inner.flush()

    async def close(self) -> None:
        await self.inner.close()


def _logger() -> tuple[Logger, MemorySink, LogSystem]:
    sink = MemorySink()
    system = LogSystem(
        LoggingConfig(log_level="OFF", log_colors=False), clock=TestClock(), sinks=[sink]
    )
    return Logger("CacheDatabase", system), sink, system


def _kv(i: int) -> PutKeyValue:
    return PutKeyValue(key=f"k{i}", value=str(i).encode())


async def _settle(writer: PersistenceWriter) -> None:
    for _ in range(2000):
        if writer.queue_depth == 0:
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"writer did not drain: {writer.stats()}")


def _writer(db: Flaky, **kwargs: object) -> PersistenceWriter:
    """A writer that does not linger (unless told), with fast retries."""
    kwargs.setdefault("linger_secs", 0.0)
    log, _, _ = _logger()
    return PersistenceWriter(
        db, logger=log, retry_initial_secs=0.001, retry_max_secs=0.004, **kwargs
    )  # type: ignore[arg-type]


async def _started(tmp_path: Path, **kwargs: object) -> tuple[Flaky, PersistenceWriter]:
    """A migrated `Flaky` database in `tmp_path` and a started `_writer` over it."""
    db = Flaky(tmp_path / "c.sqlite")
    await db.migrate()
    writer = _writer(db, **kwargs)
    writer.start()
    return db, writer


async def _started_down(tmp_path: Path) -> tuple[Flaky, PersistenceWriter, MemorySink, LogSystem]:
    """A database that is down and a started writer over it (fast retries, default
    linger), with the writer's log sink and system."""
    db = Flaky(tmp_path / "c.sqlite")
    await db.migrate()
    db.down = True
    log, sink, system = _logger()
    writer = PersistenceWriter(db, logger=log, retry_initial_secs=0.001, retry_max_secs=0.002)
    writer.start()
    return db, writer, sink, system


def test_enqueue_when_loop_busy_then_one_batch_in_order(tmp_path: Path) -> None:
    async def scenario() -> tuple[list[int], dict[str, bytes]]:
        db, writer = await _started(tmp_path)
        for i in range(500):  # no await in between: one batch
            writer.enqueue(_kv(i))
        writer.enqueue(PutKeyValue(key="k7", value=b"last"))
        await _settle(writer)
        await writer.close(1.0)
        db2 = SqliteCacheDatabase(tmp_path / "c.sqlite")
        state = await db2.load()
        await db2.close()
        return db.writes, state.general

    writes, general = asyncio.run(scenario())
    assert writes == [501]
    assert len(general) == 500
    assert general["k7"] == b"last"


def test_max_batch_when_queue_longer_then_split_in_order(tmp_path: Path) -> None:
    async def scenario() -> list[int]:
        db, writer = await _started(tmp_path, max_batch=100)
        for i in range(250):
            writer.enqueue(_kv(i))
        await _settle(writer)
        await writer.close(1.0)
        return db.writes

    assert asyncio.run(scenario()) == [100, 100, 50]


def test_enqueue_when_write_in_progress_then_never_waits(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, int, list[int]]:
        db, writer = await _started(tmp_path)
        db.hold = asyncio.Event()
        writer.enqueue(_kv(0))
        await asyncio.sleep(0.01)  # the writer is now parked inside write()
        for i in range(1, 1001):
            writer.enqueue(_kv(i))  # synchronous: returns while the write is held
        depth = writer.queue_depth
        lagging = writer.write_lag() > 0
        db.hold.set()
        db.hold = None
        await _settle(writer)
        await writer.close(1.0)
        return depth, int(lagging), db.writes

    depth, lagging, writes = asyncio.run(scenario())
    assert depth == 1001
    assert lagging == 1
    assert writes == [1, 1000]


def test_write_when_database_down_then_retries_logs_error_and_drops_nothing(
    tmp_path: Path,
) -> None:
    async def scenario() -> tuple[int, list[int], dict[str, bytes], str]:
        db, writer, sink, system = await _started_down(tmp_path)
        for i in range(10):
            writer.enqueue(_kv(i))
        while db.attempts < 4:
            await asyncio.sleep(0.001)
        assert writer.retrying
        assert writer.queue_depth == 10
        db.down = False
        await _settle(writer)
        failures = writer.failures
        await writer.close(1.0)
        state = await SqliteCacheDatabase(tmp_path / "c.sqlite").load()
        system.flush()
        return failures, db.writes, state.general, "\n".join(sink.messages())

    failures, writes, general, text = asyncio.run(scenario())
    assert failures >= 3
    assert writes == [10]
    assert len(general) == 10
    assert "write of 10 ops failed" in text
    assert "writes succeed again" in text


def test_backlog_when_past_bound_then_reported_once_and_cleared_when_drained(
    tmp_path: Path,
) -> None:
    calls: list[bool] = []

    async def scenario() -> None:
        db, writer = await _started(tmp_path, max_backlog=50, on_backlog=calls.append)
        db.down = True
        for i in range(200):
            writer.enqueue(_kv(i))
            await asyncio.sleep(0)
        assert calls == [True]
        assert writer.backlog_exceeded
        db.down = False
        await _settle(writer)
        await asyncio.sleep(0.01)
        assert not writer.backlog_exceeded
        await writer.close(1.0)

    asyncio.run(scenario())
    assert calls == [True, False]


def test_close_when_ops_queued_then_written_before_close(tmp_path: Path) -> None:
    async def scenario() -> tuple[bool, int]:
        _, writer = await _started(tmp_path)
        for i in range(30):
            writer.enqueue(_kv(i))
        complete = await writer.close(1.0)  # no settle: close must flush
        state = await SqliteCacheDatabase(tmp_path / "c.sqlite").load()
        return complete, len(state.general)

    assert asyncio.run(scenario()) == (True, 30)


def test_close_when_database_stays_down_then_times_out_and_reports(tmp_path: Path) -> None:
    async def scenario() -> tuple[bool, str]:
        _, writer, sink, system = await _started_down(tmp_path)
        writer.enqueue(_kv(1))
        complete = await writer.close(0.05)
        system.flush()
        return complete, "\n".join(sink.messages())

    complete, text = asyncio.run(scenario())
    assert complete is False
    assert "not finished within 0.05s" in text


def test_gate_when_submit_then_sent_only_after_its_order_is_committed(tmp_path: Path) -> None:
    sent: list[tuple[str, int]] = []

    async def scenario() -> None:
        db, writer = await _started(tmp_path)
        db.hold = asyncio.Event()
        writer.enqueue(_kv(0))
        await asyncio.sleep(0.01)  # first batch held in write()

        def send(name: str) -> None:
            sent.append((name, len(db.writes)))

        assert writer.gate(send, "cancel-before", False) is False  # nothing held: direct
        writer.enqueue(_kv(1))
        assert writer.gate(send, "submit", True) is True
        assert writer.gate(send, "cancel-after", False) is True  # behind the held submit
        assert sent == []
        db.hold.set()
        db.hold = None
        await _settle(writer)
        await writer.close(1.0)

    asyncio.run(scenario())
    # both sent once the batch with op k1 (the second write) was committed, in order
    assert sent == [("submit", 2), ("cancel-after", 2)]


def test_cache_sink_when_order_events_applied_then_each_event_handed_once() -> None:
    cache = Cache()
    ops: list[DbOp] = []
    cache.attach_database_sink(ops.append)
    cache.add_instrument(btcusdt_perp())
    order: Order = limit_order()
    cache.add_order(order)
    cache.update_order(order)  # re-index without a new event: nothing new
    events = [op for op in ops if isinstance(op, AddOrderEvent)]
    assert len(events) == 1
    assert events[0].event is order.events[0]
    cache.detach_database_sink()
    cache.update_order(order)
    assert len([op for op in ops if isinstance(op, AddOrderEvent)]) == 1


@pytest.mark.parametrize("bad", [0, -1])
def test_writer_when_bound_not_positive_then_refused(tmp_path: Path, bad: int) -> None:
    with pytest.raises(ValueError, match="max_backlog"):
        _writer(Flaky(tmp_path / "c.sqlite"), max_backlog=bad)


def test_journal_gate_when_submit_then_journaled_and_never_held(tmp_path: Path) -> None:
    journal = OwnershipJournal(tmp_path / "o.journal")
    order = limit_order(client_order_id="O-9")
    command = submit_order(order)
    assert journal.gate(lambda _: None, command, True) is False
    assert journal.gate(lambda _: None, "a cancel", False) is False
    journal.close()
    assert [r.client_order_id for r in OwnershipJournal.read(tmp_path / "o.journal")] == ["O-9"]


def test_linger_when_ops_trickle_in_then_one_batch(tmp_path: Path) -> None:
    async def scenario() -> list[int]:
        db, writer = await _started(tmp_path, linger_secs=0.2)
        for i in range(5):
            writer.enqueue(_kv(i))
            await asyncio.sleep(0.01)  # the writer runs in between, and lingers
        await _settle(writer)
        await writer.close(1.0)
        return db.writes

    assert asyncio.run(scenario()) == [5]


def test_linger_when_submit_held_then_written_at_once(tmp_path: Path) -> None:
    sent: list[float] = []

    async def scenario() -> float:
        _, writer = await _started(tmp_path, linger_secs=5.0)
        loop = asyncio.get_running_loop()
        writer.enqueue(_kv(1))
        await asyncio.sleep(0.01)  # lingering
        start = loop.time()
        writer.gate(lambda _: sent.append(loop.time()), "submit", True)
        await _settle(writer)
        await writer.close(1.0)
        return start

    start = asyncio.run(scenario())
    assert len(sent) == 1
    assert sent[0] - start < 1.0  # not after the 5 s linger


@pytest.mark.parametrize("purge", [True, False])
def test_purge_closed_orders_when_purge_from_database_then_deleted_there_too(purge: bool) -> None:
    cache = Cache()
    ops: list[DbOp] = []
    cache.attach_database_sink(ops.append, purge=purge)
    order = limit_order()
    cache.add_order(order)
    for event in (submitted(order), accepted(order), canceled(order)):
        order.apply(event)
        cache.update_order(order)
    assert isinstance(ops[-1], MarkOrderClosed)
    ops.clear()
    assert cache.purge_closed_orders(order.ts_last + 1) == [order.client_order_id]
    assert ops == ([DeleteOrder(client_order_id=order.client_order_id)] if purge else [])


def test_cache_sink_when_order_events_arrive_then_handed_in_order_with_indexes() -> None:
    cache = Cache()
    ops: list[DbOp] = []
    cache.attach_database_sink(ops.append)
    order = limit_order()
    cache.add_order(order, client_id=ClientId("SIM"))
    order.apply(submitted(order))
    order.apply(accepted(order, venue_order_id="V-7"))  # two events, one re-index
    cache.update_order(order)
    kinds = [type(op).__name__ for op in ops]
    assert kinds == [
        "AddOrderEvent",
        "IndexOrderClient",
        "IndexVenueOrderId",
        "AddOrderEvent",
        "AddOrderEvent",
    ]
    events = [op.event for op in ops if isinstance(op, AddOrderEvent)]
    assert events == order.events
