from __future__ import annotations

from collections.abc import Callable

import pytest

from argonaut.common import topics
from argonaut.common.bus import is_matching
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
)

BTC = InstrumentId("BTCUSDT-PERP.SIM")
STRATEGY = StrategyId("EMACross-001")


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (topics.quotes, "data.quotes.SIM.BTCUSDT-PERP"),
        (topics.trades, "data.trades.SIM.BTCUSDT-PERP"),
        (topics.book_deltas, "data.book.deltas.SIM.BTCUSDT-PERP"),
        (topics.book_depth, "data.book.depth.SIM.BTCUSDT-PERP"),
        (topics.mark_prices, "data.mark_prices.SIM.BTCUSDT-PERP"),
        (topics.index_prices, "data.index_prices.SIM.BTCUSDT-PERP"),
        (topics.funding_rates, "data.funding_rates.SIM.BTCUSDT-PERP"),
        (topics.instrument_status, "data.status.SIM.BTCUSDT-PERP"),
        (topics.instrument_close, "data.close.SIM.BTCUSDT-PERP"),
        (topics.instrument, "data.instrument.SIM.BTCUSDT-PERP"),
        (topics.fill_events, "events.fills.BTCUSDT-PERP.SIM"),
        (topics.cancel_events, "events.cancels.BTCUSDT-PERP.SIM"),
    ],
)
def test_instrument_topics(build: Callable[[InstrumentId], str], expected: str) -> None:
    assert build(BTC) == expected


def test_instrument_topic_when_symbol_contains_dots_then_venue_is_last_part() -> None:
    assert topics.quotes(InstrumentId("BRK.B.NYSE")) == "data.quotes.NYSE.BRK.B"


def test_instrument_topics_are_memoized_for_ids_and_equal_plain_strings() -> None:
    first = topics.quotes(BTC)
    assert topics.quotes(BTC) is first
    assert topics.quotes(InstrumentId("BTCUSDT-PERP.SIM")) is first


def test_other_topics() -> None:
    assert topics.bars("BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL") == (
        "data.bars.BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL"
    )
    assert topics.book_snapshots(BTC, 1000) == "data.book.snapshots.SIM.BTCUSDT-PERP.1000"
    assert topics.instruments(Venue("SIM")) == "data.instrument.SIM.*"
    assert topics.custom_data("MyData") == "data.MyData"
    assert topics.order_events(STRATEGY) == "events.order.EMACross-001"
    assert topics.position_events(STRATEGY) == "events.position.EMACross-001"
    assert topics.account_events(AccountId("SIM-001")) == "events.account.SIM-001"
    assert topics.risk_events() == "events.risk"
    assert topics.time_events() == "clock.time_event"
    assert topics.system_shutdown() == "commands.system.shutdown"
    assert topics.trading_commands(ClientId("EXT")) == "commands.trading.EXT"
    assert topics.execution_reports(Venue("SIM")) == "reports.execution.SIM"
    assert topics.execution_reports(Venue("SIM"), BTC) == "reports.execution.SIM.BTCUSDT-PERP"
    assert topics.order_snapshots(ClientOrderId("O-1")) == "snapshots.order.O-1"
    assert topics.position_snapshots(PositionId("P-1")) == "snapshots.position.P-1"


def test_pattern_topics_match_their_concrete_topics() -> None:
    assert is_matching(topics.order_events(STRATEGY), topics.all_order_events())
    assert is_matching(topics.position_events(STRATEGY), topics.all_position_events())
    assert is_matching(topics.instrument(BTC), topics.instruments(Venue("SIM")))
    assert not is_matching(topics.instrument(BTC), topics.instruments(Venue("BINANCE")))
    assert not is_matching(topics.position_events(STRATEGY), topics.all_order_events())


def test_endpoint_names() -> None:
    assert topics.ENDPOINTS == (
        "DataEngine.execute",
        "DataEngine.process",
        "DataEngine.request",
        "DataEngine.response",
        "RiskEngine.execute",
        "RiskEngine.process",
        "ExecEngine.execute",
        "ExecEngine.process",
        "ExecEngine.apply",
        "ExecEngine.reconcile_execution_report",
        "ExecEngine.reconcile_execution_mass_status",
        "Portfolio.update_account",
        "OrderEmulator.execute",
    )
