from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.errors import ConfigError
from argonaut.common.logging import WARNING, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.risk import RiskEngine, RiskEngineConfig, parse_rate, reference_price
from argonaut.engines.risk.checks import InstrumentRules
from argonaut.model.accounts import Account
from argonaut.model.commands.trading import ModifyOrder, SubmitOrder
from argonaut.model.enums import (
    AccountType,
    OmsType,
    OrderSide,
    TimeInForce,
    TradingState,
    TrailingOffsetType,
)
from argonaut.model.events.order import OrderDenied, OrderModifyRejected
from argonaut.model.events.risk import TradingStateChanged
from argonaut.model.orders import Order
from argonaut.model.values import Money, Price, Quantity
from argonaut.testkit import (
    ACCOUNT_ID,
    BTCUSDT_PERP,
    INSTRUMENT_ID,
    POSITION_ID,
    TRADER_ID,
    TS,
    accepted,
    account_state,
    audusd,
    balance,
    batch_cancel_orders,
    bracket_orders,
    btcusd_inverse_perp,
    btcusdt_perp,
    cancel_all_orders,
    cancel_order,
    canceled,
    es_future,
    ethusdt_perp,
    limit_order,
    market_order,
    modify_order,
    open_position,
    pending_cancel,
    query_account,
    query_order,
    quote,
    stop_market_order,
    submit_order,
    submit_order_list,
    submitted,
    trade,
    trailing_stop_market_order,
)

NOW = TS + 1_000
SECOND = NANOS_PER_SECOND
IID = str(INSTRUMENT_ID)


class Env:
    """A risk engine on a real bus, cache and test clock, with recording exec endpoints."""

    def __init__(self, config: RiskEngineConfig | None, logger: Logger) -> None:
        self.clock = TestClock(NOW)
        self.bus = MessageBus(TRADER_ID)
        self.cache = Cache()
        self.cache.add_instrument(BTCUSDT_PERP)
        self.executed: list[Any] = []
        self.processed: list[Any] = []
        self.bus.register(topics.EXEC_ENGINE_EXECUTE, self.executed.append)
        self.bus.register(topics.EXEC_ENGINE_PROCESS, self.processed.append)
        self.risk = RiskEngine(
            self.bus,
            self.cache,
            self.clock,
            config=config,
            logger=logger,
            uuid_factory=UUIDFactory(seed=7),
        )

    def submit(self, order: Order, **kwargs: Any) -> SubmitOrder:
        if not self.cache.order_exists(order.client_order_id):
            self.cache.add_order(order)
        command = submit_order(order, **kwargs)
        self.risk.execute(command)
        return command

    def submit_list(self, orders: Sequence[Order]) -> None:
        for order in orders:
            self.cache.add_order(order)
        self.risk.execute(submit_order_list(orders))

    def working(self, order: Order) -> Order:
        """Cache `order` as accepted at the venue."""
        self.cache.add_order(order)
        order.apply(submitted(order))
        order.apply(accepted(order))
        self.cache.update_order(order)
        return order

    def modify(self, order: Order, **kwargs: Any) -> ModifyOrder:
        command = modify_order(order, **kwargs)
        self.risk.execute(command)
        return command

    def hold(self, side: OrderSide, quantity: str = "1.000", **kwargs: Any) -> None:
        position, _ = open_position(side=side, quantity=quantity, **kwargs)
        self.cache.add_position(position, OmsType.NETTING)

    def cash_account(self, *balances: str) -> None:
        state = account_state(
            account_id="SIM-001",
            account_type=AccountType.CASH,
            balances=[balance(b) for b in balances],
        )
        self.cache.add_account(Account.from_state(state))

    def denials(self) -> list[OrderDenied]:
        return [e for e in self.processed if isinstance(e, OrderDenied)]

    def reasons(self) -> list[str]:
        return [e.reason for e in self.denials()]

    def modify_rejections(self) -> list[OrderModifyRejected]:
        return [e for e in self.processed if isinstance(e, OrderModifyRejected)]


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def log_system(sink: MemorySink) -> Iterator[LogSystem]:
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(NOW), sinks=[sink]) as system:
        yield system


@pytest.fixture
def make_env(log_system: LogSystem) -> Any:
    def make(config: RiskEngineConfig | None = None) -> Env:
        return Env(config, Logger("RiskEngine", log_system))

    return make


@pytest.fixture
def env(make_env: Any) -> Env:
    result: Env = make_env()
    return result


def warnings(sink: MemorySink, log_system: LogSystem) -> list[str]:
    assert log_system.flush()
    return sink.messages(WARNING)


def capped(amount: str) -> RiskEngineConfig:
    return RiskEngineConfig(max_notional_per_order={IID: amount})


# -- config ---------------------------------------------------------------------------------


