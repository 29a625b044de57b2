"""Emulated orders in a live node: the emulator's events are applied before its next step."""

from __future__ import annotations

from node_env import BTC, NodeEnv, make_node, run_with, wait_until

from argonaut.common.logging import ERROR
from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderSide, OrderStatus, OrderType, TriggerType
from argonaut.model.values import Price, Quantity
from argonaut.testkit import quote
from argonaut.testkit.virtual_time import run_virtual
from argonaut.trading import Strategy, StrategyConfig


class StopPlacer(Strategy):
    """On its first quote, places a SELL stop-market emulated on the bid, 10.0 below."""

    def __init__(self) -> None:
        super().__init__(StrategyConfig(order_id_tag="001", log_events=False, log_commands=False))
        self.placed: list[object] = []

    def on_start(self) -> None:
        self.subscribe_quote_ticks(BTC)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        if self.placed:
            return
        trigger = Price(tick.bid_price.raw - 10 * 10**9, tick.bid_price.precision)
        order = self.factory.stop_market(
            BTC,
            OrderSide.SELL,
            Quantity.from_str("0.010"),
            trigger,
            emulation_trigger=TriggerType.BID_ASK,
        )
        self.placed.append(order.client_order_id)
        self.submit_order(order)


def test_emulated_stop_when_live_node_then_held_emulated_and_released_when_bid_falls() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(log_level="WARNING")
        strategy = StopPlacer()
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            env.data.push(quote(bid="50000.0", ask="50000.5"))
            await wait_until(lambda: bool(strategy.placed))
            cache = env.node.kernel.cache
            coid = strategy.placed[0]
            await wait_until(lambda: cache.order(coid) is not None)
            order = cache.order(coid)
            assert order is not None
            await wait_until(lambda: order.status is OrderStatus.EMULATED, timeout=5)
            seen["held"] = order.status
            seen["received_before_trigger"] = list(env.execution.received)
            env.data.push(quote(bid="49989.0", ask="49989.5"))  # through the trigger
            await wait_until(lambda: bool(env.execution.received), timeout=5)
            released = cache.order(coid)
            seen["released_type"] = None if released is None else released.order_type
            env.handle.stop()

        await run_with(env, driver)
        seen["errors"] = env.messages(ERROR)

    run_virtual(scenario())
    assert seen["held"] is OrderStatus.EMULATED
    assert seen["received_before_trigger"] == []  # held locally, never sent to the venue
    assert seen["released_type"] is OrderType.MARKET
    assert seen["errors"] == []
