"""The node's execution bookkeeping (behaviours 8 and 9), seen through the manager.

Execution events update the `ExecutionManager`'s tracking before they reach the engine
(local activity, position activity, processed fills, cleared in-flight tracking; batches
per order; recently processed fill reports skipped); execution commands register their
orders in flight before they reach the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from node_env import BTC, NodeEnv, make_node, trader, wait_until

from argonaut.live.reconciliation.tracking import ReconTracking
from argonaut.model.commands.trading import CancelOrder, ModifyOrder
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.identifiers import AccountId, ClientOrderId, TradeId
from argonaut.model.order_list import OrderList
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.testkit import events as ev
from argonaut.testkit import fill_report
from argonaut.testkit.live import QuoteTrader
from argonaut.testkit.virtual_time import run_virtual

ACCOUNT = AccountId("SIM-001")


def _limit(strategy: QuoteTrader, px: str = "49000.0") -> Order:
    return strategy.factory.limit(
        strategy.instrument_id, OrderSide.BUY, Quantity.from_str("0.010"), Price.from_str(px)
    )


Scenario = Callable[[NodeEnv, QuoteTrader, ReconTracking], Awaitable[None]]


def _run(scenario: Scenario, **make_kwargs: object) -> None:
    async def main() -> None:
        env = make_node(**make_kwargs)  # type: ignore[arg-type]
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        await scenario(env, strategy, env.node.exec_manager.tracking)
        await env.node.stop()

    run_virtual(main())


# -- commands (behaviour 9) ----------------------------------------------------------------


def test_submit_then_order_registered_in_flight_and_submitted_event_records_activity() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        order = _limit(strategy)
        registered_before_client: list[int | None] = []
        env.execution.on_receive = lambda cmd: registered_before_client.append(
            tracking.inflight_since(order.client_order_id)
        )
        submitted_at = env.node.kernel.clock.timestamp_ns()
        strategy.submit_order(order)
        await asyncio.sleep(1.0)  # ack_delay 5 s: still in flight
        assert registered_before_client == [submitted_at]
        assert order.status is OrderStatus.SUBMITTED
        assert tracking.inflight_since(order.client_order_id) == submitted_at
        assert tracking.local_activity(order.client_order_id) == submitted_at
        await asyncio.sleep(5.0)
        assert order.status is OrderStatus.ACCEPTED
        assert tracking.inflight_since(order.client_order_id) is None  # accepted clears it
        assert tracking.local_activity(order.client_order_id) == submitted_at + 5_000_000_000

    _run(scenario, exec_kwargs={"ack_delay": 5.0})


def test_submit_order_list_then_each_order_registered_in_flight() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        orders = [_limit(strategy, "49000.0"), _limit(strategy, "48000.0")]
        order_list = OrderList(
            id=strategy.factory.generate_order_list_id(),
            instrument_id=strategy.instrument_id,
            strategy_id=strategy.id,
            orders=tuple(o.init_event for o in orders),
            ts_init=env.node.kernel.clock.timestamp_ns(),
        )
        strategy.submit_order_list(order_list)
        await asyncio.sleep(0.5)
        assert sorted(tracking.inflight_ids()) == sorted(o.client_order_id for o in orders)

    _run(scenario)


@pytest.mark.parametrize("kind", ["modify", "cancel"])
def test_modify_or_cancel_then_order_registered_in_flight_before_the_client_gets_it(
    kind: str,
) -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        order = _limit(strategy)
        strategy.submit_order(order)
        await wait_until(lambda: order.status is OrderStatus.ACCEPTED)
        assert tracking.inflight_since(order.client_order_id) is None
        await asyncio.sleep(1.0)
        seen: list[tuple[str, int | None]] = []
        env.execution.on_receive = lambda cmd: seen.append(
            (type(cmd).__name__, tracking.inflight_since(order.client_order_id))
        )
        now = env.node.kernel.clock.timestamp_ns()
        if kind == "modify":
            strategy.modify_order(order, price=Price.from_str("48500.0"))
            expected = ModifyOrder.__name__
        else:
            strategy.cancel_order(order)
            expected = CancelOrder.__name__
        await asyncio.sleep(0.5)
        assert seen == [(expected, now)]

    _run(scenario)


# -- events (behaviour 8) ------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["rejected", "canceled"])
def test_definitive_event_for_order_in_flight_then_tracking_cleared(outcome: str) -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        order = _limit(strategy)
        strategy.submit_order(order)
        await asyncio.sleep(1.0)
        assert tracking.inflight_since(order.client_order_id) is not None
        ts = env.node.kernel.clock.timestamp_ns()
        event = ev.rejected(order, ts=ts) if outcome == "rejected" else ev.canceled(order, ts=ts)
        env.execution.send(event)
        await asyncio.sleep(0.1)
        assert order.status.value == outcome.upper()
        assert tracking.inflight_since(order.client_order_id) is None
        assert tracking.local_activity(order.client_order_id) == ts

    _run(scenario, exec_kwargs={"ack_delay": 60.0})


def test_expired_event_after_modify_then_tracking_cleared() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        order = _limit(strategy)
        strategy.submit_order(order)
        await wait_until(lambda: order.status is OrderStatus.ACCEPTED)
        strategy.modify_order(order, price=Price.from_str("48500.0"))  # the fake never answers
        await asyncio.sleep(0.5)
        assert tracking.inflight_since(order.client_order_id) is not None
        env.execution.send(ev.expired(order, ts=env.node.kernel.clock.timestamp_ns()))
        await asyncio.sleep(0.1)
        assert order.status is OrderStatus.EXPIRED
        assert tracking.inflight_since(order.client_order_id) is None

    _run(scenario)


def test_fill_then_position_activity_recorded_trade_marked_and_closed_order_untracked() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        order = _limit(strategy)
        strategy.submit_order(order)
        await wait_until(lambda: order.status is OrderStatus.ACCEPTED)
        strategy.modify_order(order, price=Price.from_str("48500.0"))  # in flight again
        await asyncio.sleep(1.0)
        filled_at = env.node.kernel.clock.timestamp_ns()
        env.execution.fill(order.client_order_id)
        await asyncio.sleep(0.1)
        assert order.status is OrderStatus.FILLED
        trade_id = TradeId("SIM-T-1")
        assert tracking.is_fill_recently_processed(trade_id)
        assert tracking.position_activity(BTC, ACCOUNT) == filled_at
        assert tracking.local_activity(order.client_order_id) == filled_at
        assert tracking.inflight_since(order.client_order_id) is None  # closed: untracked

    _run(scenario)


def test_fill_report_when_trade_recently_processed_then_skipped_else_observed() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        order = _limit(strategy)
        strategy.submit_order(order)
        await wait_until(lambda: order.status is OrderStatus.ACCEPTED)
        filled_at = env.node.kernel.clock.timestamp_ns()
        env.execution.fill(order.client_order_id)
        await asyncio.sleep(1.0)
        duplicate = fill_report(order, trade_id="SIM-T-1", venue_order_id="V-1")
        env.execution.send(duplicate)
        await asyncio.sleep(0.1)
        assert tracking.position_activity(BTC, ACCOUNT) == filled_at  # skipped: unchanged
        reported_at = env.node.kernel.clock.timestamp_ns()
        env.execution.send(fill_report(order, trade_id="SIM-T-99", venue_order_id="V-1"))
        await asyncio.sleep(0.1)
        assert tracking.position_activity(BTC, ACCOUNT) == reported_at  # observed

    _run(scenario)


def test_submitted_and_accepted_batches_then_bookkeeping_per_order() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        cache = env.node.kernel.cache
        orders = [_limit(strategy, "49000.0"), _limit(strategy, "48000.0")]
        for order in orders:
            cache.add_order(order)
            tracking.register_inflight(order.client_order_id, 1)
        ts = env.node.kernel.clock.timestamp_ns()
        env.execution.send(ev.submitted_batch(orders, ts=ts))
        await asyncio.sleep(0.1)
        assert [o.status for o in orders] == [OrderStatus.SUBMITTED] * 2
        assert [tracking.local_activity(o.client_order_id) for o in orders] == [ts, ts]
        assert sorted(tracking.inflight_ids()) == sorted(o.client_order_id for o in orders)
        env.execution.send(ev.accepted_batch(orders, ts=ts))
        await asyncio.sleep(0.1)
        assert [o.status for o in orders] == [OrderStatus.ACCEPTED] * 2
        assert tracking.inflight_ids() == []

    _run(scenario)


def test_canceled_batch_then_each_order_canceled_and_untracked() -> None:
    async def scenario(env: NodeEnv, strategy: QuoteTrader, tracking: ReconTracking) -> None:
        orders = [_limit(strategy, "49000.0"), _limit(strategy, "48000.0")]
        for order in orders:
            strategy.submit_order(order)
        await wait_until(lambda: all(o.status is OrderStatus.ACCEPTED for o in orders))
        for order in orders:
            tracking.register_inflight(order.client_order_id, 1)
        env.execution.send(ev.canceled_batch(orders, ts=env.node.kernel.clock.timestamp_ns()))
        await asyncio.sleep(0.1)
        assert [o.status for o in orders] == [OrderStatus.CANCELED] * 2
        ids: list[ClientOrderId] = tracking.inflight_ids()
        assert ids == []

    _run(scenario)
