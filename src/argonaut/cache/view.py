"""`CacheView`: the read-only face of the `Cache` that actors and strategies get.

A `typing.Protocol` with the cache's query methods only, so a strategy cannot add,
update or purge anything through it (the objects it returns are the cached ones: treat
them as read-only). It joins `MarketView` (reference and market data, accounts) and
`TradingView` (orders, positions, saved state, in `argonaut.cache.trading_view`).
`Cache` satisfies it (checked by mypy in `argonaut.cache.cache`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from argonaut.cache.trading_view import TradingView
from argonaut.model.accounts import Account
from argonaut.model.book import OrderBook, OwnOrderBook
from argonaut.model.data import (
    Bar,
    BarType,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentStatus,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import PriceType
from argonaut.model.identifiers import AccountId, InstrumentId, Venue
from argonaut.model.instruments import Instrument
from argonaut.model.values import Currency, Price


@runtime_checkable
class MarketView(Protocol):
    """Read-only queries over reference data, market data and accounts."""

    # -- reference data --------------------------------------------------------------

    def instrument(self, instrument_id: InstrumentId) -> Instrument | None:
        """Return the instrument with this id, or None."""
        ...

    def instruments(self, venue: Venue | None = None) -> list[Instrument]:
        """Return the instruments (of `venue` if given), in the order added."""
        ...

    def instrument_ids(self, venue: Venue | None = None) -> list[InstrumentId]:
        """Return the instrument ids (of `venue` if given), in the order added."""
        ...

    def currency(self, code: str) -> Currency | None:
        """Return the currency with this code, or None."""
        ...

    def currencies(self) -> list[Currency]:
        """Return the cached currencies, in the order added."""
        ...

    # -- market data -----------------------------------------------------------------

    def quote_tick(self, instrument_id: InstrumentId, index: int = 0) -> QuoteTick | None:
        """Return the quote `index` steps back from the latest (0), or None."""
        ...

    def quote_ticks(self, instrument_id: InstrumentId) -> list[QuoteTick]:
        """Return the instrument's quotes, latest first."""
        ...

    def quote_tick_count(self, instrument_id: InstrumentId) -> int:
        """Return how many quotes are held for the instrument."""
        ...

    def has_quote_ticks(self, instrument_id: InstrumentId) -> bool:
        """Return True when at least one quote is held for the instrument."""
        ...

    def trade_tick(self, instrument_id: InstrumentId, index: int = 0) -> TradeTick | None:
        """Return the trade `index` steps back from the latest (0), or None."""
        ...

    def trade_ticks(self, instrument_id: InstrumentId) -> list[TradeTick]:
        """Return the instrument's trades, latest first."""
        ...

    def trade_tick_count(self, instrument_id: InstrumentId) -> int:
        """Return how many trades are held for the instrument."""
        ...

    def has_trade_ticks(self, instrument_id: InstrumentId) -> bool:
        """Return True when at least one trade is held for the instrument."""
        ...

    def bar(self, bar_type: BarType, index: int = 0) -> Bar | None:
        """Return the bar `index` steps back from the latest (0), or None."""
        ...

    def bars(self, bar_type: BarType) -> list[Bar]:
        """Return the bar type's bars, latest first."""
        ...

    def bar_count(self, bar_type: BarType) -> int:
        """Return how many bars are held for the bar type."""
        ...

    def has_bars(self, bar_type: BarType) -> bool:
        """Return True when at least one bar is held for the bar type."""
        ...

    def bar_types(self, instrument_id: InstrumentId | None = None) -> list[BarType]:
        """Return the bar types with bars (of `instrument_id` if given), first seen first."""
        ...

    def order_book(self, instrument_id: InstrumentId) -> OrderBook | None:
        """Return the instrument's market order book, or None."""
        ...

    def has_order_book(self, instrument_id: InstrumentId) -> bool:
        """Return True when a market order book is held for the instrument."""
        ...

    def order_book_ids(self) -> list[InstrumentId]:
        """Return the instruments with a market order book, in the order added."""
        ...

    def own_order_book(self, instrument_id: InstrumentId) -> OwnOrderBook | None:
        """Return the instrument's own order book, or None."""
        ...

    def own_order_books(self) -> list[OwnOrderBook]:
        """Return every own order book, in the order created."""
        ...

    def mark_price(self, instrument_id: InstrumentId) -> Price | None:
        """Return the latest mark price, or None."""
        ...

    def mark_price_update(self, instrument_id: InstrumentId) -> MarkPriceUpdate | None:
        """Return the latest mark price update (with its timestamps), or None."""
        ...

    def index_price(self, instrument_id: InstrumentId) -> Price | None:
        """Return the latest index price, or None."""
        ...

    def index_price_update(self, instrument_id: InstrumentId) -> IndexPriceUpdate | None:
        """Return the latest index price update (with its timestamps), or None."""
        ...

    def funding_rate(self, instrument_id: InstrumentId) -> FundingRateUpdate | None:
        """Return the latest funding rate update, or None."""
        ...

    def instrument_status(self, instrument_id: InstrumentId) -> InstrumentStatus | None:
        """Return the latest market status of the instrument, or None."""
        ...

    def price(self, instrument_id: InstrumentId, price_type: PriceType) -> Price | None:
        """Return the latest price of `price_type`, or None when no data gives it."""
        ...

    # -- accounts --------------------------------------------------------------------

    def account(self, account_id: AccountId) -> Account | None:
        """Return the account with this id, or None."""
        ...

    def account_for_venue(self, venue: Venue) -> Account | None:
        """Return the account of `venue`, or None."""
        ...

    def account_id(self, venue: Venue) -> AccountId | None:
        """Return the id of the account of `venue`, or None."""
        ...

    def accounts(self) -> list[Account]:
        """Return every account, in the order added."""
        ...


@runtime_checkable
class CacheView(MarketView, TradingView, Protocol):
    """What actors and strategies may ask the cache (queries only)."""


__all__ = ["CacheView", "MarketView"]
