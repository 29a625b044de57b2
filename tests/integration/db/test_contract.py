"""The `CacheDatabase` contract, run against every backend (SQLite, PostgreSQL, Redis)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from db_env import BACKENDS, REDIS_HOST, REDIS_PORT, Backend, make_backend, run

from argonaut.cache.db import (
    AddOrderEvent,
    AddPositionFill,
    AddPositionSnapshot,
    CacheDatabase,
    CacheDatabaseConfig,
    CacheDatabaseError,
    DbOp,
    DeleteAccount,
    DeleteActorState,
    DeleteInstrument,
    DeleteKeyValue,
    DeleteOrder,
    DeletePosition,
    IndexOrderClient,
    IndexOrderPosition,
    IndexVenueOrderId,
    LoadedState,
    MarkOrderClosed,
    MarkPositionClosed,
    PurgeAccountEvents,
    PutAccountState,
    PutActorState,
    PutCurrency,
    PutInstrument,
    PutKeyValue,
    PutPosition,
    open_cache_database,
    rebuild_account,
    rebuild_order,
    rebuild_position,
)
from argonaut.common.errors import ConfigError
from argonaut.model.enums import OmsType, OrderSide, OrderStatus
from argonaut.model.events.order import OrderEvent
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    PositionId,
    StrategyId,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.values import Currency
from argonaut.testkit import (
    accepted,
    account_state,
    btcusdt_perp,
    ethusdt_perp,
    filled,
    limit_order,
    submitted,
)
from argonaut.testkit.positions import open_position, position_fill


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    b = make_backend(request.param, tmp_path, request.node.nodeid)
    yield b
    b.teardown()


def order_events(coid: str, *, fill: bool = True, venue_order_id: str = "V-1") -> list[OrderEvent]:
    """Return the events of an order's life (initialized, submitted, accepted, filled)."""
    order = limit_order(client_order_id=coid)
    events: list[OrderEvent] = [order.init_event]
    builders = [submitted, lambda o: accepted(o, venue_order_id=venue_order_id)]
    if fill:
        builders.append(lambda o: filled(o, position_id="P-1"))
    for build in builders:
        event = build(order)
        order.apply(event)
        events.append(event)
    return events


def add_events(coid: str, events: list[OrderEvent]) -> list[DbOp]:
    return [
        AddOrderEvent(client_order_id=ClientOrderId(coid), strategy_id=e.strategy_id, event=e)
        for e in events
    ]


async def roundtrip(db: CacheDatabase, ops: list[DbOp]) -> LoadedState:
    await db.write(ops)
    return await db.load()


# -- round trips ---------------------------------------------------------------------


def test_load_when_nothing_written_then_state_empty(backend: Backend) -> None:
    async def body() -> LoadedState:
        db = backend.open()
        try:
            await db.migrate()
            return await db.load()
        finally:
            await db.close()

    assert run(body()) == LoadedState()


def test_write_when_every_op_type_then_load_returns_it(backend: Backend) -> None:
    inst = btcusdt_perp()
    usd = Currency("USDX", 2)
    states = [account_state(ts=1), account_state(ts=2)]
    events = order_events("O-1")
    position, opening = open_position(inst)
    closing = position_fill(inst, client_order_id="O-2", side=OrderSide.SELL)
    position.apply(closing)
    snapshot = position.to_snapshot()
    ops: list[DbOp] = [
        PutCurrency(currency=usd),
        PutInstrument(instrument=inst),
        *[PutAccountState(state=s) for s in states],
        *add_events("O-1", events),
        IndexVenueOrderId(client_order_id=ClientOrderId("O-1"), venue_order_id=VenueOrderId("V-1")),
        IndexOrderPosition(client_order_id=ClientOrderId("O-1"), position_id=PositionId("P-1")),
        IndexOrderClient(client_order_id=ClientOrderId("O-1"), client_id=ClientId("SIM")),
        MarkOrderClosed(client_order_id=ClientOrderId("O-1")),
        PutPosition(position_id=PositionId("P-1"), oms_type=OmsType.NETTING, fills=(opening,)),
        AddPositionFill(position_id=PositionId("P-1"), fill=closing),
        AddPositionSnapshot(position_id=PositionId("P-1"), snapshot=snapshot),
        MarkPositionClosed(position_id=PositionId("P-1")),
        PutActorState(component_id="Strategy-1", state={"a": b"\x00\x01", "b": b""}),
        PutActorState(component_id="Actor-empty", state={}),
        PutKeyValue(key="general:x", value=b"\xffpayload"),
    ]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    assert loaded.currencies == {"USDX": usd}
    assert loaded.instruments == {inst.id: inst}
    assert loaded.accounts == {states[0].account_id: states}
    assert loaded.orders == {ClientOrderId("O-1"): events}
    assert loaded.index_order_strategy == {ClientOrderId("O-1"): events[0].strategy_id}
    assert loaded.index_venue_order_ids == {ClientOrderId("O-1"): VenueOrderId("V-1")}
    assert loaded.index_order_position == {ClientOrderId("O-1"): PositionId("P-1")}
    assert loaded.index_order_client == {ClientOrderId("O-1"): ClientId("SIM")}
    record = loaded.positions[PositionId("P-1")]
    assert record.oms_type is OmsType.NETTING
    assert record.fills == (opening, closing)
    assert record.snapshots == (snapshot,)
    assert loaded.actor_states == {
        "Actor-empty": {},
        "Strategy-1": {"a": b"\x00\x01", "b": b""},
    }
    assert loaded.general == {"general:x": b"\xffpayload"}
    assert loaded.corrupt == []


