"""Cache market data: config, instruments, ring buffers, books and prices."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from test_cache_stubs import BTC_PERP, ETH_PERP, OTHER_VENUE_PERP, perp, quote, trade

from argonaut.cache import Cache, CacheConfig, CacheView
from argonaut.common.errors import ConfigError
from argonaut.model.book import OrderBook
from argonaut.model.data import (
    Bar,
    BarType,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentStatus,
    MarkPriceUpdate,
)
from argonaut.model.enums import BookType, MarketStatusAction, PriceType
from argonaut.model.identifiers import Venue
from argonaut.model.values import USDT, Currency, Price, Quantity

# -- config ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["tick_capacity", "bar_capacity"])
@pytest.mark.parametrize("value", [0, -1])
def test_config_when_capacity_not_positive_then_config_error(field: str, value: int) -> None:
    with pytest.raises(ConfigError, match=f"CacheConfig.{field} must be a positive int"):
        CacheConfig(**{field: value})  # type: ignore[arg-type]


def test_config_when_unknown_field_decoded_then_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(b'{"tick_capacity": 5, "tick_capcity": 1}', type=CacheConfig)


def test_config_defaults() -> None:
    config = CacheConfig()
    assert (config.tick_capacity, config.bar_capacity) == (10_000, 10_000)
    assert config.drop_instruments_on_reset
    assert config.persist_account_events


def test_cache_satisfies_cache_view() -> None:
    assert isinstance(Cache(), CacheView)


# -- instruments and currencies ----------------------------------------------------------


def test_add_instrument_then_found_by_id_and_venue_and_currencies_added() -> None:
    cache = Cache()
    btc, eth, other = perp(BTC_PERP), perp(ETH_PERP), perp(OTHER_VENUE_PERP)
    for instrument in (btc, eth, other):
        cache.add_instrument(instrument)
    assert cache.instrument(BTC_PERP) is btc
    assert cache.instruments() == [btc, eth, other]
    assert cache.instruments(Venue("SIM")) == [btc, eth]
    assert cache.instrument_ids(Venue("OTHER")) == [OTHER_VENUE_PERP]
    assert cache.currency("USDT") == USDT
    assert cache.currency("XYZ") is None


def test_add_currency_then_found_by_code() -> None:
    cache = Cache()
    xyz = Currency("XYZ", 4)
    cache.add_currency(xyz)
    assert cache.currency("XYZ") is xyz
    assert cache.currencies() == [xyz]


# -- ring buffers ------------------------------------------------------------------------


def test_quotes_then_latest_first_and_capacity_bounds_the_buffer() -> None:
    cache = Cache(CacheConfig(tick_capacity=3))
    quotes = [quote(f"100.{i}", f"101.{i}", ts=i) for i in range(5)]
    for q in quotes:
        cache.add_quote_tick(q)
    assert cache.quote_ticks(BTC_PERP) == [quotes[4], quotes[3], quotes[2]]
    assert cache.quote_tick(BTC_PERP) is quotes[4]
    assert cache.quote_tick(BTC_PERP, index=2) is quotes[2]
    assert cache.quote_tick(BTC_PERP, index=3) is None
    assert cache.quote_tick_count(BTC_PERP) == 3
    assert cache.has_quote_ticks(BTC_PERP)


def test_quote_reads_when_no_data_then_empty_without_creating_a_buffer() -> None:
    cache = Cache()
    assert cache.quote_tick(ETH_PERP) is None
    assert cache.quote_ticks(ETH_PERP) == []
    assert cache.quote_tick_count(ETH_PERP) == 0
    assert not cache.has_quote_ticks(ETH_PERP)
    assert cache.stats()["quote_ticks"] == 0
    with pytest.raises(ValueError, match="index -1 is negative"):
        cache.quote_tick(ETH_PERP, index=-1)


def test_add_quote_ticks_batch_oldest_first_then_latest_first_on_read() -> None:
    cache = Cache()
    quotes = [quote("100.0", "100.1", ts=1), quote("100.2", "100.3", ts=2)]
    cache.add_quote_ticks(quotes)
    assert cache.quote_ticks(BTC_PERP) == quotes[::-1]


def test_trades_then_latest_first_and_capacity_bounds_the_buffer() -> None:
    cache = Cache(CacheConfig(tick_capacity=2))
    trades = [trade(f"100.{i}", ts=i) for i in range(3)]
    cache.add_trade_ticks(trades[:2])
    cache.add_trade_tick(trades[2])
    assert cache.trade_ticks(BTC_PERP) == [trades[2], trades[1]]
    assert cache.trade_tick(BTC_PERP) is trades[2]
    assert cache.trade_tick(BTC_PERP, 1) is trades[1]
    assert cache.trade_tick(BTC_PERP, 2) is None
    assert cache.trade_tick_count(BTC_PERP) == 2
    assert cache.has_trade_ticks(BTC_PERP)
    assert not cache.has_trade_ticks(ETH_PERP)


def _bar(bar_type: BarType, close: str, ts: int) -> Bar:
    px = Price.from_str(close)
    return Bar(
        bar_type=bar_type,
        open=px,
        high=px,
        low=px,
        close=px,
        volume=Quantity.from_str("1.000"),
        ts_event=ts,
        ts_init=ts,
    )


def test_bars_then_latest_first_per_bar_type_and_capacity_bounds() -> None:
    cache = Cache(CacheConfig(bar_capacity=2))
    minute = BarType.from_str("BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL")
    hour = BarType.from_str("ETHUSDT-PERP.SIM-1-HOUR-LAST-EXTERNAL")
    bars = [_bar(minute, f"100.{i}", i) for i in range(3)]
    cache.add_bars(bars[:2])
    cache.add_bar(bars[2])
    cache.add_bar(_bar(hour, "50.0", 1))
    assert cache.bars(minute) == [bars[2], bars[1]]
    assert cache.bar(minute) is bars[2]
    assert cache.bar(minute, 5) is None
    assert cache.bar_count(minute) == 2
    assert cache.has_bars(hour)
    assert cache.bar_types() == [minute, hour]
    assert cache.bar_types(ETH_PERP) == [hour]


# -- books and latest values -------------------------------------------------------------


def test_order_books_then_found_and_own_book_created_on_demand() -> None:
    cache = Cache()
    book = OrderBook(BTC_PERP, BookType.L2_MBP)
    cache.add_order_book(book)
    assert cache.order_book(BTC_PERP) is book
    assert cache.has_order_book(BTC_PERP)
    assert not cache.has_order_book(ETH_PERP)
    assert cache.order_book_ids() == [BTC_PERP]
    assert cache.own_order_book(BTC_PERP) is None
    own = cache.own_order_book(BTC_PERP, create=True)
    assert own is not None
    assert cache.own_order_book(BTC_PERP) is own
    assert cache.own_order_books() == [own]


def test_latest_value_updates_then_only_latest_kept() -> None:
    cache = Cache()
    for i, px in enumerate(("100.0", "101.0")):
        cache.add_mark_price(
            MarkPriceUpdate(instrument_id=BTC_PERP, value=Price.from_str(px), ts_event=i, ts_init=i)
        )
        cache.add_index_price(
            IndexPriceUpdate(
                instrument_id=BTC_PERP, value=Price.from_str(px), ts_event=i, ts_init=i
            )
        )
    assert cache.mark_price(BTC_PERP) == Price.from_str("101.0")
    assert cache.mark_price_update(BTC_PERP) is not None
    assert cache.index_price(BTC_PERP) == Price.from_str("101.0")
    assert cache.index_price_update(BTC_PERP) is not None
    assert cache.mark_price(ETH_PERP) is None
    assert cache.index_price(ETH_PERP) is None
    rate = FundingRateUpdate(instrument_id=BTC_PERP, rate=Decimal("0.0001"), ts_event=1, ts_init=1)
    cache.add_funding_rate(rate)
    assert cache.funding_rate(BTC_PERP) is rate
    status = InstrumentStatus(
        instrument_id=BTC_PERP, action=MarketStatusAction.HALT, ts_event=1, ts_init=1
    )
    cache.add_instrument_status(status)
    assert cache.instrument_status(BTC_PERP) is status
    assert cache.instrument_status(ETH_PERP) is None


# -- prices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price_type", "expected"),
    [
        (PriceType.BID, "100.0"),
        (PriceType.ASK, "100.1"),
        (PriceType.MID, "100.05"),  # exact mean, one more decimal
        (PriceType.LAST, "99.9"),
        (PriceType.MARK, "100.2"),
    ],
)
def test_price_by_type_then_from_latest_quote_trade_or_mark(
    price_type: PriceType, expected: str
) -> None:
    cache = Cache()
    cache.add_quote_tick(quote("99.0", "99.5", ts=1))
    cache.add_quote_tick(quote("100.0", "100.1", ts=2))
    cache.add_trade_tick(trade("99.9", ts=2))
    cache.add_mark_price(
        MarkPriceUpdate(
            instrument_id=BTC_PERP, value=Price.from_str("100.2"), ts_event=2, ts_init=2
        )
    )
    price = cache.price(BTC_PERP, price_type)
    assert price == Price.from_str(expected)
    assert price is not None
    assert price.precision == Price.from_str(expected).precision


@pytest.mark.parametrize("price_type", list(PriceType))
def test_price_when_no_data_then_none(price_type: PriceType) -> None:
    assert Cache().price(BTC_PERP, price_type) is None
