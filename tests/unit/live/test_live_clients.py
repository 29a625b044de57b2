"""Tests of the live client bases: lifecycle, tasks, outcomes, reports, factories."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.errors import ConfigError
from argonaut.common.logging import ERROR, WARNING, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution.client import ExecutionClient
from argonaut.live.clients import (
    ClientFactoryRegistry,
    ClientNotConnected,
    LiveDataClient,
    LiveExecutionClient,
    TransientVenueError,
    VenueRejected,
    load_factory,
)
from argonaut.model.commands import (
    GenerateFillReports,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
    SubmitOrder,
    SubmitOrderList,
    SubscribeCommand,
    UnsubscribeQuoteTicks,
)
from argonaut.model.commands.trading import (
    BatchCancelOrders,
    CancelOrder,
    ModifyOrder,
    QueryOrder,
)
from argonaut.model.enums import AccountType, OmsType
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCancelRejected,
    OrderModifyRejected,
    OrderRejected,
    OrderSubmitted,
)
from argonaut.model.identifiers import VenueOrderId
from argonaut.model.reports import FillReport, OrderStatusReport, PositionStatusReport
from argonaut.model.values import USDT
from argonaut.testkit import (
    balance,
    batch_cancel_orders,
    cancel_order,
    fill_report,
    limit_order,
    modify_order,
    order_status_report,
    position_status_report,
    query_order,
    quote,
    submit_order,
    submit_order_list,
    subscribe_quotes,
    subscribe_trades,
)
from argonaut.testkit.commands import data_command
from argonaut.testkit.ids import ACCOUNT_ID, TRADER_ID, TS
from argonaut.testkit.virtual_time import current_time_source, run_virtual

NOW = TS + 5_000_000_000


# -- fixtures and venue fakes --------------------------------------------------------------


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def log_system(sink: MemorySink) -> Iterator[LogSystem]:
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(NOW), sinks=[sink]) as system:
        yield system


def logged(sink: MemorySink, system: LogSystem, level: int = WARNING) -> list[str]:
    assert system.flush()
    return sink.messages(level)


class ScriptedVenueExec(LiveExecutionClient):
    """An execution client whose venue calls are scripted by the test."""

    def __init__(self, log_system: LogSystem, **kw: Any) -> None:
        self.events: list[Any] = []
        self.msgbus = MessageBus(TRADER_ID)
        self.clock = TestClock(NOW)
        params: dict[str, Any] = {
            "oms_type": OmsType.NETTING,
            "account_type": AccountType.MARGIN,
            "account_id": ACCOUNT_ID,
            "msgbus": self.msgbus,
            "cache": Cache(),
            "clock": self.clock,
            "uuid_factory": UUIDFactory(seed=1),
            "base_currency": USDT,
            "logger": Logger("SIM", log_system),
            "event_sink": self.events.append,
        }
        params.update(kw)
        super().__init__("SIM", "SIM", **params)
        self.calls: list[Any] = []
        self.error: BaseException | None = None
        self.connect_calls = 0
        self.disconnect_calls = 0
        self.connect_delay = 0.0

    async def _connect(self) -> None:
        self.connect_calls += 1
        if self.connect_delay:
            await asyncio.sleep(self.connect_delay)
        if self.error is not None:
            raise self.error

    async def _disconnect(self) -> None:
        self.disconnect_calls += 1

    async def _venue_call(self, command: Any) -> None:
        self.calls.append(command)
        await asyncio.sleep(0)
        if self.error is not None:
            raise self.error

    async def _submit_order(self, command: SubmitOrder) -> None:
        await self._venue_call(command)
        init = command.order_init
        self.generate_order_accepted(
            strategy_id=init.strategy_id,
            instrument_id=init.instrument_id,
            client_order_id=init.client_order_id,
            venue_order_id=VenueOrderId("V-1"),
            ts_event=self.clock.timestamp_ns(),
        )

    async def _submit_order_list(self, command: SubmitOrderList) -> None:
        await self._venue_call(command)

    async def _modify_order(self, command: ModifyOrder) -> None:
        await self._venue_call(command)

    async def _cancel_order(self, command: CancelOrder) -> None:
        await self._venue_call(command)

    async def _batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        await self._venue_call(command)

    async def _query_order(self, command: QueryOrder) -> None:
        await self._venue_call(command)


@pytest.fixture
def exec_client(log_system: LogSystem) -> ScriptedVenueExec:
    return ScriptedVenueExec(log_system)


async def settle() -> None:
    """Let scheduled tasks run to completion (a few loop turns)."""
    for _ in range(10):
        await asyncio.sleep(0)


def types(events: list[Any]) -> list[type]:
    return [type(e) for e in events]


# -- connect / disconnect ------------------------------------------------------------------


def test_connect_when_called_twice_then_connects_once(exec_client: ScriptedVenueExec) -> None:
    async def main() -> None:
        assert not exec_client.is_connected
        await exec_client.connect()
        await exec_client.connect()
        assert exec_client.is_connected
        assert exec_client.connect_calls == 1

    run_virtual(main())


def test_disconnect_when_called_twice_then_disconnects_once(
    exec_client: ScriptedVenueExec,
) -> None:
    async def main() -> None:
        await exec_client.disconnect()  # never connected: nothing to do
        assert exec_client.disconnect_calls == 0
        await exec_client.connect()
        await exec_client.disconnect()
        await exec_client.disconnect()
        assert not exec_client.is_connected
        assert exec_client.disconnect_calls == 1

    run_virtual(main())


def test_connect_when_concurrent_calls_then_one_connect(exec_client: ScriptedVenueExec) -> None:
    exec_client.connect_delay = 1.0

    async def main() -> None:
        await asyncio.gather(exec_client.connect(), exec_client.connect())
        assert exec_client.connect_calls == 1

    run_virtual(main())


def test_connect_when_slower_than_timeout_then_transient_error_and_disconnected(
    exec_client: ScriptedVenueExec,
) -> None:
    exec_client.connect_delay = 10.0

    async def main() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(TransientVenueError, match=r"did not connect within 2\.0s"):
            await exec_client.connect(timeout=2.0)
        return loop.time() - start

    assert run_virtual(main()) == pytest.approx(2.0)
    assert not exec_client.is_connected


def test_connect_when_hook_fails_then_error_propagates_and_disconnected(
    exec_client: ScriptedVenueExec,
) -> None:
    exec_client.error = OSError("refused")
    with pytest.raises(OSError, match="refused"):
        run_virtual(exec_client.connect())
    assert not exec_client.is_connected


def test_init_when_timeout_not_positive_then_value_error(log_system: LogSystem) -> None:
    with pytest.raises(ValueError, match="connect_timeout must be > 0"):
        ScriptedVenueExec(log_system, connect_timeout=0.0)


# -- tracked tasks -------------------------------------------------------------------------


def test_disconnect_when_tasks_running_then_all_cancelled(exec_client: ScriptedVenueExec) -> None:
    cancelled: list[str] = []

    async def forever(name: str) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(name)
            raise

    async def main() -> None:
        await exec_client.connect()
        tasks = [exec_client.create_task(forever(n), name=n) for n in ("a", "b", "c")]
        await asyncio.sleep(0)
        assert exec_client.task_count == 3
        await exec_client.disconnect()
        assert all(t.cancelled() for t in tasks)
        assert exec_client.task_count == 0

    run_virtual(main())
    assert cancelled == ["a", "b", "c"]


def test_create_task_when_task_completes_then_forgotten(exec_client: ScriptedVenueExec) -> None:
    async def main() -> None:
        task = exec_client.create_task(asyncio.sleep(1.0, result=7), name="short")
        assert exec_client.task_count == 1
        assert await task == 7
        await asyncio.sleep(0)
        assert exec_client.task_count == 0

    run_virtual(main())


def test_create_task_when_task_raises_then_logged_with_traceback(
    exec_client: ScriptedVenueExec, sink: MemorySink, log_system: LogSystem
) -> None:
    async def fails() -> None:
        raise RuntimeError("parser broke")

    async def main() -> None:
        exec_client.create_task(fails(), name="ws-reader")
        await settle()

    run_virtual(main())
    assert exec_client.task_error_count == 1
    errors = logged(sink, log_system, ERROR)
    assert errors == ["Task ws-reader failed: RuntimeError('parser broke')"]
    assert sink.records[-1].exc_text is not None
    assert "parser broke" in sink.records[-1].exc_text


def test_create_task_when_no_loop_then_runtime_error(exec_client: ScriptedVenueExec) -> None:
    async def work() -> None:
        pass

    with pytest.raises(RuntimeError, match="no event loop is running"):
        exec_client.create_task(work(), name="orphan")


# -- execution: commands and outcomes ------------------------------------------------------


def test_exec_client_when_checked_then_satisfies_execution_client_protocol(
    exec_client: ScriptedVenueExec,
) -> None:
    client: ExecutionClient = exec_client
    assert client.client_id == "SIM"
    assert client.venue == "SIM"
    assert client.account_id == ACCOUNT_ID
    assert client.oms_type is OmsType.NETTING


def test_submit_order_when_called_then_nothing_before_task_runs_then_submitted_and_accepted(
    exec_client: ScriptedVenueExec,
) -> None:
    order = limit_order()
    command = submit_order(order)

    async def main() -> None:
        await exec_client.connect()
        exec_client.submit_order(command)
        assert exec_client.events == []  # only scheduled
        assert exec_client.task_count == 1
        await settle()

    run_virtual(main())
    assert exec_client.calls == [command]
    assert types(exec_client.events) == [OrderSubmitted, OrderAccepted]
    submitted = exec_client.events[0]
    assert submitted.client_order_id == order.client_order_id
    assert submitted.account_id == ACCOUNT_ID
    assert submitted.trader_id == TRADER_ID
    assert submitted.ts_init == NOW
    assert exec_client.task_count == 0


def test_submit_order_when_transient_error_then_order_stays_in_flight_and_logged(
    exec_client: ScriptedVenueExec, sink: MemorySink, log_system: LogSystem
) -> None:
    order = limit_order()

    async def main() -> None:
        await exec_client.connect()
        exec_client.error = TransientVenueError("HTTP 503")
        exec_client.submit_order(submit_order(order))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderSubmitted]
    warnings = logged(sink, log_system)
    assert any("Submit of O-1 has an unknown outcome" in m for m in warnings)


def test_submit_order_when_unexpected_error_then_stays_in_flight_and_error_logged(
    exec_client: ScriptedVenueExec, sink: MemorySink, log_system: LogSystem
) -> None:
    async def main() -> None:
        await exec_client.connect()
        exec_client.error = KeyError("bad venue payload")
        exec_client.submit_order(submit_order(limit_order()))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderSubmitted]
    assert exec_client.task_error_count == 1
    assert any("bad venue payload" in m for m in logged(sink, log_system, ERROR))


def test_submit_order_when_venue_rejects_then_order_rejected(
    exec_client: ScriptedVenueExec,
) -> None:
    async def main() -> None:
        await exec_client.connect()
        exec_client.error = VenueRejected("post-only would cross", due_post_only=True)
        exec_client.submit_order(submit_order(limit_order()))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderSubmitted, OrderRejected]
    rejected = exec_client.events[1]
    assert rejected.reason == "post-only would cross"
    assert rejected.due_post_only is True


def test_submit_order_when_not_connected_then_rejected_without_venue_call(
    exec_client: ScriptedVenueExec,
) -> None:
    async def main() -> None:
        exec_client.submit_order(submit_order(limit_order()))
        await settle()

    run_virtual(main())
    assert exec_client.calls == []
    assert types(exec_client.events) == [OrderRejected]
    assert exec_client.events[0].reason == "SIM is not connected"


def test_submit_order_list_when_venue_rejects_then_every_order_rejected(
    exec_client: ScriptedVenueExec,
) -> None:
    orders = [limit_order(client_order_id="O-1"), limit_order(client_order_id="O-2")]

    async def main() -> None:
        await exec_client.connect()
        exec_client.error = VenueRejected("list refused")
        exec_client.submit_order_list(submit_order_list(orders))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderSubmitted] * 2 + [OrderRejected] * 2
    assert [e.client_order_id for e in exec_client.events[2:]] == ["O-1", "O-2"]


def test_cancel_order_when_venue_rejects_then_cancel_rejected(
    exec_client: ScriptedVenueExec,
) -> None:
    order = limit_order()

    async def main() -> None:
        await exec_client.connect()
        exec_client.error = VenueRejected("order not found")
        exec_client.cancel_order(cancel_order(order))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderCancelRejected]
    assert exec_client.events[0].reason == "order not found"
    assert exec_client.events[0].client_order_id == order.client_order_id


def test_cancel_order_when_transient_error_then_no_event_invented(
    exec_client: ScriptedVenueExec, sink: MemorySink, log_system: LogSystem
) -> None:
    async def main() -> None:
        await exec_client.connect()
        exec_client.error = TransientVenueError("timeout")
        exec_client.cancel_order(cancel_order(limit_order()))
        exec_client.modify_order(modify_order(limit_order(), price="49000.0"))
        await settle()

    run_virtual(main())
    assert exec_client.events == []
    warnings = logged(sink, log_system)
    assert any("Cancel of O-1 has an unknown outcome" in m for m in warnings)
    assert any("Modify of O-1 has an unknown outcome" in m for m in warnings)


def test_modify_order_when_venue_rejects_then_modify_rejected(
    exec_client: ScriptedVenueExec,
) -> None:
    async def main() -> None:
        await exec_client.connect()
        exec_client.error = VenueRejected("price out of band")
        exec_client.modify_order(modify_order(limit_order(), price="49000.0"))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderModifyRejected]
    assert exec_client.events[0].reason == "price out of band"


def test_batch_cancel_when_venue_rejects_then_one_cancel_rejected_per_order(
    exec_client: ScriptedVenueExec,
) -> None:
    orders = [limit_order(client_order_id="O-1"), limit_order(client_order_id="O-2")]

    async def main() -> None:
        await exec_client.connect()
        exec_client.error = VenueRejected("batch refused")
        exec_client.batch_cancel_orders(batch_cancel_orders(orders))
        await settle()

    run_virtual(main())
    assert types(exec_client.events) == [OrderCancelRejected] * 2
    assert [e.client_order_id for e in exec_client.events] == ["O-1", "O-2"]


def test_query_order_when_venue_fails_then_only_logged(
    exec_client: ScriptedVenueExec, sink: MemorySink, log_system: LogSystem
) -> None:
    async def main() -> None:
        await exec_client.connect()
        exec_client.error = TransientVenueError("HTTP 502")
        exec_client.query_order(query_order(limit_order()))
        await settle()

    run_virtual(main())
    assert exec_client.events == []
    assert any("QueryOrder failed" in m for m in logged(sink, log_system))


def test_query_order_when_not_connected_then_logged_without_venue_call(
    exec_client: ScriptedVenueExec, sink: MemorySink, log_system: LogSystem
) -> None:
    async def main() -> None:
        exec_client.query_order(query_order(limit_order()))
        await settle()

    run_virtual(main())
    assert exec_client.calls == []
    assert any("SIM is not connected" in m for m in logged(sink, log_system))


def test_exec_client_when_default_sink_then_events_reach_exec_engine_endpoint(
    log_system: LogSystem,
) -> None:
    received: list[Any] = []
    client = ScriptedVenueExec(log_system, event_sink=None)
    client.msgbus.register(topics.EXEC_ENGINE_PROCESS, received.append)

    async def main() -> None:
        await client.connect()
        client.submit_order(submit_order(limit_order()))
        await settle()

    run_virtual(main())
    assert types(received) == [OrderSubmitted, OrderAccepted]


def test_generate_account_state_when_called_then_stamped_by_clock_and_uuid_factory(
    exec_client: ScriptedVenueExec,
) -> None:
    state = exec_client.generate_account_state(
        balances=[balance()], margins=[], reported=True, ts_event=TS
    )
    assert isinstance(state, AccountState)
    assert exec_client.events == [state]
    assert state.account_id == ACCOUNT_ID
    assert state.account_type is AccountType.MARGIN
    assert state.base_currency == USDT
    assert state.ts_event == TS
    assert state.ts_init == NOW
    assert state.event_id == UUIDFactory(seed=1).generate()


# -- reports -------------------------------------------------------------------------------


class ReportingExec(ScriptedVenueExec):
    """Serves fixed reports and records the report requests."""

    def __init__(self, log_system: LogSystem, reports: tuple[list[Any], ...]) -> None:
        super().__init__(log_system)
        self.orders, self.fills, self.positions = reports
        self.requests: list[Any] = []

    async def generate_order_status_reports(
        self, command: GenerateOrderStatusReports
    ) -> list[OrderStatusReport]:
        self.requests.append(command)
        if self.error is not None:
            raise self.error
        return self.orders

    async def generate_fill_reports(self, command: GenerateFillReports) -> list[FillReport]:
        self.requests.append(command)
        return self.fills

    async def generate_position_status_reports(
        self, command: GeneratePositionStatusReports
    ) -> list[PositionStatusReport]:
        self.requests.append(command)
        return self.positions


def test_generate_mass_status_when_default_then_composes_the_three_report_lists(
    log_system: LogSystem,
) -> None:
    order = limit_order()
    report = order_status_report(order, venue_order_id="V-1")
    fill = fill_report(order, venue_order_id="V-1", trade_id="T-1")
    position = position_status_report()
    client = ReportingExec(log_system, ([report, report], [fill], [position]))

    mass = run_virtual(client.generate_mass_status(lookback_mins=60))

    assert mass is not None
    assert mass.client_id == "SIM"
    assert mass.account_id == ACCOUNT_ID
    assert mass.venue == "SIM"
    assert mass.ts_init == NOW
    assert list(mass.order_reports.values()) == [report]
    assert mass.fill_reports == {VenueOrderId("V-1"): [fill]}
    assert mass.position_reports == {position.instrument_id: [position]}
    assert types(client.requests) == [
        GenerateOrderStatusReports,
        GenerateFillReports,
        GeneratePositionStatusReports,
    ]
    start = NOW - 60 * 60 * 1_000_000_000
    assert client.requests[0].start_ns == start
    assert client.requests[0].open_only is False
    assert client.requests[1].start_ns == start


def test_generate_mass_status_when_no_lookback_then_unbounded_window(
    log_system: LogSystem,
) -> None:
    client = ReportingExec(log_system, ([], [], []))
    mass = run_virtual(client.generate_mass_status(lookback_mins=None))
    assert mass is not None
    assert mass.order_reports == {}
    assert client.requests[0].start_ns is None


def test_generate_mass_status_when_a_report_call_fails_then_none_and_logged(
    log_system: LogSystem, sink: MemorySink
) -> None:
    client = ReportingExec(log_system, ([], [], []))
    client.error = TransientVenueError("HTTP 500")
    assert run_virtual(client.generate_mass_status(lookback_mins=10)) is None
    assert any("Cannot generate the mass status" in m for m in logged(sink, log_system, ERROR))


def test_report_defaults_when_not_overridden_then_empty(exec_client: ScriptedVenueExec) -> None:
    async def main() -> tuple[Any, ...]:
        return (
            await exec_client.generate_fill_reports(
                GenerateFillReports(command_id=exec_client._uuids.generate(), ts_init=NOW)
            ),
            await exec_client.generate_position_status_reports(
                GeneratePositionStatusReports(command_id=exec_client._uuids.generate(), ts_init=NOW)
            ),
        )

    assert run_virtual(main()) == ([], [])


# -- data client ---------------------------------------------------------------------------


class ScriptedVenueData(LiveDataClient):
    """A data client that serves quotes only and records venue calls."""

    def __init__(self, log_system: LogSystem) -> None:
        self.data: list[Any] = []
        self.responses: list[Any] = []
        self.msgbus = MessageBus(TRADER_ID)
        super().__init__(
            "SIM",
            msgbus=self.msgbus,
            clock=TestClock(NOW),
            venue="SIM",
            logger=Logger("SIM-DATA", log_system),
            sink=self.data.append,
            response_sink=self.responses.append,
        )
        self.venue_calls: list[tuple[str, Any]] = []

    async def _subscribe_quote_ticks(self, command: SubscribeCommand) -> None:
        self.venue_calls.append(("subscribe", command))

    async def _unsubscribe_quote_ticks(self, command: Any) -> None:
        self.venue_calls.append(("unsubscribe", command))


@pytest.fixture
def data_client(log_system: LogSystem) -> ScriptedVenueData:
    return ScriptedVenueData(log_system)


def test_subscribe_when_called_then_schedules_venue_subscription(
    data_client: ScriptedVenueData,
) -> None:
    command = subscribe_quotes()

    async def main() -> None:
        await data_client.connect()
        data_client.subscribe(command)
        assert data_client.venue_calls == []
        await settle()

    run_virtual(main())
    assert data_client.venue_calls == [("subscribe", command)]
    assert data_client.subscriptions == [command]


def test_subscribe_when_type_not_served_then_warning_logged(
    data_client: ScriptedVenueData, sink: MemorySink, log_system: LogSystem
) -> None:
    async def main() -> None:
        await data_client.connect()
        data_client.subscribe(subscribe_trades())
        await settle()

    run_virtual(main())
    assert data_client.venue_calls == []
    warnings = logged(sink, log_system)
    assert any("does not implement _subscribe_trade_ticks" in m for m in warnings)


def test_reconnect_when_subscriptions_active_then_reissued_in_order(
    data_client: ScriptedVenueData,
) -> None:
    quotes = subscribe_quotes()
    other = data_command(type(quotes), instrument_id="ETHUSDT-PERP.SIM")
    dropped = data_command(type(quotes), instrument_id="SOLUSDT-PERP.SIM")

    async def main() -> None:
        await data_client.connect()
        for command in (quotes, other, dropped):
            data_client.subscribe(command)
        data_client.unsubscribe(
            data_command(UnsubscribeQuoteTicks, instrument_id="SOLUSDT-PERP.SIM")
        )
        await settle()
        data_client.venue_calls.clear()
        await data_client.reconnect()

    run_virtual(main())
    assert data_client.is_connected
    assert data_client.venue_calls == [("subscribe", quotes), ("subscribe", other)]


def test_handle_data_when_called_then_one_sink_call(data_client: ScriptedVenueData) -> None:
    tick = quote()
    data_client._handle_data(tick)
    assert data_client.data == [tick]


def test_data_client_when_default_sink_then_data_reaches_data_engine_endpoint(
    log_system: LogSystem,
) -> None:
    bus = MessageBus(TRADER_ID)
    received: list[Any] = []
    bus.register(topics.DATA_ENGINE_PROCESS, received.append)
    client = LiveDataClient("SIM", msgbus=bus, clock=TestClock(NOW), logger=Logger("D", None))
    tick = quote()
    client._handle_data(tick)
    assert received == [tick]


def test_data_client_when_sinks_rewired_then_responses_follow_data_sink(
    data_client: ScriptedVenueData,
) -> None:
    channel: list[Any] = []
    data_client.set_sinks(channel.append)
    tick = quote()
    data_client._handle_data(tick)
    data_client._handle_response(tick)  # type: ignore[arg-type]
    assert channel == [tick, tick]


# -- other threads -------------------------------------------------------------------------


def test_handle_data_threadsafe_when_called_from_other_thread_then_delivered_on_loop(
    data_client: ScriptedVenueData,
) -> None:
    ticks = [quote(ts=TS + i) for i in range(50)]
    loop_thread: list[int] = []

    async def main() -> None:
        await data_client.connect()
        done = asyncio.Event()
        original = data_client.data.append

        def on_loop(item: Any) -> None:
            loop_thread.append(threading.get_ident())
            original(item)
            if len(data_client.data) == len(ticks):
                done.set()

        data_client.set_sinks(on_loop)

        def venue_sdk_thread() -> None:
            for tick in ticks:
                data_client._handle_data_threadsafe(tick)

        thread = threading.Thread(target=venue_sdk_thread)
        thread.start()
        await asyncio.wait_for(done.wait(), timeout=5.0)
        thread.join()

    asyncio.run(main())
    assert data_client.data == ticks
    assert set(loop_thread) == {threading.get_ident()}


def test_call_threadsafe_when_never_connected_then_client_not_connected(
    data_client: ScriptedVenueData, exec_client: ScriptedVenueExec
) -> None:
    with pytest.raises(ClientNotConnected, match="no event loop yet"):
        data_client._handle_data_threadsafe(quote())
    with pytest.raises(ClientNotConnected):
        exec_client._send_event_threadsafe(object())


def test_sleep_when_time_source_injected_then_virtual(log_system: LogSystem) -> None:
    async def main() -> float:
        client = ScriptedVenueExec(log_system, time_source=current_time_source())
        loop = asyncio.get_running_loop()
        start = loop.time()
        await client.time_source.sleep(30.0)
        return loop.time() - start

    assert run_virtual(main()) == pytest.approx(30.0)


# -- factories -----------------------------------------------------------------------------


class SimFactory:
    """Makes scripted exec clients; makes no data clients."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def create_data_client(self, name: str, config: Any, **env: Any) -> LiveDataClient:
        raise NotImplementedError

    def create_exec_client(self, name: str, config: Any, **env: Any) -> LiveExecutionClient:
        self.made.append(name)
        return LiveExecutionClient(
            name,
            config["venue"],
            oms_type=OmsType.NETTING,
            account_type=AccountType.CASH,
            account_id=config["account_id"],
            **env,
        )