def test_load_when_histories_replayed_then_objects_rebuilt(backend: Backend) -> None:
    inst = btcusdt_perp()
    states = [account_state(ts=1), account_state(ts=2)]
    events = order_events("O-1")
    _, opening = open_position(inst)
    ops: list[DbOp] = [
        *[PutAccountState(state=s) for s in states],
        *add_events("O-1", events),
        PutPosition(position_id=PositionId("P-1"), oms_type=OmsType.HEDGING, fills=(opening,)),
    ]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    order = rebuild_order(ClientOrderId("O-1"), loaded.orders[ClientOrderId("O-1")])
    account = rebuild_account(states[0].account_id, loaded.accounts[states[0].account_id])
    position = rebuild_position(loaded.positions[PositionId("P-1")], inst)
    assert isinstance(order, Order)
    assert order.status is OrderStatus.FILLED
    assert order.events == events
    assert account.events == states
    assert position.is_open
    assert position.quantity == opening.last_qty


def test_load_when_many_orders_then_each_keeps_its_event_order(backend: Backend) -> None:
    lives = {f"O-{i}": order_events(f"O-{i}", venue_order_id=f"V-{i}") for i in range(20)}
    ops: list[DbOp] = []
    for step in range(4):  # interleave: every order's event `step`, then the next step
        for coid, events in lives.items():
            ops.extend(add_events(coid, events[step : step + 1]))
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    assert {str(k): v for k, v in loaded.orders.items()} == lives


def test_load_when_reopened_then_state_survives(backend: Backend) -> None:
    events = order_events("O-1")

    async def body() -> LoadedState:
        db = backend.open()
        await db.write(add_events("O-1", events))
        await db.write([PutKeyValue(key="k", value=b"v")])
        await db.flush()
        await db.close()
        db = backend.open()
        try:
            return await db.load()
        finally:
            await db.close()

    loaded = run(body())
    assert loaded.orders == {ClientOrderId("O-1"): events}
    assert loaded.general == {"k": b"v"}


def test_put_when_repeated_then_last_value_wins(backend: Backend) -> None:
    inst = btcusdt_perp()
    newer = btcusdt_perp(ts_init=99)
    position, opening = open_position(inst)
    second = position_fill(inst, client_order_id="O-2")
    coid = ClientOrderId("O-1")
    ops: list[DbOp] = [
        PutInstrument(instrument=inst),
        PutInstrument(instrument=newer),
        PutKeyValue(key="k", value=b"1"),
        PutKeyValue(key="k", value=b"2"),
        PutActorState(component_id="S", state={"x": b"1", "y": b"1"}),
        PutActorState(component_id="S", state={"x": b"2"}),
        IndexVenueOrderId(client_order_id=coid, venue_order_id=VenueOrderId("V-1")),
        IndexVenueOrderId(client_order_id=coid, venue_order_id=VenueOrderId("V-2")),
        PutPosition(position_id=position.id, oms_type=OmsType.NETTING, fills=(opening,)),
        PutPosition(position_id=position.id, oms_type=OmsType.HEDGING, fills=(second,)),
    ]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    assert loaded.instruments == {inst.id: newer}
    assert loaded.general == {"k": b"2"}
    assert loaded.actor_states == {"S": {"x": b"2"}}
    assert loaded.index_venue_order_ids == {coid: VenueOrderId("V-2")}
    assert loaded.positions[position.id].fills == (second,)
    assert loaded.positions[position.id].oms_type is OmsType.HEDGING


# -- delete and purge ----------------------------------------------------------------


