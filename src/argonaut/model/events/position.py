"""Position events: a position opened, changed, closed or was adjusted.

Every position event carries the position's full state after the change (so a
subscriber never needs the cache to read it) plus the fill that caused it (`last_qty`,
`last_px`). PnL fields are in `currency`, the instrument's settlement currency;
`unrealized_pnl` is marked at the causing fill's price (zero once closed). Build them
with the `create` factories right after `Position.apply` / `Position.adjust`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.enums import OrderSide, PositionAdjustmentType, PositionSide
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TraderId,
)
from argonaut.model.values import Currency, Money, Price, Quantity

if TYPE_CHECKING:
    from argonaut.model.events.order import OrderFilled
    from argonaut.model.position import Position, PositionAdjustment


class PositionEvent(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Fields every position event carries: identity plus the state after the change."""

    trader_id: TraderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    position_id: PositionId
    account_id: AccountId
    opening_order_id: ClientOrderId
    closing_order_id: ClientOrderId | None
    entry: OrderSide
    side: PositionSide
    signed_qty: float
    quantity: Quantity
    peak_qty: Quantity
    last_qty: Quantity
    last_px: Price
    currency: Currency
    avg_px_open: float
    avg_px_close: float | None
    realized_return: float
    realized_pnl: Money | None
    unrealized_pnl: Money
    event_id: UUID4
    ts_opened: int
    ts_closed: int | None
    duration_ns: int
    ts_event: int
    ts_init: int

    @property
    def is_long(self) -> bool:
        """Return True when the position is long after the event."""
        return self.side is PositionSide.LONG

    @property
    def is_short(self) -> bool:
        """Return True when the position is short after the event."""
        return self.side is PositionSide.SHORT


def _state(
    position: Position, last_qty: Quantity, last_px: Price, unrealized: Money
) -> dict[str, Any]:
    return {
        "trader_id": position.trader_id,
        "strategy_id": position.strategy_id,
        "instrument_id": position.instrument_id,
        "position_id": position.id,
        "account_id": position.account_id,
        "opening_order_id": position.opening_order_id,
        "closing_order_id": position.closing_order_id,
        "entry": position.entry,
        "side": position.side,
        "signed_qty": position.signed_qty,
        "quantity": position.quantity,
        "peak_qty": position.peak_qty,
        "last_qty": last_qty,
        "last_px": last_px,
        "currency": position.settlement_currency,
        "avg_px_open": position.avg_px_open,
        "avg_px_close": position.avg_px_close,
        "realized_return": position.realized_return,
        "realized_pnl": position.realized_pnl,
        "unrealized_pnl": unrealized,
        "ts_opened": position.ts_opened,
        "ts_closed": position.ts_closed,
        "duration_ns": position.duration_ns,
    }


def _check_fill(position: Position, fill: OrderFilled) -> None:
    if position.last_trade_id != fill.trade_id:
        raise ValueError(
            f"fill {fill.trade_id} is not the last fill applied to position {position.id}: "
            "create the event right after Position.apply(fill)"
        )


class PositionOpened(PositionEvent, frozen=True, kw_only=True, tag=True, gc=False):
    """A fill opened the position (or reopened a closed NETTING position)."""

    @classmethod
    def create(cls, position: Position, fill: OrderFilled, event_id: UUID4, ts_init: int) -> Self:
        """Build the event from the position after applying its opening `fill`."""
        _check_fill(position, fill)
        state = _state(position, fill.last_qty, fill.last_px, position.unrealized_pnl(fill.last_px))
        return cls(**state, event_id=event_id, ts_event=fill.ts_event, ts_init=ts_init)


class PositionChanged(PositionEvent, frozen=True, kw_only=True, tag=True, gc=False):
    """A fill increased or reduced the position, which stays open."""

    @classmethod
    def create(cls, position: Position, fill: OrderFilled, event_id: UUID4, ts_init: int) -> Self:
        """Build the event from the position after applying `fill`."""
        _check_fill(position, fill)
        state = _state(position, fill.last_qty, fill.last_px, position.unrealized_pnl(fill.last_px))
        return cls(**state, event_id=event_id, ts_event=fill.ts_event, ts_init=ts_init)


class PositionClosed(PositionEvent, frozen=True, kw_only=True, tag=True, gc=False):
    """A fill brought the position's quantity back to zero."""

    @classmethod
    def create(cls, position: Position, fill: OrderFilled, event_id: UUID4, ts_init: int) -> Self:
        """Build the event from the position after its closing `fill`."""
        _check_fill(position, fill)
        if position.is_open:
            raise ValueError(
                f"position {position.id} is still open ({position.side.value} "
                f"{position.quantity}): use PositionChanged"
            )
        state = _state(position, fill.last_qty, fill.last_px, position.unrealized_pnl(fill.last_px))
        return cls(**state, event_id=event_id, ts_event=fill.ts_event, ts_init=ts_init)


class PositionAdjusted(PositionEvent, frozen=True, kw_only=True, tag=True, gc=False):
    """The position changed without a fill: a base-currency commission or a funding payment.

    `last_qty`/`last_px` repeat the latest fill; `quantity_change` is signed.
    """

    adjustment_type: PositionAdjustmentType
    quantity_change: Decimal | None = None
    pnl_change: Money | None = None
    reason: str | None = None

    @classmethod
    def create(
        cls, position: Position, adjustment: PositionAdjustment, event_id: UUID4, ts_init: int
    ) -> Self:
        """Build the event from the position after `adjustment` was applied to it."""
        last = position.last_fill
        state = _state(position, last.last_qty, last.last_px, position.unrealized_pnl(last.last_px))
        return cls(
            **state,
            adjustment_type=adjustment.adjustment_type,
            quantity_change=adjustment.quantity_change,
            pnl_change=adjustment.pnl_change,
            reason=adjustment.reason,
            event_id=event_id,
            ts_event=adjustment.ts_event,
            ts_init=ts_init,
        )


POSITION_EVENT_TYPES: tuple[type[PositionEvent], ...] = (
    PositionOpened,
    PositionChanged,
    PositionClosed,
    PositionAdjusted,
)

__all__ = [
    "POSITION_EVENT_TYPES",
    "PositionAdjusted",
    "PositionChanged",
    "PositionClosed",
    "PositionEvent",
    "PositionOpened",
]
