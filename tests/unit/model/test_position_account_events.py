from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from argonaut.core.uuid import UUID4
from argonaut.model.accounts import AccountBalance, MarginBalance
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.enums import (
    AccountType,
    LiquiditySide,
    OrderSide,
    PositionAdjustmentType,
    PositionSide,
)
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import OrderFilled
from argonaut.model.events.position import (
    PositionAdjusted,
    PositionChanged,
    PositionClosed,
    PositionEvent,
    PositionOpened,
)
from argonaut.model.identifiers import AccountId, ClientOrderId, PositionId
from argonaut.model.position import Position, PositionSnapshot
from argonaut.model.values import USD, USDT, Money, Price, Quantity
from argonaut.testkit import btcusdt_perp, filled, limit_order

# Linear, BTC base, USDT quote: a commission in BTC adjusts the quantity, as on a spot pair.
SPOT = btcusdt_perp()


def fill(side: OrderSide, qty: str, px: str, n: int, commission: str = "0 USDT") -> OrderFilled:
    """Return the maker fill number `n` (order ``O-n``, at ``n`` microseconds) of position P-1."""
    order = limit_order(
        SPOT, side=side, quantity=qty, price=px, client_order_id=f"O-{n}", ts=n * 1_000
    )
    return filled(
        order,
        trade_id=f"T-{n}",
        liquidity_side=LiquiditySide.MAKER,
        commission=commission,
        instrument=SPOT,
        position_id="P-1",
        ts=n * 1_000,
        ts_init=n * 1_000 + 1,
    )


def roundtrip(obj: Any, tp: Any) -> None:
    json = msgspec.json.decode(
        msgspec.json.encode(obj, enc_hook=enc_hook), type=tp, dec_hook=dec_hook
    )
    assert json == obj
    packed = msgspec.msgpack.decode(
        msgspec.msgpack.encode(obj, enc_hook=enc_hook), type=tp, dec_hook=dec_hook
    )
    assert packed == obj


def lifecycle() -> tuple[
    PositionOpened, PositionChanged, PositionAdjusted, PositionClosed, Position
]:
    f1 = fill(OrderSide.BUY, "2", "100", 1, commission="0.2 USDT")
    pos = Position(SPOT, f1)
    opened = PositionOpened.create(pos, f1, UUID4.from_int(101), 1_500)
    f2 = fill(OrderSide.SELL, "1", "110", 2)
    pos.apply(f2)
    changed = PositionChanged.create(pos, f2, UUID4.from_int(102), 2_500)
    f3 = fill(OrderSide.BUY, "1", "100", 3, commission="0.001 BTC")
    adjustment = pos.apply(f3)
    assert adjustment is not None
    adjusted = PositionAdjusted.create(pos, adjustment, UUID4.from_int(103), 3_500)
    f4 = fill(OrderSide.SELL, "1.999", "105", 4)
    pos.apply(f4)
    closed = PositionClosed.create(pos, f4, UUID4.from_int(104), 4_500)
    return opened, changed, adjusted, closed, pos


def test_position_opened_carries_state_after_opening_fill() -> None:
    opened = lifecycle()[0]
    assert opened.position_id == PositionId("P-1")
    assert opened.side is PositionSide.LONG
    assert opened.entry is OrderSide.BUY
    assert opened.signed_qty == 2.0
    assert opened.quantity == Quantity.from_int(2)
    assert opened.last_qty == Quantity.from_int(2)
    assert opened.last_px == Price.from_int(100)
    assert opened.avg_px_open == 100.0
    assert opened.avg_px_close is None
    assert opened.realized_pnl == Money.from_str("-0.2 USDT")
    assert opened.unrealized_pnl == Money.from_str("0 USDT")
    assert opened.currency == USDT
    assert opened.ts_event == 1_000
    assert opened.ts_init == 1_500
    assert opened.ts_opened == 1_000
    assert opened.closing_order_id is None
    assert opened.ts_closed is None