def _two_orders_two_positions() -> list[DbOp]:
    inst = btcusdt_perp()
    eth = ethusdt_perp()
    _, fill_1 = open_position(inst, position_id="P-1")
    _, fill_2 = open_position(eth, position_id="P-2")
    ops: list[DbOp] = []
    for coid, pid in (("O-1", "P-1"), ("O-2", "P-2")):
        ops.extend(add_events(coid, order_events(coid, fill=False, venue_order_id=f"V{coid}")))
        ops.append(
            IndexVenueOrderId(
                client_order_id=ClientOrderId(coid), venue_order_id=VenueOrderId(f"V{coid}")
            )
        )
        ops.append(
            IndexOrderPosition(client_order_id=ClientOrderId(coid), position_id=PositionId(pid))
        )
        ops.append(IndexOrderClient(client_order_id=ClientOrderId(coid), client_id=ClientId("SIM")))
    ops.append(
        PutPosition(position_id=PositionId("P-1"), oms_type=OmsType.NETTING, fills=(fill_1,))
    )
    ops.append(
        PutPosition(position_id=PositionId("P-2"), oms_type=OmsType.NETTING, fills=(fill_2,))
    )
    return ops


def test_delete_order_when_written_then_only_that_order_and_its_index_entries_go(
    backend: Backend,
) -> None:
    ops = [*_two_orders_two_positions(), DeleteOrder(client_order_id=ClientOrderId("O-1"))]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    o1, o2 = ClientOrderId("O-1"), ClientOrderId("O-2")
    assert list(loaded.orders) == [o2]
    assert list(loaded.index_order_strategy) == [o2]
    assert list(loaded.index_venue_order_ids) == [o2]
    assert loaded.index_order_position == {o2: PositionId("P-2")}
    assert list(loaded.index_order_client) == [o2]
    assert o1 not in loaded.index_order_client
    assert set(loaded.positions) == {PositionId("P-1"), PositionId("P-2")}


def test_delete_position_when_written_then_its_fills_snapshots_and_links_go(
    backend: Backend,
) -> None:
    position, _ = open_position(btcusdt_perp(), position_id="P-1")
    ops = [
        *_two_orders_two_positions(),
        AddPositionSnapshot(position_id=PositionId("P-1"), snapshot=position.to_snapshot()),
        DeletePosition(position_id=PositionId("P-1")),
    ]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    assert list(loaded.positions) == [PositionId("P-2")]
    assert loaded.index_order_position == {ClientOrderId("O-2"): PositionId("P-2")}
    assert set(loaded.orders) == {ClientOrderId("O-1"), ClientOrderId("O-2")}
    assert ClientOrderId("O-1") in loaded.index_venue_order_ids


def test_delete_ops_when_written_then_exactly_those_records_go(backend: Backend) -> None:
    inst, eth = btcusdt_perp(), ethusdt_perp()
    keep, drop = account_state(account_id="SIM-001"), account_state(account_id="SIM-002")
    ops: list[DbOp] = [
        PutInstrument(instrument=inst),
        PutInstrument(instrument=eth),
        PutAccountState(state=keep),
        PutAccountState(state=drop),
        PutActorState(component_id="A", state={"x": b"1"}),
        PutActorState(component_id="B", state={"x": b"2"}),
        PutKeyValue(key="a", value=b"1"),
        PutKeyValue(key="b", value=b"2"),
        DeleteInstrument(instrument_id=eth.id),
        DeleteAccount(account_id=AccountId("SIM-002")),
        DeleteActorState(component_id="B"),
        DeleteKeyValue(key="b"),
        DeleteKeyValue(key="never-written"),
        DeleteOrder(client_order_id=ClientOrderId("never-written")),
    ]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    assert list(loaded.instruments) == [inst.id]
    assert loaded.accounts == {keep.account_id: [keep]}
    assert loaded.actor_states == {"A": {"x": b"1"}}
    assert loaded.general == {"a": b"1"}


def test_purge_account_events_when_old_then_dropped_but_latest_kept(backend: Backend) -> None:
    a = [account_state(account_id="SIM-001", ts=t) for t in (10, 20, 30, 40)]
    b = [account_state(account_id="SIM-002", ts=t) for t in (5, 6)]
    ops: list[DbOp] = [
        *[PutAccountState(state=s) for s in (a[0], b[0], a[1], b[1], a[2], a[3])],
        PurgeAccountEvents(cutoff_ns=30),
    ]
    loaded = run(_with(backend, lambda db: roundtrip(db, ops)))

    assert loaded.accounts == {a[0].account_id: [a[3]], b[0].account_id: [b[1]]}


def test_clear_when_called_then_everything_gone_and_database_usable(backend: Backend) -> None:
    async def body(db: CacheDatabase) -> LoadedState:
        await db.write(_two_orders_two_positions())
        await db.write([PutKeyValue(key="k", value=b"v")])
        await db.clear()
        await db.write([PutKeyValue(key="after", value=b"1")])
        return await db.load()

    loaded = run(_with(backend, body))
    assert loaded == LoadedState(general={"after": b"1"})


# -- lifecycle and ordering ----------------------------------------------------------