def env() -> dict[str, Any]:
    return {
        "msgbus": MessageBus(TRADER_ID),
        "cache": Cache(),
        "clock": TestClock(NOW),
        "uuid_factory": UUIDFactory(seed=2),
        "logger": Logger("factory", None),
    }


def test_registry_when_kind_registered_then_builds_exec_client() -> None:
    factory = SimFactory()
    registry = ClientFactoryRegistry({"sandbox": factory})
    client = registry.create_exec_client(
        "sandbox", "SIM", {"venue": "SIM", "account_id": "SIM-001"}, **env()
    )
    assert client.client_id == "SIM"
    assert client.account_id == "SIM-001"
    assert factory.made == ["SIM"]
    assert "sandbox" in registry
    assert list(registry) == ["sandbox"]


def test_registry_when_kind_unknown_then_config_error_lists_known_kinds() -> None:
    registry = ClientFactoryRegistry({"sandbox": SimFactory(), "binance": SimFactory()})
    with pytest.raises(ConfigError, match="unknown client factory kind 'okx'") as info:
        registry.get("okx")
    assert "expected one of 'binance', 'sandbox'" in str(info.value)


def test_registry_when_empty_then_error_lists_builtin_kinds() -> None:
    with pytest.raises(ConfigError, match="unknown client factory kind 'okx'") as info:
        ClientFactoryRegistry().get("okx")
    assert "expected one of 'sandbox'" in str(info.value)


