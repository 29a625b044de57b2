"""A real `LiveNode` trading on the sandbox venue under virtual time, with faults."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argonaut.adapters.sandbox.data_client import SandboxDataClient
from argonaut.adapters.sandbox.exchange import SandboxExchange
from argonaut.adapters.sandbox.exec_client import SandboxExecutionClient
from argonaut.adapters.sandbox.factory import SandboxClientFactory
from argonaut.common.logging import LoggingConfig, MemorySink
from argonaut.live.config import LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode, kernel_config
from argonaut.live.timesource import VirtualTimeSource
from argonaut.model.data import BarType, QuoteTick
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.events.order import OrderCanceled, OrderFilled, OrderRejected
from argonaut.model.identifiers import ClientOrderId, InstrumentId, PositionId
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.system import Kernel
from argonaut.testkit import TS
from argonaut.testkit.virtual_time import run_virtual
from argonaut.trading import Strategy, StrategyConfig

BTC = InstrumentId("BTCUSDT-PERP.SIM")
ETH = InstrumentId("ETHUSDT-PERP.SIM")


class Trader(Strategy):
    """Subscribes to BTC quotes; the test places orders through it."""

    def __init__(self) -> None:
        super().__init__(StrategyConfig(order_id_tag="001", log_events=False, log_commands=False))
        self.quotes: list[QuoteTick] = []
        self.rejected: list[OrderRejected] = []
        self.canceled: list[OrderCanceled] = []
        self.fills: list[OrderFilled] = []
        self.bars: list[Any] = []
        self.bar_type: str | None = None

    def on_start(self) -> None:
        self.subscribe_quote_ticks(BTC)
        if self.bar_type is not None:
            self.subscribe_bars(BarType.from_str(self.bar_type))

    def on_bar(self, bar: Any) -> None:
        self.bars.append(bar)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.quotes.append(tick)

    def on_order_rejected(self, event: OrderRejected) -> None:
        self.rejected.append(event)

    def on_order_canceled(self, event: OrderCanceled) -> None:
        self.canceled.append(event)

    def on_order_filled(self, event: OrderFilled) -> None:
        self.fills.append(event)

    def buy(self, qty: str = "0.010") -> Order:
        order = self.factory.market(BTC, OrderSide.BUY, Quantity.from_str(qty))
        self.submit_order(order)
        return order

    def bid(self, price: str = "40000.0", qty: str = "0.010") -> Order:
        order = self.factory.limit(
            BTC, OrderSide.BUY, Quantity.from_str(qty), Price.from_str(price)
        )
        self.submit_order(order)
        return order


@dataclass
class Env:
    node: LiveNode
    factory: SandboxClientFactory
    data: SandboxDataClient
    execution: SandboxExecutionClient
    trader: Trader
    logs: MemorySink

    @property
    def exchange(self) -> SandboxExchange:
        return self.factory.exchange("SIM")

    def order(self, coid: ClientOrderId) -> Order:
        order = self.node.kernel.cache.order(coid)
        assert order is not None
        return order

    def text(self) -> str:
        self.node.kernel.log_system.flush()
        return "\n".join(self.logs.messages())


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


def make_env(*, exec_engine: dict[str, Any] | None = None, **sandbox: Any) -> Env:
    """Build a node with both sandbox clients of venue SIM and a `Trader` (call inside a
    virtual-time loop)."""
    logs = MemorySink()
    cfg = LiveNodeConfig(
        trader_id="TESTER-001",
        timeout_connection=5.0,
        delay_post_stop=0.5,
        timeout_disconnection=2.0,
        logging=LoggingConfig(log_level="INFO", log_colors=False),
        exec_engine=LiveExecEngineConfig(
            reconciliation_startup_delay_secs=1.0, **(exec_engine or {})
        ),
    )
    time_source = VirtualTimeSource(TS)
    kernel = Kernel(
        kernel_config(cfg),
        time_source=time_source.time_ns,
        log_sinks=[logs],
        stdout=_Null(),
        stderr=_Null(),
    )
    node = LiveNode(cfg, time_source=time_source, kernel=kernel)
    k = node.kernel
    factory = SandboxClientFactory()
    config = {
        "venue": "SIM",
        "instruments": ["BTCUSDT-PERP.SIM", "ETHUSDT-PERP.SIM"],
        "base_currency": "USDT",
        "latency": {"fixed_ms": 5, "jitter_ms": 5},
        **sandbox,
    }
    common: dict[str, Any] = {
        "msgbus": k.msgbus,
        "cache": k.cache,
        "clock": k.clock,
        "uuid_factory": k.uuid_factory,
    }
    data = factory.create_data_client("SIM", config, logger=k.logger("SIM-data"), **common)
    execution = factory.create_exec_client("SIM", config, logger=k.logger("SIM-exec"), **common)
    node.add_data_client(data)
    node.add_exec_client(execution)
    trader = Trader()
    node.add_strategy(trader)
    return Env(node, factory, data, execution, trader, logs)


async def until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Sleep (virtual time) until `predicate()` holds; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"still false after {timeout} virtual seconds"
        await asyncio.sleep(0.05)


def run(env_factory: Callable[[], Env], driver: Callable[[Env], Awaitable[Any]]) -> Any:
    """Run a node until `driver` returns (then stop it); return the driver's result."""

    async def main() -> Any:
        env = env_factory()
        handle = env.node.handle()
        result: list[Any] = []

        async def drive() -> None:
            try:
                await until(lambda: handle.is_running)
                await until(lambda: len(env.trader.quotes) >= 5)
                result.append(await driver(env))
            finally:
                handle.stop()

        task = asyncio.ensure_future(drive())
        await env.node.run()
        await task
        return result[0]

    return run_virtual(main())


