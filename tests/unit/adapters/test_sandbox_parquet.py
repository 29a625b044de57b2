"""Replay from Parquet files: same columns and checks as CSV, pyarrow optional."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sandbox_env import INST
from sandbox_live_env import replayed_quotes

from argonaut.adapters.sandbox import (
    ParquetReplayError,
    ReplayFileError,
    load_quotes,
    load_quotes_csv,
    load_quotes_parquet,
    load_trades,
    load_trades_parquet,
)
from argonaut.adapters.sandbox.settings import ReplayConfig
from argonaut.model.enums import AggressorSide
from argonaut.model.values import Price, Quantity
from argonaut.testkit.virtual_time import run_virtual


def write(path: Path, columns: dict[str, Any]) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def quotes_table(**overrides: Any) -> dict[str, Any]:
    return {
        "ts": pa.array([1, 2], pa.int64()),
        "bid": [100.0, 100.1],
        "ask": [100.1, 100.2],
        "bid_size": [1.5, 1.0],
        "ask_size": [2.0, 1.0],
        **overrides,
    }


def test_quotes_parquet_when_float_columns_then_same_quotes_as_csv(tmp_path: Path) -> None:
    path = write(tmp_path / "quotes.parquet", quotes_table())
    csv = tmp_path / "quotes.csv"
    csv.write_text("ts,bid,ask,bid_size,ask_size\n1,100.0,100.1,1.5,2\n2,100.1,100.2,1,1\n")

    quotes = load_quotes_parquet(path, INST)

    assert quotes == load_quotes_csv(csv, INST)
    assert [(q.ts_event, q.bid_price, q.ask_size) for q in quotes] == [
        (1, Price.from_str("100.0"), Quantity.from_str("2.000")),
        (2, Price.from_str("100.1"), Quantity.from_str("1.000")),
    ]
    assert quotes[0].bid_price.precision == 1
    assert quotes[0].bid_size.precision == 3


def test_quotes_parquet_when_decimal_string_and_timestamp_columns_then_read(
    tmp_path: Path,
) -> None:
    columns = quotes_table(
        ts=pa.array([1_000, 2_000], pa.timestamp("us", tz="UTC")),
        bid=pa.array([Decimal("100.0"), Decimal("100.1")], pa.decimal128(10, 1)),
        ask=["100.1", "100.2"],
        bid_size=pa.array([1, 2], pa.int32()),
        note=["extra columns", "are ignored"],
    )
    path = write(tmp_path / "quotes.pq", columns)

    quotes = load_quotes(path, INST)  # chosen by the suffix

    assert [q.ts_event for q in quotes] == [1_000_000, 2_000_000]  # microseconds to ns
    assert [str(q.bid_price) for q in quotes] == ["100.0", "100.1"]
    assert [str(q.ask_price) for q in quotes] == ["100.1", "100.2"]
    assert [str(q.bid_size) for q in quotes] == ["1.000", "2.000"]


def test_trades_parquet_when_read_then_aggressor_and_ids_as_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path / "trades.parquet",
        {"ts": [5, 6], "price": [100.0, 99.9], "size": [0.5, 1.0], "side": ["BUY", "sell"]},
    )

    trades = load_trades(path, INST)

    assert [t.aggressor_side for t in trades] == [AggressorSide.BUYER, AggressorSide.SELLER]
    assert [str(t.trade_id) for t in trades] == ["BTCUSDT-PERP-R1", "BTCUSDT-PERP-R2"]
    assert [str(t.size) for t in trades] == ["0.500", "1.000"]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            {k: v for k, v in quotes_table().items() if k != "ask"},
            r"quotes.parquet: column 'ask' is missing: expected the columns ts,bid,ask,",
        ),
        (
            quotes_table(ts=[1.0, 2.0]),
            r"quotes.parquet: column 'ts' has type double: expected integer nanoseconds",
        ),
        (
            quotes_table(bid=[True, False]),
            r"quotes.parquet: column 'bid' has type bool: expected a number",
        ),
        (quotes_table(bid=[100.0, 100.05]), r"quotes.parquet row 2: bad price '100.05'"),
        (quotes_table(ask=[100.1, None]), r"quotes.parquet row 2: column 'ask' is null"),
        (quotes_table(ts=[5, 4]), r"quotes.parquet row 2: ts 4 is before the previous row's ts 5"),
        (quotes_table(ts=[-1, 4]), r"quotes.parquet row 1: ts -1 must be >= 0"),
    ],
)
def test_quotes_parquet_when_bad_then_error_names_file_and_column_or_row(
    tmp_path: Path, columns: dict[str, Any], message: str
) -> None:
    path = write(tmp_path / "quotes.parquet", columns)
    with pytest.raises(ParquetReplayError, match=message):
        load_quotes(path, INST)


def test_trades_parquet_when_side_not_text_or_invalid_then_error_names_column(
    tmp_path: Path,
) -> None:
    trades = {"ts": [1, 2], "price": [100.0, 100.0], "size": [1.0, 1.0]}
    numeric = write(tmp_path / "numeric.parquet", {**trades, "side": [1, 2]})
    invalid = write(tmp_path / "invalid.parquet", {**trades, "side": ["BUY", "HOLD"]})

    with pytest.raises(ParquetReplayError, match=r"numeric.parquet: column 'side' has type int64"):
        load_trades_parquet(numeric, INST)
    with pytest.raises(ParquetReplayError, match=r"invalid.parquet row 2: side 'HOLD' is invalid"):
        load_trades_parquet(invalid, INST)


def test_parquet_when_not_a_parquet_file_then_error_names_file(tmp_path: Path) -> None:
    path = tmp_path / "quotes.parquet"
    path.write_text("ts,bid,ask,bid_size,ask_size\n1,100.0,100.1,1,1\n")
    with pytest.raises(ParquetReplayError, match=r"quotes.parquet: not a readable Parquet file"):
        load_quotes(path, INST)


def test_parquet_when_pyarrow_missing_then_error_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "quotes.parquet", quotes_table())
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    install = r"needs pyarrow \(pip install 'argonaut\[parquet\]'\)"

    with pytest.raises(ParquetReplayError, match=rf"quotes.parquet is a Parquet file: .*{install}"):
        load_quotes(path, INST)
    with pytest.raises(ReplayFileError):
        load_trades(path, INST)
    with pytest.raises(ValueError, match=rf"market.replay: .*quotes.parquet .*{install}"):
        ReplayConfig(instrument="BTCUSDT-PERP.SIM", quotes_file=str(path))
    # A CSV replay does not need pyarrow.
    assert ReplayConfig(instrument="BTCUSDT-PERP.SIM", quotes_file="q.csv").quotes_file == "q.csv"


def test_replay_config_when_parquet_and_pyarrow_installed_then_accepted() -> None:
    config = msgspec.convert(
        {"instrument": "BTCUSDT-PERP.SIM", "trades_file": "t.parquet"}, ReplayConfig
    )
    assert config.trades_file == "t.parquet"


def test_exchange_when_parquet_replay_then_file_played_at_speed_on_node_clock(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "quotes.parquet",
        quotes_table(
            ts=[1_000_000_000, 3_000_000_000, 5_000_000_000],
            bid=[50000.0, 50001.0, 50002.0],
            ask=[50000.5, 50001.5, 50002.5],
            bid_size=[1.0, 1.0, 1.0],
            ask_size=[1.0, 1.0, 1.0],
        ),
    )

    replay = {"instrument": "BTCUSDT-PERP.SIM", "quotes_file": str(path), "speed": 2.0}
    played = run_virtual(replayed_quotes(replay))
    # The first quote plays when the venue starts, before the subscription lands.
    assert played == [(1_000_000_000, "50001.0"), (2_000_000_000, "50002.0")]
