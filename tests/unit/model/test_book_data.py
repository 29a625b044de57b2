from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.model.book_data import (
    F_LAST,
    F_MBP,
    F_SNAPSHOT,
    F_TOB,
    NULL_ORDER,
    BookOrder,
    OrderBookDelta,
    OrderBookDeltas,
    OrderBookDepth10,
)
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.enums import BookAction, OrderSide
from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price, Quantity

IID = InstrumentId("BTCUSDT-PERP.SIM")
OTHER = InstrumentId("ETHUSDT-PERP.SIM")


def order(side: OrderSide, price: str, size: str, order_id: int = 0) -> BookOrder:
    return BookOrder(
        side=side, price=Price.from_str(price), size=Quantity.from_str(size), order_id=order_id
    )


def delta(
    action: BookAction = BookAction.ADD,
    book_order: BookOrder | None = None,
    *,
    instrument_id: InstrumentId = IID,
    flags: int = 0,
    sequence: int = 1,
) -> OrderBookDelta:
    return OrderBookDelta(
        instrument_id=instrument_id,
        action=action,
        order=book_order or order(OrderSide.BUY, "100.5", "1.25", 7),
        flags=flags,
        sequence=sequence,
        ts_event=1_000 + sequence,
        ts_init=2_000 + sequence,
    )


def depth(n_bids: int = 3, n_asks: int = 3) -> OrderBookDepth10:
    bids = tuple(order(OrderSide.BUY, f"{100 - i}.0", f"{i + 1}") for i in range(n_bids))
    asks = tuple(order(OrderSide.SELL, f"{101 + i}.0", f"{i + 2}") for i in range(n_asks))
    return OrderBookDepth10(
        instrument_id=IID,
        bids=bids,
        asks=asks,
        bid_counts=tuple(range(1, n_bids + 1)),
        ask_counts=tuple(range(1, n_asks + 1)),
        flags=F_SNAPSHOT | F_LAST,
        sequence=9,
        ts_event=10,
        ts_init=11,
    )


def json_round_trip(obj: Any) -> Any:
    return msgspec.json.decode(
        msgspec.json.encode(obj, enc_hook=enc_hook), type=type(obj), dec_hook=dec_hook
    )


def msgpack_round_trip(obj: Any) -> Any:
    return msgspec.msgpack.decode(
        msgspec.msgpack.encode(obj, enc_hook=enc_hook), type=type(obj), dec_hook=dec_hook
    )


def test_record_flags_have_their_bit_values() -> None:
    assert (F_LAST, F_TOB, F_SNAPSHOT, F_MBP) == (128, 64, 32, 16)


def test_book_order_when_no_order_id_then_zero() -> None:
    assert BookOrder(side=OrderSide.SELL, price=Price(1, 9), size=Quantity(1, 9)).order_id == 0


def test_delta_is_frozen() -> None:
    with pytest.raises(AttributeError):
        delta().sequence = 5  # type: ignore[misc]


def test_delta_clear_when_built_then_clear_action_null_order_and_snapshot_flag() -> None:
    cleared = OrderBookDelta.clear(IID, sequence=3, ts_event=4, ts_init=5)
    assert cleared.action is BookAction.CLEAR
    assert cleared.order == NULL_ORDER
    assert cleared.flags == F_SNAPSHOT
    assert (cleared.sequence, cleared.ts_event, cleared.ts_init) == (3, 4, 5)
    assert cleared.is_snapshot
    assert not cleared.is_last


def test_delta_flags_when_last_then_is_last() -> None:
    assert delta(flags=F_SNAPSHOT | F_LAST).is_last
    assert not delta(flags=F_TOB).is_last


def test_deltas_when_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        OrderBookDeltas(instrument_id=IID, deltas=(), ts_event=0, ts_init=0)


def test_deltas_when_delta_for_other_instrument_then_value_error_naming_both() -> None:
    with pytest.raises(ValueError, match=r"ETHUSDT-PERP\.SIM.*BTCUSDT-PERP\.SIM"):
        OrderBookDeltas(
            instrument_id=IID, deltas=(delta(instrument_id=OTHER),), ts_event=0, ts_init=0
        )


def test_deltas_when_given_a_list_then_stored_as_tuple() -> None:
    batch = OrderBookDeltas(
        instrument_id=IID,
        deltas=[delta(), delta(sequence=2)],  # type: ignore[arg-type]
        ts_event=0,
        ts_init=0,
    )
    assert isinstance(batch.deltas, tuple)
    assert len(batch) == 2


def test_deltas_from_deltas_when_built_then_batch_fields_from_last_delta() -> None:
    last = delta(flags=F_LAST, sequence=8)
    batch = OrderBookDeltas.from_deltas([delta(sequence=7), last])
    assert batch.instrument_id == IID
    assert (batch.flags, batch.sequence, batch.ts_event, batch.ts_init) == (
        F_LAST,
        8,
        last.ts_event,
        last.ts_init,
    )


def test_deltas_from_deltas_when_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        OrderBookDeltas.from_deltas([])


def test_depth10_when_more_than_ten_levels_then_value_error() -> None:
    bids = tuple(order(OrderSide.BUY, f"{200 - i}", "1") for i in range(11))
    with pytest.raises(ValueError, match="at most 10"):
        OrderBookDepth10(
            instrument_id=IID,
            bids=bids,
            asks=(),
            bid_counts=(1,) * 11,
            ask_counts=(),
            ts_event=0,
            ts_init=0,
        )


