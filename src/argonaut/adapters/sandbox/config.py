"""Configuration of the sandbox venue: instruments, account, fees, latency, seed, state file."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from argonaut.model.enums import AccountType, OmsType
from argonaut.model.identifiers import AccountId, Venue
from argonaut.model.instruments import AnyInstrument
from argonaut.model.values import Currency, Money

NANOS_PER_MS = 1_000_000
NANOS_PER_DAY = 86_400_000_000_000


class LatencyModel(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How long venue messages take to become visible: ``fixed_ms`` plus a seeded
    uniform jitter in ``[0, jitter_ms]`` (whole nanoseconds)."""

    fixed_ms: int = 0
    jitter_ms: int = 0

    def __post_init__(self) -> None:
        for name in ("fixed_ms", "jitter_ms"):
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise ValueError(f"latency {name} must be an int >= 0 (ms), found {value!r}")


class SandboxVenueConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The sandbox venue's configuration.

    - `venue`: the venue name; every instrument must belong to it.
    - `account_type`: CASH (spot-style balances: buys pay quote, sells need base) or
      MARGIN (PnL and fees settle in the settlement currency; orders lock initial
      margin, positions maintenance margin).
    - `starting_balances`: one `Money` per currency the account starts with.
    - `maker_fee` / `taker_fee`: override every instrument's fee rate when set.
    - `latency`: the delay before each venue message is visible.
    - `seed`: seeds the latency jitter (and nothing else in the venue core).
    - `state_file`: JSON file the venue state is saved to after every change and loaded
      from at construction when it exists (None: in memory only).
    - `session_end_ns`: time of day (ns after UTC midnight) at which DAY orders expire;
      0 means midnight UTC.
    - `oms_type`: NETTING (one position per instrument) or HEDGING (positions per venue
      position id: an order given a position id trades that position, any other order
      opens a new one at its first fill, ``{venue}-P{n}``).
    """

    venue: Venue
    instruments: tuple[AnyInstrument, ...]
    starting_balances: tuple[Money, ...]
    account_type: AccountType = AccountType.MARGIN
    account_id: AccountId | None = None
    base_currency: Currency | None = None
    maker_fee: Decimal | None = None
    taker_fee: Decimal | None = None
    latency: LatencyModel = LatencyModel()
    seed: int = 0
    state_file: str | None = None
    session_end_ns: int = 0
    oms_type: OmsType = OmsType.NETTING

    def __post_init__(self) -> None:
        if not self.instruments:
            raise ValueError(
                f"sandbox venue {self.venue} has no instruments: expected at least one"
            )
        seen: set[str] = set()
        for inst in self.instruments:
            if inst.id.venue != self.venue:
                raise ValueError(
                    f"instrument {inst.id} is not on venue {self.venue}: expected instrument ids "
                    f"ending in .{self.venue}"
                )
            if inst.id in seen:
                raise ValueError(f"instrument {inst.id} is configured twice for {self.venue}")
            seen.add(inst.id)
        if not self.starting_balances:
            raise ValueError(
                f"sandbox venue {self.venue} has no starting balances: expected e.g. "
                "(Money.from_str('100000 USDT'),)"
            )
        codes = [m.currency.code for m in self.starting_balances]
        if len(set(codes)) != len(codes):
            raise ValueError(f"starting balances repeat a currency: {codes}")
        if any(m.raw < 0 for m in self.starting_balances):
            raise ValueError("starting balances must be >= 0")
        if self.account_type not in (AccountType.CASH, AccountType.MARGIN):
            raise ValueError(
                f"account_type {self.account_type.value} is not simulated: expected CASH or MARGIN"
            )
        for name in ("maker_fee", "taker_fee"):
            rate = getattr(self, name)
            if rate is not None and (not isinstance(rate, Decimal) or not rate.is_finite()):
                raise ValueError(f"{name} must be a finite Decimal, found {rate!r}")
        if self.oms_type not in (OmsType.NETTING, OmsType.HEDGING):
            raise ValueError(
                f"oms_type {self.oms_type.value} is not simulated: expected NETTING or HEDGING"
            )
        if type(self.session_end_ns) is not int or not 0 <= self.session_end_ns < NANOS_PER_DAY:
            raise ValueError(
                f"session_end_ns {self.session_end_ns!r} must be an int in [0, {NANOS_PER_DAY})"
            )

    @property
    def resolved_account_id(self) -> AccountId:
        """The account id: `account_id`, else ``{venue}-001``."""
        return self.account_id or AccountId(f"{self.venue}-001")

    def day_session_end(self, ts_ns: int) -> int:
        """Return the first DAY-session end strictly after `ts_ns`."""
        day_start = ts_ns - ts_ns % NANOS_PER_DAY
        end = day_start + self.session_end_ns
        while end <= ts_ns:
            end += NANOS_PER_DAY
        return end
