"""The SQL schema, its versioned migrations, and ops compiled to statements.

Shared by the SQLite and PostgreSQL backends; no driver is imported here. Statements
are written with ``?`` placeholders and ``{s}`` for the schema qualifier; a `Dialect`
renders them (``$1``... for PostgreSQL). Ops compile to *steps* ``(sql, rows)``, each
run with ``executemany``; consecutive steps with the same statement merge, and a run of
`AddOrderEvent` ops becomes two steps (events, then the order-to-strategy index) so a
burst of order events costs two round trips, not two per event.

Tables (version 1): ``currencies``, ``instruments``, ``account_events`` (append-only,
``id`` orders them), ``order_events`` (append-only), ``order_index`` (one row per order:
strategy, venue order id, position, client), ``positions`` (OMS type),
``position_fills``, ``position_snapshots``, ``actor_states``, ``general``, and
``argonaut_migrations(version, applied_at)`` recording the applied migrations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec

from argonaut.cache.db.protocol import (
    AddOrderEvent,
    AddPositionFill,
    AddPositionSnapshot,
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
    MarkOrderClosed,
    MarkPositionClosed,
    PurgeAccountEvents,
    PutAccountState,
    PutActorState,
    PutCurrency,
    PutInstrument,
    PutKeyValue,
    PutPosition,
)
from argonaut.cache.db.records import RawState, RecordCodec

Step = tuple[str, list[tuple[Any, ...]]]


class Dialect(msgspec.Struct, frozen=True, kw_only=True):
    """How one SQL engine spells types, placeholders and the schema qualifier."""

    schema: str  # "" for none, else a validated identifier
    blob: str
    serial: str
    bigint: str
    timestamp: str  # a column type defaulting to the database's current time
    numbered: bool  # $1, $2 ... instead of ?

    def render(self, sql: str) -> str:
        """Render a statement written with ``?`` and ``{s}`` for this engine."""
        text = sql.replace("{s}", f'"{self.schema}".' if self.schema else "")
        text = text.replace("{blob}", self.blob).replace("{serial}", self.serial)
        text = text.replace("{bigint}", self.bigint).replace("{timestamp}", self.timestamp)
        if self.numbered:
            counter = iter(range(1, 1000))
            text = re.sub(r"\?", lambda _: f"${next(counter)}", text)
        return text


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def check_identifier(value: str, what: str) -> str:
    """Return `value` if it is a plain SQL identifier, else raise ValueError."""
    if not _IDENTIFIER.match(value):
        raise ValueError(
            f"{what} {value!r} is not a plain SQL identifier: use letters, digits and "
            "underscores, starting with a letter or underscore (at most 63 characters)"
        )
    return value


SQLITE = Dialect(
    schema="",
    blob="BLOB",
    serial="INTEGER PRIMARY KEY AUTOINCREMENT",
    bigint="INTEGER",
    timestamp="TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP",
    numbered=False,
)


def postgres_dialect(schema: str) -> Dialect:
    """Return the PostgreSQL dialect for `schema`."""
    return Dialect(
        schema=check_identifier(schema, "schema"),
        blob="BYTEA",
        serial="BIGSERIAL PRIMARY KEY",
        bigint="BIGINT",
        timestamp="TIMESTAMPTZ NOT NULL DEFAULT now()",
        numbered=True,
    )


MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS {s}argonaut_migrations "
    "(version INTEGER PRIMARY KEY, applied_at {timestamp})"
)

# version -> statements. Never edit an applied version: append a new one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            "CREATE TABLE {s}currencies (code TEXT PRIMARY KEY, data {blob} NOT NULL)",
            "CREATE TABLE {s}instruments (instrument_id TEXT PRIMARY KEY, data {blob} NOT NULL)",
            (
                "CREATE TABLE {s}account_events (id {serial}, account_id TEXT NOT NULL, "
                "ts_event {bigint} NOT NULL, data {blob} NOT NULL)"
            ),
            "CREATE INDEX account_events_by_account ON {s}account_events (account_id)",
            (
                "CREATE TABLE {s}order_events (id {serial}, client_order_id TEXT NOT NULL, "
                "data {blob} NOT NULL)"
            ),
            "CREATE INDEX order_events_by_order ON {s}order_events (client_order_id)",
            (
                "CREATE TABLE {s}order_index (client_order_id TEXT PRIMARY KEY, strategy_id TEXT, "
                "venue_order_id TEXT, position_id TEXT, client_id TEXT)"
            ),
            "CREATE INDEX order_index_by_position ON {s}order_index (position_id)",
            "CREATE TABLE {s}positions (position_id TEXT PRIMARY KEY, oms_type TEXT NOT NULL)",
            (
                "CREATE TABLE {s}position_fills (id {serial}, position_id TEXT NOT NULL, "
                "data {blob} NOT NULL)"
            ),
            "CREATE INDEX position_fills_by_position ON {s}position_fills (position_id)",
            (
                "CREATE TABLE {s}position_snapshots (id {serial}, position_id TEXT NOT NULL, "
                "data {blob} NOT NULL)"
            ),
            "CREATE TABLE {s}actor_states (component_id TEXT PRIMARY KEY, data {blob} NOT NULL)",
            "CREATE TABLE {s}general (key TEXT PRIMARY KEY, value {blob} NOT NULL)",
        ),
    ),
)

TABLES = (
    "currencies",
    "instruments",
    "account_events",
    "order_events",
    "order_index",
    "positions",
    "position_fills",
    "position_snapshots",
    "actor_states",
    "general",
)

LOAD_QUERIES: dict[str, str] = {
    "currencies": "SELECT code, data FROM {s}currencies ORDER BY code",
    "instruments": "SELECT instrument_id, data FROM {s}instruments ORDER BY instrument_id",
    "account_events": "SELECT account_id, data FROM {s}account_events ORDER BY id",
    "order_events": "SELECT client_order_id, data FROM {s}order_events ORDER BY id",
    "order_index": "SELECT client_order_id, strategy_id, venue_order_id, position_id, "
    "client_id FROM {s}order_index ORDER BY client_order_id",
    "positions": "SELECT position_id, oms_type FROM {s}positions ORDER BY position_id",
    "position_fills": "SELECT position_id, data FROM {s}position_fills ORDER BY id",
    "position_snapshots": "SELECT position_id, data FROM {s}position_snapshots ORDER BY id",
    "actor_states": "SELECT component_id, data FROM {s}actor_states ORDER BY component_id",
    "general": "SELECT key, value FROM {s}general ORDER BY key",
}


def raw_state(rows: dict[str, list[tuple[Any, ...]]]) -> RawState:
    """Build a `RawState` from the rows of every `LOAD_QUERIES` query."""
    raw = RawState()
    for name in LOAD_QUERIES:
        target = getattr(raw, name)
        for row in rows.get(name, []):
            target.append(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
    return raw


def _upsert(table: str, key: str, column: str) -> str:
    return (
        f"INSERT INTO {{s}}{table} ({key}, {column}) VALUES (?, ?) "
        f"ON CONFLICT ({key}) DO UPDATE SET {column} = excluded.{column}"
    )


_PUT_CURRENCY = _upsert("currencies", "code", "data")
_PUT_INSTRUMENT = _upsert("instruments", "instrument_id", "data")
_DEL_INSTRUMENT = "DELETE FROM {s}instruments WHERE instrument_id = ?"
_ADD_ACCOUNT = "INSERT INTO {s}account_events (account_id, ts_event, data) VALUES (?, ?, ?)"
_DEL_ACCOUNT = "DELETE FROM {s}account_events WHERE account_id = ?"
_PURGE_ACCOUNTS = (
    "DELETE FROM {s}account_events WHERE ts_event <= ? AND id NOT IN "
    "(SELECT MAX(id) FROM {s}account_events GROUP BY account_id)"
)
_ADD_ORDER_EVENT = "INSERT INTO {s}order_events (client_order_id, data) VALUES (?, ?)"
_INDEX_STRATEGY = _upsert("order_index", "client_order_id", "strategy_id")
_INDEX_VENUE = _upsert("order_index", "client_order_id", "venue_order_id")
_INDEX_POSITION = _upsert("order_index", "client_order_id", "position_id")
_INDEX_CLIENT = _upsert("order_index", "client_order_id", "client_id")
_DEL_ORDER_EVENTS = "DELETE FROM {s}order_events WHERE client_order_id = ?"
_DEL_ORDER_INDEX = "DELETE FROM {s}order_index WHERE client_order_id = ?"
_PUT_POSITION = _upsert("positions", "position_id", "oms_type")
_DEL_FILLS = "DELETE FROM {s}position_fills WHERE position_id = ?"
_ADD_FILL = "INSERT INTO {s}position_fills (position_id, data) VALUES (?, ?)"
_ADD_SNAPSHOT = "INSERT INTO {s}position_snapshots (position_id, data) VALUES (?, ?)"
_DEL_POSITION = "DELETE FROM {s}positions WHERE position_id = ?"
_DEL_SNAPSHOTS = "DELETE FROM {s}position_snapshots WHERE position_id = ?"
_UNLINK_POSITION = "UPDATE {s}order_index SET position_id = NULL WHERE position_id = ?"
_PUT_STATE = _upsert("actor_states", "component_id", "data")
_DEL_STATE = "DELETE FROM {s}actor_states WHERE component_id = ?"
_PUT_KV = _upsert("general", "key", "value")
_DEL_KV = "DELETE FROM {s}general WHERE key = ?"


class _Steps:
    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, sql: str, *args: Any) -> None:
        steps = self.steps
        if steps and steps[-1][0] == sql:
            steps[-1][1].append(args)
        else:
            steps.append((sql, [args]))


def compile_ops(ops: Sequence[DbOp], codec: RecordCodec, dialect: Dialect) -> list[Step]:
    """Compile `ops` into statements for `dialect`, preserving their effect order."""
    out = _Steps()
    run: list[AddOrderEvent] = []

    def end_run() -> None:
        if not run:
            return
        for op in run:
            out.add(_ADD_ORDER_EVENT, str(op.client_order_id), codec.encode(op.event))
        seen: dict[str, str] = {}
        for op in run:
            seen.setdefault(str(op.client_order_id), str(op.strategy_id))
        for coid, strategy in seen.items():
            out.add(_INDEX_STRATEGY, coid, strategy)
        run.clear()

    for op in ops:
        if type(op) is AddOrderEvent:
            run.append(op)
            continue
        end_run()
        _compile_one(op, codec, out)
    end_run()
    return [(dialect.render(sql), rows) for sql, rows in out.steps]


def _compile_one(op: DbOp, codec: RecordCodec, out: _Steps) -> None:
    match op:
        case PutCurrency(currency=c):
            out.add(_PUT_CURRENCY, c.code, codec.encode_currency(c))
        case PutInstrument(instrument=i):
            out.add(_PUT_INSTRUMENT, str(i.id), codec.encode(i))
        case DeleteInstrument(instrument_id=iid):
            out.add(_DEL_INSTRUMENT, str(iid))
        case PutAccountState(state=st):
            out.add(_ADD_ACCOUNT, str(st.account_id), st.ts_event, codec.encode(st))
        case DeleteAccount(account_id=aid):
            out.add(_DEL_ACCOUNT, str(aid))
        case PurgeAccountEvents(cutoff_ns=cutoff):
            out.add(_PURGE_ACCOUNTS, cutoff)
        case IndexVenueOrderId(client_order_id=coid, venue_order_id=v):
            out.add(_INDEX_VENUE, str(coid), str(v))
        case IndexOrderPosition(client_order_id=coid, position_id=p):
            out.add(_INDEX_POSITION, str(coid), str(p))
        case IndexOrderClient(client_order_id=coid, client_id=c):
            out.add(_INDEX_CLIENT, str(coid), str(c))
        case MarkOrderClosed() | MarkPositionClosed():
            pass  # the SQL stores keep closed items until they are deleted
        case DeleteOrder(client_order_id=coid):
            out.add(_DEL_ORDER_EVENTS, str(coid))
            out.add(_DEL_ORDER_INDEX, str(coid))
        case PutPosition(position_id=pid, oms_type=oms, fills=fills):
            out.add(_PUT_POSITION, str(pid), oms.value)
            out.add(_DEL_FILLS, str(pid))
            for fill in fills:
                out.add(_ADD_FILL, str(pid), codec.encode(fill))
        case AddPositionFill(position_id=pid, fill=fill):
            out.add(_ADD_FILL, str(pid), codec.encode(fill))
        case AddPositionSnapshot(position_id=pid, snapshot=snap):
            out.add(_ADD_SNAPSHOT, str(pid), codec.encode(snap))
        case DeletePosition(position_id=pid):
            out.add(_DEL_POSITION, str(pid))
            out.add(_DEL_FILLS, str(pid))
            out.add(_DEL_SNAPSHOTS, str(pid))
            out.add(_UNLINK_POSITION, str(pid))
        case PutActorState(component_id=cid, state=state):
            out.add(_PUT_STATE, cid, codec.encode_state(state))
        case DeleteActorState(component_id=cid):
            out.add(_DEL_STATE, cid)
        case PutKeyValue(key=k, value=v):
            out.add(_PUT_KV, k, v)
        case DeleteKeyValue(key=k):
            out.add(_DEL_KV, k)
        case _:
            raise TypeError(f"not a cache database op: {type(op).__name__}")


__all__ = [
    "LOAD_QUERIES",
    "MIGRATIONS",
    "MIGRATIONS_TABLE",
    "SQLITE",
    "TABLES",
    "Dialect",
    "Step",
    "check_identifier",
    "compile_ops",
    "postgres_dialect",
    "raw_state",
]
