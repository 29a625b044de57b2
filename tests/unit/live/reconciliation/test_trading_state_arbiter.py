"""`TradingStateArbiter`: fail-closed reconciliation and the persistence backlog both
restrict trading; leaving one never lifts the other (our decision, issue #6)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from recon_env import Env

from argonaut.common.logging import ERROR, INFO
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.reconciliation import ReconciliationAlert, ReconciliationResult
from argonaut.live.trading_state import (
    PERSISTENCE_SOURCE,
    RECONCILIATION_SOURCE,
    TradingStateArbiter,
)
from argonaut.model.enums import TradingState
from argonaut.model.events.risk import TradingStateChanged
from argonaut.testkit.virtual_time import run_virtual

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "acceptance"))
from node_env import make_node

MakeEnv = Callable[..., Env]
ACTIVE, REDUCING, HALTED = TradingState.ACTIVE, TradingState.REDUCING, TradingState.HALTED


def arbiter(env: Env) -> TradingStateArbiter:
    return env.manager.trading_state_arbiter


def changes(env: Env) -> list[TradingState]:
    return [e.state for e in env.published if isinstance(e, TradingStateChanged)]


def failed() -> ReconciliationResult:
    result = ReconciliationResult()
    result.fail("mass status timed out after 5.0s")
    return result


def test_restrict_when_first_reason_then_reducing_event_and_error(env: Env) -> None:
    arbiter(env).restrict(PERSISTENCE_SOURCE, REDUCING, "backlog over its bound")

    assert env.risk.trading_state is REDUCING
    assert changes(env) == [REDUCING]
    assert any("Trading state REDUCING" in m for m in env.messages(ERROR))


def test_release_when_other_reason_still_held_then_state_kept(env: Env) -> None:
    arb = arbiter(env)
    arb.restrict(RECONCILIATION_SOURCE, REDUCING, "venue not verified")
    arb.restrict(PERSISTENCE_SOURCE, REDUCING, "backlog over its bound")

    arb.release(PERSISTENCE_SOURCE, "backlog drained")
    kept = env.risk.trading_state
    arb.release(RECONCILIATION_SOURCE, "venue verified")

    assert kept is REDUCING
    assert env.risk.trading_state is ACTIVE
    assert changes(env) == [REDUCING, ACTIVE]
    assert any("Trading state ACTIVE" in m for m in env.messages(INFO))


def test_restrict_when_halted_and_reducing_held_then_most_restrictive_wins(env: Env) -> None:
    arb = arbiter(env)
    arb.restrict(PERSISTENCE_SOURCE, REDUCING, "backlog")
    arb.restrict(RECONCILIATION_SOURCE, HALTED, "venue not verified")
    halted = env.risk.trading_state

    arb.release(RECONCILIATION_SOURCE)

    assert halted is HALTED
    assert env.risk.trading_state is REDUCING
    assert changes(env) == [REDUCING, HALTED, REDUCING]


def test_restrict_when_user_halted_then_not_loosened_and_release_keeps_it(env: Env) -> None:
    env.risk.set_trading_state(HALTED, "by hand")
    arb = arbiter(env)

    arb.restrict(PERSISTENCE_SOURCE, REDUCING, "backlog")
    arb.release(PERSISTENCE_SOURCE)

    assert env.risk.trading_state is HALTED
    assert changes(env) == [HALTED]


def test_release_when_user_changed_state_meanwhile_then_user_state_kept(env: Env) -> None:
    arb = arbiter(env)
    arb.restrict(PERSISTENCE_SOURCE, REDUCING, "backlog")
    env.risk.set_trading_state(HALTED, "by hand")

    arb.release(PERSISTENCE_SOURCE)

    assert env.risk.trading_state is HALTED


def test_manual_state_when_no_reason_held_then_still_possible(env: Env) -> None:
    arb = arbiter(env)
    arb.restrict(PERSISTENCE_SOURCE, REDUCING, "backlog")
    arb.release(PERSISTENCE_SOURCE)

    env.risk.set_trading_state(HALTED, "by hand")
    env.risk.set_trading_state(ACTIVE, "by hand")

    assert env.risk.trading_state is ACTIVE
    assert arb.state is ACTIVE


def test_restrict_when_asked_active_then_value_error(env: Env) -> None:
    with pytest.raises(ValueError, match="call release"):
        arbiter(env).restrict(PERSISTENCE_SOURCE, ACTIVE, "nonsense")


def test_release_when_source_holds_nothing_then_false_and_no_change(env: Env) -> None:
    assert not arbiter(env).release(PERSISTENCE_SOURCE)
    assert changes(env) == []


def test_fail_closed_left_when_backlog_still_held_then_stays_reducing(make_env: MakeEnv) -> None:
    env = make_env(position_check_interval_secs=10.0)
    env.manager.conclude_startup([failed()], expected_clients=1)
    arbiter(env).restrict(PERSISTENCE_SOURCE, REDUCING, "backlog")
    env.manager.reset_check_schedule(env.clock.timestamp_ns())

    now = env.advance(11)
    env.run(env.manager.run_reconciliation_checks(now))

    assert env.manager.fail_closed_reason is None
    assert env.risk.trading_state is REDUCING
    alerts = [e for e in env.published if isinstance(e, ReconciliationAlert)]
    assert [(a.entered, a.state) for a in alerts] == [(True, REDUCING), (False, REDUCING)]


def test_node_when_backlog_drains_during_fail_closed_then_stays_reducing() -> None:
    seen: list[TradingState] = []

    async def scenario() -> None:
        env = make_node(exec_engine=LiveExecEngineConfig())
        node = env.node
        risk = node.kernel.risk_engine
        node._on_persistence_backlog(True)
        node._exec_manager.enter_fail_closed("venue not verified")
        node._on_persistence_backlog(False)
        seen.append(risk.trading_state)
        node._exec_manager.leave_fail_closed("venue verified")
        seen.append(risk.trading_state)

    run_virtual(scenario())

    assert seen == [REDUCING, ACTIVE]
