"""Cache test builders: the shared `argonaut.testkit` with this folder's conventions.

Orders are GTC LIMIT orders named by their client order id; the venue accepts order
``X`` as venue order id ``V-X``; every fill is a maker fill with a 0.01 USDT commission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import argonaut.testkit as tk
from argonaut.cache import Cache
from argonaut.model.accounts import Account
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import AccountType, LiquiditySide, OmsType, OrderSide
from argonaut.model.events import order as ev
from argonaut.model.events.account import AccountState
from argonaut.model.identifiers import InstrumentId, PositionId, StrategyId, VenueOrderId
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.values import USDT

STRATEGY = tk.STRATEGY_ID
OTHER_STRATEGY = StrategyId("S-002")
BTC_PERP = tk.INSTRUMENT_ID
ETH_PERP = InstrumentId("ETHUSDT-PERP.SIM")
OTHER_VENUE_PERP = InstrumentId("BTCUSDT-PERP.OTHER")
ACCOUNT = tk.ACCOUNT_ID

_INSTRUMENTS: dict[InstrumentId, CryptoPerpetual] = {
    BTC_PERP: tk.btcusdt_perp(),
    ETH_PERP: tk.ethusdt_perp(),
    OTHER_VENUE_PERP: tk.btcusdt_perp(id=OTHER_VENUE_PERP),
}

_EVENTS: dict[type[ev.OrderEvent], Callable[..., ev.OrderEvent]] = {
    ev.OrderSubmitted: tk.submitted,
    ev.OrderAccepted: tk.accepted,
    ev.OrderRejected: tk.rejected,
    ev.OrderDenied: tk.denied,
    ev.OrderEmulated: tk.emulated,
    ev.OrderReleased: tk.released,
    ev.OrderTriggered: tk.triggered,
    ev.OrderPendingUpdate: tk.pending_update,
    ev.OrderPendingCancel: tk.pending_cancel,
    ev.OrderUpdated: tk.updated,
    ev.OrderModifyRejected: tk.modify_rejected,
    ev.OrderCancelRejected: tk.cancel_rejected,
    ev.OrderCanceled: tk.canceled,
    ev.OrderExpired: tk.expired,
}


def perp(instrument_id: InstrumentId = BTC_PERP) -> CryptoPerpetual:
    """Return the perpetual `instrument_id` (BTC_PERP, ETH_PERP or OTHER_VENUE_PERP)."""
    return _INSTRUMENTS[instrument_id]


def quote(bid: str, ask: str, ts: int = 1, instrument_id: InstrumentId = BTC_PERP) -> QuoteTick:
    return tk.quote(perp(instrument_id), bid=bid, ask=ask, ask_size="2.000", ts=ts)


def trade(px: str, ts: int = 1, instrument_id: InstrumentId = BTC_PERP) -> TradeTick:
    return tk.trade(perp(instrument_id), price=px, size="0.500", trade_id=f"T-{ts}", ts=ts)


def make_order(
    coid: str,
    side: OrderSide = OrderSide.BUY,
    instrument_id: InstrumentId = BTC_PERP,
    strategy_id: StrategyId = STRATEGY,
    qty: str = "1.000",
    price: str = "100.0",
    ts: int = 1,
    **overrides: Any,
) -> Order:
    """Return a GTC LIMIT order (INITIALIZED); `overrides` are `OrderParams` keys."""
    return tk.limit_order(
        perp(instrument_id),
        side=side,
        quantity=qty,
        price=price,
        client_order_id=coid,
        ts=ts,
        strategy_id=strategy_id,
        **overrides,
    )


def _venue_order_id(order: Order) -> VenueOrderId:
    return order.venue_order_id or VenueOrderId(f"V-{order.client_order_id}")


def event(order: Order, kind: type[ev.OrderEvent], ts: int, **fields: Any) -> ev.OrderEvent:
    """Return an order event of `kind` for `order` (an accept assigns ``V-<coid>``)."""
    if kind is ev.OrderAccepted:
        fields.setdefault("venue_order_id", _venue_order_id(order))
    return _EVENTS[kind](order, ts=ts, **fields)


def fill(
    order: Order,
    qty: str,
    px: str = "100.0",
    ts: int = 5,
    position_id: PositionId | None = None,
    trade_id: str | None = None,
) -> ev.OrderFilled:
    return tk.filled(
        order,
        last_qty=qty,
        last_px=px,
        trade_id=trade_id or f"T-{order.client_order_id}-{ts}-{qty}",
        liquidity_side=LiquiditySide.MAKER,
        commission="0.01 USDT",
        position_id=position_id,
        ts=ts,
        venue_order_id=_venue_order_id(order),
        account_id=ACCOUNT,
    )


def apply(cache: Cache, order: Order, evt: ev.OrderEvent) -> None:
    """Apply an event the way the execution engine does: order first, then the cache."""
    order.apply(evt)
    cache.update_order(order)


def accept(cache: Cache, order: Order, ts: int = 2) -> None:
    """Drive an INITIALIZED order to ACCEPTED through SUBMITTED."""
    apply(cache, order, event(order, ev.OrderSubmitted, ts))
    apply(cache, order, event(order, ev.OrderAccepted, ts + 1))


def open_position(
    cache: Cache, order: Order, position_id: PositionId, qty: str = "1.000", ts: int = 5
) -> Position:
    """Fill `order` by `qty` and open a position from that fill (order must be accepted)."""
    f = fill(order, qty, ts=ts, position_id=position_id)
    apply(cache, order, f)
    position = Position(perp(order.instrument_id), f)
    cache.add_position(position, OmsType.NETTING)
    return position


def account_state(total: str, ts: int) -> AccountState:
    """Return a reported CASH state of account ``SIM-001`` holding `total`, all free."""
    return tk.account_state(
        account_type=AccountType.CASH,
        balances=(tk.balance(total),),
        base_currency=USDT,
        ts=ts,
    )


def cash_account(total: str = "1000 USDT", ts: int = 1) -> Account:
    return Account.from_state(account_state(total, ts))
