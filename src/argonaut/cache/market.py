"""Reference and market data: instruments, currencies, ticks, bars, books, prices.

Quotes and trades are kept per instrument, bars per bar type, in ring buffers of the
configured capacity (`CacheConfig.tick_capacity` / `bar_capacity`); reads return the
latest first (index 0 is the latest). Mark and index prices, funding rates and market
statuses keep only the latest update per instrument.
"""

from __future__ import annotations

from collections.abc import Iterable

from argonaut.cache.base import CacheBase
from argonaut.cache.db.protocol import PutCurrency, PutInstrument
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
from argonaut.model.identifiers import InstrumentId, Venue
from argonaut.model.instruments import Instrument
from argonaut.model.values import Currency, Price

_BID = PriceType.BID
_ASK = PriceType.ASK
_MID = PriceType.MID
_LAST = PriceType.LAST
_MARK = PriceType.MARK


def _check_index(index: int) -> None:
    if index < 0:
        raise ValueError(f"index {index} is negative: expected 0 (the latest) or more")


def _venue_of(instrument_id: InstrumentId) -> str:
    return instrument_id.rpartition(".")[2]


class MarketMixin(CacheBase):
    """Instruments, currencies and market data of the `Cache`."""

    __slots__ = ()

    # -- instruments and currencies ------------------------------------------------------

    def add_instrument(self, instrument: Instrument) -> None:
        """Add or replace an instrument; its currencies are added when not yet cached."""
        if not isinstance(instrument, Instrument):
            raise TypeError(f"expected an Instrument, found {type(instrument).__name__}")
        self._instruments[instrument.id] = instrument
        sink = self._db_sink
        for currency in (
            instrument.base_currency,
            instrument.quote_currency,
            instrument.settlement_currency,
        ):
            if currency is not None and currency.code not in self._currencies:
                self._currencies[currency.code] = currency
                if sink is not None:
                    sink(PutCurrency(currency=currency))
        if sink is not None:
            sink(PutInstrument(instrument=instrument))

    def instrument(self, instrument_id: InstrumentId) -> Instrument | None:
        """Return the instrument with this id, or None."""
        return self._instruments.get(instrument_id)

    def instruments(self, venue: Venue | None = None) -> list[Instrument]:
        """Return the instruments (of `venue` if given), in the order added."""
        if venue is None:
            return list(self._instruments.values())
        return [i for iid, i in self._instruments.items() if _venue_of(iid) == venue]

    def instrument_ids(self, venue: Venue | None = None) -> list[InstrumentId]:
        """Return the instrument ids (of `venue` if given), in the order added."""
        if venue is None:
            return list(self._instruments)
        return [iid for iid in self._instruments if _venue_of(iid) == venue]

    def add_currency(self, currency: Currency) -> None:
        """Add or replace a currency (keyed by its code)."""
        if not isinstance(currency, Currency):
            raise TypeError(f"expected a Currency, found {type(currency).__name__}")
        self._currencies[currency.code] = currency
        sink = self._db_sink
        if sink is not None:
            sink(PutCurrency(currency=currency))

    def currency(self, code: str) -> Currency | None:
        """Return the currency with this code, or None."""
        return self._currencies.get(code)

    def currencies(self) -> list[Currency]:
        """Return the cached currencies, in the order added."""
        return list(self._currencies.values())

    # -- quotes --------------------------------------------------------------------------

    def add_quote_tick(self, tick: QuoteTick) -> None:
        """Append a quote to its instrument's ring buffer (the hot path: no checks)."""
        self._quote_ticks[tick.instrument_id].append(tick)

    def add_quote_ticks(self, ticks: Iterable[QuoteTick]) -> None:
        """Append quotes given oldest first (a history load)."""
        buffers = self._quote_ticks
        for tick in ticks:
            buffers[tick.instrument_id].append(tick)

    def quote_tick(self, instrument_id: InstrumentId, index: int = 0) -> QuoteTick | None:
        """Return the quote `index` steps back from the latest (0), or None."""
        _check_index(index)
        buffer = self._quote_ticks.get(instrument_id)
        if buffer is None or index >= len(buffer):
            return None
        return buffer[-1 - index]

    def quote_ticks(self, instrument_id: InstrumentId) -> list[QuoteTick]:
        """Return the instrument's quotes, latest first."""
        buffer = self._quote_ticks.get(instrument_id)
        return [] if buffer is None else list(reversed(buffer))

    def quote_tick_count(self, instrument_id: InstrumentId) -> int:
        """Return how many quotes are held for the instrument."""
        buffer = self._quote_ticks.get(instrument_id)
        return 0 if buffer is None else len(buffer)

    def has_quote_ticks(self, instrument_id: InstrumentId) -> bool:
        """Return True when at least one quote is held for the instrument."""
        return bool(self._quote_ticks.get(instrument_id))

    # -- trades --------------------------------------------------------------------------

    def add_trade_tick(self, tick: TradeTick) -> None:
        """Append a trade to its instrument's ring buffer (no checks)."""
        self._trade_ticks[tick.instrument_id].append(tick)

    def add_trade_ticks(self, ticks: Iterable[TradeTick]) -> None:
        """Append trades given oldest first (a history load)."""
        buffers = self._trade_ticks
        for tick in ticks:
            buffers[tick.instrument_id].append(tick)

    def trade_tick(self, instrument_id: InstrumentId, index: int = 0) -> TradeTick | None:
        """Return the trade `index` steps back from the latest (0), or None."""
        _check_index(index)
        buffer = self._trade_ticks.get(instrument_id)
        if buffer is None or index >= len(buffer):
            return None
        return buffer[-1 - index]

    def trade_ticks(self, instrument_id: InstrumentId) -> list[TradeTick]:
        """Return the instrument's trades, latest first."""
        buffer = self._trade_ticks.get(instrument_id)
        return [] if buffer is None else list(reversed(buffer))

    def trade_tick_count(self, instrument_id: InstrumentId) -> int:
        """Return how many trades are held for the instrument."""
        buffer = self._trade_ticks.get(instrument_id)
        return 0 if buffer is None else len(buffer)

    def has_trade_ticks(self, instrument_id: InstrumentId) -> bool:
        """Return True when at least one trade is held for the instrument."""
        return bool(self._trade_ticks.get(instrument_id))

    # -- bars ----------------------------------------------------------------------------

    def add_bar(self, bar: Bar) -> None:
        """Append a bar to its bar type's ring buffer (no checks)."""
        self._bars[bar.bar_type].append(bar)

    def add_bars(self, bars: Iterable[Bar]) -> None:
        """Append bars given oldest first (a history load)."""
        buffers = self._bars
        for bar in bars:
            buffers[bar.bar_type].append(bar)

    def bar(self, bar_type: BarType, index: int = 0) -> Bar | None:
        """Return the bar `index` steps back from the latest (0), or None."""
        _check_index(index)
        buffer = self._bars.get(bar_type)
        if buffer is None or index >= len(buffer):
            return None
        return buffer[-1 - index]

    def bars(self, bar_type: BarType) -> list[Bar]:
        """Return the bar type's bars, latest first."""
        buffer = self._bars.get(bar_type)
        return [] if buffer is None else list(reversed(buffer))

    def bar_count(self, bar_type: BarType) -> int:
        """Return how many bars are held for the bar type."""
        buffer = self._bars.get(bar_type)
        return 0 if buffer is None else len(buffer)

    def has_bars(self, bar_type: BarType) -> bool:
        """Return True when at least one bar is held for the bar type."""
        return bool(self._bars.get(bar_type))

    def bar_types(self, instrument_id: InstrumentId | None = None) -> list[BarType]:
        """Return the bar types with bars (of `instrument_id` if given), first seen first."""
        if instrument_id is None:
            return list(self._bars)
        return [bt for bt in self._bars if bt.instrument_id == instrument_id]

    # -- order books ---------------------------------------------------------------------

    def add_order_book(self, book: OrderBook) -> None:
        """Add or replace the market order book of its instrument."""
        if not isinstance(book, OrderBook):
            raise TypeError(f"expected an OrderBook, found {type(book).__name__}")
        self._order_books[book.instrument_id] = book

    def order_book(self, instrument_id: InstrumentId) -> OrderBook | None:
        """Return the instrument's market order book, or None."""
        return self._order_books.get(instrument_id)

    def has_order_book(self, instrument_id: InstrumentId) -> bool:
        """Return True when a market order book is held for the instrument."""
        return instrument_id in self._order_books

    def order_book_ids(self) -> list[InstrumentId]:
        """Return the instruments with a market order book, in the order added."""
        return list(self._order_books)

    def own_order_book(
        self, instrument_id: InstrumentId, *, create: bool = False
    ) -> OwnOrderBook | None:
        """Return the instrument's own order book; with `create`, make it when missing."""
        book = self._own_order_books.get(instrument_id)
        if book is None and create:
            book = self._own_order_books[instrument_id] = OwnOrderBook(instrument_id)
        return book

    def own_order_books(self) -> list[OwnOrderBook]:
        """Return every own order book, in the order created."""
        return list(self._own_order_books.values())

    # -- latest-value updates ------------------------------------------------------------

    def add_mark_price(self, update: MarkPriceUpdate) -> None:
        """Keep the latest mark price of the update's instrument."""
        self._mark_prices[update.instrument_id] = update

    def mark_price(self, instrument_id: InstrumentId) -> Price | None:
        """Return the latest mark price, or None."""
        update = self._mark_prices.get(instrument_id)
        return None if update is None else update.value

    def mark_price_update(self, instrument_id: InstrumentId) -> MarkPriceUpdate | None:
        """Return the latest mark price update (with its timestamps), or None."""
        return self._mark_prices.get(instrument_id)

    def add_index_price(self, update: IndexPriceUpdate) -> None:
        """Keep the latest index price of the update's instrument."""
        self._index_prices[update.instrument_id] = update

    def index_price(self, instrument_id: InstrumentId) -> Price | None:
        """Return the latest index price, or None."""
        update = self._index_prices.get(instrument_id)
        return None if update is None else update.value

    def index_price_update(self, instrument_id: InstrumentId) -> IndexPriceUpdate | None:
        """Return the latest index price update (with its timestamps), or None."""
        return self._index_prices.get(instrument_id)

    def add_funding_rate(self, update: FundingRateUpdate) -> None:
        """Keep the latest funding rate of the update's instrument."""
        self._funding_rates[update.instrument_id] = update

    def funding_rate(self, instrument_id: InstrumentId) -> FundingRateUpdate | None:
        """Return the latest funding rate update, or None."""
        return self._funding_rates.get(instrument_id)

    def add_instrument_status(self, status: InstrumentStatus) -> None:
        """Keep the latest market status of the instrument."""
        self._instrument_statuses[status.instrument_id] = status

    def instrument_status(self, instrument_id: InstrumentId) -> InstrumentStatus | None:
        """Return the latest market status of the instrument, or None."""
        return self._instrument_statuses.get(instrument_id)

    # -- prices --------------------------------------------------------------------------

    def price(self, instrument_id: InstrumentId, price_type: PriceType) -> Price | None:
        """Return the latest price of `price_type`, or None when no data gives it.

        BID and ASK come from the latest quote. MID is the exact mean of that quote's
        bid and ask at one more decimal than the quote's price precision (at most 9,
        where an odd raw sum rounds half-even), so 100.0/100.1 gives 100.05, never a
        rounded 100.0 or 100.1. LAST is the latest trade's price, MARK the latest mark
        price.
        """
        if price_type is _LAST:
            buffer = self._trade_ticks.get(instrument_id)
            return buffer[-1].price if buffer else None
        if price_type is _MARK:
            return self.mark_price(instrument_id)
        if price_type is _BID or price_type is _ASK or price_type is _MID:
            quotes = self._quote_ticks.get(instrument_id)
            return quotes[-1].extract_price(price_type) if quotes else None
        raise ValueError(  # pragma: no cover - every PriceType is handled above
            f"price type {price_type!r} is not supported: expected BID, ASK, MID, LAST or MARK"
        )


__all__ = ["MarketMixin"]
