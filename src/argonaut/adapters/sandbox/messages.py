"""What the sandbox venue sends back: one frozen struct per venue fact.

Every message carries `ts_event` (when it happened at the venue) and `ts_visible`
(when the client may see it, per the latency model). The venue's outbound stream is
FIFO: `ts_visible` never decreases along the list a call returns, nor across calls.
"""

from __future__ import annotations

import msgspec

from argonaut.model.accounts import AccountBalance, MarginBalance
from argonaut.model.enums import AccountType, LiquiditySide, OrderSide, OrderType
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
from argonaut.model.values import Currency, Money, Price, Quantity


class VenueOrderMessage(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Fields of every message about one order (base class, never sent itself).

    `venue_order_id` is None only for a rejection of an order the venue never took.
    """

    trader_id: TraderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    client_order_id: ClientOrderId
    account_id: AccountId
    venue_order_id: VenueOrderId | None
    ts_event: int
    ts_visible: int


class VenueOrderAccepted(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """The venue accepted the order and assigned its venue order id."""


class VenueOrderRejected(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """The venue refused the order; `due_post_only` when a post-only order would take."""

    reason: str
    due_post_only: bool = False


class VenueOrderCanceled(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """The order was canceled: by request, or by the venue (IOC/FOK remainder,
    reduce-only) with `reason` saying why."""

    reason: str | None = None


class VenueOrderExpired(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """A GTD order reached its expire time, or a DAY order the session end."""


class VenueOrderTriggered(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """A STOP_LIMIT, LIMIT_IF_TOUCHED or TRAILING_STOP_LIMIT order triggered and now
    works as a limit order."""


class VenueOrderUpdated(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """The order's quantity, price or trigger price changed (a modify, or a trailing
    stop moving its trigger)."""

    quantity: Quantity
    price: Price | None = None
    trigger_price: Price | None = None


class VenueModifyRejected(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """A modify was refused; the order is unchanged."""

    reason: str


class VenueCancelRejected(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """A cancel was refused (unknown or already closed order)."""

    reason: str


class VenueOrderFilled(VenueOrderMessage, frozen=True, kw_only=True, tag=True, gc=False):
    """One execution of the order; `venue_position_id` is its HEDGING position (None
    under NETTING)."""

    venue_order_id: VenueOrderId
    trade_id: TradeId
    order_side: OrderSide
    order_type: OrderType
    last_qty: Quantity
    last_px: Price
    commission: Money
    liquidity_side: LiquiditySide
    filled_qty: Quantity
    leaves_qty: Quantity
    venue_position_id: PositionId | None = None


class VenueAccountUpdate(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """The account's balances and margins after a change (the full picture)."""

    account_id: AccountId
    account_type: AccountType
    base_currency: Currency | None
    balances: tuple[AccountBalance, ...]
    margins: tuple[MarginBalance, ...]
    ts_event: int
    ts_visible: int


VenueMessage = (
    VenueOrderAccepted
    | VenueOrderRejected
    | VenueOrderCanceled
    | VenueOrderExpired
    | VenueOrderTriggered
    | VenueOrderUpdated
    | VenueModifyRejected
    | VenueCancelRejected
    | VenueOrderFilled
    | VenueAccountUpdate
)
"""Any message the venue emits (a tagged union: decode with `msgspec.json.Decoder`)."""