def test_registry_when_builtin_kind_then_loaded_once_and_shared() -> None:
    registry = ClientFactoryRegistry()
    factory = registry.get("sandbox")
    assert type(factory).__name__ == "SandboxClientFactory"
    assert registry.get("sandbox") is factory
    assert ClientFactoryRegistry().get("sandbox") is not factory


def test_registry_when_factory_makes_no_data_clients_then_config_error() -> None:
    registry = ClientFactoryRegistry({"sandbox": SimFactory()})
    with pytest.raises(ConfigError, match="'sandbox' makes no data clients"):
        registry.create_data_client("sandbox", "SIM", {}, **env())


def test_registry_when_kind_registered_twice_then_value_error_unless_replace() -> None:
    registry = ClientFactoryRegistry({"sandbox": SimFactory()})
    with pytest.raises(ValueError, match="already registered"):
        registry.register("sandbox", SimFactory())
    replacement = SimFactory()
    registry.register("sandbox", replacement, replace=True)
    assert registry.get("sandbox") is replacement


@pytest.mark.parametrize("kind", ["", "pkg.mod:Factory"])
def test_registry_when_kind_invalid_then_value_error(kind: str) -> None:
    with pytest.raises(ValueError, match=r"kind .* is invalid"):
        ClientFactoryRegistry().register(kind, SimFactory())


