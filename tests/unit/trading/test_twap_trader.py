from __future__ import annotations

import pytest
from trading_env import SEC, T0, Env

from argonaut.common import topics
from argonaut.model.commands.trading import CancelOrder, SubmitOrder
from argonaut.model.enums import ComponentState, OrderSide
from argonaut.model.events.order import OrderCanceled
from argonaut.model.identifiers import ExecAlgorithmId
from argonaut.model.values import Quantity
from argonaut.testkit import canceled, filled, submitted
from argonaut.trading import (
    TWAP,
    Actor,
    ActorConfig,
    Strategy,
    StrategyConfig,
    exec_algorithm_endpoint,
    slice_quantities,
)

TWAP_ID = ExecAlgorithmId("TWAP")


def setup(env: Env, qty: str = "1.000", horizon: str = "10", interval: str = "2"):  # type: ignore[no-untyped-def]
    algo = TWAP()
    strategy = Strategy()
    env.trader.add_exec_algorithm(algo)
    env.trader.add_strategy(strategy)
    env.trader.start()
    primary = strategy.factory.market(
        env.instrument.id,
        OrderSide.BUY,
        Quantity.from_str(qty),
        exec_algorithm_id=TWAP_ID,
        exec_algorithm_params={"horizon_secs": horizon, "interval_secs": interval},
    )
    strategy.submit_order(primary)
    return algo, strategy, primary


def children(env: Env) -> list[SubmitOrder]:
    return [c for c in env.sent[topics.RISK_ENGINE_EXECUTE] if isinstance(c, SubmitOrder)]


def test_slice_quantities_then_equal_steps_and_remainder_last() -> None:
    step = 1_000_000  # 0.001
    assert slice_quantities(1_000 * step, step, 3) == [333 * step, 333 * step, 334 * step]
    assert slice_quantities(2 * step, step, 5) == [step, step]


def test_twap_then_equal_market_slices_at_each_interval(env: Env) -> None:
    _, _, primary = setup(env)

    assert len(children(env)) == 1  # the first slice at once
    for i in range(1, 6):
        env.run_to(T0 + i * 2 * SEC)

    sent = children(env)
    assert [c.order_init.quantity for c in sent] == [Quantity.from_str("0.200")] * 5
    assert [c.ts_init for c in sent] == [T0 + i * 2 * SEC for i in range(5)]
    assert [c.order_init.client_order_id for c in sent] == [
        f"{primary.client_order_id}-E{n}" for n in range(1, 6)
    ]
    assert all(c.order_init.exec_spawn_id == primary.client_order_id for c in sent)


def test_twap_quantity_not_divisible_then_remainder_on_last_slice(env: Env) -> None:
    setup(env, qty="1.001", horizon="9", interval="3")

    env.run_to(T0 + 9 * SEC)

    assert [str(c.order_init.quantity) for c in children(env)] == ["0.333", "0.333", "0.335"]


def test_twap_partial_fill_then_unfilled_rest_goes_to_last_slice(env: Env) -> None:
    algo, strategy, primary = setup(env, horizon="4", interval="2")
    topic = topics.order_events(strategy.id)
    first = env.cache.order(children(env)[0].order_init.client_order_id)
    assert first is not None
    first.apply(submitted(first))
    fill = filled(first, last_qty="0.200")
    first.apply(fill)
    env.bus.publish(topic, fill)
    cancel = canceled(first)
    first.apply(cancel)
    env.bus.publish(topic, cancel)

    state = algo.primary(primary.client_order_id)
    assert state is not None
    assert state.filled == Quantity.from_str("0.200")
    env.run_to(T0 + 2 * SEC)

    assert [str(c.order_init.quantity) for c in children(env)] == ["0.500", "0.800"]


def test_primary_cancelled_then_schedule_stops_and_open_children_cancelled(env: Env) -> None:
    algo, strategy, primary = setup(env)
    env.run_to(T0 + 2 * SEC)

    strategy.cancel_order(primary)
    env.run_to(T0 + 10 * SEC)

    assert len(children(env)) == 2
    cancels = [c for c in env.sent[topics.RISK_ENGINE_EXECUTE] if isinstance(c, CancelOrder)]
    assert len(cancels) == 2
    [primary_canceled] = env.sent[topics.EXEC_ENGINE_PROCESS]
    assert isinstance(primary_canceled, OrderCanceled)
    assert primary_canceled.client_order_id == primary.client_order_id
    assert algo.active_primaries == []