# -- trading -----------------------------------------------------------------------------


def test_strategy_when_trading_on_sandbox_then_fills_positions_and_account() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, OrderStatus, str, str, bool]:
        cache = env.node.kernel.cache
        market = env.trader.buy("0.001")
        bid = env.trader.quotes[-1].bid_price
        resting = env.trader.bid(str(bid), "0.002")
        await until(lambda: env.order(market.client_order_id).is_closed)
        await until(lambda: env.order(resting.client_order_id).status is OrderStatus.FILLED)
        (position,) = cache.positions_open()
        account = cache.account_for_venue(env.exchange.venue.venue)
        assert account is not None
        balance = account.balance_total()
        return (
            env.order(market.client_order_id).status,
            env.order(resting.client_order_id).status,
            str(position.quantity),
            str(balance),
            position.is_long,
        )

    market, resting, qty, balance, long = run(make_env, driver)
    assert market is OrderStatus.FILLED
    assert resting is OrderStatus.FILLED
    assert qty == "0.003"
    assert long
    assert balance != "100000.00000000 USDT"  # fees were paid


def test_reject_when_injected_then_order_rejected_reaches_strategy() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, str]:
        env.exchange.faults.reject_next(reason="venue overloaded")
        order = env.trader.bid()
        await until(lambda: bool(env.trader.rejected))
        return env.order(order.client_order_id).status, env.trader.rejected[0].reason

    status, reason = run(make_env, driver)
    assert status is OrderStatus.REJECTED
    assert reason == "venue overloaded"


def test_venue_cancel_when_injected_then_order_canceled_at_strategy() -> None:
    async def driver(env: Env) -> OrderStatus:
        order = env.trader.bid()
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.ACCEPTED)
        env.exchange.cancel_order(order.client_order_id)
        await until(lambda: bool(env.trader.canceled))
        return env.order(order.client_order_id).status

    assert run(make_env, driver) is OrderStatus.CANCELED


def test_duplicate_fill_when_injected_then_applied_once() -> None:
    async def driver(env: Env) -> tuple[str, str, int]:
        env.exchange.faults.duplicate_next("fill", count=5)
        order = env.trader.buy("0.001")
        await until(lambda: env.order(order.client_order_id).is_closed)
        await asyncio.sleep(1.0)
        (position,) = env.node.kernel.cache.positions_open()
        filled = env.order(order.client_order_id).filled_qty
        return str(filled), str(position.quantity), len(env.trader.fills)

    filled, position, fills = run(make_env, driver)
    assert filled == "0.001"
    assert position == "0.001"
    assert fills == 1


