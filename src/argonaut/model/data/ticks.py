"""Top-of-book quotes and trades: the hottest market data types.

Both accept positional construction and have a `from_raw` classmethod that builds the
nested values from raw ints without validation (for adapters that already trust their
input), and a `checked` classmethod that validates (for everything else).
"""

from __future__ import annotations

import msgspec

from argonaut.core.fixed import FIXED_PRECISION
from argonaut.model.enums import AggressorSide, PriceType
from argonaut.model.identifiers import InstrumentId, TradeId
from argonaut.model.values import Price, Quantity


class QuoteTick(msgspec.Struct, frozen=True, tag=True, gc=False):
    """The best bid and ask of an instrument at one moment (may be crossed or locked)."""

    instrument_id: InstrumentId
    bid_price: Price
    ask_price: Price
    bid_size: Quantity
    ask_size: Quantity
    ts_event: int
    ts_init: int

    @classmethod
    def from_raw(
        cls,
        instrument_id: InstrumentId,
        bid_raw: int,
        ask_raw: int,
        bid_size_raw: int,
        ask_size_raw: int,
        price_prec: int,
        size_prec: int,
        ts_event: int,
        ts_init: int,
    ) -> QuoteTick:
        """Build from raw ints on the 10**9 scale, unvalidated (the hot path)."""
        return cls(
            instrument_id,
            Price(bid_raw, price_prec),
            Price(ask_raw, price_prec),
            Quantity(bid_size_raw, size_prec),
            Quantity(ask_size_raw, size_prec),
            ts_event,
            ts_init,
        )

    @classmethod
    def checked(
        cls,
        instrument_id: InstrumentId,
        bid_price: Price,
        ask_price: Price,
        bid_size: Quantity,
        ask_size: Quantity,
        ts_event: int,
        ts_init: int,
    ) -> QuoteTick:
        """Build after checking types, matching precisions on each side and timestamps."""
        _check_instrument_id(instrument_id, "QuoteTick")
        for value, kind, name in (
            (bid_price, Price, "bid_price"),
            (ask_price, Price, "ask_price"),
            (bid_size, Quantity, "bid_size"),
            (ask_size, Quantity, "ask_size"),
        ):
            if not isinstance(value, kind):
                raise TypeError(
                    f"QuoteTick {name} for {instrument_id} must be a {kind.__name__}, "
                    f"found {type(value).__name__} {value!r}"
                )
        if bid_price.precision != ask_price.precision:
            raise ValueError(
                f"QuoteTick for {instrument_id}: bid_price {bid_price} and ask_price {ask_price} "
                f"have precisions {bid_price.precision} and {ask_price.precision}: they must match"
            )
        if bid_size.precision != ask_size.precision:
            raise ValueError(
                f"QuoteTick for {instrument_id}: bid_size {bid_size} and ask_size {ask_size} "
                f"have precisions {bid_size.precision} and {ask_size.precision}: they must match"
            )
        check_timestamps(ts_event, ts_init, "QuoteTick")
        return cls(instrument_id, bid_price, ask_price, bid_size, ask_size, ts_event, ts_init)

    def extract_price(self, price_type: PriceType) -> Price:
        """Return the BID, ASK or MID price; MID has one more decimal (at most 9)."""
        if price_type is PriceType.BID:
            return self.bid_price
        if price_type is PriceType.ASK:
            return self.ask_price
        if price_type is PriceType.MID:
            bid = self.bid_price
            prec = bid.precision + 1 if bid.precision < FIXED_PRECISION else FIXED_PRECISION
            return Price(_half(bid.raw + self.ask_price.raw), prec)
        raise ValueError(f"a quote has no {price_type.value} price: expected BID, ASK or MID")

    def extract_size(self, price_type: PriceType) -> Quantity:
        """Return the BID or ASK size, or for MID their mean (one more decimal, at most 9)."""
        if price_type is PriceType.BID:
            return self.bid_size
        if price_type is PriceType.ASK:
            return self.ask_size
        if price_type is PriceType.MID:
            bid = self.bid_size
            prec = bid.precision + 1 if bid.precision < FIXED_PRECISION else FIXED_PRECISION
            return Quantity(_half(bid.raw + self.ask_size.raw), prec)
        raise ValueError(f"a quote has no {price_type.value} size: expected BID, ASK or MID")

    def __str__(self) -> str:
        return (
            f"{self.instrument_id},{self.bid_price},{self.ask_price},"
            f"{self.bid_size},{self.ask_size},{self.ts_event}"
        )


