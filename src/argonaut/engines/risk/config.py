"""`RiskEngineConfig`: pre-trade check switches, throttle rates and notional caps."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import msgspec

from argonaut.common.errors import ConfigError
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.model.identifiers import InstrumentId

_RATE_RE = re.compile(r"^(\d+)/(\d{2,}):(\d{2}):(\d{2})$")


def parse_rate(text: str, field: str = "rate") -> tuple[int, int]:
    """Parse a throttle rate ``"N/HH:MM:SS"`` into ``(limit, interval_ns)``.

    Raise `ConfigError` unless N >= 1, minutes and seconds are below 60, and the
    interval is positive: ``"100/00:00:01"`` is 100 per second.
    """
    if not isinstance(text, str):
        raise ConfigError(
            f"{field} must be a string 'N/HH:MM:SS' such as '100/00:00:01', "
            f"found {type(text).__name__} {text!r}"
        )
    match = _RATE_RE.match(text.strip())
    if match is None:
        raise ConfigError(
            f"{field} {text!r} is not a rate: expected 'N/HH:MM:SS' such as '100/00:00:01' "
            "(at most N per interval)"
        )
    limit, hours, minutes, seconds = (int(g) for g in match.groups())
    if minutes >= 60 or seconds >= 60:
        raise ConfigError(
            f"{field} {text!r} has minutes {minutes:02d} and seconds {seconds:02d}: "
            "expected each below 60"
        )
    if limit < 1:
        raise ConfigError(f"{field} {text!r} allows no messages: expected a limit N >= 1")
    interval_ns = (hours * 3600 + minutes * 60 + seconds) * NANOS_PER_SECOND
    if interval_ns <= 0:
        raise ConfigError(f"{field} {text!r} has a zero interval: expected at least 00:00:01")
    return limit, interval_ns


def parse_notional(instrument_id: str, value: str) -> tuple[InstrumentId, Decimal]:
    """Parse one ``max_notional_per_order`` entry; raise `ConfigError` if invalid."""
    try:
        iid = InstrumentId(instrument_id)
    except (TypeError, ValueError) as e:
        raise ConfigError(
            f"max_notional_per_order key {instrument_id!r} is not an instrument id: {e}"
        ) from e
    if not isinstance(value, str):
        raise ConfigError(
            f"max_notional_per_order[{iid}] must be a decimal string such as '100000', "
            f"found {type(value).__name__} {value!r}"
        )
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise ConfigError(
            f"max_notional_per_order[{iid}] {value!r} is not a decimal number: "
            "expected e.g. '100000.50'"
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise ConfigError(
            f"max_notional_per_order[{iid}] {value!r} must be a positive finite amount"
        )
    return iid, amount


class RiskEngineConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the `RiskEngine`.

    `bypass` skips every check and throttle (commands go straight to the execution
    engine). `max_order_submit_rate` and `max_order_modify_rate` are ``"N/HH:MM:SS"``:
    at most N submits (or modifies) in any window of that length; the excess is denied
    (or its modify rejected), never queued. `max_notional_per_order` maps an instrument
    id to the largest notional (decimal string, in the instrument's quote currency) one
    order may have. `debug` logs every command at DEBUG.
    """

    bypass: bool = False
    max_order_submit_rate: str = "100/00:00:01"
    max_order_modify_rate: str = "100/00:00:01"
    max_notional_per_order: dict[str, str] = msgspec.field(default_factory=dict)
    debug: bool = False

    def __post_init__(self) -> None:
        parse_rate(self.max_order_submit_rate, "max_order_submit_rate")
        parse_rate(self.max_order_modify_rate, "max_order_modify_rate")
        for key, value in self.max_notional_per_order.items():
            parse_notional(key, value)

    def submit_rate(self) -> tuple[int, int]:
        """Return ``(limit, interval_ns)`` of `max_order_submit_rate`."""
        return parse_rate(self.max_order_submit_rate, "max_order_submit_rate")

    def modify_rate(self) -> tuple[int, int]:
        """Return ``(limit, interval_ns)`` of `max_order_modify_rate`."""
        return parse_rate(self.max_order_modify_rate, "max_order_modify_rate")

    def notional_caps(self) -> dict[InstrumentId, Decimal]:
        """Return `max_notional_per_order` parsed: instrument id -> amount."""
        return dict(parse_notional(k, v) for k, v in self.max_notional_per_order.items())
