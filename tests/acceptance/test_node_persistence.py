"""A LiveNode on a cache database: restart restores orders, positions, ownership, ids."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from node_env import NodeEnv, make_node, trader, wait_until

from argonaut.cache.db import CacheDatabaseError, DbOp, LoadedState
from argonaut.cache.db.sqlite import SqliteCacheDatabase
from argonaut.common.logging import ERROR
from argonaut.live.config import DatabaseConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode, NodeError
from argonaut.live.persistence import OwnershipJournal
from argonaut.live.timesource import VirtualTimeSource
from argonaut.model.enums import Environment, OrderStatus, TradingState
from argonaut.model.identifiers import StrategyId
from argonaut.testkit import TS, limit_order, quote
from argonaut.testkit.live import QuoteTrader, QuoteTraderConfig
from argonaut.testkit.virtual_time import run_virtual


def _db(path: Path, **kwargs: object) -> DatabaseConfig:
    return DatabaseConfig(type="sqlite", path=str(path), **kwargs)  # type: ignore[arg-type]


def _node(path: Path, *, reconciliation: bool = False, **kwargs: object) -> NodeEnv:
    return make_node(
        database=_db(path),
        data_dir=str(path.parent),
        exec_engine=LiveExecEngineConfig(reconciliation=reconciliation),
        **kwargs,
    )


async def _trade_once(path: Path) -> tuple[str, str]:
    """Run a node whose strategy submits one order, filled by the venue; stop it."""
    env = _node(path)
    strategy = trader(submit_on_quote=1)
    env.node.add_strategy(strategy)
    await env.node.start()
    env.data.push(quote(ts=1))
    await wait_until(lambda: bool(env.execution.commands))
    coid = strategy.submitted[0]
    await wait_until(lambda: env.node.kernel.cache.order(coid).status is OrderStatus.ACCEPTED)  # type: ignore[union-attr]
    env.execution.fill(coid)
    await wait_until(lambda: bool(env.node.kernel.cache.positions_open()))
    await env.node.stop()
    return str(coid), str(strategy.id)


def test_restart_on_same_sqlite_file_then_orders_positions_and_ownership_restored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.sqlite"

    async def scenario() -> None:
        coid, strategy_id = await _trade_once(path)
        env = _node(path)
        strategy = trader(submit_on_quote=1)
        env.node.add_strategy(strategy)
        await env.node.start()
        cache = env.node.kernel.cache
        order = cache.order(coid)  # type: ignore[arg-type]
        assert order is not None
        assert order.status is OrderStatus.FILLED
        assert order.strategy_id == StrategyId(strategy_id)
        assert cache.venue_order_id(order.client_order_id) == order.venue_order_id
        positions = cache.positions_open()
        assert len(positions) == 1
        assert positions[0].strategy_id == StrategyId(strategy_id)
        assert cache.position_for_order(order.client_order_id) is positions[0]
        assert cache.account_for_venue(order.instrument_id.venue) is not None
        # The id counter continues after the persisted order's: no collision.
        env.data.push(quote(ts=2))
        await wait_until(lambda: bool(strategy.submitted))
        new = strategy.submitted[0]
        assert new != coid
        assert int(new.rsplit("-", 1)[1]) == int(coid.rsplit("-", 1)[1]) + 1
        await env.node.stop()

    run_virtual(scenario())


def test_submit_when_write_ahead_commit_then_order_stored_before_client_sees_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.sqlite"
    seen: list[int] = []

    async def scenario() -> None:
        env = make_node(
            database=_db(path, write_ahead_mode="commit"),
            data_dir=str(tmp_path),
            exec_engine=LiveExecEngineConfig(reconciliation=False),
        )
        env.node.add_strategy(trader(submit_on_quote=1))

        def on_receive(command: object) -> None:
            conn = sqlite3.connect(path)
            try:
                seen.append(conn.execute("SELECT count(*) FROM order_events").fetchone()[0])
            finally:
                conn.close()

        env.execution.on_receive = on_receive
        await env.node.start()
        env.data.push(quote(ts=1))
        await wait_until(lambda: bool(env.execution.received))
        await env.node.stop()

    run_virtual(scenario())
    assert seen == [1]


def test_submit_when_write_ahead_journal_then_journaled_before_client_sees_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.sqlite"
    journaled: list[list[str]] = []

    async def scenario() -> None:
        env = _node(path)
        strategy = trader(submit_on_quote=1)
        env.node.add_strategy(strategy)
        journal = tmp_path / f"ownership-{env.node.trader_id}.journal"
        env.execution.on_receive = lambda _: journaled.append(
            [str(i.client_order_id) for i in OwnershipJournal.read(journal)]
        )
        await env.node.start()
        env.data.push(quote(ts=1))
        await wait_until(lambda: bool(env.execution.received))
        journaled.append([str(strategy.submitted[0])])
        await env.node.stop()
        assert OwnershipJournal.read(journal) == []  # emptied: everything is in the database

    run_virtual(scenario())
    assert journaled[0] == journaled[1]


def test_restart_when_order_only_in_journal_then_restored_with_its_strategy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.sqlite"

    async def crashed_run() -> tuple[str, str]:
        env = _node(path)
        db = Flaky(path)
        env.node.set_cache_database(db)
        strategy = trader(submit_on_quote=1)
        env.node.add_strategy(strategy)
        await env.node.start()
        writer = env.node.persistence
        assert writer is not None
        await wait_until(lambda: writer.queue_depth == 0)
        db.down = True  # the OrderInitialized never reaches the database
        env.data.push(quote(ts=1))
        await wait_until(lambda: bool(env.execution.commands))
        return str(strategy.submitted[0]), str(strategy.id)  # abandoned: a crash

    coid, strategy_id = run_virtual(crashed_run())

    async def restart() -> None:
        env = _node(path)
        env.node.add_strategy(trader(submit_on_quote=None))
        await env.node.start()
        order = env.node.kernel.cache.order(coid)  # type: ignore[arg-type]
        assert order is not None
        assert str(order.strategy_id) == strategy_id
        assert any("recovered from the ownership journal" in m for m in env.messages())
        await env.node.stop()

    run_virtual(restart())
    stored = asyncio.run(_load(path))
    assert coid in stored.orders  # written to the database on the restart


def test_journal_when_last_record_cut_short_then_ignored(tmp_path: Path) -> None:
    journal = OwnershipJournal(tmp_path / "o.journal")
    first, second = limit_order(client_order_id="O-1"), limit_order(client_order_id="O-2")
    journal.append(first.init_event)
    journal.append(second.init_event)
    end = journal.size
    journal.close()
    data = (tmp_path / "o.journal").read_bytes()  # the copy of O-2 stopped 3 bytes short
    (tmp_path / "o.journal").write_bytes(data[: end - 3] + bytes(len(data) - end + 3))
    records = OwnershipJournal.read(tmp_path / "o.journal")
    assert [r.client_order_id for r in records] == ["O-1"]


def test_start_when_journal_record_corrupt_then_fails_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "node.sqlite"

    async def scenario() -> None:
        env = _node(path)
        journal = tmp_path / f"ownership-{env.node.trader_id}.journal"
        journal.write_bytes(b"\x02\x00\x00\x00\xc1\xc1")
        with pytest.raises(NodeError, match="journal:ownership-"):
            await env.node.start()

    run_virtual(scenario())


def test_submit_when_write_ahead_off_then_client_sees_it_before_commit(tmp_path: Path) -> None:
    path = tmp_path / "node.sqlite"
    seen: list[int] = []

    async def scenario() -> None:
        env = make_node(
            database=_db(path, write_ahead_ownership=False),
            data_dir=str(tmp_path),
            exec_engine=LiveExecEngineConfig(reconciliation=False),
        )
        strategy = trader(submit_on_quote=1)
        env.node.add_strategy(strategy)
        env.execution.on_receive = lambda _: seen.append(env.node.persistence.queue_depth)  # type: ignore[union-attr]
        await env.node.start()
        env.data.push(quote(ts=1))
        await wait_until(lambda: bool(env.execution.received))
        await env.node.stop()

    run_virtual(scenario())
    assert seen
    assert seen[0] > 0


def test_save_state_then_restart_with_load_state_then_strategy_gets_its_state(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.sqlite"
    loaded: list[dict[str, bytes]] = []

    class Saver(QuoteTrader):
        def on_save(self) -> dict[str, bytes]:
            return {"k": b"v1"}

        def on_load(self, state: dict[str, bytes]) -> None:
            loaded.append(state)

    def saver() -> Saver:
        return Saver(QuoteTraderConfig(order_id_tag="001", submit_on_quote=None))

    async def scenario() -> None:
        env = _node(path, save_state=True)
        env.node.add_strategy(saver())
        await env.node.start()
        await env.node.stop()
        env = _node(path, load_state=True)
        env.node.add_strategy(saver())
        await env.node.start()
        await env.node.stop()

    run_virtual(scenario())
    assert loaded == [{"k": b"v1"}]


def test_start_when_stored_order_corrupt_then_fails_naming_the_record(tmp_path: Path) -> None:
    path = tmp_path / "node.sqlite"

    async def scenario() -> None:
        coid, _ = await _trade_once(path)
        conn = sqlite3.connect(path)
        conn.execute(
            "UPDATE order_events SET data = x'c1' WHERE id = (SELECT min(id) FROM order_events)"
        )
        conn.commit()
        conn.close()
        env = _node(path)
        with pytest.raises(NodeError, match=f"orders:{coid}"):
            await env.node.start()

    run_virtual(scenario())


def test_stats_when_running_then_queue_depth_and_lag_observable(tmp_path: Path) -> None:
    path = tmp_path / "node.sqlite"
    stats: list[dict[str, object]] = []

    async def scenario() -> None:
        env = _node(path)
        env.node.add_strategy(trader(submit_on_quote=1))
        await env.node.start()
        env.data.push(quote(ts=1))
        await wait_until(lambda: bool(env.execution.commands))
        writer = env.node.persistence
        assert writer is not None
        await wait_until(lambda: writer.queue_depth == 0)
        stats.append(env.node.persistence_stats() or {})
        await env.node.stop()

    run_virtual(scenario())
    s = stats[0]
    assert s["queue_depth"] == 0
    assert s["write_lag_ms"] == 0.0
    assert isinstance(s["ops_written"], int)
    assert s["ops_written"] > 0
    assert isinstance(s["batches"], int)
    assert s["batches"] > 0
    assert s["backend"]
    assert "sqlite" in str(s["backend"]).lower()


class Flaky:
    """The real SQLite database; while `down` its writes fail like an unreachable server."""

    def __init__(self, path: Path) -> None:
        self.inner = SqliteCacheDatabase(path)
        self.down = False

    @property
    def name(self) -> str:
        return self.inner.name

    async def migrate(self) -> None:
        await self.inner.migrate()

    async def write(self, ops: Sequence[DbOp]) -> None:
        if self.down:
            raise CacheDatabaseError("connection refused (test)")
        await self.inner.write(ops)

    async def load(self, *, strict: bool = True) -> LoadedState:
        return await self.inner.load(strict=strict)

    async def clear(self) -> None:
        await self.inner.clear()

    async def flush(self) -> None:
        await self.inner.flush()

    async def close(self) -> None:
        await self.inner.close()


def test_database_down_when_backlog_past_bound_then_reducing_until_drained(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.sqlite"
    states: list[TradingState] = []
    errors: list[str] = []

    async def scenario() -> None:
        env = make_node(
            database=_db(path, max_backlog=5, retry_delay_initial=0.05, retry_delay_max=0.1),
            data_dir=str(tmp_path),
            exec_engine=LiveExecEngineConfig(reconciliation=False),
            timeout_shutdown=2.0,
        )
        db = Flaky(path)
        env.node.set_cache_database(db)
        await env.node.start()
        writer = env.node.persistence
        assert writer is not None
        await wait_until(lambda: writer.queue_depth == 0)
        risk = env.node.kernel.risk_engine
        db.down = True
        cache = env.node.kernel.cache
        for i in range(4):
            cache.add(f"k{i}", b"v")
        await asyncio.sleep(0.2)  # failing and retrying, still under the bound
        states.append(risk.trading_state)
        for i in range(4, 10):
            cache.add(f"k{i}", b"v")
        await wait_until(lambda: risk.trading_state is TradingState.REDUCING)
        states.append(risk.trading_state)
        errors.extend(env.messages(ERROR))
        db.down = False
        await wait_until(lambda: risk.trading_state is TradingState.ACTIVE)
        states.append(risk.trading_state)
        await env.node.stop()

    run_virtual(scenario())
    assert states == [TradingState.ACTIVE, TradingState.REDUCING, TradingState.ACTIVE]
    assert any("write of 4 ops failed" in m for m in errors)
    assert any("exceeds the bound of 5" in m for m in errors)
    stored = asyncio.run(_load(path))
    assert sorted(stored.general) == [f"k{i}" for i in range(10)]


async def _load(path: Path) -> LoadedState:
    db = SqliteCacheDatabase(path)
    try:
        return await db.load()
    finally:
        await db.close()


def test_builder_with_database_then_node_persists_in_its_data_dir(tmp_path: Path) -> None:
    stats: list[dict[str, object] | None] = []

    async def scenario() -> None:
        node = (
            LiveNode.builder("TESTER-001", Environment.SANDBOX)
            .with_data_dir(str(tmp_path))
            .with_database(DatabaseConfig(type="sqlite"))
            .with_delay_post_stop(0.1)
            .with_time_source(VirtualTimeSource(TS))
            .build()
        )
        await node.start()
        node.kernel.cache.add("k", b"v")
        stats.append(node.persistence_stats())
        await node.stop()

    run_virtual(scenario())
    assert stats[0] is not None
    assert (tmp_path / "argonaut.sqlite").exists()
    assert asyncio.run(_load(tmp_path / "argonaut.sqlite")).general == {"k": b"v"}
