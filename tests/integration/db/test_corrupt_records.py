"""Corrupt or partial records give `CorruptRecord` naming the record, never a crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from db_env import BACKENDS, Backend, make_backend, run

from argonaut.cache.db import (
    AddOrderEvent,
    CorruptRecord,
    LoadedState,
    PutAccountState,
    rebuild_order,
)
from argonaut.cache.db.records import RawState, RecordCodec, decode_state
from argonaut.model.identifiers import ClientOrderId
from argonaut.testkit import accepted, account_state, canceled, limit_order, submitted


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    b = make_backend(request.param, tmp_path, request.node.nodeid)
    yield b
    b.teardown()


CODEC = RecordCodec()


def _order_ops(coid: str) -> list[AddOrderEvent]:
    order = limit_order(client_order_id=coid)
    sub = submitted(order)
    return [
        AddOrderEvent(client_order_id=order.client_order_id, strategy_id=e.strategy_id, event=e)
        for e in (order.init_event, sub)
    ]


async def _load_after(
    backend: Backend, collection: str, key: str, blob: bytes, *, strict: bool = True
) -> LoadedState:
    db = backend.open()
    try:
        await db.write(
            [*_order_ops("O-1"), *_order_ops("O-2"), PutAccountState(state=account_state())]
        )
        await backend.inject(collection, key, blob)
        return await db.load(strict=strict)
    finally:
        await db.close()


def test_load_when_order_event_truncated_then_corrupt_record_names_order(backend: Backend) -> None:
    blob = CODEC.encode(accepted(limit_order(client_order_id="O-1")))[:-7]

    with pytest.raises(CorruptRecord, match=r"orders:O-1 \(event 2\)") as info:
        run(_load_after(backend, "orders", "O-1", blob))
    assert info.value.key == "orders:O-1 (event 2)"
    assert "MessagePack" in info.value.reason


def test_load_when_unknown_type_tag_then_corrupt_record_names_tag(backend: Backend) -> None:
    blob = msgspec.msgpack.encode({"type": "OrderTeleported", "client_order_id": "O-2"})

    with pytest.raises(CorruptRecord, match=r"orders:O-2.*OrderTeleported"):
        run(_load_after(backend, "orders", "O-2", blob))


def test_load_when_account_state_garbage_then_corrupt_record_names_account(
    backend: Backend,
) -> None:
    with pytest.raises(CorruptRecord, match="accounts:SIM-001"):
        run(_load_after(backend, "accounts", "SIM-001", b"\xc1\xc1garbage"))


def test_load_when_order_list_lacks_initialized_then_corrupt_record(backend: Backend) -> None:
    order = limit_order(client_order_id="O-9")
    event = submitted(order)

    async def body() -> LoadedState:
        db = backend.open()
        try:
            await db.write(
                [
                    AddOrderEvent(
                        client_order_id=order.client_order_id,
                        strategy_id=event.strategy_id,
                        event=event,
                    )
                ]
            )
            return await db.load()
        finally:
            await db.close()

    with pytest.raises(CorruptRecord, match=r"orders:O-9.*expected OrderInitialized"):
        run(body())


def test_load_when_lenient_then_corrupt_record_skipped_and_listed(backend: Backend) -> None:
    blob = CODEC.encode(accepted(limit_order(client_order_id="O-1")))[:5]

    loaded = run(_load_after(backend, "orders", "O-1", blob, strict=False))

    assert list(loaded.orders) == [ClientOrderId("O-2")]
    assert len(loaded.corrupt) == 1
    assert loaded.corrupt[0].startswith("corrupt record orders:O-1")
    assert len(loaded.accounts) == 1


# -- without a backend ---------------------------------------------------------------


def test_rebuild_order_when_event_does_not_apply_then_corrupt_record() -> None:
    order = limit_order(client_order_id="O-1")
    # ACCEPTED after CANCELED (terminal) is refused by the state machine.
    events = [order.init_event, canceled(order), accepted(order)]

    with pytest.raises(CorruptRecord, match=r"orders:O-1: event 2 \(OrderAccepted\)"):
        rebuild_order(order.client_order_id, events)


def test_rebuild_order_when_empty_then_corrupt_record() -> None:
    with pytest.raises(CorruptRecord, match=r"orders:O-1.*expected OrderInitialized"):
        rebuild_order(ClientOrderId("O-1"), [])


def test_decode_state_when_fills_without_position_then_corrupt_record() -> None:
    raw = RawState(position_fills=[("P-7", b"\x90")])

    with pytest.raises(CorruptRecord, match="positions:P-7: fills or snapshots without"):
        decode_state(raw, CODEC)


def test_decode_state_when_event_filed_under_other_order_then_corrupt_record() -> None:
    order = limit_order(client_order_id="O-1")
    raw = RawState(order_events=[("O-2", CODEC.encode(order.init_event))])

    with pytest.raises(CorruptRecord, match=r"orders:O-2: event 0 .* is for order O-1"):
        decode_state(raw, CODEC)


def test_decode_state_when_record_holds_wrong_type_then_corrupt_record() -> None:
    raw = RawState(account_events=[("SIM-001", CODEC.encode(limit_order().init_event))])

    with pytest.raises(CorruptRecord, match="holds a OrderInitialized, expected a AccountState"):
        decode_state(raw, CODEC)


def test_decode_state_when_identifier_invalid_then_corrupt_record() -> None:
    raw = RawState(order_index=[("", "S-1", None, None, None)])

    with pytest.raises(CorruptRecord, match="index:orders:"):
        decode_state(raw, CODEC)