def test_internal_bars_when_subscribed_then_built_from_sandbox_trades() -> None:
    def env_factory() -> Env:
        env = make_env(market={"rate": 10, "trade_probability": 1.0})
        env.trader.bar_type = "BTCUSDT-PERP.SIM-5-SECOND-LAST-INTERNAL"
        return env

    async def driver(env: Env) -> int:
        await asyncio.sleep(21.0)
        return len(env.trader.bars)

    assert run(env_factory, driver) >= 3


def test_external_bars_when_subscribed_then_aggregated_by_the_venue() -> None:
    def env_factory() -> Env:
        env = make_env(market={"rate": 10, "trade_probability": 1.0})
        env.trader.bar_type = "BTCUSDT-PERP.SIM-5-SECOND-LAST-EXTERNAL"
        return env

    async def driver(env: Env) -> tuple[list[str], bool, int]:
        await asyncio.sleep(21.0)
        bars = env.trader.bars
        on_grid = all(b.ts_event % 5_000_000_000 == 0 for b in bars)
        return [str(b.bar_type) for b in bars], on_grid, len(env.exchange.bar_types)

    types, on_grid, aggregated = run(env_factory, driver)
    assert len(types) >= 3
    assert set(types) == {"BTCUSDT-PERP.SIM-5-SECOND-LAST-EXTERNAL"}
    assert on_grid
    assert aggregated == 1


def test_duplicate_ack_when_injected_then_order_accepted_once_and_trades_on() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, int]:
        env.exchange.faults.duplicate_next("ack")
        order = env.trader.bid()
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.ACCEPTED)
        await asyncio.sleep(0.5)
        env.trader.cancel_order(env.order(order.client_order_id))
        await until(lambda: bool(env.trader.canceled))
        accepted = [
            e
            for e in env.order(order.client_order_id).events
            if type(e).__name__ == "OrderAccepted"
        ]
        return env.order(order.client_order_id).status, len(accepted)

    assert run(make_env, driver) == (OrderStatus.CANCELED, 1)


def test_delayed_ack_when_fill_arrives_first_then_order_filled_once() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, str, str]:
        env.exchange.faults.delay_next("ack", 1.0)
        order = env.trader.buy("0.001")
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.FILLED)
        await asyncio.sleep(2.0)  # the late acknowledgement arrives and changes nothing
        (position,) = env.node.kernel.cache.positions_open()
        found = env.order(order.client_order_id)
        return found.status, str(found.filled_qty), str(position.quantity)

    assert run(make_env, driver) == (OrderStatus.FILLED, "0.001", "0.001")


# -- faults resolved by the node -------------------------------------------------------


def test_dropped_ack_when_inflight_check_runs_then_order_accepted() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, OrderStatus]:
        await asyncio.sleep(1.5)  # past the reconciliation startup delay
        env.exchange.faults.drop_next("ack")
        order = env.trader.bid()
        await asyncio.sleep(0.5)
        before = env.order(order.client_order_id).status
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.ACCEPTED)
        return before, env.order(order.client_order_id).status

    before, after = run(
        lambda: make_env(
            exec_engine={"inflight_check_interval_ms": 500, "inflight_check_threshold_ms": 1_000}
        ),
        driver,
    )
    assert before is OrderStatus.SUBMITTED
    assert after is OrderStatus.ACCEPTED


def test_dropped_fill_when_reconciliation_runs_then_fill_recovered() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, str]:
        await asyncio.sleep(1.5)
        env.exchange.faults.drop_next("fill")
        order = env.trader.buy("0.001")
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.ACCEPTED)
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.FILLED)
        (position,) = env.node.kernel.cache.positions_open()
        return env.order(order.client_order_id).status, str(position.quantity)

    status, qty = run(
        lambda: make_env(
            exec_engine={
                "inflight_check_interval_ms": 500,
                "inflight_check_threshold_ms": 1_000,
                "open_check_interval_secs": 1.0,
                "open_check_threshold_ms": 500,
                "open_check_open_only": False,
            }
        ),
        driver,
    )
    assert status is OrderStatus.FILLED
    assert qty == "0.001"