def test_registry_when_object_not_a_factory_then_value_error() -> None:
    with pytest.raises(ValueError, match="cannot register a int"):
        ClientFactoryRegistry().register("sandbox", 3)  # type: ignore[arg-type]


def test_registries_when_two_nodes_then_independent() -> None:
    first = ClientFactoryRegistry()
    first.register("sandbox", SimFactory())
    assert ClientFactoryRegistry().kinds == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("no_colon_here", "is malformed"),
        (":Factory", "is malformed"),
        ("argonaut.live.clients:", "is malformed"),
        ("argonaut.no_such_module:Factory", "cannot import module 'argonaut.no_such_module'"),
        ("argonaut.live.clients.factories:NoSuchFactory", "has no 'NoSuchFactory'"),
        ("argonaut.cache:Cache", "names a Cache"),
        ("argonaut.live.clients.errors:VenueRejected", "cannot instantiate VenueRejected"),
    ],
)
def test_load_factory_when_path_bad_then_config_error(path: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_factory(path)


def test_registry_when_import_path_given_then_factory_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = "argonaut_test_venue_factory"
    (tmp_path / f"{module}.py").write_text(
        "class VenueFactory:\n"
        "    def create_data_client(self, name, config, **env):\n"
        "        raise NotImplementedError\n"
        "    def create_exec_client(self, name, config, **env):\n"
        "        return name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    factory = ClientFactoryRegistry().get(f"{module}:VenueFactory")
    assert type(factory).__name__ == "VenueFactory"
    assert factory.create_exec_client("X", {}, **env()) == "X"
