"""Fail-closed (our decision, issue #6): an unverified startup reconciliation moves the
trading state to REDUCING (or HALTED, or nothing with OFF); a later verified check
returns it to ACTIVE."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from recon_env import Env

from argonaut.common.logging import ERROR
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.reconciliation import ReconciliationAlert, ReconciliationResult
from argonaut.model.enums import OrderStatus, TradingState
from argonaut.model.events.risk import TradingStateChanged
from argonaut.testkit import limit_order, mass_status, order_status_report
from argonaut.testkit.virtual_time import run_virtual

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "acceptance"))
from node_env import make_node, wait_until

MakeEnv = Callable[..., Env]


def failed(client: str = "SIM") -> ReconciliationResult:
    result = ReconciliationResult()
    result.fail("mass status timed out after 5.0s")
    return result


def test_fail_closed_when_startup_failed_then_reducing_alert_and_error(env: Env) -> None:
    verified = env.manager.conclude_startup([failed()], expected_clients=1)

    assert not verified
    assert env.risk.trading_state is TradingState.REDUCING
    alerts = [e for e in env.published if isinstance(e, ReconciliationAlert)]
    assert len(alerts) == 1
    assert alerts[0].entered
    assert any(isinstance(e, TradingStateChanged) for e in env.published)
    assert any("Fail-closed" in m for m in env.messages(ERROR))


def test_fail_closed_when_a_client_not_reached_then_entered(env: Env) -> None:
    env.manager.conclude_startup([ReconciliationResult()], expected_clients=2)

    assert env.risk.trading_state is TradingState.REDUCING


def test_fail_closed_when_discrepancy_then_entered(env: Env) -> None:
    order = env.fill(limit_order(), last_qty="0.500")
    report = order_status_report(
        order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.100", avg_px="50000"
    )
    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    env.manager.conclude_startup([result], expected_clients=1)

    assert env.risk.trading_state is TradingState.REDUCING


def test_fail_closed_when_state_halted_configured_then_halted(make_env: MakeEnv) -> None:
    env = make_env(fail_closed_state="HALTED")

    env.manager.conclude_startup([failed()], expected_clients=1)

    assert env.risk.trading_state is TradingState.HALTED


def test_fail_closed_when_off_then_state_kept_and_error_logged(make_env: MakeEnv) -> None:
    env = make_env(fail_closed_state="OFF")

    env.manager.conclude_startup([failed()], expected_clients=1)

    assert env.risk.trading_state is TradingState.ACTIVE
    assert any("trading anyway" in m for m in env.messages(ERROR))


def test_fail_closed_when_disabled_then_state_kept(make_env: MakeEnv) -> None:
    env = make_env(fail_closed=False)

    env.manager.conclude_startup([failed()], expected_clients=1)

    assert env.risk.trading_state is TradingState.ACTIVE


def test_fail_closed_when_startup_verified_then_nothing(env: Env) -> None:
    assert env.manager.conclude_startup([ReconciliationResult()], expected_clients=1)
    assert env.risk.trading_state is TradingState.ACTIVE


def test_fail_closed_left_when_later_position_check_verifies(make_env: MakeEnv) -> None:
    env = make_env(position_check_interval_secs=10.0)
    env.manager.conclude_startup([failed()], expected_clients=1)
    env.manager.reset_check_schedule(env.clock.timestamp_ns())

    now = env.advance(11)
    env.run(env.manager.run_reconciliation_checks(now))

    assert env.risk.trading_state is TradingState.ACTIVE
    alerts = [e for e in env.published if isinstance(e, ReconciliationAlert)]
    assert [a.entered for a in alerts] == [True, False]


def test_fail_closed_kept_when_later_check_fails(make_env: MakeEnv) -> None:
    env = make_env(position_check_interval_secs=10.0)
    env.manager.conclude_startup([failed()], expected_clients=1)
    env.manager.reset_check_schedule(env.clock.timestamp_ns())
    env.venue.position_error = RuntimeError("venue down")

    now = env.advance(11)
    env.run(env.manager.run_reconciliation_checks(now))

    assert env.risk.trading_state is TradingState.REDUCING


def test_fail_closed_in_node_when_mass_status_fails_then_reducing_then_active() -> None:
    seen: dict[str, TradingState] = {}

    async def scenario() -> None:
        env = make_node(
            exec_engine=LiveExecEngineConfig(
                reconciliation_startup_delay_secs=1.0, position_check_interval_secs=2.0
            )
        )
        calls = {"n": 0}
        original = env.execution.generate_mass_status

        async def flaky(lookback_mins: int | None = None) -> object:
            calls["n"] += 1
            raise RuntimeError("venue unreachable")

        env.execution.generate_mass_status = flaky  # type: ignore[method-assign,assignment]
        await env.node.start()
        risk = env.node.kernel.risk_engine
        seen["after_start"] = risk.trading_state
        env.execution.generate_mass_status = original  # type: ignore[method-assign]
        await wait_until(lambda: risk.trading_state is TradingState.ACTIVE, step=0.1)
        seen["later"] = risk.trading_state
        await env.node.stop()

    run_virtual(scenario())

    assert seen == {"after_start": TradingState.REDUCING, "later": TradingState.ACTIVE}
