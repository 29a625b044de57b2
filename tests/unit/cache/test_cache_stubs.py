"""Small builders for cache tests (kept local: the shared testkit may not exist yet)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from argonaut.cache import Cache
from argonaut.core.uuid import UUID4
from argonaut.model.accounts import Account, AccountBalance
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import (
    AccountType,
    AggressorSide,
    LiquiditySide,
    OmsType,
    OrderSide,
    OrderType,
    TimeInForce,
)
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderAccepted,
    OrderEvent,
    OrderFilled,
    OrderInitialized,
    OrderPendingCancel,
    OrderPendingUpdate,
    OrderSubmitted,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    Symbol,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.values import BTC, USDT, Money, Price, Quantity

TRADER = TraderId("TRADER-001")
STRATEGY = StrategyId("S-001")
OTHER_STRATEGY = StrategyId("S-002")
BTC_PERP = InstrumentId("BTCUSDT-PERP.SIM")
ETH_PERP = InstrumentId("ETHUSDT-PERP.SIM")
OTHER_VENUE_PERP = InstrumentId("BTCUSDT-PERP.OTHER")
ACCOUNT = AccountId("SIM-001")

_ids = itertools.count(1)


def uuid() -> UUID4:
    return UUID4.from_int(next(_ids))


def perp(instrument_id: InstrumentId = BTC_PERP) -> CryptoPerpetual:
    return CryptoPerpetual(
        id=instrument_id,
        raw_symbol=Symbol(instrument_id.symbol),
        base_currency=BTC,
        quote_currency=USDT,
        settlement_currency=USDT,
        price_precision=1,
        size_precision=3,
        price_increment=Price.from_str("0.1"),
        size_increment=Quantity.from_str("0.001"),
        margin_init=Decimal("0.01"),
        margin_maint=Decimal("0.005"),
        ts_event=0,
        ts_init=0,
    )


def quote(bid: str, ask: str, ts: int = 1, instrument_id: InstrumentId = BTC_PERP) -> QuoteTick:
    return QuoteTick(
        instrument_id,
        Price.from_str(bid),
        Price.from_str(ask),
        Quantity.from_str("1.000"),
        Quantity.from_str("2.000"),
        ts,
        ts,
    )


def trade(px: str, ts: int = 1, instrument_id: InstrumentId = BTC_PERP) -> TradeTick:
    return TradeTick(
        instrument_id,
        Price.from_str(px),
        Quantity.from_str("0.500"),
        AggressorSide.BUYER,
        TradeId(f"T-{ts}"),
        ts,
        ts,
    )


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
    """Return a GTC LIMIT order (INITIALIZED)."""
    fields: dict[str, Any] = {
        "trader_id": TRADER,
        "strategy_id": strategy_id,
        "instrument_id": instrument_id,
        "client_order_id": ClientOrderId(coid),
        "event_id": uuid(),
        "ts_event": ts,
        "ts_init": ts,
        "order_side": side,
        "order_type": OrderType.LIMIT,
        "quantity": Quantity.from_str(qty),
        "time_in_force": TimeInForce.GTC,
        "price": Price.from_str(price),
    }
    fields.update(overrides)
    return Order.from_init(OrderInitialized(**fields))


def event(order: Order, kind: type[OrderEvent], ts: int, **fields: Any) -> OrderEvent:
    """Return an order event of `kind` for `order` (account fields filled in)."""
    base: dict[str, Any] = {
        "trader_id": order.trader_id,
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "event_id": uuid(),
        "ts_event": ts,
        "ts_init": ts,
    }
    if kind in (OrderSubmitted, OrderAccepted, OrderPendingCancel, OrderPendingUpdate):
        base["account_id"] = ACCOUNT
    if kind is OrderAccepted:
        base["venue_order_id"] = VenueOrderId(f"V-{order.client_order_id}")
    base.update(fields)
    return kind(**base)


def fill(
    order: Order,
    qty: str,
    px: str = "100.0",
    ts: int = 5,
    position_id: PositionId | None = None,
    trade_id: str | None = None,
) -> OrderFilled:
    return OrderFilled(
        trader_id=order.trader_id,
        strategy_id=order.strategy_id,
        instrument_id=order.instrument_id,
        client_order_id=order.client_order_id,
        venue_order_id=order.venue_order_id or VenueOrderId(f"V-{order.client_order_id}"),
        account_id=ACCOUNT,
        trade_id=TradeId(trade_id or f"T-{order.client_order_id}-{ts}-{qty}"),
        order_side=order.side,
        order_type=order.order_type,
        last_qty=Quantity.from_str(qty),
        last_px=Price.from_str(px),
        currency=USDT,
        commission=Money.from_str("0.01 USDT"),
        liquidity_side=LiquiditySide.MAKER,
        position_id=position_id,
        event_id=uuid(),
        ts_event=ts,
        ts_init=ts,
    )


def apply(cache: Cache, order: Order, evt: OrderEvent) -> None:
    """Apply an event the way the execution engine does: order first, then the cache."""
    order.apply(evt)
    cache.update_order(order)


def accept(cache: Cache, order: Order, ts: int = 2) -> None:
    """Drive an INITIALIZED order to ACCEPTED through SUBMITTED."""
    apply(cache, order, event(order, OrderSubmitted, ts))
    apply(cache, order, event(order, OrderAccepted, ts + 1))


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
    money = Money.from_str(total)
    return AccountState(
        account_id=ACCOUNT,
        account_type=AccountType.CASH,
        base_currency=USDT,
        balances=(AccountBalance.from_total_locked(money, Money(0, money.currency)),),
        margins=(),
        is_reported=True,
        event_id=uuid(),
        ts_event=ts,
        ts_init=ts,
    )


def cash_account(total: str = "1000 USDT", ts: int = 1) -> Account:
    return Account.from_state(account_state(total, ts))
