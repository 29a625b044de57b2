from __future__ import annotations

import pytest
from examples_env import SECOND, Env, make_env

from argonaut.examples import TWAPBuyer, TWAPBuyerConfig
from argonaut.model.commands.trading import SubmitOrder
from argonaut.model.enums import OrderType
from argonaut.model.values import Quantity
from argonaut.testkit import TS
from argonaut.trading import TWAP


def started() -> tuple[Env, TWAPBuyer, TWAP]:
    strategy = TWAPBuyer(TWAPBuyerConfig(order_id_tag="004", quantity="0.040"))
    twap = TWAP()
    return make_env(strategy, algorithms=(twap,)), strategy, twap


def children(env: Env) -> list[SubmitOrder]:
    return [c for c in env.venue.commands if isinstance(c, SubmitOrder)]


def test_config_when_interval_longer_than_horizon_then_refused() -> None:
    with pytest.raises(ValueError, match="interval_secs <= horizon_secs"):
        TWAPBuyerConfig(horizon_secs="5", interval_secs="10")


def test_first_quote_then_parent_goes_to_twap_and_one_slice_reaches_venue() -> None:
    env, strategy, _ = started()

    env.quote("50000.0", "50000.2")
    env.quote("50000.0", "50000.2")

    assert strategy.parent is not None
    assert strategy.parent.exec_algorithm_params == {"horizon_secs": "20", "interval_secs": "5"}
    [child] = children(env)
    assert child.order_init.order_type is OrderType.MARKET
    assert child.order_init.exec_spawn_id == strategy.parent.client_order_id
    assert str(child.order_init.quantity) == "0.010"  # 0.040 over 20 s / 5 s = 4 slices


def test_horizon_elapses_then_four_slices_filled_and_twap_completes_the_parent() -> None:
    env, strategy, twap = started()
    env.quote("50000.0", "50000.2")

    for i in range(1, 5):
        env.venue.fill(children(env)[-1].order_init.client_order_id, last_px="50000.2")
        env.run_to(TS + i * 5 * SECOND)

    assert len(children(env)) == 4
    assert strategy.filled == Quantity.from_str("0.040")
    assert strategy.parent is not None
    assert twap.scheduled == []
    assert twap.primary(strategy.parent.client_order_id) is None  # completed: work done
