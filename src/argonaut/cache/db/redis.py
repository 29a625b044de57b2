"""`RedisCacheDatabase`: the cache database in Redis (redis-py, asyncio).

Key scheme (``{p}`` is the configured prefix; values are MessagePack records):

======================================  ======  ==========================================
key                                     type    holds
======================================  ======  ==========================================
``{p}:currencies``                      hash    currency code -> Currency
``{p}:instruments``                     hash    instrument id -> instrument definition
``{p}:accounts:{account_id}``           list    account states, append-only (first = initial)
``{p}:index:accounts``                  set     account ids
``{p}:orders:{client_order_id}``        list    order events, append-only (first =
                                                OrderInitialized)
``{p}:index:orders``                    set     client order ids with events
``{p}:index:order_strategy``            hash    client order id -> strategy id
``{p}:index:order_venue``               hash    client order id -> venue order id
``{p}:index:order_position``            hash    client order id -> position id
``{p}:index:order_client``              hash    client order id -> client id
``{p}:positions:{position_id}``         list    fills of the current cycle, append-only
``{p}:snapshots:positions:{id}``        list    snapshots of closed cycles
``{p}:index:positions``                 hash    position id -> OMS type
``{p}:actors:{component_id}:state``     hash    saved state (field -> bytes)
``{p}:index:actors``                    set     component ids with a saved state
``{p}:general``                         hash    general key -> value
======================================  ======  ==========================================

Each `write` batch is one MULTI/EXEC pipeline; an op that must read first (deleting a
position unlinks the orders pointing to it, purging account states reads them) ends
the current segment and starts a new one. A lock taken in call order keeps concurrent
batches in order. With `closed_ttl_secs`, `MarkOrderClosed` / `MarkPositionClosed`
set that expiry on the item's list; a load ignores items that expired (and their
index entries).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import msgspec
import redis.asyncio as aioredis
from redis.asyncio.client import Pipeline
from redis.exceptions import RedisError

from argonaut.cache.db.errors import CacheDatabaseError
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
)
from argonaut.cache.db.records import RawState, RecordCodec, decode_state

_ORDER_HASHES = ("order_strategy", "order_venue", "order_position", "order_client")
_DRIVER_ERRORS = (RedisError, OSError, TimeoutError)


class _TsEvent(msgspec.Struct):
    ts_event: int


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _b(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


class RedisCacheDatabase:
    """A cache database in Redis, every key under one prefix."""

    def __init__(
        self,
        *,
        prefix: str = "argonaut",
        host: str = "127.0.0.1",
        port: int = 6379,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        ssl: bool = False,
        connect_timeout_secs: float = 10.0,
        closed_ttl_secs: int | None = None,
        codec: RecordCodec | None = None,
    ) -> None:
        self._p = prefix
        self._where = f"{host}:{port}/{db}"
        self._client: aioredis.Redis = aioredis.Redis(
            host=host,
            port=port,
            db=db,
            username=username,
            password=password,
            ssl=ssl,
            socket_connect_timeout=connect_timeout_secs,
            decode_responses=False,
        )
        self._ttl = closed_ttl_secs
        self._codec = RecordCodec() if codec is None else codec
        self._ts_dec = msgspec.msgpack.Decoder(_TsEvent)
        self._lock = asyncio.Lock()
        self._closed = False

    @property
    def name(self) -> str:
        """The backend's name, server and prefix (never the password)."""
        return f"redis:{self._where} prefix {self._p}"

    @property
    def prefix(self) -> str:
        """The prefix of every key."""
        return self._p

    def _check_open(self) -> None:
        if self._closed:
            raise CacheDatabaseError(f"{self.name} is closed")

    def _error(self, what: str, e: BaseException) -> CacheDatabaseError:
        return CacheDatabaseError(f"{self.name}: {what} failed: {type(e).__name__}: {e}")

    # -- the protocol ------------------------------------------------------------------

    async def migrate(self) -> None:
        """Check the server answers (Redis needs no schema)."""
        async with self._lock:
            self._check_open()
            try:
                await self._client.ping()
            except _DRIVER_ERRORS as e:
                raise self._error("connect", e) from e

    async def write(self, ops: Sequence[DbOp]) -> None:
        """Apply `ops` in MULTI/EXEC segments, after every earlier `write`."""
        if not ops:
            return
        async with self._lock:
            self._check_open()
            try:
                pipe = self._client.pipeline(transaction=True)
                indexed: set[str] = set()  # orders indexed in this batch: index them once
                for op in ops:
                    if type(op) is AddOrderEvent:
                        self._queue_order_event(op, pipe, indexed)
                    elif type(op) is DeletePosition or type(op) is PurgeAccountEvents:
                        await pipe.execute()
                        await self._read_then_queue(op, pipe)
                    else:
                        if type(op) is DeleteOrder:
                            indexed.discard(str(op.client_order_id))
                        self._queue(op, pipe)
                await pipe.execute()
            except _DRIVER_ERRORS as e:
                raise self._error("write", e) from e

    def _queue_order_event(self, op: AddOrderEvent, pipe: Pipeline, indexed: set[str]) -> None:
        p = self._p
        coid = str(op.client_order_id)
        pipe.rpush(f"{p}:orders:{coid}", self._codec.encode(op.event))
        if coid not in indexed:
            indexed.add(coid)
            pipe.sadd(f"{p}:index:orders", coid)
            pipe.hset(f"{p}:index:order_strategy", coid, str(op.strategy_id))

    def _queue(self, op: DbOp, pipe: Pipeline) -> None:
        p = self._p
        codec = self._codec
        match op:
            case AddOrderEvent():
                self._queue_order_event(op, pipe, set())
            case PutCurrency(currency=c):
                pipe.hset(f"{p}:currencies", c.code, codec.encode_currency(c))
            case PutInstrument(instrument=i):
                pipe.hset(f"{p}:instruments", str(i.id), codec.encode(i))
            case DeleteInstrument(instrument_id=iid):
                pipe.hdel(f"{p}:instruments", str(iid))
            case PutAccountState(state=st):
                pipe.rpush(f"{p}:accounts:{st.account_id}", codec.encode(st))
                pipe.sadd(f"{p}:index:accounts", str(st.account_id))
            case DeleteAccount(account_id=aid):
                pipe.delete(f"{p}:accounts:{aid}")
                pipe.srem(f"{p}:index:accounts", str(aid))
            case IndexVenueOrderId(client_order_id=coid, venue_order_id=v):
                pipe.hset(f"{p}:index:order_venue", str(coid), str(v))
            case IndexOrderPosition(client_order_id=coid, position_id=pid):
                pipe.hset(f"{p}:index:order_position", str(coid), str(pid))
            case IndexOrderClient(client_order_id=coid, client_id=c):
                pipe.hset(f"{p}:index:order_client", str(coid), str(c))
            case MarkOrderClosed(client_order_id=coid):
                if self._ttl is not None:
                    pipe.expire(f"{p}:orders:{coid}", self._ttl)
            case DeleteOrder(client_order_id=coid):
                pipe.delete(f"{p}:orders:{coid}")
                pipe.srem(f"{p}:index:orders", str(coid))
                for h in _ORDER_HASHES:
                    pipe.hdel(f"{p}:index:{h}", str(coid))
            case PutPosition(position_id=pid, oms_type=oms, fills=fills):
                key = f"{p}:positions:{pid}"
                pipe.delete(key)
                if fills:
                    pipe.rpush(key, *(codec.encode(f) for f in fills))
                pipe.hset(f"{p}:index:positions", str(pid), oms.value)
            case AddPositionFill(position_id=pid, fill=fill):
                pipe.rpush(f"{p}:positions:{pid}", codec.encode(fill))
            case AddPositionSnapshot(position_id=pid, snapshot=snap):
                pipe.rpush(f"{p}:snapshots:positions:{pid}", codec.encode(snap))
            case MarkPositionClosed(position_id=pid):
                if self._ttl is not None:
                    pipe.expire(f"{p}:positions:{pid}", self._ttl)
                    pipe.expire(f"{p}:snapshots:positions:{pid}", self._ttl)
            case PutActorState(component_id=cid, state=state):
                key = f"{p}:actors:{cid}:state"
                pipe.delete(key)
                if state:
                    pipe.hset(key, items=[x for kv in state.items() for x in kv])
                pipe.sadd(f"{p}:index:actors", cid)
            case DeleteActorState(component_id=cid):
                pipe.delete(f"{p}:actors:{cid}:state")
                pipe.srem(f"{p}:index:actors", cid)
            case PutKeyValue(key=k, value=v):
                pipe.hset(f"{p}:general", k, v)
            case DeleteKeyValue(key=k):
                pipe.hdel(f"{p}:general", k)
            case _:
                raise TypeError(f"not a cache database op: {type(op).__name__}")

    async def _read_then_queue(self, op: DbOp, pipe: Pipeline) -> None:
        p = self._p
        client = self._client
        if isinstance(op, DeletePosition):
            pid = str(op.position_id)
            links = await client.hgetall(f"{p}:index:order_position")
            pipe.delete(f"{p}:positions:{pid}", f"{p}:snapshots:positions:{pid}")
            pipe.hdel(f"{p}:index:positions", pid)
            linked = [coid for coid, linked_pid in links.items() if _s(linked_pid) == pid]
            if linked:
                pipe.hdel(f"{p}:index:order_position", *linked)
        elif isinstance(op, PurgeAccountEvents):
            for aid in sorted(await client.smembers(f"{p}:index:accounts")):
                key = f"{p}:accounts:{_s(aid)}"
                blobs = [_b(b) for b in await client.lrange(key, 0, -1)]
                if len(blobs) <= 1:
                    continue
                kept = [b for b in blobs[:-1] if self._ts_event(b) > op.cutoff_ns]
                kept.append(blobs[-1])
                if len(kept) < len(blobs):
                    pipe.delete(key)
                    pipe.rpush(key, *kept)

    def _ts_event(self, blob: bytes) -> int:
        try:
            return self._ts_dec.decode(blob).ts_event
        except (msgspec.DecodeError, msgspec.ValidationError):
            return 2**63  # never purge what cannot be read: load reports it

    async def load(self, *, strict: bool = True) -> LoadedState:
        """Load and decode everything stored."""
        async with self._lock:
            self._check_open()
            try:
                raw = await self._load_raw()
            except _DRIVER_ERRORS as e:
                raise self._error("load", e) from e
        return decode_state(raw, self._codec, strict=strict)

    async def _load_raw(self) -> RawState:
        p = self._p
        c = self._client
        raw = RawState()
        raw.currencies = sorted(
            (_s(k), _b(v)) for k, v in (await c.hgetall(f"{p}:currencies")).items()
        )
        raw.instruments = sorted(
            (_s(k), _b(v)) for k, v in (await c.hgetall(f"{p}:instruments")).items()
        )
        raw.general = sorted((_s(k), _b(v)) for k, v in (await c.hgetall(f"{p}:general")).items())
        account_ids = sorted(_s(a) for a in await c.smembers(f"{p}:index:accounts"))
        for aid, blobs in zip(account_ids, await self._lists("accounts", account_ids), strict=True):
            raw.account_events.extend((aid, b) for b in blobs)
        order_ids = sorted(_s(o) for o in await c.smembers(f"{p}:index:orders"))
        expired: set[str] = set()
        for coid, blobs in zip(order_ids, await self._lists("orders", order_ids), strict=True):
            if not blobs:
                expired.add(coid)  # expired after MarkOrderClosed
            raw.order_events.extend((coid, b) for b in blobs)
        hashes = [
            {_s(k): _s(v) for k, v in (await c.hgetall(f"{p}:index:{h}")).items()}
            for h in _ORDER_HASHES
        ]
        indexed = sorted(set().union(*hashes) - expired)
        strategy, venue, position, client = hashes
        raw.order_index = [
            (coid, strategy.get(coid), venue.get(coid), position.get(coid), client.get(coid))
            for coid in indexed
        ]
        positions = sorted(
            (_s(k), _s(v)) for k, v in (await c.hgetall(f"{p}:index:positions")).items()
        )
        pids = [pid for pid, _ in positions]
        fills = await self._lists("positions", pids)
        snaps = await self._lists("snapshots:positions", pids)
        for (pid, oms), pfills, psnaps in zip(positions, fills, snaps, strict=True):
            if not pfills and self._ttl is not None:
                continue  # expired after MarkPositionClosed
            raw.positions.append((pid, oms))
            raw.position_fills.extend((pid, b) for b in pfills)
            raw.position_snapshots.extend((pid, b) for b in psnaps)
        for cid in sorted(_s(a) for a in await c.smembers(f"{p}:index:actors")):
            fields = await c.hgetall(f"{p}:actors:{cid}:state")
            raw.actor_states.append(
                (cid, self._codec.encode_state({_s(k): _b(v) for k, v in fields.items()}))
            )
        return raw

    async def _lists(self, collection: str, ids: list[str]) -> list[list[bytes]]:
        if not ids:
            return []
        pipe = self._client.pipeline(transaction=False)
        for i in ids:
            pipe.lrange(f"{self._p}:{collection}:{i}", 0, -1)
        result = await pipe.execute()
        return [[_b(b) for b in blobs] for blobs in result]

    async def clear(self) -> None:
        """Delete every key under the prefix."""
        async with self._lock:
            self._check_open()
            try:
                batch: list[bytes] = []
                async for key in self._client.scan_iter(match=f"{self._p}:*", count=500):
                    batch.append(key)
                    if len(batch) >= 500:
                        await self._client.unlink(*batch)
                        batch.clear()
                if batch:
                    await self._client.unlink(*batch)
            except _DRIVER_ERRORS as e:
                raise self._error("clear", e) from e

    async def flush(self) -> None:
        """Do nothing more: every executed pipeline is already applied by the server."""
        async with self._lock:
            return

    async def close(self) -> None:
        """Close the connection pool (idempotent)."""
        async with self._lock:
            if self._closed:
                return
            self._closed = True
            await self._client.aclose()

    async def __aenter__(self) -> RedisCacheDatabase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


__all__ = ["RedisCacheDatabase"]
