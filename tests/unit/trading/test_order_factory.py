from __future__ import annotations

import pytest
from trading_env import SEC, T0, Env

from argonaut.model.enums import ContingencyType, OrderSide, OrderType, TimeInForce
from argonaut.model.identifiers import ClientOrderId, ExecAlgorithmId, StrategyId
from argonaut.model.orders import LimitOrder
from argonaut.model.values import Price, Quantity
from argonaut.testkit.lifecycle import snapshot
from argonaut.trading import OrderFactory, Strategy, StrategyConfig

QTY = Quantity.from_str("1.000")


def factory(env: Env, strategy: str = "EMACross-001") -> OrderFactory:
    return OrderFactory(env.trader_id, StrategyId(strategy), env.clock, env.uuids)


def test_client_order_ids_then_formatted_with_time_tags_and_count(env: Env) -> None:
    f = factory(env)

    ids = [f.market(env.instrument.id, OrderSide.BUY, QTY).client_order_id for _ in range(3)]

    assert ids == [f"O-20240102-030405-001-001-{n}" for n in (1, 2, 3)]


def test_ids_of_two_strategies_in_same_second_then_unique(env: Env) -> None:
    a, b = factory(env, "A-001"), factory(env, "B-002")

    ids = {a.generate_client_order_id() for _ in range(50)}
    ids |= {b.generate_client_order_id() for _ in range(50)}

    assert len(ids) == 100


def test_strategy_restart_then_count_restored_from_cache_and_no_collision(env: Env) -> None:
    first = Strategy(StrategyConfig(order_id_tag="001"))
    env.trader.add_strategy(first)
    env.trader.start()
    used = []
    for _ in range(3):
        order = first.factory.limit(env.instrument.id, OrderSide.BUY, QTY, Price.from_str("1.0"))
        first.submit_order(order)
        used.append(order.client_order_id)
    env.trader.stop()

    # a new node process on the same cache, at the same second
    restarted = Strategy(StrategyConfig(order_id_tag="001"))
    restarted.register(env.trader_id, env.bus, env.cache, env.clock, uuid_factory=env.uuids)
    restarted.start()
    order = restarted.factory.market(env.instrument.id, OrderSide.SELL, QTY)

    assert restarted.factory.count == 4
    assert order.client_order_id not in used
    restarted.submit_order(order)  # the cache refuses reused ids, so this proves it


def test_primary_order_then_exec_spawn_id_is_own_id(env: Env) -> None:
    f = factory(env)
    from argonaut.model.identifiers import ExecAlgorithmId

    order = f.market(
        env.instrument.id,
        OrderSide.BUY,
        QTY,
        exec_algorithm_id=ExecAlgorithmId("TWAP"),
        exec_algorithm_params={"horizon_secs": "10", "interval_secs": "2"},
    )

    assert order.is_primary
    assert order.exec_spawn_id == order.client_order_id


def test_bracket_then_entry_oto_parent_with_oco_children_linked(env: Env) -> None:
    f = factory(env)

    bracket = f.bracket(
        env.instrument.id,
        OrderSide.BUY,
        QTY,
        entry_price=Price.from_str("50000.0"),
        tp_price=Price.from_str("52000.0"),
        sl_trigger_price=Price.from_str("49000.0"),
    )
    entry, tp, sl = bracket.orders

    assert bracket.id.startswith("OL-20240102-030405-001-001-")
    assert entry.order_type is OrderType.LIMIT
    assert entry.contingency_type is ContingencyType.OTO
    assert entry.linked_order_ids == (tp.client_order_id, sl.client_order_id)
    assert (tp.order_type, sl.order_type) == (OrderType.LIMIT, OrderType.STOP_MARKET)
    for child, other in ((tp, sl), (sl, tp)):
        assert child.contingency_type is ContingencyType.OCO
        assert child.parent_order_id == entry.client_order_id
        assert child.linked_order_ids == (other.client_order_id,)
        assert child.order_side is OrderSide.SELL
        assert child.reduce_only
        assert child.order_list_id == bracket.id


def test_bracket_without_entry_price_then_market_entry(env: Env) -> None:
    env.clock.set_time(T0 + SEC)
    f = factory(env)

    bracket = f.bracket(
        env.instrument.id,
        OrderSide.SELL,
        QTY,
        tp_price=Price.from_str("48000.0"),
        sl_trigger_price=Price.from_str("51000.0"),
    )

    assert bracket.first.order_type is OrderType.MARKET
    assert bracket.orders[1].order_side is OrderSide.BUY
    assert bracket.first.ts_init == T0 + SEC


def test_limit_with_defaults_then_same_order_as_checked_constructor(env: Env) -> None:
    f = factory(env)

    order = f.limit(env.instrument.id, OrderSide.SELL, QTY, Price.from_str("50000.0"))
    rebuilt = LimitOrder(order.init_event)

    assert type(order) is LimitOrder
    assert snapshot(order) == snapshot(rebuilt)


def test_limit_with_options_then_options_in_init_and_spawn_id(env: Env) -> None:
    f = factory(env)

    order = f.limit(
        env.instrument.id,
        OrderSide.BUY,
        QTY,
        Price.from_str("50000.0"),
        TimeInForce.GTD,
        T0 + SEC,
        post_only=True,
        exec_algorithm_id=ExecAlgorithmId("TWAP"),
        tags=("a",),
    )

    init = order.init_event
    assert (init.time_in_force, init.expire_time_ns, init.post_only) == (
        TimeInForce.GTD,
        T0 + SEC,
        True,
    )
    assert init.exec_spawn_id == order.client_order_id
    assert init.tags == ("a",)
    assert snapshot(order) == snapshot(LimitOrder(init))


@pytest.mark.parametrize(
    ("side", "qty", "tif", "match"),
    [
        (OrderSide.NO_ORDER_SIDE, "1.000", TimeInForce.GTC, "order side NO_ORDER_SIDE is invalid"),
        (OrderSide.BUY, "0", TimeInForce.GTC, "quantity 0 must be positive"),
        (OrderSide.BUY, "1.000", TimeInForce.GTD, "GTD requires expire_time_ns"),
    ],
)
def test_limit_when_invalid_then_same_error_as_checked_constructor(
    env: Env, side: OrderSide, qty: str, tif: TimeInForce, match: str
) -> None:
    f = factory(env)

    with pytest.raises(ValueError, match=match):
        f.limit(env.instrument.id, side, Quantity.from_str(qty), Price.from_str("1.0"), tif)


def test_client_order_id_when_stamped_then_uses_given_time(env: Env) -> None:
    f = factory(env)

    coid = f.client_order_ids.generate(T0 + 3600 * SEC)

    assert coid == "O-20240102-040405-001-001-1"
    assert isinstance(coid, ClientOrderId)