def test_depth10_when_counts_do_not_match_levels_then_value_error() -> None:
    with pytest.raises(ValueError, match="one count per level"):
        OrderBookDepth10(
            instrument_id=IID,
            bids=(order(OrderSide.BUY, "1", "1"),),
            asks=(),
            bid_counts=(),
            ask_counts=(),
            ts_event=0,
            ts_init=0,
        )


def test_depth10_when_ask_among_bids_then_value_error() -> None:
    with pytest.raises(ValueError, match="expected side BUY"):
        OrderBookDepth10(
            instrument_id=IID,
            bids=(order(OrderSide.SELL, "1", "1"),),
            asks=(),
            bid_counts=(1,),
            ask_counts=(),
            ts_event=0,
            ts_init=0,
        )


@pytest.mark.parametrize(
    ("side", "prices"),
    [(OrderSide.BUY, ("100", "101")), (OrderSide.SELL, ("101", "100"))],
)
def test_depth10_when_levels_not_best_first_then_value_error(
    side: OrderSide, prices: tuple[str, str]
) -> None:
    levels = tuple(order(side, p, "1") for p in prices)
    buy = side is OrderSide.BUY
    with pytest.raises(ValueError, match="out of order"):
        OrderBookDepth10(
            instrument_id=IID,
            bids=levels if buy else (),
            asks=() if buy else levels,
            bid_counts=(1, 1) if buy else (),
            ask_counts=() if buy else (1, 1),
            ts_event=0,
            ts_init=0,
        )


def test_depth10_when_given_lists_then_stored_as_tuples() -> None:
    snap = OrderBookDepth10(
        instrument_id=IID,
        bids=[order(OrderSide.BUY, "1", "1")],  # type: ignore[arg-type]
        asks=[],  # type: ignore[arg-type]
        bid_counts=[1],  # type: ignore[arg-type]
        ask_counts=[],  # type: ignore[arg-type]
        ts_event=0,
        ts_init=0,
    )
    assert isinstance(snap.bids, tuple)
    assert isinstance(snap.bid_counts, tuple)


ALL_BOOK_DATA = [
    order(OrderSide.SELL, "100.25", "0.001", 42),
    delta(),
    OrderBookDelta.clear(IID, sequence=1, ts_event=2, ts_init=3),
    OrderBookDeltas.from_deltas(
        [
            OrderBookDelta.clear(IID, ts_event=1, ts_init=1),
            delta(flags=F_SNAPSHOT | F_LAST, sequence=2),
        ]
    ),
    depth(),
    depth(0, 0),
]


@pytest.mark.parametrize("obj", ALL_BOOK_DATA, ids=lambda o: type(o).__name__)
def test_book_data_json_round_trip_when_encoded_then_decodes_equal(obj: Any) -> None:
    decoded = json_round_trip(obj)
    assert decoded == obj
    assert type(decoded) is type(obj)


@pytest.mark.parametrize("obj", ALL_BOOK_DATA, ids=lambda o: type(o).__name__)
def test_book_data_msgpack_round_trip_when_encoded_then_decodes_equal(obj: Any) -> None:
    assert msgpack_round_trip(obj) == obj


def test_delta_json_when_decoded_then_instrument_id_is_typed_and_tag_present() -> None:
    data = msgspec.json.encode(delta(), enc_hook=enc_hook)
    assert b'"type":"OrderBookDelta"' in data
    decoded = msgspec.json.decode(data, type=OrderBookDelta, dec_hook=dec_hook)
    assert type(decoded.instrument_id) is InstrumentId


def test_book_data_union_when_decoded_then_tag_selects_type() -> None:
    decoder = msgspec.json.Decoder(
        OrderBookDelta | OrderBookDeltas | OrderBookDepth10, dec_hook=dec_hook
    )
    for obj in ALL_BOOK_DATA[1:]:
        assert decoder.decode(msgspec.json.encode(obj, enc_hook=enc_hook)) == obj


def test_deltas_decode_when_empty_then_validation_error() -> None:
    data = b'{"type":"OrderBookDeltas","instrument_id":"BTCUSDT-PERP.SIM","deltas":[],'
    data += b'"ts_event":0,"ts_init":0}'
    with pytest.raises(msgspec.ValidationError, match="empty"):
        msgspec.json.decode(data, type=OrderBookDeltas, dec_hook=dec_hook)


@given(
    side=st.sampled_from([OrderSide.BUY, OrderSide.SELL]),
    price_raw=st.integers(-(2**63 - 1), 2**63 - 1),
    size_raw=st.integers(0, 2**63 - 1),
    order_id=st.integers(0, 2**64 - 1),
    action=st.sampled_from(list(BookAction)),
    flags=st.integers(0, 255),
    sequence=st.integers(0, 2**63 - 1),
)
def test_delta_round_trip_property_when_any_fields_then_json_and_msgpack_equal(
    side: OrderSide,
    price_raw: int,
    size_raw: int,
    order_id: int,
    action: BookAction,
    flags: int,
    sequence: int,
) -> None:
    obj = OrderBookDelta(
        instrument_id=IID,
        action=action,
        order=BookOrder(
            side=side, price=Price(price_raw, 9), size=Quantity(size_raw, 9), order_id=order_id
        ),
        flags=flags,
        sequence=sequence,
        ts_event=sequence,
        ts_init=sequence,
    )
    assert json_round_trip(obj) == obj
    assert msgpack_round_trip(obj) == obj
