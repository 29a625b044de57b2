"""The sandbox clients' configuration: the ``config`` dict of a ``kind = "sandbox"``
client entry, parsed into `SandboxClientConfig` (unknown fields are refused).

A data client and an execution client of the same venue share one exchange; their
dicts are merged (a key both give must agree), so the account settings may sit in the
execution client's entry and the market settings in the data client's.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from argonaut.adapters.sandbox.catalogue import CATALOGUE, catalogue_instrument, default_mid
from argonaut.adapters.sandbox.config import LatencyModel, SandboxVenueConfig
from argonaut.adapters.sandbox.faults import FaultConfig
from argonaut.adapters.sandbox.marketdata import parquet_missing
from argonaut.common.errors import ConfigError
from argonaut.model.enums import AccountType, OmsType
from argonaut.model.identifiers import AccountId, InstrumentId, Venue
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.values import Currency, Money, Price

__all__ = [
    "MarketConfig",
    "ReplayConfig",
    "SandboxClientConfig",
    "merge_client_configs",
    "parse_client_config",
]


class ReplayConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Replay recorded data instead of generating it.

    `quotes_file` (``ts,bid,ask,bid_size,ask_size``) and/or `trades_file`
    (``ts,price,size,side``) for `instrument`, played at `speed` times real time
    (timestamps are moved to start now); `loop` starts over at the end. A file named
    ``*.parquet`` or ``*.pq`` is read as Parquet (needs pyarrow), any other as CSV.
    """

    instrument: str
    quotes_file: str | None = None
    trades_file: str | None = None
    speed: float = 1.0
    loop: bool = False

    def __post_init__(self) -> None:
        if self.quotes_file is None and self.trades_file is None:
            raise ValueError("market.replay needs a quotes_file or a trades_file")
        for path in (self.quotes_file, self.trades_file):
            missing = None if path is None else parquet_missing(path)
            if missing is not None:
                raise ValueError(f"market.replay: {missing}")
        if not self.speed > 0:
            raise ValueError(f"market.replay.speed must be > 0, found {self.speed}")


class MarketConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The synthetic market: `rate` book updates per second per instrument (`rates`
    overrides it per instrument id), starting mids (`start_prices`, default: the
    catalogue's), `volatility_ticks` (largest mid move per update, in ticks), spread
    and `book_depth` levels per side, and the chance of a trade per update. `replay`
    replaces the generator for its instrument."""

    rate: float = 10.0
    rates: dict[str, float] = {}
    start_prices: dict[str, str] = {}
    volatility_ticks: int = 2
    max_spread_ticks: int = 3
    book_depth: int = 5
    trade_probability: float = 0.5
    replay: ReplayConfig | None = None

    def __post_init__(self) -> None:
        for key, rate in [("rate", self.rate), *((f"rates.{k}", v) for k, v in self.rates.items())]:
            if not 0 < rate <= 10_000:
                raise ValueError(f"market.{key} must be in (0, 10000] updates/s, found {rate}")
        if self.volatility_ticks < 0 or self.max_spread_ticks < 1 or self.book_depth < 1:
            raise ValueError(
                "market needs volatility_ticks >= 0, max_spread_ticks >= 1, book_depth >= 1; "
                f"found {self.volatility_ticks}, {self.max_spread_ticks}, {self.book_depth}"
            )
        if not 0.0 <= self.trade_probability <= 1.0:
            raise ValueError(
                f"market.trade_probability must be in [0, 1], found {self.trade_probability}"
            )


class SandboxClientConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A sandbox client's settings.

    - `venue`, `instruments`: catalogue instrument ids on the venue (empty: all).
    - `account_type` (MARGIN or CASH), `account_id` (default ``{venue}-001``),
      `base_currency`, `starting_balances` (``"100000 USDT"``), `oms_type`.
    - `maker_fee` / `taker_fee`: override the instruments' fee rates.
    - `latency`: ``{fixed_ms, jitter_ms}`` before each venue message is visible.
    - `seed`: seeds latency jitter, market data and faults.
    - `state_file`: where the venue state is kept; else ``{data_dir}/sandbox-{venue}.json``
      when `data_dir` is set; else in memory only.
    - `market`: the synthetic market (or a replay); `faults`: fault injection.
    - `reconnect_delay_secs`: first wait before a client reconnects after a drop
      (doubling up to 8 times that).
    - `save_interval_secs`: the venue state is written at most this often (and when the
      venue stops), so a busy venue does not block the loop on disk writes.
    """

    venue: str = "SIM"
    instruments: list[str] = []
    account_type: AccountType = AccountType.MARGIN
    account_id: str | None = None
    base_currency: str | None = None
    starting_balances: list[str] = msgspec.field(default_factory=lambda: ["100000 USDT"])
    oms_type: OmsType = OmsType.NETTING
    maker_fee: Decimal | None = None
    taker_fee: Decimal | None = None
    latency: LatencyModel = LatencyModel(fixed_ms=2, jitter_ms=3)
    seed: int = 42
    state_file: str | None = None
    data_dir: str | None = None
    market: MarketConfig = MarketConfig()
    faults: FaultConfig = FaultConfig()
    reconnect_delay_secs: float = 0.5
    save_interval_secs: float = 0.25

    def __post_init__(self) -> None:
        Venue(self.venue)
        for iid in self.instruments:
            catalogue_instrument(iid, Venue(self.venue))
        if len(set(self.instruments)) != len(self.instruments):
            raise ValueError(f"instruments repeat an id: {self.instruments}")
        if self.oms_type not in (OmsType.NETTING, OmsType.HEDGING):
            raise ValueError(
                f"oms_type {self.oms_type.value} is not simulated: expected NETTING or HEDGING"
            )
        self.balances()
        if self.base_currency is not None:
            Currency.from_str(self.base_currency)
        for iid, px in self.market.start_prices.items():
            Price.from_str(px)
            if iid not in self.instrument_ids:
                raise ValueError(f"market.start_prices names {iid}, which is not configured")
        for iid in self.market.rates:
            if iid not in self.instrument_ids:
                raise ValueError(f"market.rates names {iid}, which is not configured")
        replay = self.market.replay
        if replay is not None and replay.instrument not in self.instrument_ids:
            raise ValueError(f"market.replay.instrument {replay.instrument} is not configured")
        if not self.save_interval_secs > 0:
            raise ValueError(f"save_interval_secs must be > 0, found {self.save_interval_secs}")
        if not self.reconnect_delay_secs > 0:
            raise ValueError(f"reconnect_delay_secs must be > 0, found {self.reconnect_delay_secs}")

    @property
    def instrument_ids(self) -> list[str]:
        """The configured instrument ids (every catalogue instrument when none is)."""
        if self.instruments:
            return list(self.instruments)
        return [f"{symbol}.{self.venue}" for symbol in CATALOGUE]

    def build_instruments(self) -> list[CryptoPerpetual]:
        """Return the configured instruments from the catalogue."""
        return [catalogue_instrument(iid, Venue(self.venue)) for iid in self.instrument_ids]

    def balances(self) -> tuple[Money, ...]:
        """Return the starting balances as money."""
        try:
            return tuple(Money.from_str(text) for text in self.starting_balances)
        except (TypeError, ValueError) as e:
            raise ValueError(
                f"starting_balances {self.starting_balances!r}: {e} (expected e.g. '100000 USDT')"
            ) from None

    def start_price(self, instrument_id: InstrumentId) -> Price:
        """Return the synthetic market's starting mid for an instrument."""
        text = self.market.start_prices.get(str(instrument_id))
        return Price.from_str(text) if text is not None else default_mid(instrument_id)

    def resolved_state_file(self) -> str | None:
        """Return the venue state file path, or None to keep the state in memory."""
        if self.state_file is not None:
            return self.state_file
        if self.data_dir is not None:
            return str(Path(self.data_dir) / f"sandbox-{self.venue}.json")
        return None

    def venue_config(self) -> SandboxVenueConfig:
        """Return the venue core's configuration."""
        return SandboxVenueConfig(
            venue=Venue(self.venue),
            instruments=tuple(self.build_instruments()),
            starting_balances=self.balances(),
            account_type=self.account_type,
            account_id=AccountId(self.account_id) if self.account_id else None,
            base_currency=(
                Currency.from_str(self.base_currency) if self.base_currency is not None else None
            ),
            maker_fee=self.maker_fee,
            taker_fee=self.taker_fee,
            latency=self.latency,
            seed=self.seed,
            state_file=self.resolved_state_file(),
            oms_type=self.oms_type,
        )


def merge_client_configs(
    name: str, first: Mapping[str, Any], second: Mapping[str, Any]
) -> dict[str, Any]:
    """Merge two clients' config dicts for one exchange; a key both give must agree.

    Raise `ConfigError` naming the key when they disagree.
    """
    merged = dict(first)
    for key, value in second.items():
        if key in merged and merged[key] != value:
            raise ConfigError(
                f"sandbox client {name!r}: the data and execution clients of venue "
                f"{merged.get('venue', 'SIM')} disagree on {key!r} ({merged[key]!r} vs "
                f"{value!r}): give it once, or the same value in both"
            )
        merged[key] = value
    return merged


def parse_client_config(name: str, config: Mapping[str, Any]) -> SandboxClientConfig:
    """Parse a client's config dict; raise `ConfigError` saying what is wrong where."""
    try:
        return msgspec.convert(dict(config), SandboxClientConfig, strict=False)
    except (msgspec.ValidationError, ValueError, TypeError) as e:
        raise ConfigError(f"sandbox client {name!r} config: {e}") from e
