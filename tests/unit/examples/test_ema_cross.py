from __future__ import annotations

import pytest
from examples_env import BTC, SECOND, Env, make_env

from argonaut.examples import EMA, EMACross, EMACrossConfig
from argonaut.model.commands.trading import SubmitOrder
from argonaut.model.enums import ComponentState, OrderSide, OrderType
from argonaut.testkit import TS


def bars(env: Env, closes: list[str], first: int = 1) -> None:
    """One trade per 5-second bar at each close, then the bar's end."""
    for i, price in enumerate(closes, start=first):
        env.run_to(TS + i * 5 * SECOND - SECOND)
        env.trade(price, i)
        env.run_to(TS + i * 5 * SECOND)


def submits(env: Env) -> list[SubmitOrder]:
    return [c for c in env.venue.commands if isinstance(c, SubmitOrder)]


def test_ema_when_fed_then_starts_at_first_value_and_smooths() -> None:
    ema = EMA(3)
    ema.update(10.0)
    assert ema.value == 10.0
    assert not ema.initialized
    ema.update(20.0)
    ema.update(20.0)
    assert ema.value == pytest.approx(17.5)  # 10 -> 15 -> 17.5 with alpha 0.5
    assert ema.initialized


def test_config_when_fast_not_below_slow_then_refused() -> None:
    with pytest.raises(ValueError, match="fast_period < slow_period"):
        EMACrossConfig(fast_period=4, slow_period=4)


def test_config_when_bar_type_of_other_instrument_then_refused() -> None:
    with pytest.raises(ValueError, match="not a bar type of"):
        EMACrossConfig(instrument_id="ETHUSDT-PERP.SIM")


def test_start_then_internal_bars_aggregated_from_trades_reach_the_strategy() -> None:
    strategy = EMACross(EMACrossConfig(order_id_tag="001"))
    env = make_env(strategy)

    bars(env, ["50000.0", "50010.0", "50020.0"])

    assert strategy.bars_seen == 3
    assert submits(env) == []  # the slow average is not initialized yet


def test_uptrend_then_market_buy_of_trade_size_once_both_averages_ready() -> None:
    strategy = EMACross(EMACrossConfig(order_id_tag="001"))
    env = make_env(strategy)

    bars(env, ["50000.0", "50010.0", "50020.0", "50030.0"])

    [submit] = submits(env)
    assert submit.order_init.order_type is OrderType.MARKET
    assert submit.order_init.order_side is OrderSide.BUY
    assert str(submit.order_init.quantity) == "0.010"


def test_cross_down_after_long_then_sells_twice_the_size_to_go_short() -> None:
    strategy = EMACross(EMACrossConfig(order_id_tag="001"))
    env = make_env(strategy)
    bars(env, ["50000.0", "50010.0", "50020.0", "50030.0"])
    [buy] = submits(env)
    env.venue.fill(buy.order_init.client_order_id, last_px="50030.0")
    assert env.net_raw(strategy, BTC) == 10_000_000

    bars(env, ["49900.0", "49800.0"], first=5)

    sell = submits(env)[-1]
    assert sell.order_init.order_side is OrderSide.SELL
    assert str(sell.order_init.quantity) == "0.020"
    env.venue.fill(sell.order_init.client_order_id, last_px="49800.0")
    assert env.net_raw(strategy, BTC) == -10_000_000


def test_signal_while_previous_order_unfilled_then_no_second_order() -> None:
    strategy = EMACross(EMACrossConfig(order_id_tag="001"))
    env = make_env(strategy)

    bars(env, ["50000.0", "50010.0", "50020.0", "50030.0", "50040.0", "50050.0"])

    assert len(submits(env)) == 1


def test_start_when_instrument_unknown_then_error_logged_and_strategy_stopped() -> None:
    strategy = EMACross(
        EMACrossConfig(
            order_id_tag="001",
            instrument_id="SOLUSDT-PERP.SIM",
            bar_type="SOLUSDT-PERP.SIM-5-SECOND-LAST-INTERNAL",
        )
    )

    env = make_env(strategy)

    assert strategy.state is ComponentState.STOPPED
    env.kernel.log_system.flush()
    assert any("No instrument SOLUSDT-PERP.SIM" in m for m in env.logs.messages())
