from __future__ import annotations

import pytest
from examples_env import ETH, Env, make_env

from argonaut.examples import MarketMaker, MarketMakerConfig
from argonaut.model.commands.trading import CancelOrder, ModifyOrder
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.values import Price, Quantity


def quotes_by_side(env: Env, strategy: MarketMaker) -> dict[OrderSide, str]:
    return {o.side: str(o.price) for o in env.open_orders(strategy)}


def started(**options: object) -> tuple[Env, MarketMaker]:
    strategy = MarketMaker(MarketMakerConfig(order_id_tag="002", **options))  # type: ignore[arg-type]
    return make_env(strategy), strategy


def test_config_when_max_inventory_below_trade_size_then_refused() -> None:
    with pytest.raises(ValueError, match="max_inventory"):
        MarketMakerConfig(trade_size="0.100", max_inventory="0.050")


def test_flat_then_posts_post_only_bid_and_ask_one_tick_outside_the_mid() -> None:
    env, strategy = started()

    env.quote("3000.00", "3000.02", ETH)  # mid 3000.01

    assert quotes_by_side(env, strategy) == {OrderSide.BUY: "3000.00", OrderSide.SELL: "3000.02"}
    assert all(
        o.is_post_only and o.quantity == Quantity.from_str("0.100")
        for o in env.open_orders(strategy)
    )


def test_wanted_price_inside_the_touch_then_clamped_so_quotes_never_take() -> None:
    env, strategy = started(half_spread_ticks=0)

    env.quote("3000.00", "3000.01", ETH)

    assert quotes_by_side(env, strategy) == {OrderSide.BUY: "3000.00", OrderSide.SELL: "3000.01"}


def test_long_inventory_then_both_quotes_skewed_down() -> None:
    env, strategy = started(skew_ticks=2)
    tick = env.quote("3000.00", "3000.02", ETH)
    bid = next(o for o in env.open_orders(strategy) if o.side is OrderSide.BUY)
    env.venue.fill(bid.client_order_id)

    low_bid, low_ask = strategy.quote_prices(tick)

    assert (low_bid, low_ask) == (Price.from_str("2999.98"), Price.from_str("3000.02"))
    # the ask is held at the best ask: 3000.00 wanted, clamped so it does not take


def test_market_moves_two_ticks_up_then_bid_follows_and_lifted_ask_waits() -> None:
    env, strategy = started(requote_ticks=1)
    env.quote("3000.00", "3000.02", ETH)

    env.quote("3000.02", "3000.04", ETH)  # the bid reaches our ask: it is being filled

    modifies = [c for c in env.venue.commands if isinstance(c, ModifyOrder)]
    assert [str(m.price) for m in modifies] == ["3000.01"]  # kept below our own ask
    assert quotes_by_side(env, strategy) == {OrderSide.BUY: "3000.01", OrderSide.SELL: "3000.02"}


def test_market_moves_one_tick_then_quotes_left_in_place() -> None:
    env, _ = started()
    env.quote("3000.00", "3000.02", ETH)

    env.quote("3000.01", "3000.03", ETH)

    assert not [c for c in env.venue.commands if isinstance(c, ModifyOrder)]


def test_inventory_at_max_then_bid_pulled_and_only_the_ask_works() -> None:
    env, strategy = started(max_inventory="0.100")
    env.quote("3000.00", "3000.02", ETH)
    bid = next(o for o in env.open_orders(strategy) if o.side is OrderSide.BUY)
    env.venue.fill(bid.client_order_id)

    env.quote("3000.00", "3000.02", ETH)

    assert [o.side for o in env.open_orders(strategy)] == [OrderSide.SELL]


def test_open_quotes_from_a_previous_run_then_adopted_and_extras_canceled() -> None:
    strategy = MarketMaker(MarketMakerConfig(order_id_tag="002"))
    env = make_env(strategy, start=False)
    left = [
        strategy.factory.limit(ETH, side, Quantity.from_str("0.100"), Price.from_str(px))
        for side, px in (
            (OrderSide.BUY, "2990.00"),
            (OrderSide.BUY, "2991.00"),
            (OrderSide.SELL, "3010.00"),
        )
    ]
    for order in left:
        strategy.submit_order(order)

    env.kernel.start_trader()

    cancels = [c for c in env.venue.commands if isinstance(c, CancelOrder)]
    assert [c.client_order_id for c in cancels] == [left[1].client_order_id]
    env.quote("2990.00", "2990.02", ETH)  # bid already there; the ask is moved, not duplicated
    assert len(env.open_orders(strategy)) == 2
    assert left[0].status is OrderStatus.ACCEPTED


def test_stop_then_quotes_canceled() -> None:
    env, strategy = started()
    env.quote("3000.00", "3000.02", ETH)

    env.kernel.stop_trader()

    assert env.open_orders(strategy) == []


def test_stop_without_cancel_on_stop_then_quotes_keep_working() -> None:
    env, strategy = started(cancel_on_stop=False)
    env.quote("3000.00", "3000.02", ETH)

    env.kernel.stop_trader()

    assert len(env.open_orders(strategy)) == 2


def test_market_quotes_through_resting_bid_then_no_modify_while_the_fill_is_coming() -> None:
    env, _ = started(requote_ticks=1)
    env.quote("3000.00", "3000.02", ETH)  # bid 3000.00, ask 3000.02

    env.quote("2999.97", "2999.99", ETH)  # the ask is below our bid: it is being filled

    modifies = [c for c in env.venue.commands if isinstance(c, ModifyOrder)]
    assert [str(m.price) for m in modifies] == ["3000.01"]  # only the ask moves, above our bid
