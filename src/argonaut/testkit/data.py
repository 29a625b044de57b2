"""Market data stubs: quotes, trades, bars, venue updates and order book data.

Prices and sizes are given as strings and parsed at the instrument's precisions (the
W1 instrument by default), so ``quote(bid="50000.0")`` is exact. Timestamps default to
`TS` for both ``ts_event`` and ``ts_init``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from argonaut.model.book_data import (
    F_LAST,
    F_SNAPSHOT,
    BookOrder,
    OrderBookDelta,
    OrderBookDeltas,
    OrderBookDepth10,
)
from argonaut.model.data import (
    Bar,
    BarSpecification,
    BarType,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentClose,
    InstrumentStatus,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import (
    AggregationSource,
    AggressorSide,
    BookAction,
    InstrumentCloseType,
    MarketStatusAction,
    OrderSide,
)
from argonaut.model.identifiers import TradeId
from argonaut.model.instruments import Instrument
from argonaut.model.values import Price, Quantity
from argonaut.testkit._coerce import as_decimal, as_price, as_qty
from argonaut.testkit.ids import TS
from argonaut.testkit.instruments import BTCUSDT_PERP


def _inst(instrument: Instrument | None) -> Instrument:
    return BTCUSDT_PERP if instrument is None else instrument


def _px(value: str | Price, instrument: Instrument) -> Price:
    return as_price(value, instrument.price_precision)


def _sz(value: str | Quantity, instrument: Instrument) -> Quantity:
    return as_qty(value, instrument.size_precision)


def quote(
    instrument: Instrument | None = None,
    *,
    bid: str | Price = "50000.0",
    ask: str | Price = "50000.1",
    bid_size: str | Quantity = "1.000",
    ask_size: str | Quantity = "1.000",
    ts: int = TS,
    ts_init: int | None = None,
) -> QuoteTick:
    """Return a quote (one-tick spread on the W1 instrument by default)."""
    inst = _inst(instrument)
    return QuoteTick.checked(
        inst.id,
        _px(bid, inst),
        _px(ask, inst),
        _sz(bid_size, inst),
        _sz(ask_size, inst),
        ts,
        ts if ts_init is None else ts_init,
    )


def trade(
    instrument: Instrument | None = None,
    *,
    price: str | Price = "50000.0",
    size: str | Quantity = "0.100",
    aggressor_side: AggressorSide = AggressorSide.BUYER,
    trade_id: str = "T-1",
    ts: int = TS,
    ts_init: int | None = None,
) -> TradeTick:
    """Return a trade print (a buyer-initiated 0.1 BTC at 50,000.0 by default)."""
    inst = _inst(instrument)
    return TradeTick.checked(
        inst.id,
        _px(price, inst),
        _sz(size, inst),
        aggressor_side,
        TradeId(trade_id),
        ts,
        ts if ts_init is None else ts_init,
    )


def bar_type(
    instrument: Instrument | None = None,
    *,
    spec: str = "1-MINUTE-LAST",
    source: AggregationSource = AggregationSource.EXTERNAL,
) -> BarType:
    """Return a bar type such as ``BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL``."""
    return _bar_type(_inst(instrument), spec, source)


def _bar_type(instrument: Instrument, spec: str, source: AggregationSource) -> BarType:
    return BarType(
        instrument_id=instrument.id,
        spec=BarSpecification.from_str(spec),
        aggregation_source=source,
    )


def bar(
    instrument: Instrument | None = None,
    *,
    bar_type: BarType | None = None,
    open: str | Price = "50000.0",
    high: str | Price = "50010.0",
    low: str | Price = "49990.0",
    close: str | Price = "50005.0",
    volume: str | Quantity = "12.345",
    ts: int = TS,
    ts_init: int | None = None,
) -> Bar:
    """Return a one-minute bar (validated OHLC) of the instrument."""
    inst = _inst(instrument)
    return Bar.checked(
        bar_type=_bar_type(inst, "1-MINUTE-LAST", AggregationSource.EXTERNAL)
        if bar_type is None
        else bar_type,
        open=_px(open, inst),
        high=_px(high, inst),
        low=_px(low, inst),
        close=_px(close, inst),
        volume=_sz(volume, inst),
        ts_event=ts,
        ts_init=ts if ts_init is None else ts_init,
    )


def mark_price(
    instrument: Instrument | None = None, *, value: str | Price = "50000.5", ts: int = TS
) -> MarkPriceUpdate:
    """Return a mark price update."""
    inst = _inst(instrument)
    return MarkPriceUpdate(instrument_id=inst.id, value=_px(value, inst), ts_event=ts, ts_init=ts)


def index_price(
    instrument: Instrument | None = None, *, value: str | Price = "50001.2", ts: int = TS
) -> IndexPriceUpdate:
    """Return an index price update."""
    inst = _inst(instrument)
    return IndexPriceUpdate(instrument_id=inst.id, value=_px(value, inst), ts_event=ts, ts_init=ts)


def funding_rate(
    instrument: Instrument | None = None,
    *,
    rate: str | Decimal = "0.0001",
    next_funding_ns: int | None = TS + 8 * 3_600 * 1_000_000_000,
    ts: int = TS,
) -> FundingRateUpdate:
    """Return a funding rate update (1 bp, next funding in eight hours by default)."""
    return FundingRateUpdate(
        instrument_id=_inst(instrument).id,
        rate=as_decimal(rate),
        next_funding_ns=next_funding_ns,
        ts_event=ts,
        ts_init=ts,
    )


def instrument_status(
    instrument: Instrument | None = None,
    *,
    action: MarketStatusAction = MarketStatusAction.TRADING,
    reason: str | None = None,
    is_trading: bool | None = True,
    ts: int = TS,
) -> InstrumentStatus:
    """Return a market status change (TRADING by default)."""
    return InstrumentStatus(
        instrument_id=_inst(instrument).id,
        action=action,
        reason=reason,
        is_trading=is_trading,
        ts_event=ts,
        ts_init=ts,
    )


def instrument_close(
    instrument: Instrument | None = None,
    *,
    close_price: str | Price = "50000.0",
    close_type: InstrumentCloseType = InstrumentCloseType.END_OF_SESSION,
    ts: int = TS,
) -> InstrumentClose:
    """Return an instrument close."""
    inst = _inst(instrument)
    return InstrumentClose(
        instrument_id=inst.id,
        close_price=_px(close_price, inst),
        close_type=close_type,
        ts_event=ts,
        ts_init=ts,
    )


def book_order(
    side: OrderSide = OrderSide.BUY,
    price: str | Price = "50000.0",
    size: str | Quantity = "1.000",
    order_id: int = 0,
) -> BookOrder:
    """Return a book order (an L2 level aggregate when `order_id` is 0)."""
    return BookOrder(side=side, price=as_price(price), size=as_qty(size), order_id=order_id)


def book_delta(
    instrument: Instrument | None = None,
    *,
    action: BookAction = BookAction.ADD,
    side: OrderSide = OrderSide.BUY,
    price: str | Price = "50000.0",
    size: str | Quantity = "1.000",
    order_id: int = 1,
    flags: int = F_LAST,
    sequence: int = 1,
    ts: int = TS,
) -> OrderBookDelta:
    """Return one book delta (an ADD of a bid, flagged last, by default)."""
    inst = _inst(instrument)
    order = BookOrder(side=side, price=_px(price, inst), size=_sz(size, inst), order_id=order_id)
    return OrderBookDelta(
        instrument_id=inst.id,
        action=action,
        order=order,
        flags=flags,
        sequence=sequence,
        ts_event=ts,
        ts_init=ts,
    )


def book_snapshot_deltas(
    instrument: Instrument | None = None,
    *,
    bids: Sequence[tuple[str, str]] = (("50000.0", "1.000"), ("49999.9", "2.000")),
    asks: Sequence[tuple[str, str]] = (("50000.1", "1.500"), ("50000.2", "3.000")),
    sequence: int = 1,
    ts: int = TS,
) -> OrderBookDeltas:
    """Return a snapshot batch: CLEAR, then one ADD per (price, size) level, last flagged."""
    inst = _inst(instrument)
    deltas = [OrderBookDelta.clear(inst.id, sequence=sequence, ts_event=ts, ts_init=ts)]
    levels = [(OrderSide.BUY, *lvl) for lvl in bids] + [(OrderSide.SELL, *lvl) for lvl in asks]
    for i, (side, px, sz) in enumerate(levels, start=1):
        last = i == len(levels)
        deltas.append(
            book_delta(
                inst,
                side=side,
                price=px,
                size=sz,
                order_id=i,
                flags=F_SNAPSHOT | (F_LAST if last else 0),
                sequence=sequence,
                ts=ts,
            )
        )
    return OrderBookDeltas.from_deltas(deltas)


def depth10(
    instrument: Instrument | None = None,
    *,
    best_bid: str | Price = "50000.0",
    best_ask: str | Price = "50000.1",
    levels: int = 10,
    size: str | Quantity = "1.000",
    sequence: int = 1,
    ts: int = TS,
) -> OrderBookDepth10:
    """Return a depth snapshot of `levels` levels a tick apart on each side, 1 order each."""
    inst = _inst(instrument)
    tick = inst.price_increment
    bid, ask, qty = _px(best_bid, inst), _px(best_ask, inst), _sz(size, inst)
    bids = tuple(
        BookOrder(side=OrderSide.BUY, price=bid - tick * i, size=qty) for i in range(levels)
    )
    asks = tuple(
        BookOrder(side=OrderSide.SELL, price=ask + tick * i, size=qty) for i in range(levels)
    )
    return OrderBookDepth10(
        instrument_id=inst.id,
        bids=bids,
        asks=asks,
        bid_counts=(1,) * levels,
        ask_counts=(1,) * levels,
        flags=F_SNAPSHOT | F_LAST,
        sequence=sequence,
        ts_event=ts,
        ts_init=ts,
    )


__all__ = [
    "bar",
    "bar_type",
    "book_delta",
    "book_order",
    "book_snapshot_deltas",
    "depth10",
    "funding_rate",
    "index_price",
    "instrument_close",
    "instrument_status",
    "mark_price",
    "quote",
    "trade",
]
