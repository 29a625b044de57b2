"""Market data for the sandbox venue: a seeded synthetic generator and CSV replay.

`SyntheticMarket` walks a mid price on the tick grid: each step (every `interval_ns`)
moves the bid by a uniform ``[-max_step_ticks, +max_step_ticks]`` ticks (never below
one tick), draws a spread of ``1..max_spread_ticks`` ticks and `depth` levels per side
with sizes of ``1..10`` lots of `lot`, and emits a book snapshot (`OrderBookDeltas`:
CLEAR then ADDs, flagged snapshot, last one F_LAST), the top-of-book `QuoteTick`, and
with probability `trade_probability` a `TradeTick` at the touch. The same seed gives
the same stream, value for value.

Replay reads quotes (``ts,bid,ask,bid_size,ask_size``) or trades (``ts,price,size,side``
with side BUY or SELL, the aggressor) from a CSV file, or from a Parquet file with
columns of those names (`load_quotes` / `load_trades` choose by the ``.parquet`` or
``.pq`` suffix). A bad row raises `CsvReplayError` naming the file and line, or
`ParquetReplayError` naming the file, column and row. Parquet needs the optional
pyarrow (``pip install 'argonaut[parquet]'``), imported only when such a file is read.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import os
import random
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from argonaut.model.book_data import F_LAST, F_SNAPSHOT, BookOrder, OrderBookDelta, OrderBookDeltas
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import AggressorSide, BookAction, OrderSide
from argonaut.model.identifiers import TradeId
from argonaut.model.instruments import Instrument
from argonaut.model.values import Price, Quantity

GeneratedData = OrderBookDeltas | QuoteTick | TradeTick

QUOTE_COLUMNS = ("ts", "bid", "ask", "bid_size", "ask_size")
TRADE_COLUMNS = ("ts", "price", "size", "side")


PARQUET_SUFFIXES = (".parquet", ".pq")
PARQUET_INSTALL = "pip install 'argonaut[parquet]'"


class ReplayFileError(ValueError):
    """A replay file cannot be read (the message names the file and where in it)."""


class CsvReplayError(ReplayFileError):
    """A replay CSV file has a bad header or row (the message names the file and line)."""


class ParquetReplayError(ReplayFileError):
    """A replay Parquet file has a missing or mistyped column or a bad value (the message
    names the file, the column and the row), or pyarrow is not installed."""


class SyntheticMarket:
    """A seeded random-walk market for one instrument (see the module docstring)."""

    def __init__(
        self,
        instrument: Instrument,
        *,
        seed: int,
        start_price: Price,
        start_ns: int,
        interval_ns: int,
        lot: Quantity | None = None,
        depth: int = 5,
        max_spread_ticks: int = 3,
        max_step_ticks: int = 2,
        trade_probability: float = 0.5,
    ) -> None:
        if interval_ns <= 0:
            raise ValueError(f"interval_ns must be > 0 (the event rate), found {interval_ns}")
        if depth < 1 or max_spread_ticks < 1 or max_step_ticks < 0:
            raise ValueError(
                f"need depth >= 1, max_spread_ticks >= 1, max_step_ticks >= 0; found {depth}, "
                f"{max_spread_ticks}, {max_step_ticks}"
            )
        if not 0.0 <= trade_probability <= 1.0:
            raise ValueError(f"trade_probability {trade_probability} must be in [0, 1]")
        instrument.check_price(start_price)
        self.instrument = instrument
        self._rng = random.Random(seed)
        self._tick = instrument.price_increment.raw
        self._bid_ticks = start_price.raw // self._tick
        self._ts = start_ns
        self._interval = interval_ns
        self._lot = instrument.size_increment if lot is None else lot
        self._depth = depth
        self._max_spread = max_spread_ticks
        self._max_step = max_step_ticks
        self._p_trade = trade_probability
        self._trades = 0
        self._sequence = 0

    @property
    def next_ts(self) -> int:
        """The timestamp of the next `step`."""
        return self._ts + self._interval

    def skip_to(self, ts: int) -> None:
        """Move on without data so the next `step` is the first interval after `ts`
        (the mid stays where it was: the feed resumes after a pause)."""
        if ts >= self._ts:
            self._ts += (ts - self._ts) // self._interval * self._interval

    def step(self) -> list[GeneratedData]:
        """Advance one interval and return its book snapshot, quote and maybe a trade."""
        rng = self._rng
        self._ts += self._interval
        ts = self._ts
        self._bid_ticks = max(1, self._bid_ticks + rng.randint(-self._max_step, self._max_step))
        spread = rng.randint(1, self._max_spread)
        iid = self.instrument.id
        prec = self.instrument.price_precision
        self._sequence += 1
        deltas = [OrderBookDelta.clear(iid, sequence=self._sequence, ts_event=ts, ts_init=ts)]
        tops: dict[OrderSide, tuple[Price, Quantity]] = {}
        for side, first, sign in (
            (OrderSide.BUY, self._bid_ticks, -1),
            (OrderSide.SELL, self._bid_ticks + spread, 1),
        ):
            for i in range(self._depth):
                ticks = first + sign * i
                if ticks < 1:
                    break
                price = Price(ticks * self._tick, prec)
                size = self._lot * rng.randint(1, 10)
                tops.setdefault(side, (price, size))
                deltas.append(
                    OrderBookDelta(
                        instrument_id=iid,
                        action=BookAction.ADD,
                        order=BookOrder(side=side, price=price, size=size),
                        flags=F_SNAPSHOT,
                        sequence=self._sequence,
                        ts_event=ts,
                        ts_init=ts,
                    )
                )
        last = deltas[-1]
        deltas[-1] = OrderBookDelta(
            instrument_id=iid,
            action=last.action,
            order=last.order,
            flags=F_SNAPSHOT | F_LAST,
            sequence=self._sequence,
            ts_event=ts,
            ts_init=ts,
        )
        (bid, bid_size), (ask, ask_size) = tops[OrderSide.BUY], tops[OrderSide.SELL]
        out: list[GeneratedData] = [
            OrderBookDeltas.from_deltas(deltas),
            QuoteTick(iid, bid, ask, bid_size, ask_size, ts, ts),
        ]
        if rng.random() < self._p_trade:
            buyer = rng.random() < 0.5
            self._trades += 1
            out.append(
                TradeTick(
                    iid,
                    ask if buyer else bid,
                    self._lot * rng.randint(1, 5),
                    AggressorSide.BUYER if buyer else AggressorSide.SELLER,
                    TradeId(f"{iid.symbol}-G{self._trades}"),
                    ts,
                    ts,
                )
            )
        return out

    def take(self, steps: int) -> list[GeneratedData]:
        """Return the data of the next `steps` intervals, in time order."""
        out: list[GeneratedData] = []
        for _ in range(steps):
            out.extend(self.step())
        return out


_Rows = Iterable[tuple[str, list[str]]]


def is_parquet(path: str | os.PathLike[str]) -> bool:
    """Return whether `path` names a Parquet file (by its suffix)."""
    return Path(path).suffix.lower() in PARQUET_SUFFIXES


def parquet_missing(path: str | os.PathLike[str]) -> str | None:
    """Return why `path`, a Parquet file, cannot be read here (pyarrow is not installed);
    None when it can, or when `path` is not a Parquet file."""
    if not is_parquet(path) or importlib.util.find_spec("pyarrow") is not None:
        return None
    return f"{path} is a Parquet file: reading it needs pyarrow ({PARQUET_INSTALL})"


def load_quotes(path: str | os.PathLike[str], instrument: Instrument) -> list[QuoteTick]:
    """Read quotes from a Parquet (``.parquet``/``.pq``) or else a CSV file."""
    if is_parquet(path):
        return load_quotes_parquet(path, instrument)
    return load_quotes_csv(path, instrument)


def load_trades(path: str | os.PathLike[str], instrument: Instrument) -> list[TradeTick]:
    """Read trades from a Parquet (``.parquet``/``.pq``) or else a CSV file."""
    if is_parquet(path):
        return load_trades_parquet(path, instrument)
    return load_trades_csv(path, instrument)


def load_quotes_csv(path: str | os.PathLike[str], instrument: Instrument) -> list[QuoteTick]:
    """Read quotes from a CSV file with columns ``ts,bid,ask,bid_size,ask_size``."""
    return _quotes(_rows(path, QUOTE_COLUMNS), instrument, CsvReplayError)


def load_trades_csv(path: str | os.PathLike[str], instrument: Instrument) -> list[TradeTick]:
    """Read trades from a CSV file with columns ``ts,price,size,side`` (side BUY/SELL)."""
    return _trades(_rows(path, TRADE_COLUMNS), instrument, CsvReplayError)


def load_quotes_parquet(path: str | os.PathLike[str], instrument: Instrument) -> list[QuoteTick]:
    """Read quotes from a Parquet file with columns ``ts,bid,ask,bid_size,ask_size``
    (other columns are ignored); needs pyarrow."""
    return _quotes(_parquet_rows(path, QUOTE_COLUMNS), instrument, ParquetReplayError)


def load_trades_parquet(path: str | os.PathLike[str], instrument: Instrument) -> list[TradeTick]:
    """Read trades from a Parquet file with columns ``ts,price,size,side`` (other columns
    are ignored); needs pyarrow."""
    return _trades(_parquet_rows(path, TRADE_COLUMNS), instrument, ParquetReplayError)


def _quotes(rows: _Rows, instrument: Instrument, err: type[ReplayFileError]) -> list[QuoteTick]:
    out: list[QuoteTick] = []
    iid = instrument.id
    for where, row in rows:
        ts = _ts(row[0], where, err)
        bid, ask = _price(row[1], instrument, where, err), _price(row[2], instrument, where, err)
        bid_size = _qty(row[3], instrument, where, err)
        ask_size = _qty(row[4], instrument, where, err)
        out.append(QuoteTick(iid, bid, ask, bid_size, ask_size, ts, ts))
    return out


def _trades(rows: _Rows, instrument: Instrument, err: type[ReplayFileError]) -> list[TradeTick]:
    out: list[TradeTick] = []
    iid = instrument.id
    for n, (where, row) in enumerate(rows, start=1):
        ts = _ts(row[0], where, err)
        price, size = _price(row[1], instrument, where, err), _qty(row[2], instrument, where, err)
        if not size.raw:
            raise err(f"{where}: trade size {row[2]!r} must be positive")
        side = row[3].strip().upper()
        if side not in ("BUY", "SELL"):
            raise err(f"{where}: side {row[3]!r} is invalid: expected BUY or SELL")
        aggressor = AggressorSide.BUYER if side == "BUY" else AggressorSide.SELLER
        out.append(TradeTick(iid, price, size, aggressor, TradeId(f"{iid.symbol}-R{n}"), ts, ts))
    return out


def _rows(path: str | os.PathLike[str], columns: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    name = Path(path)
    with open(name, newline="", encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    if not lines or tuple(c.strip() for c in lines[0]) != columns:
        found = ",".join(lines[0]) if lines else "an empty file"
        header = ",".join(columns)
        raise CsvReplayError(f"{name} line 1: expected the header {header}, found {found}")
    out: list[tuple[str, list[str]]] = []
    last_ts = -1
    for number, row in enumerate(lines[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        where = f"{name} line {number}"
        if len(row) != len(columns):
            raise CsvReplayError(
                f"{where}: expected {len(columns)} columns ({','.join(columns)}), found {len(row)}"
            )
        last_ts = _ordered_ts(row[0], where, last_ts, CsvReplayError)
        out.append((where, row))
    return out


def _parquet_rows(
    path: str | os.PathLike[str], columns: tuple[str, ...]
) -> list[tuple[str, list[str]]]:
    """Read `columns` of a Parquet file as rows of text (the CSV rows' form), each with
    where it comes from (``file row N``, N from 1)."""
    name = Path(path)
    missing = parquet_missing(name)
    if missing is not None:
        raise ParquetReplayError(missing)
    pa: Any = importlib.import_module("pyarrow")
    pq: Any = importlib.import_module("pyarrow.parquet")
    try:
        schema = pq.read_schema(name)
    except (OSError, pa.ArrowException) as e:
        raise ParquetReplayError(f"{name}: not a readable Parquet file: {e}") from None
    expected = ",".join(columns)
    for column in columns:
        if column not in schema.names:
            raise ParquetReplayError(
                f"{name}: column {column!r} is missing: expected the columns {expected}, "
                f"found {','.join(schema.names) or 'none'}"
            )
    table = pq.read_table(name, columns=list(columns))
    values: list[list[Any]] = []
    for column in columns:
        data = table.column(column)
        kind = data.type
        if column == "ts" and pa.types.is_timestamp(kind):
            data = data.cast(pa.timestamp("ns", tz=kind.tz)).cast(pa.int64())
        elif not _parquet_type_ok(pa, column, kind):
            want = (
                "integer nanoseconds or a timestamp"
                if column == "ts"
                else "a string"
                if column == "side"
                else "a number or a decimal string"
            )
            raise ParquetReplayError(f"{name}: column {column!r} has type {kind}: expected {want}")
        values.append(data.to_pylist())
    out: list[tuple[str, list[str]]] = []
    last_ts = -1
    for number, cells in enumerate(zip(*values, strict=True), start=1):
        where = f"{name} row {number}"
        row: list[str] = []
        for column, cell in zip(columns, cells, strict=True):
            if cell is None:
                raise ParquetReplayError(f"{where}: column {column!r} is null")
            if isinstance(cell, float | Decimal):  # plain digits, never an exponent
                cell = f"{Decimal(repr(cell)) if isinstance(cell, float) else cell:f}"
            row.append(cell if isinstance(cell, str) else str(cell))
        last_ts = _ordered_ts(row[0], where, last_ts, ParquetReplayError)
        out.append((where, row))
    return out


def _parquet_type_ok(pa: Any, column: str, kind: Any) -> bool:
    types = pa.types
    if column == "ts":
        return bool(types.is_integer(kind))
    if column == "side":
        return bool(types.is_string(kind) or types.is_large_string(kind))
    return bool(
        types.is_integer(kind)
        or types.is_floating(kind)
        or types.is_decimal(kind)
        or types.is_string(kind)
        or types.is_large_string(kind)
    )


def _ordered_ts(text: str, where: str, last_ts: int, err: type[ReplayFileError]) -> int:
    ts = _ts(text, where, err)
    if ts < last_ts:
        raise err(f"{where}: ts {ts} is before the previous row's ts {last_ts}")
    return ts


def _ts(text: str, where: str, err: type[ReplayFileError]) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise err(f"{where}: ts {text!r} is not an integer of nanoseconds") from None
    if value < 0:
        raise err(f"{where}: ts {value} must be >= 0")
    return value


def _price(text: str, instrument: Instrument, where: str, err: type[ReplayFileError]) -> Price:
    try:
        price = Price.from_str(text.strip())
        instrument.check_price(price)
    except ValueError as e:
        raise err(f"{where}: bad price {text!r}: {e}") from None
    return Price(price.raw, instrument.price_precision)


def _qty(text: str, instrument: Instrument, where: str, err: type[ReplayFileError]) -> Quantity:
    try:
        qty = Quantity.from_str(text.strip())
        if qty.raw % instrument.size_increment.raw:
            raise ValueError(f"not a multiple of the size increment {instrument.size_increment}")
    except ValueError as e:
        raise err(f"{where}: bad size {text!r}: {e}") from None
    return Quantity(qty.raw, instrument.size_precision)