class TradeTick(msgspec.Struct, frozen=True, tag=True, gc=False):
    """One trade printed by a venue."""

    instrument_id: InstrumentId
    price: Price
    size: Quantity
    aggressor_side: AggressorSide
    trade_id: TradeId
    ts_event: int
    ts_init: int

    @classmethod
    def from_raw(
        cls,
        instrument_id: InstrumentId,
        price_raw: int,
        size_raw: int,
        price_prec: int,
        size_prec: int,
        aggressor_side: AggressorSide,
        trade_id: TradeId,
        ts_event: int,
        ts_init: int,
    ) -> TradeTick:
        """Build from raw ints on the 10**9 scale, unvalidated (the hot path)."""
        return cls(
            instrument_id,
            Price(price_raw, price_prec),
            Quantity(size_raw, size_prec),
            aggressor_side,
            trade_id,
            ts_event,
            ts_init,
        )

    @classmethod
    def checked(
        cls,
        instrument_id: InstrumentId,
        price: Price,
        size: Quantity,
        aggressor_side: AggressorSide,
        trade_id: TradeId,
        ts_event: int,
        ts_init: int,
    ) -> TradeTick:
        """Build after checking types, a positive size and timestamps."""
        _check_instrument_id(instrument_id, "TradeTick")
        if not isinstance(price, Price):
            raise TypeError(f"TradeTick price must be a Price, found {type(price).__name__}")
        if not isinstance(size, Quantity):
            raise TypeError(f"TradeTick size must be a Quantity, found {type(size).__name__}")
        if size.raw <= 0:
            raise ValueError(f"TradeTick size {size} for {instrument_id} must be positive")
        if not isinstance(aggressor_side, AggressorSide):
            raise TypeError(
                f"TradeTick aggressor_side must be an AggressorSide, found {aggressor_side!r}"
            )
        if not isinstance(trade_id, TradeId):
            raise TypeError(
                f"TradeTick trade_id must be a TradeId, found {type(trade_id).__name__}"
            )
        check_timestamps(ts_event, ts_init, "TradeTick")
        return cls(instrument_id, price, size, aggressor_side, trade_id, ts_event, ts_init)

    def __str__(self) -> str:
        return (
            f"{self.instrument_id},{self.price},{self.size},"
            f"{self.aggressor_side.value},{self.trade_id},{self.ts_event}"
        )


def check_timestamps(ts_event: object, ts_init: object, what: str) -> None:
    """Raise ValueError unless both timestamps are int nanoseconds >= 0."""
    for value, name in ((ts_event, "ts_event"), (ts_init, "ts_init")):
        if type(value) is not int or value < 0:
            raise ValueError(f"{what} {name} must be an int of nanoseconds >= 0, found {value!r}")


def _check_instrument_id(instrument_id: object, what: str) -> None:
    if not isinstance(instrument_id, InstrumentId):
        raise TypeError(
            f"{what} instrument_id must be an InstrumentId, "
            f"found {type(instrument_id).__name__} {instrument_id!r}"
        )


def _half(raw_sum: int) -> int:
    # Exact below precision 9 (the sum is a multiple of 10 raw units there); at precision
    # 9 an odd sum is rounded half-even to a raw unit.
    half, odd = divmod(raw_sum, 2)
    if odd and half % 2:
        half += 1
    return half