def test_dropped_fill_when_open_only_check_runs_then_targeted_query_recovers_fill() -> None:
    # The default open-only mode: the filled order drops out of the venue's open list;
    # after `open_check_missing_retries` (default 5) misses one targeted query finds it
    # FILLED and the node infers the fill it missed.
    async def driver(env: Env) -> tuple[OrderStatus, str, int]:
        await asyncio.sleep(1.5)
        env.exchange.faults.drop_next("fill")
        order = env.trader.buy("0.001")
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.ACCEPTED)
        await until(lambda: env.order(order.client_order_id).status is OrderStatus.FILLED)
        (position,) = env.node.kernel.cache.positions_open()
        fills = sum(type(e) is OrderFilled for e in env.order(order.client_order_id).events)
        return env.order(order.client_order_id).status, str(position.quantity), fills

    status, qty, fills = run(
        lambda: make_env(
            exec_engine={
                "inflight_check_interval_ms": 500,
                "inflight_check_threshold_ms": 1_000,
                "open_check_interval_secs": 1.0,
                "open_check_threshold_ms": 500,
            }
        ),
        driver,
    )
    assert LiveExecEngineConfig().open_check_open_only  # the default mode
    assert status is OrderStatus.FILLED
    assert qty == "0.001"
    assert fills == 1


def test_disconnect_when_injected_then_reconnect_resubscribe_and_resync() -> None:
    async def driver(env: Env) -> dict[str, Any]:
        resting = env.trader.bid()
        await until(lambda: env.order(resting.client_order_id).status is OrderStatus.ACCEPTED)
        market = env.trader.buy("0.001")
        await asyncio.sleep(0.001)  # executed at the venue, its messages not yet visible
        env.exchange.disconnect(3.0)
        env.exchange.cancel_order(resting.client_order_id)  # while the link is down
        quotes = len(env.trader.quotes)
        await asyncio.sleep(2.0)
        quiet = len(env.trader.quotes) - quotes
        await until(lambda: env.order(resting.client_order_id).status is OrderStatus.CANCELED)
        await until(lambda: env.order(market.client_order_id).status is OrderStatus.FILLED)
        await asyncio.sleep(1.0)
        return {
            "quiet": quiet,
            "resumed": len(env.trader.quotes) - quotes,
            "disconnects": env.exchange.disconnect_count,
            "reconnects": (env.data.reconnect_count, env.execution.reconnect_count),
            "streaming": env.data.streaming["quotes"],
            "resynced": env.execution.resync_event_count,
            "text": env.text(),
        }

    out = run(make_env, driver)
    assert out["quiet"] == 0
    assert out["resumed"] > 5
    assert out["disconnects"] == 1
    assert out["reconnects"] == (1, 1)
    assert out["streaming"] == {BTC}
    assert out["resynced"] >= 3  # the market order's acceptance and fill, the cancel
    assert "Lost the connection to the sandbox venue" in out["text"]
    assert "Resynced" in out["text"]


