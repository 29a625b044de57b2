from __future__ import annotations

import pytest
from examples_env import Env, make_env

from argonaut.examples import BracketTrader, BracketTraderConfig
from argonaut.model.commands.trading import SubmitOrder
from argonaut.model.enums import OrderStatus, OrderType, TriggerType
from argonaut.model.orders import Order


def started(**options: object) -> tuple[Env, BracketTrader]:
    strategy = BracketTrader(BracketTraderConfig(order_id_tag="003", **options))  # type: ignore[arg-type]
    return make_env(strategy), strategy


def venue_submits(env: Env) -> list[SubmitOrder]:
    return [c for c in env.venue.commands if isinstance(c, SubmitOrder)]


def orders(env: Env, strategy: BracketTrader) -> dict[OrderType, Order]:
    return {o.order_type: o for o in env.kernel.cache.orders(strategy_id=strategy.id)}


def test_config_when_side_missing_then_refused() -> None:
    from argonaut.model.enums import OrderSide

    with pytest.raises(ValueError, match="side must be BUY or SELL"):
        BracketTraderConfig(side=OrderSide.NO_ORDER_SIDE)


def test_first_quote_then_market_entry_at_venue_and_exits_held_by_the_emulator() -> None:
    env, strategy = started()

    env.quote("50000.0", "50000.2")
    [entry] = venue_submits(env)
    env.venue.fill(entry.order_init.client_order_id, last_px="50000.2")

    assert entry.order_init.order_type is OrderType.MARKET
    by_type = orders(env, strategy)
    tp, sl = by_type[OrderType.LIMIT], by_type[OrderType.STOP_MARKET]
    assert (str(tp.price), str(sl.trigger_price)) == ("50002.1", "49998.1")
    assert tp.emulation_trigger is sl.emulation_trigger is TriggerType.BID_ASK
    assert tp.status is sl.status is OrderStatus.EMULATED
    assert len(venue_submits(env)) == 1  # the stop is not visible at the venue


def test_stop_touched_then_released_to_venue_filled_and_take_profit_canceled() -> None:
    env, strategy = started()
    env.quote("50000.0", "50000.2")
    [entry] = venue_submits(env)
    env.venue.fill(entry.order_init.client_order_id, last_px="50000.2")

    env.quote("49998.0", "49998.2")  # bid at or below the stop's trigger
    released = venue_submits(env)[-1]
    env.venue.fill(released.order_init.client_order_id, last_px="49998.0")

    by_type = orders(env, strategy)
    assert by_type[OrderType.LIMIT].status is OrderStatus.CANCELED
    assert env.kernel.cache.positions_open(strategy_id=strategy.id) == []


def test_bracket_closed_then_next_quote_starts_another_up_to_max_brackets() -> None:
    env, strategy = started(max_brackets=2)
    for _ in range(2):
        env.quote("50000.0", "50000.2")
        entry = venue_submits(env)[-1]
        env.venue.fill(entry.order_init.client_order_id, last_px="50000.2")
        env.quote("50003.0", "50003.2")  # the ask at or above the take-profit
        exit_order = venue_submits(env)[-1]
        env.venue.fill(exit_order.order_init.client_order_id, last_px="50002.1")

    env.quote("50000.0", "50000.2")

    assert strategy.brackets_sent == 2
    assert len(venue_submits(env)) == 4


def test_position_open_then_no_new_bracket() -> None:
    env, strategy = started()
    env.quote("50000.0", "50000.2")
    entry = venue_submits(env)[-1]
    env.venue.fill(entry.order_init.client_order_id, last_px="50000.2")

    env.quote("50000.5", "50000.7")

    assert strategy.brackets_sent == 1
