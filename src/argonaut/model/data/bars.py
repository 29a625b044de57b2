"""Bars and their types: ``BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL``.

A `BarType` is an instrument plus a `BarSpecification` (step, aggregation, price type)
plus where the bars come from (the venue: EXTERNAL, or built here: INTERNAL).
"""

from __future__ import annotations

import msgspec

from argonaut.core.nanos import NANOS_PER_MILLI, NANOS_PER_SECOND
from argonaut.model.data.ticks import check_timestamps
from argonaut.model.enums import AggregationSource, BarAggregation, PriceType, enum_from_str
from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price, Quantity

_TIME_NS: dict[BarAggregation, int] = {
    BarAggregation.MILLISECOND: NANOS_PER_MILLI,
    BarAggregation.SECOND: NANOS_PER_SECOND,
    BarAggregation.MINUTE: 60 * NANOS_PER_SECOND,
    BarAggregation.HOUR: 3_600 * NANOS_PER_SECOND,
    BarAggregation.DAY: 86_400 * NANOS_PER_SECOND,
    BarAggregation.WEEK: 7 * 86_400 * NANOS_PER_SECOND,
}
_TIME_AGGREGATIONS = frozenset(_TIME_NS) | {BarAggregation.MONTH}
_BAR_TYPE_FORM = "INSTRUMENT_ID-STEP-AGGREGATION-PRICE_TYPE-SOURCE"
_BAR_TYPE_EXAMPLE = "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL"


