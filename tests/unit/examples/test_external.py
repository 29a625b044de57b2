from __future__ import annotations

import pytest
from examples_env import BTC, ETH, Env, make_env

from argonaut.examples import ExternalOrderAdopter, ExternalOrderAdopterConfig
from argonaut.model.commands.trading import CancelOrder
from argonaut.model.enums import OrderSide
from argonaut.model.identifiers import ClientOrderId, StrategyId
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.testkit import limit_order


def adopter(*, cancel: bool = False) -> ExternalOrderAdopter:
    return ExternalOrderAdopter(
        ExternalOrderAdopterConfig(
            order_id_tag="005", external_order_claims=[str(BTC)], cancel_adopted=cancel
        )
    )


def external_order(env: Env, strategy_id: StrategyId, coid: str) -> Order:
    """An order placed outside the node, as reconciliation hands it to its claimant."""
    order = limit_order(
        client_order_id=coid, strategy_id=strategy_id, price="49000.0", quantity="0.010"
    )
    env.kernel.cache.add_order(order)
    env.venue.accept(order.client_order_id)
    return order


def test_config_without_claims_then_refused() -> None:
    with pytest.raises(ValueError, match="external_order_claims"):
        ExternalOrderAdopterConfig(order_id_tag="005")


def test_added_then_claim_registered_with_the_execution_engine() -> None:
    strategy = adopter()
    env = make_env(strategy, start=False)

    assert env.kernel.exec_engine.external_order_claim(BTC) == strategy.id
    assert env.kernel.exec_engine.external_order_claim(ETH) is None


def test_start_with_open_external_order_then_adopted_and_kept() -> None:
    strategy = adopter()
    env = make_env(strategy, start=False)
    order = external_order(env, strategy.id, "WEB-1")

    env.kernel.start_trader()

    assert strategy.adopted == [ClientOrderId("WEB-1")]
    assert order.is_open
    assert not [c for c in env.venue.commands if isinstance(c, CancelOrder)]


def test_start_with_cancel_adopted_then_external_order_canceled() -> None:
    strategy = adopter(cancel=True)
    env = make_env(strategy, start=False)
    order = external_order(env, strategy.id, "WEB-1")

    env.kernel.start_trader()

    [cancel] = [c for c in env.venue.commands if isinstance(c, CancelOrder)]
    assert cancel.client_order_id == ClientOrderId("WEB-1")
    assert order.is_closed


def test_own_open_order_then_not_adopted() -> None:
    strategy = adopter(cancel=True)
    env = make_env(strategy, start=False)
    own = strategy.factory.limit(
        BTC, OrderSide.BUY, Quantity.from_str("0.010"), Price.from_str("49000.0")
    )
    strategy.submit_order(own)

    env.kernel.start_trader()

    assert strategy.adopted == []
    assert own.is_open


def test_adopted_order_filled_then_fill_recorded() -> None:
    strategy = adopter()
    env = make_env(strategy, start=False)
    external_order(env, strategy.id, "WEB-1")
    env.kernel.start_trader()

    env.venue.fill("WEB-1")

    [fill] = strategy.adopted_fills
    assert fill.client_order_id == ClientOrderId("WEB-1")