def test_config_when_defaults_then_100_per_second_both_ways() -> None:
    config = RiskEngineConfig()

    assert config.submit_rate() == (100, SECOND)
    assert config.modify_rate() == (100, SECOND)
    assert config.notional_caps() == {}
    assert not config.bypass


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("1/00:00:01", (1, SECOND)),
        ("50/01:02:03", (50, 3723 * SECOND)),
        ("5/00:01:00", (5, 60 * SECOND)),
    ],
)
def test_parse_rate_when_valid_then_limit_and_interval(
    rate: str, expected: tuple[int, int]
) -> None:
    assert parse_rate(rate) == expected


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("100", "expected 'N/HH:MM:SS'"),
        ("100/1", "expected 'N/HH:MM:SS'"),
        ("x/00:00:01", "expected 'N/HH:MM:SS'"),
        ("10/00:60:00", "below 60"),
        ("10/00:00:75", "below 60"),
        ("0/00:00:01", "N >= 1"),
        ("10/00:00:00", "zero interval"),
    ],
)
def test_config_when_rate_malformed_then_config_error(rate: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        RiskEngineConfig(max_order_submit_rate=rate)
    with pytest.raises(ConfigError, match="max_order_modify_rate"):
        RiskEngineConfig(max_order_modify_rate=rate)


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ({IID: "lots"}, "not a decimal number"),
        ({IID: "-5"}, "positive"),
        ({IID: "0"}, "positive"),
        ({"no-venue": "10"}, "not an instrument id"),
    ],
)
def test_config_when_notional_cap_invalid_then_config_error(
    caps: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        RiskEngineConfig(max_notional_per_order=caps)


def test_config_when_decoded_with_unknown_field_then_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(b'{"bypas": true}', type=RiskEngineConfig)


def test_config_when_decoded_then_validated_and_parsed() -> None:
    config = msgspec.json.decode(
        b'{"max_order_submit_rate": "5/00:00:02", '
        b'"max_notional_per_order": {"BTCUSDT-PERP.SIM": "1000.5"}}',
        type=RiskEngineConfig,
    )

    assert config.submit_rate() == (5, 2 * SECOND)
    assert config.notional_caps() == {INSTRUMENT_ID: Decimal("1000.5")}
    with pytest.raises(msgspec.ValidationError, match="max_order_modify_rate '5' is not a rate"):
        msgspec.json.decode(b'{"max_order_modify_rate": "5"}', type=RiskEngineConfig)


# -- wiring and pass-through ------------------------------------------------------------------


def test_risk_engine_when_built_then_endpoints_registered_and_active(env: Env) -> None:
    assert env.bus.is_registered(topics.RISK_ENGINE_EXECUTE)
    assert env.bus.is_registered(topics.RISK_ENGINE_PROCESS)
    assert env.risk.trading_state is TradingState.ACTIVE


def test_submit_order_when_valid_then_sent_to_exec_engine(env: Env) -> None:
    order = limit_order()
    env.cache.add_order(order)
    command = submit_order(order)

    env.bus.send(topics.RISK_ENGINE_EXECUTE, command)

    assert env.executed == [command]
    assert env.processed == []
    assert (env.risk.command_count, env.risk.denied_count) == (1, 0)


@pytest.mark.parametrize("state", [TradingState.ACTIVE, TradingState.HALTED, TradingState.REDUCING])
def test_cancels_and_queries_when_any_trading_state_then_passed_straight_on(
    env: Env, state: TradingState
) -> None:
    order = env.working(limit_order())
    if state is not TradingState.ACTIVE:
        env.risk.set_trading_state(state)
    commands = [
        cancel_order(order),
        cancel_all_orders(),
        batch_cancel_orders([order]),
        query_order(order),
        query_account(),
    ]

    for command in commands:
        env.risk.execute(command)

    assert env.executed == commands
    assert env.processed == []


def test_process_when_event_then_counted(env: Env) -> None:
    env.bus.send(topics.RISK_ENGINE_PROCESS, canceled(limit_order()))

    assert env.risk.event_count == 1


# -- submit denials -------------------------------------------------------------------------


def test_submit_order_when_instrument_unknown_then_denied(env: Env) -> None:
    env.submit(limit_order(ethusdt_perp(), price="3000.00"))

    assert env.reasons() == ["INSTRUMENT_NOT_FOUND: instrument=ETHUSDT-PERP.SIM"]
    assert env.executed == []


def test_submit_order_when_price_off_increment_then_denied(env: Env) -> None:
    env.submit(limit_order(price=Price.from_str("50000.05")))

    assert env.reasons() == [
        "PRICE_NOT_ON_TICK: price=50000.05 tick=0.1 instrument=BTCUSDT-PERP.SIM"
    ]
    assert env.executed == []
    assert env.risk.denied_count == 1


def test_submit_order_when_denied_then_event_identifies_order_and_time(env: Env) -> None:
    order = limit_order(price=Price.from_str("50000.05"))

    env.submit(order)

    (event,) = env.denials()
    assert (event.trader_id, event.strategy_id) == (order.trader_id, order.strategy_id)
    assert (event.instrument_id, event.client_order_id) == (INSTRUMENT_ID, order.client_order_id)
    assert event.ts_event == event.ts_init == NOW


def test_submit_order_when_price_precision_exceeds_instrument_then_denied(env: Env) -> None:
    env.submit(limit_order(price=Price.from_str("50000.10")))

    assert env.reasons() == [
        (
            "PRICE_PRECISION_EXCEEDED: price=50000.10 precision=2 max_precision=1 "
            "instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_price_not_positive_then_denied(env: Env) -> None:
    env.submit(limit_order(price="-1.0"))

    assert env.reasons() == ["PRICE_NOT_POSITIVE: price=-1.0 instrument=BTCUSDT-PERP.SIM"]


def test_submit_order_when_instrument_allows_negative_prices_then_negative_price_passes(
    env: Env,
) -> None:
    future = es_future(ts_event=TS, ts_init=TS)
    env.cache.add_instrument(future)

    env.submit(limit_order(future, quantity="1", price="-5.25"))

    assert env.reasons() == []
    assert len(env.executed) == 1


def test_submit_order_when_price_above_maximum_then_denied(env: Env) -> None:
    env.submit(limit_order(price="1000000.1"))

    assert env.reasons() == [
        "PRICE_EXCEEDS_MAXIMUM: price=1000000.1 max=1000000.0 instrument=BTCUSDT-PERP.SIM"
    ]


def test_submit_order_when_price_below_minimum_then_denied(env: Env) -> None:
    env.cache.add_instrument(btcusdt_perp(min_price=Price.from_str("100.0")))

    env.submit(limit_order(price="99.9"))

    assert env.reasons() == [
        "PRICE_BELOW_MINIMUM: price=99.9 min=100.0 instrument=BTCUSDT-PERP.SIM"
    ]


def test_submit_order_when_trigger_price_off_increment_then_denied(env: Env) -> None:
    env.submit(stop_market_order(trigger_price=Price.from_str("50100.05")))

    assert env.reasons() == [
        "TRIGGER_PRICE_NOT_ON_TICK: trigger_price=50100.05 tick=0.1 instrument=BTCUSDT-PERP.SIM"
    ]


def test_submit_order_when_quantity_off_step_then_denied(env: Env) -> None:
    env.cache.add_instrument(btcusdt_perp(size_increment=Quantity.from_str("0.005")))

    env.submit(limit_order(quantity="1.001"))

    assert env.reasons() == [
        "QUANTITY_NOT_ON_STEP: quantity=1.001 step=0.005 instrument=BTCUSDT-PERP.SIM"
    ]


def test_submit_order_when_quantity_precision_exceeds_instrument_then_denied(env: Env) -> None:
    env.submit(limit_order(quantity=Quantity.from_str("1.0000")))

    assert env.reasons() == [
        (
            "QUANTITY_PRECISION_EXCEEDED: quantity=1.0000 precision=4 max_precision=3 "
            "instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_quantity_above_maximum_then_denied(env: Env) -> None:
    env.submit(limit_order(quantity="1000.001"))

    assert env.reasons() == [
        "QUANTITY_EXCEEDS_MAXIMUM: quantity=1000.001 max=1000.000 instrument=BTCUSDT-PERP.SIM"
    ]


def test_submit_order_when_quantity_below_minimum_then_denied(env: Env) -> None:
    env.cache.add_instrument(btcusdt_perp(min_quantity=Quantity.from_str("0.010")))

    env.submit(limit_order(quantity="0.005"))

    assert env.reasons() == [
        "QUANTITY_BELOW_MINIMUM: quantity=0.005 min=0.010 instrument=BTCUSDT-PERP.SIM"
    ]


def test_submit_order_when_gtd_expire_time_in_past_then_denied(env: Env) -> None:
    env.submit(limit_order(time_in_force=TimeInForce.GTD, expire_time_ns=NOW))

    assert env.reasons() == [f"EXPIRE_TIME_IN_PAST: expire_time_ns={NOW} now_ns={NOW}"]


def test_submit_order_when_gtd_expire_time_in_future_then_sent(env: Env) -> None:
    env.submit(limit_order(time_in_force=TimeInForce.GTD, expire_time_ns=NOW + 1))

    assert env.reasons() == []
    assert len(env.executed) == 1


def test_submit_order_when_trailing_offset_type_unsupported_then_denied(env: Env) -> None:
    env.submit(trailing_stop_market_order(trailing_offset_type=TrailingOffsetType.PRICE_TIER))

    assert env.reasons() == [
        (
            "UNSUPPORTED_TRAILING_OFFSET_TYPE: trailing_offset_type=PRICE_TIER "
            "supported=PRICE,BASIS_POINTS,TICKS instrument=BTCUSDT-PERP.SIM"
        )
    ]


# -- notional -------------------------------------------------------------------------------


def test_submit_order_when_notional_exceeds_max_per_order_then_denied(make_env: Any) -> None:
    env: Env = make_env(capped("40000"))

    env.submit(limit_order(quantity="1.000", price="50000.0"))

    assert env.reasons() == [
        (
            "NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional=50000.00000000 USDT max=40000.00000000 USDT "
            "quantity=1.000 price=50000.0 instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_notional_equals_max_per_order_then_sent(make_env: Any) -> None:
    env: Env = make_env(capped("50000"))

    env.submit(limit_order(quantity="1.000", price="50000.0"))

    assert env.reasons() == []
    assert len(env.executed) == 1


def test_submit_order_when_market_order_then_notional_measured_at_ask(make_env: Any) -> None:
    env: Env = make_env(capped("50000"))
    env.cache.add_quote_tick(quote(bid="49999.9", ask="50000.1"))

    env.submit(market_order(side=OrderSide.SELL))  # at the bid: passes
    env.submit(market_order(client_order_id="O-2"))  # at the ask: over the cap

    assert [e.client_order_id for e in env.denials()] == ["O-2"]
    assert env.reasons()[0].startswith("NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional=50000.10000000")


def test_submit_order_when_market_order_without_quotes_then_last_trade_used(
    make_env: Any,
) -> None:
    env: Env = make_env(capped("50000"))
    env.cache.add_trade_tick(trade(price="50000.5"))

    env.submit(market_order())

    assert env.reasons()[0].startswith("NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional=50000.50000000")


def test_submit_order_when_market_order_without_market_data_then_checks_skipped_with_warning(
    make_env: Any, sink: MemorySink, log_system: LogSystem
) -> None:
    env: Env = make_env(capped("1"))

    env.submit(market_order())

    assert len(env.executed) == 1
    assert any("notional and balance checks" in m for m in warnings(sink, log_system))


def test_submit_order_when_stop_market_then_notional_measured_at_trigger(make_env: Any) -> None:
    env: Env = make_env(capped("50000"))

    env.submit(stop_market_order(trigger_price="50000.1"))

    assert env.reasons()[0].startswith("NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional=50000.10000000")


def test_submit_order_when_notional_above_instrument_maximum_then_denied(env: Env) -> None:
    env.cache.add_instrument(btcusdt_perp(max_notional=Money.from_str("10000 USDT")))

    env.submit(limit_order(quantity="0.500", price="20000.2"))

    assert env.reasons() == [
        (
            "NOTIONAL_EXCEEDS_MAXIMUM: notional=10000.10000000 USDT max=10000.00000000 USDT "
            "quantity=0.500 price=20000.2 instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_notional_below_instrument_minimum_then_denied(env: Env) -> None:
    env.cache.add_instrument(btcusdt_perp(min_notional=Money.from_str("5 USDT")))

    env.submit(limit_order(quantity="0.001", price="4999.9"))

    assert env.reasons() == [
        (
            "NOTIONAL_BELOW_MINIMUM: notional=4.99990000 USDT min=5.00000000 USDT "
            "quantity=0.001 price=4999.9 instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_inverse_notional_exceeds_cap_in_quote_then_denied(
    env: Env,
) -> None:
    inverse = btcusd_inverse_perp()
    env.cache.add_instrument(inverse)
    env.risk.set_max_notional_per_order(inverse.id, "50")

    env.submit(limit_order(inverse, quantity="100", price="50000.0"))

    assert env.reasons() == [
        (
            "NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional=100.00 USD max=50.00 USD "
            "quantity=100 price=50000.0 instrument=BTCUSD-PERP.SIM"
        )
    ]


def test_submit_order_when_inverse_notional_below_base_minimum_then_denied(env: Env) -> None:
    inverse = btcusd_inverse_perp(min_notional=Money.from_str("0.01 BTC"))
    env.cache.add_instrument(inverse)

    env.submit(limit_order(inverse, quantity="100", price="50000.0"))
    env.submit(limit_order(inverse, quantity="500", price="50000.0", client_order_id="O-2"))

    assert env.reasons() == [
        (
            "NOTIONAL_BELOW_MINIMUM: notional=0.00200000 BTC min=0.01000000 BTC "
            "quantity=100 price=50000.0 instrument=BTCUSD-PERP.SIM"
        )
    ]
    assert len(env.executed) == 1


def test_set_max_notional_per_order_when_changed_at_runtime_then_applied(env: Env) -> None:
    env.risk.set_max_notional_per_order(INSTRUMENT_ID, "100")
    env.submit(limit_order())
    env.risk.set_max_notional_per_order(INSTRUMENT_ID, None)
    env.submit(limit_order(client_order_id="O-2"))

    assert [e.client_order_id for e in env.denials()] == ["O-1"]
    assert env.risk.max_notional_per_order(INSTRUMENT_ID) is None
    assert len(env.executed) == 1


def test_submit_order_when_instrument_replaced_in_cache_then_new_limits_apply(env: Env) -> None:
    env.submit(limit_order(price="50000.5"))
    env.cache.add_instrument(btcusdt_perp(price_increment=Price.from_str("1.0")))

    env.submit(limit_order(price="50000.5", client_order_id="O-2"))

    assert [e.client_order_id for e in env.denials()] == ["O-2"]
    assert env.reasons()[0].startswith("PRICE_NOT_ON_TICK: price=50000.5 tick=1.0")


# -- quote quantity -------------------------------------------------------------------------


def test_submit_order_when_quote_quantity_without_market_price_then_denied(env: Env) -> None:
    env.submit(market_order(quantity="1000.000", quote_quantity=True))

    assert env.reasons() == [
        (
            "NO_PRICE_FOR_QUOTE_QUANTITY: quote_quantity=1000.000 instrument=BTCUSDT-PERP.SIM "
            "(no quote or trade to convert it at)"
        )
    ]


def test_submit_order_when_quote_quantity_converted_at_ask_then_limits_checked(
    env: Env,
) -> None:
    env.cache.add_instrument(btcusdt_perp(min_quantity=Quantity.from_str("0.100")))
    env.cache.add_quote_tick(quote(bid="49999.9", ask="50000.0"))

    env.submit(market_order(quantity="1000.000", quote_quantity=True))

    assert env.reasons() == [
        (
            "QUANTITY_BELOW_MINIMUM: quantity=0.020 min=0.100 quote_quantity=1000.000 "
            "instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_quote_quantity_above_max_quantity_then_checked_once_converted(
    env: Env,
) -> None:
    # 2,000,000 USDT is far above max_quantity 1000 as a number, but only 40 BTC at 50,000.
    env.cache.add_quote_tick(quote(bid="49999.9", ask="50000.0"))

    env.submit(market_order(quantity="2000000.000", quote_quantity=True))

    assert env.reasons() == []
    assert len(env.executed) == 1


def test_submit_order_when_quote_quantity_limit_above_touch_then_capped_at_touch(
    make_env: Any,
) -> None:
    env: Env = make_env(capped("999.99"))
    env.cache.add_quote_tick(quote(bid="39999.9", ask="40000.0"))

    env.submit(limit_order(quantity="1000.000", price="50000.0", quote_quantity=True))

    # converted at the ask 40,000: 0.025 BTC, whose notional at 40,000 is 1000 > 999.99
    assert env.reasons()[0].startswith("NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional=1000.00000000")
    assert "quantity=0.025 price=40000.0" in env.reasons()[0]


# -- reduce-only ----------------------------------------------------------------------------


def test_submit_order_when_reduce_only_and_flat_then_denied_as_opening(env: Env) -> None:
    env.submit(limit_order(side=OrderSide.SELL, reduce_only=True))

    assert env.reasons() == [
        (
            "REDUCE_ONLY_WOULD_INCREASE_POSITION: side=SELL quantity=1.000 net_position=0.000 "
            "strategy_id=S-001 instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_reduce_only_would_increase_long_then_denied(env: Env) -> None:
    env.hold(OrderSide.BUY)

    env.submit(limit_order(side=OrderSide.BUY, reduce_only=True))

    assert env.reasons()[0].startswith(
        "REDUCE_ONLY_WOULD_INCREASE_POSITION: side=BUY quantity=1.000 net_position=1.000"
    )


def test_submit_order_when_reduce_only_reduces_long_then_sent(env: Env) -> None:
    env.hold(OrderSide.BUY)

    env.submit(limit_order(side=OrderSide.SELL, reduce_only=True))

    assert env.reasons() == []
    assert len(env.executed) == 1


def test_submit_order_when_reduce_only_with_unknown_position_id_then_denied(env: Env) -> None:
    env.submit(limit_order(side=OrderSide.SELL, reduce_only=True), position_id="P-404")

    assert env.reasons() == ["POSITION_NOT_FOUND: position_id=P-404"]


def test_submit_order_when_reduce_only_with_position_id_reducing_short_then_sent(
    env: Env,
) -> None:
    env.hold(OrderSide.SELL)

    env.submit(limit_order(side=OrderSide.BUY, reduce_only=True), position_id=POSITION_ID)

    assert env.reasons() == []


def test_submit_order_when_reduce_only_with_position_id_increasing_short_then_denied(
    env: Env,
) -> None:
    env.hold(OrderSide.SELL)

    env.submit(limit_order(side=OrderSide.SELL, reduce_only=True), position_id=POSITION_ID)

    assert env.reasons() == [
        (
            "REDUCE_ONLY_WOULD_INCREASE_POSITION: side=SELL quantity=1.000 net_position=-1.000 "
            f"position_id={POSITION_ID}"
        )
    ]


# -- cash account ---------------------------------------------------------------------------


def test_submit_order_when_cash_buy_notional_exceeds_free_balance_then_denied(env: Env) -> None:
    env.cash_account("10000 USDT")

    env.submit(limit_order(quantity="1.000", price="50000.0"))

    assert env.reasons() == [
        (
            "NOTIONAL_EXCEEDS_FREE_BALANCE: notional=50000.00000000 USDT free=10000.00000000 USDT "
            "account=SIM-001 instrument=BTCUSDT-PERP.SIM"
        )
    ]


def test_submit_order_when_cash_buy_within_free_balance_then_sent(env: Env) -> None:
    env.cash_account("50000 USDT")

    env.submit(limit_order(quantity="1.000", price="50000.0"))

    assert env.reasons() == []


def test_submit_order_when_margin_account_then_balance_not_checked(env: Env) -> None:
    env.cache.add_account(Account.from_state(account_state(balances=[balance("1 USDT")])))

    env.submit(limit_order(quantity="1.000", price="50000.0"))

    assert env.reasons() == []


def test_submit_order_when_cash_spot_sell_exceeds_free_base_then_denied(env: Env) -> None:
    pair = audusd()
    env.cache.add_instrument(pair)
    env.cash_account("100000 USD", "50000 AUD")

    env.submit(limit_order(pair, side=OrderSide.SELL, quantity="100000", price="0.65000"))

    assert env.reasons() == [
        (
            "NOTIONAL_EXCEEDS_FREE_BALANCE: notional=100000.00 AUD free=50000.00 AUD "
            "account=SIM-001 instrument=AUD/USD.SIM"
        )
    ]


def test_submit_order_when_cash_sell_reduces_net_long_then_balance_check_skipped(
    env: Env,
) -> None:
    pair = audusd()
    env.cache.add_instrument(pair)
    env.cash_account("100000 USD")
    env.hold(OrderSide.BUY, quantity="100000", price="0.65000", instrument=pair)

    env.submit(limit_order(pair, side=OrderSide.SELL, quantity="100000", price="0.65000"))

    assert env.reasons() == []


def test_submit_order_list_when_cumulative_buys_exceed_free_balance_then_all_denied(
    env: Env,
) -> None:
    env.cash_account("10000 USDT")
    first = limit_order(quantity="0.150", price="50000.0", client_order_id="O-1")
    second = limit_order(quantity="0.150", price="50000.0", client_order_id="O-2")

    env.submit_list([first, second])

    assert (
        env.reasons()
        == [
            (
                "CUM_NOTIONAL_EXCEEDS_FREE_BALANCE: cum_notional=15000.00000000 USDT "
                "free=10000.00000000 USDT account=SIM-001 instrument=BTCUSDT-PERP.SIM "
                "client_order_id=O-2"
            )
        ]
        * 2
    )
    assert env.executed == []


# -- order lists ----------------------------------------------------------------------------


def test_submit_order_list_when_valid_bracket_then_sent_whole(env: Env) -> None:
    orders = bracket_orders()

    env.submit_list(orders)

    assert env.reasons() == []
    assert len(env.executed) == 1


def test_submit_order_list_when_one_order_off_tick_then_every_order_denied(env: Env) -> None:
    orders = bracket_orders()
    orders[2] = limit_order(
        side=OrderSide.SELL,
        price=Price.from_str("52000.05"),
        client_order_id="O-3",
        order_list_id=orders[0].order_list_id,
    )

    env.submit_list(orders)

    assert [e.client_order_id for e in env.denials()] == ["O-1", "O-2", "O-3"]
    assert set(env.reasons()) == {
        "PRICE_NOT_ON_TICK: price=52000.05 tick=0.1 instrument=BTCUSDT-PERP.SIM client_order_id=O-3"
    }
    assert env.executed == []
    assert env.risk.denied_count == 1


def test_submit_order_list_when_instrument_unknown_then_every_order_denied(env: Env) -> None:
    eth = ethusdt_perp()
    orders = [
        limit_order(eth, price="3000.00", client_order_id="O-1"),
        limit_order(eth, price="3000.00", client_order_id="O-2"),
    ]

    env.submit_list(orders)

    assert env.reasons() == ["INSTRUMENT_NOT_FOUND: instrument=ETHUSDT-PERP.SIM"] * 2


# -- cache contract -------------------------------------------------------------------------


def test_submit_order_when_order_not_cached_then_cached_and_denied(env: Env) -> None:
    order = limit_order()

    env.risk.execute(submit_order(order))

    assert env.cache.order_exists(order.client_order_id)
    assert env.reasons()[0].startswith("ORDER_NOT_FOUND: client_order_id=O-1")
    assert env.executed == []


def test_submit_order_list_when_one_order_not_cached_then_all_denied_and_cached(
    env: Env,
) -> None:
    first, second = limit_order(client_order_id="O-1"), limit_order(client_order_id="O-2")
    env.cache.add_order(first)

    env.risk.execute(submit_order_list([first, second]))

    assert env.cache.order_exists(second.client_order_id)
    assert [e.client_order_id for e in env.denials()] == ["O-1", "O-2"]
    assert env.reasons()[0].startswith("ORDER_NOT_FOUND: client_order_id=O-2 ")


def test_submit_order_when_order_no_longer_initialized_then_no_denial_event(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    order = env.working(limit_order(price=Price.from_str("50000.05")))

    env.risk.execute(submit_order(order))

    assert env.processed == []
    assert env.executed == []
    assert any("only an INITIALIZED order" in m for m in warnings(sink, log_system))


# -- trading state --------------------------------------------------------------------------


def test_set_trading_state_when_changed_then_trading_state_changed_published(env: Env) -> None:
    received: list[TradingStateChanged] = []
    env.bus.subscribe(topics.risk_events(), received.append)

    env.risk.set_trading_state(TradingState.HALTED, "drawdown limit")

    assert env.risk.trading_state is TradingState.HALTED
    (event,) = received
    assert (event.trader_id, event.state, event.reason) == (
        TRADER_ID,
        TradingState.HALTED,
        "drawdown limit",
    )
    assert event.ts_event == NOW


def test_set_trading_state_when_unchanged_then_nothing_published_and_warning(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    received: list[TradingStateChanged] = []
    env.bus.subscribe(topics.risk_events(), received.append)

    env.risk.set_trading_state(TradingState.ACTIVE)

    assert received == []
    assert any("already ACTIVE" in m for m in warnings(sink, log_system))


def test_submit_order_when_halted_then_denied(env: Env) -> None:
    env.risk.set_trading_state(TradingState.HALTED)

    env.submit(limit_order(side=OrderSide.SELL))

    assert env.reasons() == ["TRADING_HALTED: state=HALTED"]


def test_submit_order_when_reducing_and_buy_while_net_long_then_denied(env: Env) -> None:
    env.hold(OrderSide.BUY)
    env.risk.set_trading_state(TradingState.REDUCING)

    env.submit(limit_order(side=OrderSide.BUY))
    env.submit(limit_order(side=OrderSide.SELL, client_order_id="O-2"))

    assert env.reasons() == [
        "TRADING_STATE_REDUCING: side=BUY net_position=1.000 instrument=BTCUSDT-PERP.SIM"
    ]
    assert [c.order_init.client_order_id for c in env.executed] == ["O-2"]


def test_submit_order_when_reducing_and_sell_while_net_short_then_denied(env: Env) -> None:
    env.hold(OrderSide.SELL)
    env.risk.set_trading_state(TradingState.REDUCING)

    env.submit(limit_order(side=OrderSide.SELL))
    env.submit(limit_order(side=OrderSide.BUY, client_order_id="O-2"))

    assert env.reasons() == [
        "TRADING_STATE_REDUCING: side=SELL net_position=-1.000 instrument=BTCUSDT-PERP.SIM"
    ]
    assert [c.order_init.client_order_id for c in env.executed] == ["O-2"]


def test_submit_order_list_when_reducing_and_one_order_increases_then_whole_list_denied(
    env: Env,
) -> None:
    env.hold(OrderSide.BUY)
    env.risk.set_trading_state(TradingState.REDUCING)

    env.submit_list(
        [
            limit_order(side=OrderSide.SELL, client_order_id="O-1"),
            limit_order(side=OrderSide.BUY, client_order_id="O-2"),
        ]
    )

    assert (
        env.reasons()
        == [
            (
                "TRADING_STATE_REDUCING: side=BUY net_position=1.000 instrument=BTCUSDT-PERP.SIM "
                "client_order_id=O-2"
            )
        ]
        * 2
    )
    assert env.executed == []


def test_submit_order_when_reducing_and_flat_then_sent_as_reference_denies_increases_only(
    env: Env,
) -> None:
    env.risk.set_trading_state(TradingState.REDUCING)

    env.submit(limit_order(side=OrderSide.BUY))

    assert env.reasons() == []


# -- throttles ------------------------------------------------------------------------------


def test_submit_order_when_over_submit_rate_then_denied_and_window_slides(make_env: Any) -> None:
    env: Env = make_env(RiskEngineConfig(max_order_submit_rate="2/00:00:01"))
    for i in range(1, 4):
        env.submit(limit_order(client_order_id=f"O-{i}"))

    assert env.reasons() == [
        "RATE_LIMIT_EXCEEDED: max_order_submit_rate=2/00:00:01 (exceeded MAX_ORDER_SUBMIT_RATE)"
    ]
    assert [e.client_order_id for e in env.denials()] == ["O-3"]

    env.clock.set_time(NOW + SECOND)
    env.submit(limit_order(client_order_id="O-4"))

    assert len(env.executed) == 3


def test_submit_order_when_denied_by_a_check_then_no_throttle_slot_taken(make_env: Any) -> None:
    env: Env = make_env(RiskEngineConfig(max_order_submit_rate="1/00:00:01"))
    env.submit(limit_order(price=Price.from_str("50000.05")))

    env.submit(limit_order(client_order_id="O-2"))

    assert len(env.executed) == 1


def test_modify_order_when_over_modify_rate_then_rejected(make_env: Any) -> None:
    env: Env = make_env(RiskEngineConfig(max_order_modify_rate="1/00:00:01"))
    order = env.working(limit_order())

    env.modify(order, price="50001.0")
    env.modify(order, price="50002.0")

    assert [r.reason for r in env.modify_rejections()] == [
        "RATE_LIMIT_EXCEEDED: max_order_modify_rate=1/00:00:01 (exceeded MAX_ORDER_MODIFY_RATE)"
    ]
    assert len(env.executed) == 1


# -- bypass ---------------------------------------------------------------------------------


def test_submit_order_when_bypass_then_sent_unchecked(make_env: Any) -> None:
    env: Env = make_env(RiskEngineConfig(bypass=True, max_order_submit_rate="1/00:00:01"))
    env.risk.set_trading_state(TradingState.HALTED)
    orders = [
        limit_order(price=Price.from_str("50000.05"), client_order_id=f"O-{i}") for i in (1, 2)
    ]

    for order in orders:
        env.submit(order)
    env.risk.execute(modify_order(env.working(limit_order(client_order_id="O-3")), price="1.05"))

    assert len(env.executed) == 3
    assert env.processed == []


# -- modify ---------------------------------------------------------------------------------


def test_modify_order_when_valid_then_sent_to_exec_engine(env: Env) -> None:
    order = env.working(limit_order())

    command = env.modify(order, price="50001.0", quantity="2.000")

    assert env.executed == [command]


def test_modify_order_when_order_not_in_cache_then_error_logged_and_nothing_sent(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    env.modify(limit_order(), price="50001.0")

    assert env.executed == []
    assert env.processed == []
    assert log_system.flush()
    assert any("not in the cache" in m for m in sink.messages())


def test_modify_order_when_order_closed_then_rejected(env: Env) -> None:
    order = env.working(limit_order())
    order.apply(canceled(order))

    env.modify(order, price="50001.0")

    (event,) = env.modify_rejections()
    assert event.reason == "ORDER_CLOSED: status=CANCELED client_order_id=O-1"
    assert (event.venue_order_id, event.account_id) == (order.venue_order_id, ACCOUNT_ID)


def test_modify_order_when_pending_cancel_then_rejected(env: Env) -> None:
    order = env.working(limit_order())
    order.apply(pending_cancel(order))

    env.modify(order, price="50001.0")

    assert [r.reason for r in env.modify_rejections()] == [
        "ORDER_PENDING_CANCEL: client_order_id=O-1"
    ]


def test_modify_order_when_instrument_unknown_then_rejected(env: Env) -> None:
    order = env.working(limit_order(ethusdt_perp(), price="3000.00"))

    env.modify(order, price="3001.00")

    assert [r.reason for r in env.modify_rejections()] == [
        "INSTRUMENT_NOT_FOUND: instrument=ETHUSDT-PERP.SIM"
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"price": "50000.05"}, "PRICE_NOT_ON_TICK: price=50000.05 tick=0.1"),
        ({"trigger_price": "0.0"}, "TRIGGER_PRICE_NOT_POSITIVE: trigger_price=0.0"),
        ({"quantity": "0.000"}, "QUANTITY_NOT_POSITIVE: quantity=0.000"),
        ({"quantity": "5000.000"}, "QUANTITY_EXCEEDS_MAXIMUM: quantity=5000.000 max=1000.000"),
    ],
)
def test_modify_order_when_new_values_fail_checks_then_rejected(
    env: Env, changes: dict[str, str], reason: str
) -> None:
    order = env.working(limit_order())

    env.modify(order, **changes)

    (event,) = env.modify_rejections()
    assert event.reason == f"{reason} instrument=BTCUSDT-PERP.SIM"
    assert env.executed == []


def test_modify_order_when_halted_then_rejected(env: Env) -> None:
    order = env.working(limit_order())
    env.risk.set_trading_state(TradingState.HALTED)

    env.modify(order, price="49000.0")

    assert [r.reason for r in env.modify_rejections()] == ["TRADING_HALTED: state=HALTED"]


def test_modify_order_when_reducing_and_quantity_increase_grows_exposure_then_rejected(
    env: Env,
) -> None:
    env.hold(OrderSide.BUY)
    order = env.working(limit_order(side=OrderSide.BUY))
    env.risk.set_trading_state(TradingState.REDUCING)

    env.modify(order, quantity="2.000")
    env.modify(order, quantity="0.500")

    assert [r.reason for r in env.modify_rejections()] == [
        (
            "TRADING_STATE_REDUCING: side=BUY quantity=2.000 previous_quantity=1.000 "
            "net_position=1.000 instrument=BTCUSDT-PERP.SIM"
        )
    ]
    assert len(env.executed) == 1


# -- counters, reset, reference price ---------------------------------------------------------


def test_counters_when_commands_checked_then_counted(env: Env) -> None:
    order = env.working(limit_order())
    env.submit(limit_order(client_order_id="O-2"))
    env.submit(limit_order(price=Price.from_str("1.05"), client_order_id="O-3"))
    env.modify(order, price="1.05")
    env.risk.execute(cancel_order(order))

    assert (env.risk.command_count, env.risk.denied_count) == (4, 2)


def test_reset_when_stopped_then_state_and_counters_cleared(env: Env) -> None:
    env.risk.start()
    env.risk.set_trading_state(TradingState.HALTED)
    env.submit(limit_order())
    env.risk.stop()

    env.risk.reset()

    assert env.risk.trading_state is TradingState.ACTIVE
    assert (env.risk.command_count, env.risk.denied_count) == (0, 0)


@pytest.mark.parametrize(
    ("offset_type", "offset", "expected"),
    [
        (TrailingOffsetType.PRICE, "100.0", "49900.0"),
        (TrailingOffsetType.BASIS_POINTS, "10", "49950.0"),
        (TrailingOffsetType.TICKS, "5", "49999.5"),
    ],
)
def test_reference_price_when_trailing_stop_without_trigger_then_trails_the_bid(
    offset_type: TrailingOffsetType, offset: str, expected: str
) -> None:
    order = trailing_stop_market_order(trailing_offset=offset, trailing_offset_type=offset_type)
    rules = InstrumentRules(BTCUSDT_PERP)

    price = reference_price(order, rules, quote(bid="50000.0", ask="50000.1"), None)

    assert price == Price.from_str(expected)


def test_reference_price_when_trailing_stop_without_market_data_then_none() -> None:
    order = trailing_stop_market_order()

    assert reference_price(order, InstrumentRules(BTCUSDT_PERP), None, None) is None