async def until_venue(predicate: Callable[[], bool], timeout: float = 1.0) -> None:
    """Poll finely (virtual time) until the venue's own record satisfies `predicate`, so
    a test can act before the venue's messages become visible (latency >= 5 ms)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"venue still not there after {timeout} virtual seconds"
        await asyncio.sleep(0.0005)


NO_CHECKS = {"inflight_check_interval_ms": 0}  # only the client's resync can repair the order


def test_modify_when_applied_during_outage_then_resync_updates_order() -> None:
    async def driver(env: Env) -> tuple[str, OrderStatus, str, str]:
        order = env.trader.bid("40000.0", "0.010")
        coid = order.client_order_id
        await until(lambda: env.order(coid).status is OrderStatus.ACCEPTED)
        new_price, new_qty = Price.from_str("40100.0"), Quantity.from_str("0.020")
        env.trader.modify_order(env.order(coid), quantity=new_qty, price=new_price)
        await until_venue(lambda: env.exchange.venue.orders[coid].price == new_price)
        env.exchange.disconnect(1.0)  # the venue's OrderUpdated is lost
        during = str(env.order(coid).price)
        await until(lambda: env.execution.reconnect_count == 1, timeout=5.0)
        await until(lambda: env.order(coid).price == new_price, timeout=2.0)
        found = env.order(coid)
        return during, found.status, str(found.price), str(found.quantity)

    during, status, price, qty = run(lambda: make_env(exec_engine=NO_CHECKS), driver)
    assert during == "40000.0"
    assert status is OrderStatus.ACCEPTED
    assert (price, qty) == ("40100.0", "0.020")


def test_stop_limit_when_triggered_during_outage_then_resync_triggers_order() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, OrderStatus, bool]:
        ask = env.trader.quotes[-1].ask_price
        tick = Price.from_str("0.1")
        trigger = Price(ask.raw + 2_000 * tick.raw, ask.precision)  # 200 above the market
        limit = Price(ask.raw - 5_000 * tick.raw, ask.precision)  # rests once triggered
        order = env.trader.factory.stop_limit(
            BTC, OrderSide.BUY, Quantity.from_str("0.010"), limit, trigger
        )
        env.trader.submit_order(order)
        coid = order.client_order_id
        await until(lambda: env.order(coid).status is OrderStatus.ACCEPTED)
        env.exchange.disconnect(1.0)
        size = Quantity.from_str("1.000")
        now = env.node.kernel.clock.timestamp_ns()
        spike = QuoteTick(BTC, limit, trigger, size, size, now, now)  # the ask touches it
        env.exchange.venue.process(spike)  # its messages are lost with the link
        venue_status = env.exchange.venue.orders[coid].status
        await until(lambda: env.execution.reconnect_count == 1, timeout=5.0)
        await until(lambda: env.order(coid).status is OrderStatus.TRIGGERED, timeout=2.0)
        found = env.order(coid)
        return venue_status, found.status, found.ts_triggered is not None

    venue_status, status, stamped = run(lambda: make_env(exec_engine=NO_CHECKS), driver)
    assert venue_status is OrderStatus.TRIGGERED
    assert status is OrderStatus.TRIGGERED
    assert stamped


def test_stop_limit_when_modified_triggered_and_filled_during_outage_then_resync_in_order() -> None:
    async def driver(env: Env) -> tuple[OrderStatus, str, bool, bool]:
        ask = env.trader.quotes[-1].ask_price
        tick = Price.from_str("0.1").raw
        limit = Price(ask.raw - 5_000 * tick, ask.precision)
        order = env.trader.factory.stop_limit(
            BTC,
            OrderSide.BUY,
            Quantity.from_str("0.010"),
            limit,
            Price(ask.raw + 2_000 * tick, ask.precision),
        )
        env.trader.submit_order(order)
        coid = order.client_order_id
        await until(lambda: env.order(coid).status is OrderStatus.ACCEPTED)
        trigger = Price(ask.raw + 1_000 * tick, ask.precision)
        env.trader.modify_order(env.order(coid), trigger_price=trigger)
        await until_venue(lambda: env.exchange.venue.orders[coid].trigger_price == trigger)
        env.exchange.disconnect(1.0)  # the update is lost, and what follows
        now = env.node.kernel.clock.timestamp_ns()
        big, small = Quantity.from_str("1.000"), Quantity.from_str("0.004")
        env.exchange.venue.process(QuoteTick(BTC, limit, trigger, big, big, now, now))
        low = Price(limit.raw - tick, limit.precision)
        env.exchange.venue.process(QuoteTick(BTC, low, limit, big, small, now + 1, now + 1))
        await until(lambda: env.execution.reconnect_count == 1, timeout=5.0)
        await until(lambda: env.order(coid).filled_qty.raw > 0, timeout=2.0)
        await asyncio.sleep(0.5)
        found = env.order(coid)
        moved = found.trigger_price == trigger
        return found.status, str(found.filled_qty), moved, found.ts_triggered is not None

    status, filled, moved, stamped = run(lambda: make_env(exec_engine=NO_CHECKS), driver)
    assert status is OrderStatus.PARTIALLY_FILLED
    assert filled == "0.004"
    assert moved  # the modify the venue applied
    assert stamped  # triggered before the fill (a partly filled order cannot trigger)


def test_configured_faults_when_running_then_node_keeps_trading() -> None:
    async def driver(env: Env) -> tuple[int, int]:
        orders = [env.trader.bid(price=f"{40000 + i}.0", qty="0.001") for i in range(5)]
        await asyncio.sleep(12.0)
        canceled = sum(env.order(o.client_order_id).status is OrderStatus.CANCELED for o in orders)
        return canceled, env.exchange.disconnect_count

    canceled, disconnects = run(
        lambda: make_env(
            faults={
                "cancel_every_secs": 2.0,
                "disconnect_every_secs": 5.0,
                "disconnect_for_secs": 1.0,
                "gap_every_secs": 3.0,
                "gap_for_secs": 0.5,
            }
        ),
        driver,
    )
    assert canceled >= 4
    assert disconnects >= 2


# -- hedging ---------------------------------------------------------------------------


def test_hedging_venue_when_orders_open_and_close_positions_then_node_tracks_each() -> None:
    async def driver(env: Env) -> tuple[dict[str, str], dict[str, str]]:
        cache = env.node.kernel.cache
        first = env.trader.buy("0.003")
        await until(lambda: env.order(first.client_order_id).is_closed)
        second = env.trader.buy("0.001")
        await until(lambda: len(cache.positions_open()) == 2)
        opened = {str(p.id): str(p.quantity) for p in cache.positions_open()}
        close = env.trader.factory.market(
            BTC, OrderSide.SELL, Quantity.from_str("0.003"), reduce_only=True
        )
        env.trader.submit_order(close, position_id=PositionId("SIM-P1"))
        await until(lambda: len(cache.positions_open()) == 1)
        assert env.order(second.client_order_id).status is OrderStatus.FILLED
        return opened, {str(p.id): str(p.quantity) for p in cache.positions_open()}

    opened, after = run(lambda: make_env(oms_type="HEDGING"), driver)
    assert opened == {"SIM-P1": "0.003", "SIM-P2": "0.001"}
    assert after == {"SIM-P2": "0.001"}


# -- restart ---------------------------------------------------------------------------


def test_restart_when_venue_state_file_then_next_node_reconciles_order_and_position(
    tmp_path: Path,
) -> None:
    async def first(env: Env) -> None:
        env.trader.buy("0.003")
        env.trader.bid(qty="0.005")
        await until(lambda: len(env.node.kernel.cache.positions_open()) == 1)
        await until(lambda: len(env.node.kernel.cache.orders_open()) == 1)

    async def second(env: Env) -> tuple[list[str], list[str]]:
        cache = env.node.kernel.cache
        return (
            [str(o.quantity) for o in cache.orders_open()],
            [str(p.quantity) for p in cache.positions_open()],
        )

    run(lambda: make_env(data_dir=str(tmp_path)), first)
    orders, positions = run(lambda: make_env(data_dir=str(tmp_path)), second)
    assert orders == ["0.005"]
    assert positions == ["0.003"]


def test_restart_when_hedging_venue_then_next_node_rebuilds_each_venue_position(
    tmp_path: Path,
) -> None:
    async def first(env: Env) -> None:
        env.trader.buy("0.003")
        await until(lambda: len(env.node.kernel.cache.positions_open()) == 1)
        env.trader.buy("0.001")
        await until(lambda: len(env.node.kernel.cache.positions_open()) == 2)

    async def second(env: Env) -> list[tuple[str, str]]:
        positions = env.node.kernel.cache.positions_open()
        return sorted((str(p.id), str(p.quantity)) for p in positions)

    run(lambda: make_env(data_dir=str(tmp_path), oms_type="HEDGING"), first)
    positions = run(lambda: make_env(data_dir=str(tmp_path), oms_type="HEDGING"), second)
    assert positions == [("SIM-P1", "0.003"), ("SIM-P2", "0.001")]
