"""Helpers for the sandbox venue tests: a venue on BTCUSDT-PERP.SIM and book builders."""

from __future__ import annotations

from typing import Any

from argonaut.adapters.sandbox import (
    SandboxVenue,
    SandboxVenueConfig,
    VenueMessage,
)
from argonaut.model.book_data import BookOrder, OrderBookDelta, OrderBookDeltas
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import AccountType, AggressorSide, BookAction, OrderSide
from argonaut.model.identifiers import TradeId, Venue
from argonaut.model.orders import Order
from argonaut.model.values import Money, Price, Quantity
from argonaut.testkit.commands import submit_order
from argonaut.testkit.instruments import btcusdt_perp

INST = btcusdt_perp()
IID = INST.id
T0 = 1_700_000_000_000_000_000


def make_venue(**overrides: Any) -> SandboxVenue:
    fields: dict[str, Any] = {
        "venue": Venue("SIM"),
        "instruments": (INST,),
        "starting_balances": (Money.from_str("1000000 USDT"),),
        "account_type": AccountType.MARGIN,
    }
    fields.update(overrides)
    return SandboxVenue(SandboxVenueConfig(**fields))


def book(bids: list[tuple[str, str]], asks: list[tuple[str, str]], ts: int = T0) -> OrderBookDeltas:
    deltas = [OrderBookDelta.clear(IID, ts_event=ts, ts_init=ts)]
    for side, levels in ((OrderSide.BUY, bids), (OrderSide.SELL, asks)):
        for px, size in levels:
            deltas.append(
                OrderBookDelta(
                    instrument_id=IID,
                    action=BookAction.ADD,
                    order=BookOrder(
                        side=side, price=Price.from_str(px), size=Quantity.from_str(size)
                    ),
                    ts_event=ts,
                    ts_init=ts,
                )
            )
    return OrderBookDeltas.from_deltas(deltas)


def quote(
    bid: str, ask: str, bid_size: str = "10.000", ask_size: str = "10.000", ts: int = T0
) -> QuoteTick:
    return QuoteTick(
        IID,
        Price.from_str(bid),
        Price.from_str(ask),
        Quantity.from_str(bid_size),
        Quantity.from_str(ask_size),
        ts,
        ts,
    )


def trade(px: str, size: str = "1.000", ts: int = T0, n: int = 1) -> TradeTick:
    return TradeTick(
        IID,
        Price.from_str(px),
        Quantity.from_str(size),
        AggressorSide.BUYER,
        TradeId(f"MKT-{n}"),
        ts,
        ts,
    )


def submit(venue: SandboxVenue, order: Order, ts: int = T0) -> list[VenueMessage]:
    return venue.execute(submit_order(order), ts)


def kinds(messages: list[VenueMessage]) -> list[str]:
    return [type(m).__name__ for m in messages]


def of_type(messages: list[VenueMessage], cls: type[Any]) -> list[Any]:
    return [m for m in messages if isinstance(m, cls)]