def test_flush_and_close_when_repeated_then_idempotent(backend: Backend) -> None:
    async def body() -> None:
        db = backend.open()
        await db.migrate()
        await db.migrate()
        await db.write([])
        await db.flush()
        await db.flush()
        await db.close()
        await db.close()
        with pytest.raises(CacheDatabaseError, match="closed"):
            await db.write([PutKeyValue(key="k", value=b"v")])

    run(body())


def test_write_when_batches_concurrent_then_applied_in_call_order(backend: Backend) -> None:
    coid = ClientOrderId("O-1")
    init = order_events("O-1")[0]
    # 60 concurrent single-op batches and overwrites: the last call must win, in order.
    updates = [AddOrderEvent(client_order_id=coid, strategy_id=StrategyId("S-001"), event=init)] + [
        PutKeyValue(key="k", value=str(i).encode()) for i in range(60)
    ]

    async def body(db: CacheDatabase) -> LoadedState:
        await db.migrate()
        await asyncio.gather(*(db.write([op]) for op in updates))
        seqs = [
            [PutKeyValue(key=f"seq:{i}", value=b"x"), DeleteKeyValue(key=f"seq:{i - 1}")]
            for i in range(1, 30)
        ]
        await asyncio.gather(*(db.write(ops) for ops in seqs))
        return await db.load()

    loaded = run(_with(backend, body))
    assert loaded.general == {"k": b"59", "seq:29": b"x"}


def test_migrate_when_repeated_then_schema_version_recorded_once(backend: Backend) -> None:
    if backend.kind == "redis":
        pytest.skip("Redis has no schema to migrate")

    async def body() -> list[int]:
        db = backend.open()
        await db.migrate()
        await db.close()
        db = backend.open()
        try:
            await db.migrate()
            return await db.migration_versions()  # type: ignore[attr-defined, no-any-return]
        finally:
            await db.close()

    assert run(body()) == [1]


def test_redis_when_closed_ttl_set_then_closed_items_expire(tmp_path: Path) -> None:
    backend = make_backend("redis", tmp_path, "ttl")
    events = order_events("O-1")
    _, fill = open_position(btcusdt_perp())

    async def body() -> tuple[int, int, LoadedState]:
        db = backend.open(closed_ttl_secs=1000)
        client = aioredis.Redis(host=REDIS_HOST, port=REDIS_PORT)
        try:
            await db.write(
                [
                    *add_events("O-1", events),
                    *add_events("O-2", order_events("O-2")),
                    PutPosition(
                        position_id=PositionId("P-1"), oms_type=OmsType.NETTING, fills=(fill,)
                    ),
                    MarkOrderClosed(client_order_id=ClientOrderId("O-1")),
                    MarkPositionClosed(position_id=PositionId("P-1")),
                ]
            )
            ttl_order = await client.ttl(f"{backend.prefix}:orders:O-1")
            ttl_open = await client.ttl(f"{backend.prefix}:orders:O-2")
            # Simulate the expiry having happened.
            await client.delete(f"{backend.prefix}:orders:O-1", f"{backend.prefix}:positions:P-1")
            return ttl_order, ttl_open, await db.load()
        finally:
            await client.aclose()
            await db.close()

    try:
        ttl_order, ttl_open, loaded = run(body())
    finally:
        backend.teardown()
    assert 0 < ttl_order <= 1000
    assert ttl_open == -1
    assert list(loaded.orders) == [ClientOrderId("O-2")]
    assert ClientOrderId("O-1") not in loaded.index_order_strategy
    assert loaded.positions == {}
    assert loaded.corrupt == []


async def _with(backend: Backend, body):  # type: ignore[no-untyped-def]
    db = backend.open()
    try:
        return await body(db)
    finally:
        await db.close()


def test_open_cache_database_when_password_env_then_password_never_shown(tmp_path: Path) -> None:
    config = CacheDatabaseConfig(backend="redis", password_env="ARGONAUT_TEST_SECRET")
    db = open_cache_database(
        config, data_dir=tmp_path, environ={"ARGONAUT_TEST_SECRET": "hunter2-secret"}
    )

    assert "hunter2" not in repr(config)
    assert "hunter2" not in db.name
    run(db.close())


def test_open_cache_database_when_sqlite_default_then_file_in_data_dir(tmp_path: Path) -> None:
    db = open_cache_database(CacheDatabaseConfig(), data_dir=tmp_path, environ={})

    run(_with_body(db))
    assert (tmp_path / "cache.sqlite3").exists()


async def _with_body(db: CacheDatabase) -> None:
    try:
        await db.write([PutKeyValue(key="k", value=b"v")])
    finally:
        await db.close()


def test_config_when_password_variable_missing_then_config_error() -> None:
    config = CacheDatabaseConfig(backend="postgres", password_env="ARGONAUT_NOT_SET")

    with pytest.raises(ConfigError, match="ARGONAUT_NOT_SET is not set"):
        config.password({})