class BarSpecification(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """How bars are cut: every `step` units of `aggregation`, from `price_type` prices."""

    step: int
    aggregation: BarAggregation
    price_type: PriceType

    def __post_init__(self) -> None:
        if type(self.step) is not int or self.step <= 0:
            raise ValueError(f"bar step {self.step!r} must be a positive int")
        if not isinstance(self.aggregation, BarAggregation):
            raise TypeError(f"bar aggregation must be a BarAggregation, found {self.aggregation!r}")
        if not isinstance(self.price_type, PriceType):
            raise TypeError(f"bar price_type must be a PriceType, found {self.price_type!r}")

    @classmethod
    def from_str(cls, value: str) -> BarSpecification:
        """Parse ``STEP-AGGREGATION-PRICE_TYPE`` such as ``1-MINUTE-LAST``."""
        parts = value.split("-")
        if len(parts) != 3:
            raise ValueError(
                f"bar specification {value!r} is invalid: expected "
                "STEP-AGGREGATION-PRICE_TYPE, e.g. '1-MINUTE-LAST'"
            )
        try:
            return _parse_spec(*parts)
        except ValueError as e:
            raise ValueError(f"bar specification {value!r} is invalid: {e}") from None

    def is_time_aggregated(self) -> bool:
        """Return True for aggregation by time (MILLISECOND ... MONTH)."""
        return self.aggregation in _TIME_AGGREGATIONS

    @property
    def timedelta_ns(self) -> int:
        """The bar duration in nanoseconds, for fixed-length time aggregations."""
        unit = _TIME_NS.get(self.aggregation)
        if unit is None:
            raise ValueError(
                f"bar specification {self} has no fixed duration: expected a MILLISECOND, "
                "SECOND, MINUTE, HOUR, DAY or WEEK aggregation"
            )
        return self.step * unit

    def __str__(self) -> str:
        return f"{self.step}-{self.aggregation.value}-{self.price_type.value}"


class BarType(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """The identity of a bar series; formats and parses as ``{instrument_id}-{spec}-{source}``."""

    instrument_id: InstrumentId
    spec: BarSpecification
    aggregation_source: AggregationSource = AggregationSource.EXTERNAL

    def __post_init__(self) -> None:
        if not isinstance(self.instrument_id, InstrumentId):
            raise TypeError(
                f"BarType instrument_id must be an InstrumentId, found {self.instrument_id!r}"
            )
        if not isinstance(self.spec, BarSpecification):
            raise TypeError(f"BarType spec must be a BarSpecification, found {self.spec!r}")
        if not isinstance(self.aggregation_source, AggregationSource):
            raise TypeError(
                "BarType aggregation_source must be an AggregationSource, "
                f"found {self.aggregation_source!r}"
            )

    @classmethod
    def from_str(cls, value: str) -> BarType:
        """Parse e.g. ``BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL`` (the symbol may hold '-')."""
        if not isinstance(value, str):
            raise TypeError(f"bar type must be a str, found {type(value).__name__}")
        parts = value.rsplit("-", 4)
        if parts[-1].upper() in PriceType.__members__:
            raise ValueError(
                f"bar type {value!r} is invalid (the aggregation source (EXTERNAL or INTERNAL) "
                f"is missing): expected {_BAR_TYPE_FORM}, e.g. '{_BAR_TYPE_EXAMPLE}'"
            )
        if len(parts) != 5 or not parts[0]:
            raise ValueError(
                f"bar type {value!r} is invalid: expected {_BAR_TYPE_FORM}, "
                f"e.g. '{_BAR_TYPE_EXAMPLE}'"
            )
        iid, step, aggregation, price_type, source = parts
        try:
            return cls(
                instrument_id=InstrumentId(iid),
                spec=_parse_spec(step, aggregation, price_type),
                aggregation_source=enum_from_str(AggregationSource, source),
            )
        except ValueError as e:
            raise ValueError(
                f"bar type {value!r} is invalid ({e}): expected {_BAR_TYPE_FORM}, "
                f"e.g. '{_BAR_TYPE_EXAMPLE}'"
            ) from None

    def is_externally_aggregated(self) -> bool:
        """Return True for bars built by the venue."""
        return self.aggregation_source is AggregationSource.EXTERNAL

    def is_internally_aggregated(self) -> bool:
        """Return True for bars built by Argonaut from ticks."""
        return self.aggregation_source is AggregationSource.INTERNAL

    def __str__(self) -> str:
        return f"{self.instrument_id}-{self.spec}-{self.aggregation_source.value}"


class Bar(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """One OHLCV bar. Build from untrusted input with `Bar.checked`."""

    bar_type: BarType
    open: Price
    high: Price
    low: Price
    close: Price
    volume: Quantity
    ts_event: int
    ts_init: int

    @classmethod
    def checked(
        cls,
        *,
        bar_type: BarType,
        open: Price,
        high: Price,
        low: Price,
        close: Price,
        volume: Quantity,
        ts_event: int,
        ts_init: int,
    ) -> Bar:
        """Build after checking types, one precision for OHLC, and low <= open, close <= high."""
        if not isinstance(bar_type, BarType):
            raise TypeError(f"Bar bar_type must be a BarType, found {bar_type!r}")
        prices = {"open": open, "high": high, "low": low, "close": close}
        for name, px in prices.items():
            if not isinstance(px, Price):
                raise TypeError(
                    f"Bar {name} for {bar_type} must be a Price, found {type(px).__name__} {px!r}"
                )
        if len({px.precision for px in prices.values()}) != 1:
            found = ", ".join(f"{n} {p} ({p.precision})" for n, p in prices.items())
            raise ValueError(f"Bar prices for {bar_type} must share one precision, found {found}")
        if not isinstance(volume, Quantity):
            raise TypeError(f"Bar volume for {bar_type} must be a Quantity, found {volume!r}")
        if high < low:
            raise ValueError(f"Bar for {bar_type}: high {high} is below low {low}")
        for name in ("open", "close"):
            px = prices[name]
            if px > high:
                raise ValueError(f"Bar for {bar_type}: {name} {px} is above high {high}")
            if px < low:
                raise ValueError(f"Bar for {bar_type}: {name} {px} is below low {low}")
        check_timestamps(ts_event, ts_init, "Bar")
        return cls(
            bar_type=bar_type,
            open=open,
            high=high,
            low=low,
            close=close,
            volume=volume,
            ts_event=ts_event,
            ts_init=ts_init,
        )

    @property
    def instrument_id(self) -> InstrumentId:
        """The instrument of the bar type."""
        return self.bar_type.instrument_id

    def __str__(self) -> str:
        return (
            f"{self.bar_type},{self.open},{self.high},{self.low},{self.close},"
            f"{self.volume},{self.ts_event}"
        )


def _parse_spec(step: str, aggregation: str, price_type: str) -> BarSpecification:
    if not step.isdigit() or not step.isascii():
        raise ValueError(f"step {step!r} is not a positive integer")
    return BarSpecification(
        step=int(step),
        aggregation=enum_from_str(BarAggregation, aggregation),
        price_type=enum_from_str(PriceType, price_type),
    )
