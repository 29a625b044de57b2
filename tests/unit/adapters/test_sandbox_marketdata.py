"""Synthetic market data determinism and CSV replay."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox_env import INST, T0, make_venue

from argonaut.adapters.sandbox import (
    CsvReplayError,
    SyntheticMarket,
    load_quotes_csv,
    load_trades_csv,
)
from argonaut.model.book_data import OrderBookDeltas
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import AggressorSide
from argonaut.model.values import Price, Quantity


def _market(seed: int) -> SyntheticMarket:
    return SyntheticMarket(
        INST, seed=seed, start_price=Price.from_str("100.0"), start_ns=T0, interval_ns=1_000_000
    )


def test_generator_same_seed_gives_same_stream():
    assert _market(42).take(200) == _market(42).take(200)
    assert _market(42).take(50) != _market(43).take(50)


def test_generator_emits_snapshot_quote_at_rate_with_valid_book():
    data = _market(1).take(100)
    quotes = [d for d in data if isinstance(d, QuoteTick)]
    snapshots = [d for d in data if isinstance(d, OrderBookDeltas)]
    assert len(quotes) == len(snapshots) == 100
    assert [q.ts_event for q in quotes] == [T0 + (i + 1) * 1_000_000 for i in range(100)]
    for q in quotes:
        assert q.bid_price < q.ask_price
        assert INST.price_on_grid(q.bid_price)
        assert INST.price_on_grid(q.ask_price)
    assert any(isinstance(d, TradeTick) for d in data)


def test_generated_data_drives_the_venue_book():
    venue = make_venue()
    data = _market(3).take(20)
    for item in data:
        venue.process(item)
    last = [d for d in data if isinstance(d, QuoteTick)][-1]
    assert venue.engines[INST.id].book.best_bid_price() == last.bid_price


def test_quotes_csv_replays_rows(tmp_path: Path):
    path = tmp_path / "quotes.csv"
    path.write_text("ts,bid,ask,bid_size,ask_size\n1,100.0,100.1,1.5,2\n2,100.1,100.2,1,1\n")
    quotes = load_quotes_csv(path, INST)
    assert [(q.ts_event, q.bid_price, q.ask_size) for q in quotes] == [
        (1, Price.from_str("100.0"), Quantity.from_str("2.000")),
        (2, Price.from_str("100.1"), Quantity.from_str("1.000")),
    ]
    assert quotes[0].bid_price.precision == 1
    assert quotes[0].bid_size.precision == 3


def test_trades_csv_replays_rows(tmp_path: Path):
    path = tmp_path / "trades.csv"
    path.write_text("ts,price,size,side\n5,100.0,0.5,BUY\n6,99.9,1,sell\n")
    trades = load_trades_csv(path, INST)
    assert [t.aggressor_side for t in trades] == [AggressorSide.BUYER, AggressorSide.SELLER]
    assert [str(t.trade_id) for t in trades] == ["BTCUSDT-PERP-R1", "BTCUSDT-PERP-R2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ts,bid,ask,bid_size,ask_size\n1,100.0,100.1,1,1\n2,100.05,100.1,1,1\n", "line 3"),
        ("ts,bid,ask,bid_size,ask_size\n1,100.0,100.1,1\n", "line 2: expected 5 columns"),
        ("ts,bid,ask,bid_size,ask_size\nx,100.0,100.1,1,1\n", "line 2: ts 'x'"),
        ("ts,bid,ask,bid_size,ask_size\n5,100.0,100.1,1,1\n4,100.0,100.1,1,1\n", "line 3: ts 4"),
        ("time,bid,ask\n", "line 1: expected the header"),
    ],
)
def test_quotes_csv_bad_row_names_the_line(tmp_path: Path, content: str, message: str):
    path = tmp_path / "quotes.csv"
    path.write_text(content)
    with pytest.raises(CsvReplayError, match=message):
        load_quotes_csv(path, INST)


def test_trades_csv_bad_side_names_the_line(tmp_path: Path):
    path = tmp_path / "trades.csv"
    path.write_text("ts,price,size,side\n1,100.0,1,BUY\n2,100.0,1,HOLD\n")
    with pytest.raises(CsvReplayError, match=r"trades.csv line 3: side 'HOLD' is invalid"):
        load_trades_csv(path, INST)


def test_synthetic_when_skipped_then_resumes_after_target_on_grid_without_data() -> None:
    market = SyntheticMarket(
        INST, seed=1, start_price=Price.from_str("100.0"), start_ns=0, interval_ns=10
    )
    assert market.next_ts == 10
    market.skip_to(35)
    assert market.next_ts == 40
    market.skip_to(5)  # never backwards
    assert market.next_ts == 40
    assert market.step()[0].ts_event == 40
