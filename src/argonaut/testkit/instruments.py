"""Instrument stubs: one of each kind, valid and alive at `TS`, with keyword overrides.

`btcusdt_perp()` is the W1 benchmark instrument; the others cover an inverse perpetual,
an FX pair, an equity, a dated future and an option. Any field can be overridden:
``btcusdt_perp(taker_fee=Decimal("0.0005"))``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from argonaut.model.enums import AssetClass, OptionKind
from argonaut.model.identifiers import InstrumentId, Symbol
from argonaut.model.instruments import (
    CryptoFuture,
    CryptoPerpetual,
    CurrencyPair,
    Equity,
    FuturesContract,
    OptionContract,
)
from argonaut.model.values import AUD, BTC, ETH, USD, USDT, Money, Price, Quantity
from argonaut.testkit.ids import TS

# Life of the dated stubs; `TS` (2023-11-14) lies inside each.
ES_ACTIVATION_NS = 1_694_784_600_000_000_000  # 2023-09-15T13:30:00Z
ES_EXPIRATION_NS = 1_702_650_600_000_000_000  # 2023-12-15T14:30:00Z
OPTION_ACTIVATION_NS = 1_688_112_000_000_000_000  # 2023-06-30T08:00:00Z
OPTION_EXPIRATION_NS = 1_703_836_800_000_000_000  # 2023-12-29T08:00:00Z
FUTURE_ACTIVATION_NS = OPTION_ACTIVATION_NS
FUTURE_EXPIRATION_NS = OPTION_EXPIRATION_NS


def _fields(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    fields = dict(defaults)
    fields.update(overrides)
    return fields


def btcusdt_perp(**overrides: Any) -> CryptoPerpetual:
    """Return the W1 instrument: BTCUSDT-PERP.SIM, a linear USDT-margined perpetual.

    Tick 0.1 (precision 1), step 0.001 (precision 3), quantity 0.001..1000, price
    0.1..1,000,000, no notional limits, margin 5 % / 2.5 %, fees 2 bp maker / 4 bp taker.
    """
    defaults: dict[str, Any] = {
        "id": InstrumentId("BTCUSDT-PERP.SIM"),
        "raw_symbol": Symbol("BTCUSDT"),
        "base_currency": BTC,
        "quote_currency": USDT,
        "settlement_currency": USDT,
        "price_precision": 1,
        "size_precision": 3,
        "price_increment": Price.from_str("0.1"),
        "size_increment": Quantity.from_str("0.001"),
        "min_quantity": Quantity.from_str("0.001"),
        "max_quantity": Quantity.from_str("1000.000"),
        "min_price": Price.from_str("0.1"),
        "max_price": Price.from_str("1000000.0"),
        "margin_init": Decimal("0.05"),
        "margin_maint": Decimal("0.025"),
        "maker_fee": Decimal("0.0002"),
        "taker_fee": Decimal("0.0004"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return CryptoPerpetual(**_fields(defaults, overrides))


def ethusdt_perp(**overrides: Any) -> CryptoPerpetual:
    """Return ETHUSDT-PERP.SIM: a linear perpetual with tick 0.01 and step 0.001."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("ETHUSDT-PERP.SIM"),
        "raw_symbol": Symbol("ETHUSDT"),
        "base_currency": ETH,
        "quote_currency": USDT,
        "settlement_currency": USDT,
        "price_precision": 2,
        "size_precision": 3,
        "price_increment": Price.from_str("0.01"),
        "size_increment": Quantity.from_str("0.001"),
        "min_quantity": Quantity.from_str("0.001"),
        "max_quantity": Quantity.from_str("10000.000"),
        "min_price": Price.from_str("0.01"),
        "max_price": Price.from_str("100000.00"),
        "margin_init": Decimal("0.05"),
        "margin_maint": Decimal("0.025"),
        "maker_fee": Decimal("0.0002"),
        "taker_fee": Decimal("0.0004"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return CryptoPerpetual(**_fields(defaults, overrides))


def btcusd_inverse_perp(**overrides: Any) -> CryptoPerpetual:
    """Return BTCUSD-PERP.SIM: an inverse perpetual (1 USD contracts, settled in BTC)."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("BTCUSD-PERP.SIM"),
        "raw_symbol": Symbol("BTCUSD"),
        "base_currency": BTC,
        "quote_currency": USD,
        "settlement_currency": BTC,
        "is_inverse": True,
        "price_precision": 1,
        "size_precision": 0,
        "price_increment": Price.from_str("0.5"),
        "size_increment": Quantity.from_str("1"),
        "min_quantity": Quantity.from_str("1"),
        "max_quantity": Quantity.from_str("10000000"),
        "margin_init": Decimal("0.01"),
        "margin_maint": Decimal("0.005"),
        "maker_fee": Decimal("-0.00025"),
        "taker_fee": Decimal("0.00075"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return CryptoPerpetual(**_fields(defaults, overrides))


def btcusdt_future(**overrides: Any) -> CryptoFuture:
    """Return BTCUSDT-231229.SIM: a linear BTC future expiring 2023-12-29 (W1 grids)."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("BTCUSDT-231229.SIM"),
        "raw_symbol": Symbol("BTCUSDT_231229"),
        "base_currency": BTC,
        "quote_currency": USDT,
        "settlement_currency": USDT,
        "price_precision": 1,
        "size_precision": 3,
        "price_increment": Price.from_str("0.1"),
        "size_increment": Quantity.from_str("0.001"),
        "min_quantity": Quantity.from_str("0.001"),
        "max_quantity": Quantity.from_str("1000.000"),
        "min_notional": Money.from_str("5 USDT"),
        "activation_ns": FUTURE_ACTIVATION_NS,
        "expiration_ns": FUTURE_EXPIRATION_NS,
        "margin_init": Decimal("0.05"),
        "margin_maint": Decimal("0.025"),
        "maker_fee": Decimal("0.0002"),
        "taker_fee": Decimal("0.0004"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return CryptoFuture(**_fields(defaults, overrides))


def audusd(**overrides: Any) -> CurrencyPair:
    """Return AUD/USD.SIM: an FX pair quoted to 5 decimals, traded in lots of 1000."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("AUD/USD.SIM"),
        "raw_symbol": Symbol("AUD/USD"),
        "asset_class": AssetClass.FX,
        "base_currency": AUD,
        "quote_currency": USD,
        "settlement_currency": USD,
        "price_precision": 5,
        "size_precision": 0,
        "price_increment": Price.from_str("0.00001"),
        "size_increment": Quantity.from_str("1"),
        "lot_size": Quantity.from_str("1000"),
        "min_quantity": Quantity.from_str("1000"),
        "max_quantity": Quantity.from_str("100000000"),
        "margin_init": Decimal("0.03"),
        "margin_maint": Decimal("0.03"),
        "maker_fee": Decimal("0.00002"),
        "taker_fee": Decimal("0.00002"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return CurrencyPair(**_fields(defaults, overrides))


def aapl_equity(**overrides: Any) -> Equity:
    """Return AAPL.XNAS: a US equity with tick 0.01 and whole shares."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("AAPL.XNAS"),
        "raw_symbol": Symbol("AAPL"),
        "quote_currency": USD,
        "settlement_currency": USD,
        "isin": "US0378331005",
        "price_precision": 2,
        "size_precision": 0,
        "price_increment": Price.from_str("0.01"),
        "size_increment": Quantity.from_str("1"),
        "lot_size": Quantity.from_str("100"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return Equity(**_fields(defaults, overrides))


def es_future(**overrides: Any) -> FuturesContract:
    """Return ESZ3.XCME: the E-mini S&P 500 December 2023 future (tick 0.25, x50)."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("ESZ3.XCME"),
        "raw_symbol": Symbol("ESZ3"),
        "asset_class": AssetClass.INDEX,
        "quote_currency": USD,
        "settlement_currency": USD,
        "price_precision": 2,
        "size_precision": 0,
        "price_increment": Price.from_str("0.25"),
        "size_increment": Quantity.from_str("1"),
        "multiplier": Quantity.from_str("50"),
        "underlying": "ES",
        "exchange": "XCME",
        "activation_ns": ES_ACTIVATION_NS,
        "expiration_ns": ES_EXPIRATION_NS,
        "margin_init": Decimal("0.06"),
        "margin_maint": Decimal("0.05"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return FuturesContract(**_fields(defaults, overrides))


def btc_option(**overrides: Any) -> OptionContract:
    """Return BTC-29DEC23-50000-C.DERIBIT: a BTC call struck at 50,000, premium in BTC."""
    defaults: dict[str, Any] = {
        "id": InstrumentId("BTC-29DEC23-50000-C.DERIBIT"),
        "raw_symbol": Symbol("BTC-29DEC23-50000-C"),
        "asset_class": AssetClass.CRYPTOCURRENCY,
        "quote_currency": BTC,
        "settlement_currency": BTC,
        "price_precision": 4,
        "size_precision": 1,
        "price_increment": Price.from_str("0.0005"),
        "size_increment": Quantity.from_str("0.1"),
        "min_quantity": Quantity.from_str("0.1"),
        "underlying": "BTC",
        "option_kind": OptionKind.CALL,
        "strike_price": Price.from_str("50000.0"),
        "exchange": "DERIBIT",
        "activation_ns": OPTION_ACTIVATION_NS,
        "expiration_ns": OPTION_EXPIRATION_NS,
        "maker_fee": Decimal("0.0003"),
        "taker_fee": Decimal("0.0003"),
        "ts_event": TS,
        "ts_init": TS,
    }
    return OptionContract(**_fields(defaults, overrides))


# The default instrument of every other stub (instruments are immutable: safe to share).
BTCUSDT_PERP = btcusdt_perp()

__all__ = [
    "BTCUSDT_PERP",
    "aapl_equity",
    "audusd",
    "btc_option",
    "btcusd_inverse_perp",
    "btcusdt_future",
    "btcusdt_perp",
    "es_future",
    "ethusdt_perp",
]
