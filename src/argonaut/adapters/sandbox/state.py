"""The venue's mutable records: orders, fills and positions, as msgspec structs so the
whole state saves and loads with one codec (`argonaut.adapters.sandbox.persistence`)."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from argonaut.model.enums import (
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.reports import OPEN_ORDER_STATUSES
from argonaut.model.values import Money, Price, Quantity

# Order types that wait for a trigger before working.
TRIGGER_TYPES = frozenset(
    {
        OrderType.STOP_MARKET,
        OrderType.STOP_LIMIT,
        OrderType.MARKET_IF_TOUCHED,
        OrderType.LIMIT_IF_TOUCHED,
        OrderType.TRAILING_STOP_MARKET,
        OrderType.TRAILING_STOP_LIMIT,
    }
)
# Triggered order types that then work as a limit order (and have a TRIGGERED status).
LIMIT_AFTER_TRIGGER = frozenset(
    {OrderType.STOP_LIMIT, OrderType.LIMIT_IF_TOUCHED, OrderType.TRAILING_STOP_LIMIT}
)
# Types that trigger when the market rises to a BUY trigger (falls to a SELL trigger).
STOP_LIKE = frozenset(
    {
        OrderType.STOP_MARKET,
        OrderType.STOP_LIMIT,
        OrderType.TRAILING_STOP_MARKET,
        OrderType.TRAILING_STOP_LIMIT,
    }
)
TRAILING = frozenset({OrderType.TRAILING_STOP_MARKET, OrderType.TRAILING_STOP_LIMIT})


class SimOrder(msgspec.Struct, kw_only=True):
    """One order held by the venue (mutable: the venue's own record).

    `expire_at_ns` is when the venue expires it (GTD expire time or DAY session end).
    `fill_notional` is the sum of ``last_qty.raw * last_px.raw`` (for the average price).
    `ts_updated` is when its quantity, price or trigger price last changed (a modify or a
    trailing stop moving), None while they are as submitted. `position_id` is the HEDGING
    position its fills go to (given at submission, else set at its first fill).
    """

    trader_id: TraderId
    strategy_id: StrategyId
    account_id: AccountId
    instrument_id: InstrumentId
    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId
    side: OrderSide
    order_type: OrderType
    time_in_force: TimeInForce
    quantity: Quantity
    filled_qty: Quantity
    price: Price | None = None
    trigger_price: Price | None = None
    trigger_type: TriggerType = TriggerType.NO_TRIGGER
    limit_offset: Decimal | None = None
    trailing_offset: Decimal | None = None
    trailing_offset_type: TrailingOffsetType = TrailingOffsetType.NO_TRAILING_OFFSET
    expire_time_ns: int | None = None
    expire_at_ns: int | None = None
    post_only: bool = False
    reduce_only: bool = False
    display_qty: Quantity | None = None
    status: OrderStatus = OrderStatus.ACCEPTED
    triggered: bool = False
    fill_notional: int = 0
    ts_accepted: int = 0
    ts_triggered: int | None = None
    ts_updated: int | None = None
    ts_last: int = 0
    cancel_reason: str | None = None
    position_id: PositionId | None = None

    @property
    def leaves_raw(self) -> int:
        """The raw quantity still to fill."""
        return self.quantity.raw - self.filled_qty.raw

    @property
    def is_open(self) -> bool:
        """True while the order works at the venue."""
        return self.status in OPEN_ORDER_STATUSES

    @property
    def is_buy(self) -> bool:
        """True for a BUY order."""
        return self.side is OrderSide.BUY

    @property
    def awaits_trigger(self) -> bool:
        """True for a trigger type that has not triggered yet."""
        return self.order_type in TRIGGER_TYPES and not self.triggered

    @property
    def works_as_limit(self) -> bool:
        """True when the order currently rests at (or takes up to) a limit price."""
        kind = self.order_type
        if kind is OrderType.LIMIT:
            return True
        if kind is OrderType.MARKET_TO_LIMIT:
            return self.price is not None
        return kind in LIMIT_AFTER_TRIGGER and self.triggered

    def avg_px(self) -> Decimal | None:
        """Return the average fill price, or None when nothing is filled."""
        filled = self.filled_qty.raw
        if not filled:
            return None
        return Decimal(self.fill_notional) / Decimal(filled) / Decimal(1_000_000_000)


class SimFill(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One execution recorded by the venue."""

    trade_id: TradeId
    instrument_id: InstrumentId
    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId
    side: OrderSide
    last_qty: Quantity
    last_px: Price
    commission: Money
    liquidity_side: LiquiditySide
    ts_event: int
    position_id: PositionId | None = None


class SimPosition(msgspec.Struct, kw_only=True):
    """A position: signed raw quantity and the exact average open price as a fraction
    ``avg_num / avg_den`` of raw price units. `position_id` is None for the netting
    position of the instrument, else the HEDGING venue position id."""

    instrument_id: InstrumentId
    position_id: PositionId | None = None
    signed_raw: int = 0
    size_precision: int = 0
    avg_num: int = 0
    avg_den: int = 1
    realized_raw: int = 0
    ts_last: int = 0
