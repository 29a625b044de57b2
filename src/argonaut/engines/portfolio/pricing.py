"""Prices the portfolio values things at, and currency conversion rates.

Rates are exact ratios of two ints ``(numerator, denominator)``, so a conversion rounds
once, half-even, to the target currency's precision.
"""

from __future__ import annotations

from collections.abc import Mapping

from argonaut.cache import Cache
from argonaut.core.fixed import FIXED_SCALAR, RAW_STEP
from argonaut.model.enums import OrderSide, PositionSide, PriceType
from argonaut.model.identifiers import InstrumentId, Venue
from argonaut.model.orders import Order
from argonaut.model.position import div_half_even
from argonaut.model.values import Currency, Money, Price

Rate = tuple[int, int]


def position_price(
    cache: Cache,
    instrument_id: InstrumentId,
    side: PositionSide,
    *,
    use_mark_prices: bool,
    bar_closes: Mapping[InstrumentId, Price],
) -> Price | None:
    """Return the price to mark a position of `side` at, or None when nothing prices it.

    Order: the mark price (only with `use_mark_prices`), then the latest quote (bid for
    a long, ask for a short: what closing it would get), then the last trade, then the
    close of the latest external bar.
    """
    if use_mark_prices:
        mark = cache.mark_price(instrument_id)
        if mark is not None:
            return mark
    quote = cache.quote_tick(instrument_id)
    if quote is not None:
        return quote.ask_price if side is PositionSide.SHORT else quote.bid_price
    trade = cache.trade_tick(instrument_id)
    if trade is not None:
        return trade.price
    return bar_closes.get(instrument_id)


def order_lock_price(cache: Cache, order: Order) -> Price | None:
    """Return the price an open order locks at: its limit, else its trigger, else the touch.

    A BUY without a price uses the ask, a SELL the bid, else the last trade; None when
    nothing prices it (the order then locks nothing until it does).
    """
    if order.price is not None:
        return order.price
    if order.trigger_price is not None:
        return order.trigger_price
    quote = cache.quote_tick(order.instrument_id)
    if quote is not None:
        return quote.ask_price if order.side is OrderSide.BUY else quote.bid_price
    trade = cache.trade_tick(order.instrument_id)
    return None if trade is None else trade.price


def xrate(
    cache: Cache, venue: Venue, from_currency: Currency, to_currency: Currency, *, use_mark: bool
) -> Rate | None:
    """Return the rate converting `from_currency` into `to_currency`, or None.

    The rate comes from a linear instrument of `venue` trading one currency against the
    other (its mid price, or its mark price with `use_mark`; else its last trade),
    taken directly or inverted. The first such instrument in cache order that has a
    price wins.
    """
    if from_currency.code == to_currency.code:
        return (1, 1)
    src, dst = from_currency.code, to_currency.code
    for instrument in cache.instruments(venue):
        base = instrument.base_currency
        if base is None or instrument.is_inverse:
            continue
        quote = instrument.quote_currency.code
        if base.code == src and quote == dst:
            direct = True
        elif base.code == dst and quote == src:
            direct = False
        else:
            continue
        price = _rate_price(cache, instrument.id, use_mark)
        if price is None or price.raw <= 0:
            continue
        return (price.raw, FIXED_SCALAR) if direct else (FIXED_SCALAR, price.raw)
    return None


def _rate_price(cache: Cache, instrument_id: InstrumentId, use_mark: bool) -> Price | None:
    if use_mark:
        mark = cache.mark_price(instrument_id)
        if mark is not None:
            return mark
    mid = cache.price(instrument_id, PriceType.MID)
    return mid if mid is not None else cache.price(instrument_id, PriceType.LAST)


def convert(amount: Money, rate: Rate, currency: Currency) -> Money:
    """Return `amount` times `rate` in `currency`, rounded half-even once."""
    num, den = rate
    step = RAW_STEP[currency.precision]
    return Money(div_half_even(amount.raw * num, den * step) * step, currency)


__all__ = ["Rate", "convert", "order_lock_price", "position_price", "xrate"]
