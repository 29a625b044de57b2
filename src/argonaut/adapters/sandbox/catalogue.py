"""The sandbox's built-in instrument catalogue: realistic linear USDT perpetuals.

A client config names instruments by id (``BTCUSDT-PERP.SIM``); the symbol picks the
catalogue entry and the venue part is the configured venue, so the same catalogue
serves a venue called ``SIM`` or ``PAPER``. Each entry also carries a plausible
starting mid price for the synthetic market.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from argonaut.model.identifiers import InstrumentId, Symbol, Venue
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.values import BTC, ETH, USDT, Currency, Price, Quantity


def _perp(
    symbol: str,
    venue: Venue,
    base: Currency,
    *,
    price_precision: int,
    size_precision: int,
    max_quantity: str,
    max_price: str,
) -> CryptoPerpetual:
    tick = Price(10 ** (9 - price_precision), price_precision)
    step = Quantity(10 ** (9 - size_precision), size_precision)
    return CryptoPerpetual(
        id=InstrumentId(f"{symbol}-PERP.{venue}"),
        raw_symbol=Symbol(symbol),
        base_currency=base,
        quote_currency=USDT,
        settlement_currency=USDT,
        price_precision=price_precision,
        size_precision=size_precision,
        price_increment=tick,
        size_increment=step,
        min_quantity=step,
        max_quantity=Quantity.from_str(max_quantity),
        min_price=tick,
        max_price=Price.from_str(max_price),
        margin_init=Decimal("0.05"),
        margin_maint=Decimal("0.025"),
        maker_fee=Decimal("0.0002"),
        taker_fee=Decimal("0.0004"),
        ts_event=0,
        ts_init=0,
    )


def _btcusdt(venue: Venue) -> CryptoPerpetual:
    return _perp(
        "BTCUSDT",
        venue,
        BTC,
        price_precision=1,
        size_precision=3,
        max_quantity="1000.000",
        max_price="1000000.0",
    )


def _ethusdt(venue: Venue) -> CryptoPerpetual:
    return _perp(
        "ETHUSDT",
        venue,
        ETH,
        price_precision=2,
        size_precision=3,
        max_quantity="10000.000",
        max_price="100000.00",
    )


CATALOGUE: dict[str, tuple[Callable[[Venue], CryptoPerpetual], str]] = {
    "BTCUSDT-PERP": (_btcusdt, "50000.0"),
    "ETHUSDT-PERP": (_ethusdt, "3000.00"),
}
"""Symbol -> (builder for a venue, default starting mid price)."""


def catalogue_instrument(instrument_id: str, venue: Venue) -> CryptoPerpetual:
    """Return the catalogue instrument `instrument_id` (``SYMBOL.VENUE``) on `venue`.

    Raise `ValueError` when the id is malformed, on another venue, or not in the catalogue.
    """
    symbol, dot, on = instrument_id.rpartition(".")
    if not dot or not symbol:
        raise ValueError(
            f"instrument {instrument_id!r} is not an instrument id: expected SYMBOL.VENUE "
            f"such as BTCUSDT-PERP.{venue}"
        )
    if on != venue:
        raise ValueError(f"instrument {instrument_id} is not on venue {venue}: expected .{venue}")
    entry = CATALOGUE.get(symbol)
    if entry is None:
        known = ", ".join(f"{s}.{venue}" for s in CATALOGUE)
        raise ValueError(
            f"instrument {instrument_id} is not in the sandbox catalogue: expected one of {known}"
        )
    return entry[0](venue)


def default_mid(instrument_id: InstrumentId) -> Price:
    """Return the catalogue's starting mid price for an instrument."""
    return Price.from_str(CATALOGUE[instrument_id.symbol][1])


__all__ = ["CATALOGUE", "catalogue_instrument", "default_mid"]