def test_position_changed_and_closed_carry_pnl() -> None:
    _, changed, adjusted, closed, pos = lifecycle()
    assert changed.quantity == Quantity.from_int(1)
    assert changed.realized_pnl == Money.from_str("9.8 USDT")
    assert changed.avg_px_close == 110.0
    assert adjusted.adjustment_type is PositionAdjustmentType.COMMISSION
    assert adjusted.quantity_change == Decimal("-0.001")
    assert adjusted.quantity == Quantity.from_str("1.999")
    assert adjusted.ts_event == 3_000
    assert closed.side is PositionSide.FLAT
    assert closed.quantity.is_zero()
    assert closed.closing_order_id == ClientOrderId("O-4")
    assert closed.ts_closed == 4_000
    assert closed.duration_ns == 3_000
    assert closed.unrealized_pnl == Money.from_str("0 USDT")
    assert closed.realized_pnl == pos.realized_pnl


def test_position_closed_create_when_position_open_then_refused() -> None:
    f1 = fill(OrderSide.BUY, "2", "100", 1)
    pos = Position(SPOT, f1)
    with pytest.raises(ValueError, match="still open"):
        PositionClosed.create(pos, f1, UUID4.from_int(9), 0)


def test_position_event_create_when_fill_not_last_applied_then_refused() -> None:
    pos = Position(SPOT, fill(OrderSide.BUY, "2", "100", 1))
    with pytest.raises(ValueError, match="not the last fill applied"):
        PositionChanged.create(pos, fill(OrderSide.BUY, "1", "100", 2), UUID4.from_int(9), 0)


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_position_events_round_trip_json_and_msgpack(index: int) -> None:
    event = lifecycle()[index]
    roundtrip(event, type(event))
    # and polymorphically through the tag
    union = PositionOpened | PositionChanged | PositionClosed | PositionAdjusted
    roundtrip(event, union)
    assert isinstance(event, PositionEvent)


def test_position_snapshot_round_trips_json_and_msgpack() -> None:
    pos = lifecycle()[4]
    snapshot = pos.to_snapshot()
    assert snapshot.realized_pnl == pos.realized_pnl
    assert len(snapshot.fills) == 4
    assert len(snapshot.adjustments) == 1
    roundtrip(snapshot, PositionSnapshot)


def test_account_state_round_trips_json_and_msgpack() -> None:
    usd = Money.from_str("1000 USD")
    state = AccountState(
        account_id=AccountId("SIM-001"),
        account_type=AccountType.MARGIN,
        base_currency=USD,
        balances=(
            AccountBalance.from_total_locked(usd, Money.from_str("250.5 USD")),
            AccountBalance.from_total_locked(Money.from_str("0.5 BTC"), Money.from_str("0 BTC")),
        ),
        margins=(
            MarginBalance(
                initial=Money.from_str("200 USD"),
                maintenance=Money.from_str("100 USD"),
                instrument_id=SPOT.id,
            ),
            MarginBalance(initial=Money.from_str("50.5 USD"), maintenance=Money.from_str("10 USD")),
        ),
        is_reported=True,
        event_id=UUID4.from_int(42),
        ts_event=10,
        ts_init=11,
        info={"source": "venue", "seq": 7},
    )
    roundtrip(state, AccountState)


def test_account_state_decode_when_balance_invariant_broken_then_error() -> None:
    good = AccountState(
        account_id=AccountId("SIM-001"),
        account_type=AccountType.CASH,
        base_currency=None,
        balances=(
            AccountBalance.from_total_locked(Money.from_str("10 USD"), Money.from_str("1 USD")),
        ),
        margins=(),
        is_reported=False,
        event_id=UUID4.from_int(1),
        ts_event=0,
        ts_init=0,
    )
    text = msgspec.json.encode(good, enc_hook=enc_hook).replace(b"900000000", b"800000000")
    with pytest.raises(msgspec.ValidationError, match="must equal locked"):
        msgspec.json.decode(text, type=AccountState, dec_hook=dec_hook)