def test_algorithm_stopped_then_remainder_cancelled(env: Env) -> None:
    algo, _, _ = setup(env)

    env.trader.stop()
    env.run_to(T0 + 10 * SEC)

    assert len(children(env)) == 1
    assert algo.scheduled == []
    assert env.clock.timer_names == []


def test_twap_missing_params_then_primary_cancelled(env: Env) -> None:
    algo = TWAP()
    strategy = Strategy()
    env.trader.add_exec_algorithm(algo)
    env.trader.add_strategy(strategy)
    env.trader.start()
    primary = strategy.factory.market(
        env.instrument.id, OrderSide.BUY, Quantity.from_str("1.000"), exec_algorithm_id=TWAP_ID
    )

    strategy.submit_order(primary)

    assert children(env) == []
    assert isinstance(env.sent[topics.EXEC_ENGINE_PROCESS][0], OrderCanceled)


# -- trader ------------------------------------------------------------------------------


def test_trader_duplicate_ids_then_refused(env: Env) -> None:
    env.trader.add_strategy(Strategy(StrategyConfig(order_id_tag="001")))
    env.trader.add_actor(Actor(ActorConfig(component_id="Watcher")))
    env.trader.add_exec_algorithm(TWAP())

    with pytest.raises(ValueError, match="Strategy-001 is already used"):
        env.trader.add_strategy(Strategy(StrategyConfig(order_id_tag="001")))
    with pytest.raises(ValueError, match="Watcher is already used"):
        env.trader.add_actor(Actor(ActorConfig(component_id="Watcher")))
    with pytest.raises(ValueError, match="TWAP is already used"):
        env.trader.add_exec_algorithm(TWAP())
    assert env.bus.is_registered(exec_algorithm_endpoint(TWAP_ID))


def test_trader_lifecycle_then_components_follow(env: Env) -> None:
    strategy = Strategy()
    actor = Actor()
    env.trader.add_strategy(strategy)
    env.trader.add_actor(actor)

    env.trader.start()
    assert env.trader.strategy_states() == {"Strategy-000": "RUNNING"}
    env.trader.stop()
    assert strategy.is_stopped
    assert actor.is_stopped
    env.trader.start()  # resume
    assert strategy.is_running
    env.trader.stop()
    env.trader.reset()
    assert strategy.state is ComponentState.READY
    env.trader.dispose()
    assert strategy.is_disposed
    assert actor.is_disposed


def test_trader_start_when_one_component_fails_then_others_still_start(env: Env) -> None:
    class Broken(Actor):
        def on_start(self) -> None:
            raise RuntimeError("cannot start")

    broken, fine = Broken(), Actor(ActorConfig(component_id="Fine"))
    env.trader.add_actors([broken, fine])

    env.trader.start()

    assert broken.is_faulted
    assert fine.is_running
    assert env.trader.error_count == 1


def test_trader_save_load_then_state_round_trips_through_cache(env: Env) -> None:
    class Counter(Strategy):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def on_save(self) -> dict[str, bytes]:
            return {"count": str(self.count).encode()}

        def on_load(self, state: dict[str, bytes]) -> None:
            self.count = int(state["count"])

    first = Counter()
    env.trader.add_strategy(first)
    first.count = 7
    env.trader.save()
    assert env.cache.actor_state("Counter-000") == {"count": b"7"}

    from argonaut.trading import Trader

    other = Trader(env.trader_id, env.bus, env.cache, env.clock, uuid_factory=env.uuids)
    second = Counter()
    env.trader.dispose()
    other.add_strategy(second)
    other.load()
    assert second.count == 7


def test_trader_with_exec_engine_then_oms_and_claims_registered(env: Env) -> None:
    from argonaut.model.enums import OmsType
    from argonaut.trading import Trader

    class Engine:
        def __init__(self) -> None:
            self.calls: list[tuple[str, object]] = []

        def register_oms_type(self, strategy_id: object, oms: object) -> None:
            self.calls.append(("oms", oms))

        def register_external_order_claims(self, strategy_id: object, ids: object) -> None:
            self.calls.append(("claims", ids))

    engine = Engine()
    trader = Trader(
        env.trader_id, env.bus, env.cache, env.clock, uuid_factory=env.uuids, exec_engine=engine
    )
    trader.add_strategy(
        Strategy(
            StrategyConfig(oms_type=OmsType.HEDGING, external_order_claims=[str(env.instrument.id)])
        )
    )

    assert engine.calls == [("claims", (env.instrument.id,)), ("oms", OmsType.HEDGING)]
