from __future__ import annotations

import asyncio
from pathlib import Path

from argonaut.cli.status import NodeStatus
from argonaut.common.logging import LoggingConfig
from argonaut.live.config import DatabaseConfig, LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode
from argonaut.live.reconciliation.result import ExternalOrder, ReconciliationResult
from argonaut.model.identifiers import ClientId, InstrumentId, StrategyId, VenueOrderId
from argonaut.model.values import Currency
from argonaut.testkit.virtual_time import run_virtual


def status(*, reconciliation: bool = True) -> NodeStatus:
    config = LiveNodeConfig(
        logging=LoggingConfig(bypass_logging=True),
        exec_engine=LiveExecEngineConfig(reconciliation=reconciliation),
    )
    return NodeStatus(LiveNode(config))


def test_reconciliation_when_state_matched_then_says_nothing_to_do() -> None:
    s = status()
    s.node.reconciliation_results.append(
        ReconciliationResult(client_id=ClientId("SIM"), order_reports=3, fill_reports=5)
    )

    lines = s.reconciliation()

    assert lines[0].startswith("Reconciliation SIM: succeeded")
    assert lines[1] == (
        "  the venue reported 3 order(s), 5 fill(s), 0 position(s); "
        "the local state already matched: nothing to do"
    )


def test_reconciliation_when_events_and_external_orders_then_each_counted() -> None:
    s = status()
    result = ReconciliationResult(client_id=ClientId("SIM"), order_reports=2)
    result.count_event("OrderFilled")
    result.count_event("OrderFilled")
    result.count_event("OrderCanceled")
    result.external_orders.append(
        ExternalOrder(
            venue_order_id=VenueOrderId("V-1"),
            instrument_id=InstrumentId("BTCUSDT-PERP.SIM"),
            strategy_id=StrategyId("EXTERNAL"),
            ts_init=0,
        )
    )
    s.node.reconciliation_results.append(result)

    lines = s.reconciliation()

    assert lines[1].endswith(
        "applied 1 OrderCanceled, 2 OrderFilled, 1 external order(s) registered"
    )


def test_reconciliation_when_disabled_then_says_so() -> None:
    assert status(reconciliation=False).reconciliation() == ["Reconciliation: disabled"]


def test_line_and_summary_of_an_empty_node_then_flat_and_zero() -> None:
    s = status()

    line = s.line(now=10.0, elapsed=5.0)

    assert line == (
        "[   5.0s] positions: flat | realized: 0.00 | unrealized: 0.00 | open orders: 0 | "
        "events/s: 0"
    )
    assert s.summary(5.0)[1] == "  orders: 0 (0 filled, 0 still open)"


def test_line_when_database_configured_then_writer_queue_and_lag_shown(tmp_path: Path) -> None:
    config = LiveNodeConfig(
        logging=LoggingConfig(bypass_logging=True),
        data_dir=str(tmp_path),
        database=DatabaseConfig(path=str(tmp_path / "state.sqlite")),
    )
    s = NodeStatus(LiveNode(config))
    lines: list[str] = []

    async def scenario() -> None:
        await s.node.start()
        writer = s.node.persistence
        assert writer is not None
        s.node.kernel.cache.add_currency(Currency.from_str("USDT"))  # queued, not yet written
        lines.append(s.line(now=1.0, elapsed=1.0))
        for _ in range(1000):  # virtual seconds: the writer lingers 10 ms, then commits
            if writer.queue_depth == 0:
                break
            await asyncio.sleep(0.01)
        lines.append(s.line(now=2.0, elapsed=2.0))
        await s.node.stop()

    run_virtual(scenario())

    assert lines[0].endswith(" | events/s: 0 | db queue: 1 lag: 0.0 ms")
    assert lines[1].endswith(" | db queue: 0 lag: 0.0 ms")


def test_line_when_no_database_then_no_writer_figures() -> None:
    assert "db queue" not in status().line(now=1.0, elapsed=1.0)
