"""The maintenance dispatcher of a running node (behaviour 10)."""

from __future__ import annotations

import asyncio

from node_env import make_node, trader, wait_until

from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.identifiers import TradeId
from argonaut.model.values import Price, Quantity
from argonaut.testkit.virtual_time import run_virtual


def test_inflight_check_when_order_stuck_in_flight_then_queried_after_startup_delay() -> None:
    seen: dict[str, float] = {}

    async def scenario() -> None:
        env = make_node(
            exec_engine=LiveExecEngineConfig(
                reconciliation_startup_delay_secs=3.0,
                inflight_check_interval_ms=500,
                inflight_check_threshold_ms=1_000,
            ),
            exec_kwargs={"ack_delay": 3600.0},  # the venue never acknowledges
        )
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        started = env.now()
        order = strategy.factory.limit(
            strategy.instrument_id,
            OrderSide.BUY,
            Quantity.from_str("0.010"),
            Price.from_str("49000.0"),
        )
        strategy.submit_order(order)
        manager = env.node.exec_manager
        await wait_until(lambda: manager.stats()["inflight_queries"] > 0, step=0.05)
        seen["first_query_after_start"] = env.now() - started
        await wait_until(lambda: order.status is OrderStatus.REJECTED, step=0.05)
        seen["resolved_after_start"] = env.now() - started
        await env.node.stop()

    run_virtual(scenario())
    # Not before the startup delay plus one interval; no later than one more interval + tick.
    assert 3.5 <= seen["first_query_after_start"] <= 3.5 + 0.5 + 0.1 + 1e-6
    # Unresolved after the retries (5, one per check): rejected by reconciliation.
    assert seen["resolved_after_start"] > seen["first_query_after_start"]


def test_maintenance_when_fill_and_closed_order_age_then_fills_pruned_and_order_purged() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(
            exec_engine=LiveExecEngineConfig(
                reconciliation_startup_delay_secs=1.0,
                purge_closed_orders_interval_mins=1,
                purge_closed_orders_buffer_mins=0,
            )
        )
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        filled, canceled = (
            strategy.factory.limit(
                strategy.instrument_id,
                OrderSide.BUY,
                Quantity.from_str("0.010"),
                Price.from_str(px),
            )
            for px in ("49000.0", "48000.0")
        )
        strategy.submit_order(filled)
        strategy.submit_order(canceled)
        await wait_until(lambda: canceled.status is OrderStatus.ACCEPTED)
        env.execution.fill(filled.client_order_id)
        strategy.cancel_order(canceled)
        await wait_until(lambda: canceled.status is OrderStatus.CANCELED)
        manager = env.node.exec_manager
        cache = env.node.kernel.cache
        seen["fill_known_at_first"] = manager.is_fill_recently_processed(TradeId("SIM-T-1"))
        await asyncio.sleep(59.0)
        seen["canceled_cached_before_purge"] = cache.order(canceled.client_order_id) is not None
        await asyncio.sleep(3.0)  # startup delay 1 s + 60 s intervals
        seen["fill_known_later"] = manager.is_fill_recently_processed(TradeId("SIM-T-1"))
        seen["pruned"] = manager.pruned_fills
        seen["purged"] = manager.purged_orders
        seen["canceled_cached"] = cache.order(canceled.client_order_id) is not None
        seen["filled_cached"] = cache.order(filled.client_order_id) is not None  # position open
        await env.node.stop()

    run_virtual(scenario())
    assert seen == {
        "fill_known_at_first": True,
        "canceled_cached_before_purge": True,
        "fill_known_later": False,
        "pruned": 1,
        "purged": 1,
        "canceled_cached": False,
        "filled_cached": True,
    }


def test_maintenance_when_purges_disabled_then_closed_order_kept() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node()
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        order = strategy.factory.limit(
            strategy.instrument_id,
            OrderSide.BUY,
            Quantity.from_str("0.010"),
            Price.from_str("49000.0"),
        )
        strategy.submit_order(order)
        await wait_until(lambda: order.status is OrderStatus.ACCEPTED)
        env.execution.fill(order.client_order_id)
        await asyncio.sleep(600.0)
        seen["purged"] = env.node.exec_manager.purged_orders
        seen["order_cached"] = env.node.kernel.cache.order(order.client_order_id) is not None
        await env.node.stop()

    run_virtual(scenario())
    assert seen == {"purged": 0, "order_cached": True}
