from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.component import (
    TRANSITIONS,
    Component,
    ComponentTrigger,
    next_state,
)
from argonaut.common.errors import InvalidStateTransition
from argonaut.common.logging import DEBUG, ERROR, INFO, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.core.errors import InvalidStateTransition as CoreInvalidStateTransition
from argonaut.model.enums import ComponentState
from argonaut.model.identifiers import TraderId

S = ComponentState
T = ComponentTrigger

# The table, written out independently: every valid (state, trigger) and its result.
EXPECTED = {
    (S.PRE_INITIALIZED, T.INITIALIZE): S.READY,
    (S.READY, T.START): S.STARTING,
    (S.READY, T.RESET): S.RESETTING,
    (S.READY, T.DISPOSE): S.DISPOSING,
    (S.READY, T.FAULT): S.FAULTING,
    (S.STARTING, T.START_COMPLETED): S.RUNNING,
    (S.STARTING, T.STOP): S.STOPPING,
    (S.STARTING, T.FAULT): S.FAULTING,
    (S.RUNNING, T.STOP): S.STOPPING,
    (S.RUNNING, T.DEGRADE): S.DEGRADING,
    (S.RUNNING, T.FAULT): S.FAULTING,
    (S.DEGRADING, T.DEGRADE_COMPLETED): S.DEGRADED,
    (S.DEGRADING, T.FAULT): S.FAULTING,
    (S.DEGRADED, T.RESUME): S.RESUMING,
    (S.DEGRADED, T.STOP): S.STOPPING,
    (S.DEGRADED, T.FAULT): S.FAULTING,
    (S.STOPPING, T.STOP_COMPLETED): S.STOPPED,
    (S.STOPPING, T.FAULT): S.FAULTING,
    (S.STOPPED, T.RESUME): S.RESUMING,
    (S.STOPPED, T.RESET): S.RESETTING,
    (S.STOPPED, T.DISPOSE): S.DISPOSING,
    (S.STOPPED, T.FAULT): S.FAULTING,
    (S.RESUMING, T.RESUME_COMPLETED): S.RUNNING,
    (S.RESUMING, T.STOP): S.STOPPING,
    (S.RESUMING, T.FAULT): S.FAULTING,
    (S.RESETTING, T.RESET_COMPLETED): S.READY,
    (S.RESETTING, T.FAULT): S.FAULTING,
    (S.DISPOSING, T.DISPOSE_COMPLETED): S.DISPOSED,
    (S.DISPOSING, T.FAULT): S.FAULTING,
    (S.FAULTING, T.FAULT_COMPLETED): S.FAULTED,
    (S.FAULTED, T.DISPOSE): S.DISPOSING,
}


def test_transition_table_is_exactly_the_expected_table() -> None:
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("state", "trigger"), sorted(EXPECTED, key=str))
def test_next_state_when_valid_transition_then_expected_state(
    state: ComponentState, trigger: ComponentTrigger
) -> None:
    assert next_state(state, trigger) is EXPECTED[(state, trigger)]


INVALID = [pair for pair in itertools.product(S, T) if pair not in EXPECTED]


@pytest.mark.parametrize(("state", "trigger"), INVALID)
def test_next_state_when_invalid_transition_then_raises(
    state: ComponentState, trigger: ComponentTrigger
) -> None:
    with pytest.raises(InvalidStateTransition) as info:
        next_state(state, trigger)
    assert info.value.state is state
    assert info.value.trigger is trigger
    assert f"trigger {trigger.value} in state {state.value}" in str(info.value)


def test_invalid_state_transition_is_a_value_error_shared_with_core() -> None:
    assert InvalidStateTransition is CoreInvalidStateTransition
    assert issubclass(InvalidStateTransition, ValueError)


def test_every_state_is_reachable_and_only_disposed_is_a_dead_end() -> None:
    targets = set(EXPECTED.values()) | {S.PRE_INITIALIZED}
    assert targets == set(S)
    dead_ends = {s for s in S if not any(state is s for state, _ in EXPECTED)}
    assert dead_ends == {S.DISPOSED}


# -- the Component class -------------------------------------------------------------------


class Probe(Component):
    def __init__(self, logger: Logger, fail_in: str | None = None) -> None:
        super().__init__("Probe", TestClock(), MessageBus(TraderId("TRADER-001")), logger)
        self.calls: list[tuple[str, ComponentState]] = []
        self.fail_in = fail_in

    def _hook(self, name: str) -> None:
        self.calls.append((name, self.state))
        if self.fail_in == name:
            raise RuntimeError(f"{name} failed")

    def _on_start(self) -> None:
        self._hook("start")

    def _on_stop(self) -> None:
        self._hook("stop")

    def _on_resume(self) -> None:
        self._hook("resume")

    def _on_reset(self) -> None:
        self._hook("reset")

    def _on_dispose(self) -> None:
        self._hook("dispose")

    def _on_degrade(self) -> None:
        self._hook("degrade")

    def _on_fault(self) -> None:
        self._hook("fault")


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def log_system(sink: MemorySink) -> Iterator[LogSystem]:
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(), sinks=[sink]) as system:
        yield system


@pytest.fixture
def logger(log_system: LogSystem) -> Logger:
    return Logger("Probe", log_system)


ACTIONS = {
    "start": (T.START, T.START_COMPLETED),
    "stop": (T.STOP, T.STOP_COMPLETED),
    "resume": (T.RESUME, T.RESUME_COMPLETED),
    "reset": (T.RESET, T.RESET_COMPLETED),
    "dispose": (T.DISPOSE, T.DISPOSE_COMPLETED),
    "degrade": (T.DEGRADE, T.DEGRADE_COMPLETED),
    "fault": (T.FAULT, T.FAULT_COMPLETED),
}
# How to bring a new component (READY) into each stable state.
PATHS = {
    S.READY: [],
    S.RUNNING: ["start"],
    S.DEGRADED: ["start", "degrade"],
    S.STOPPED: ["start", "stop"],
    S.FAULTED: ["fault"],
    S.DISPOSED: ["dispose"],
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", PATHS)
def test_component_action_from_each_stable_state_follows_the_table(
    state: ComponentState, action: str, logger: Logger
) -> None:
    probe = Probe(logger)
    for step in PATHS[state]:
        getattr(probe, step)()
    assert probe.state is state
    probe.calls.clear()
    trigger, completed = ACTIONS[action]
    if (state, trigger) not in EXPECTED:
        with pytest.raises(InvalidStateTransition):
            getattr(probe, action)()
        assert probe.state is state
        assert probe.calls == []  # no hook runs on an invalid transition
        return
    transitional = EXPECTED[(state, trigger)]
    getattr(probe, action)()
    assert probe.calls == [(action, transitional)]
    assert probe.state is EXPECTED[(transitional, completed)]


def test_new_component_is_ready_with_its_parts(logger: Logger) -> None:
    probe = Probe(logger)
    assert probe.state is S.READY
    assert probe.component_id == "Probe"
    assert probe.log is logger
    assert not probe.is_running
    assert repr(probe) == "Probe(Probe, READY)"


def test_component_full_lifecycle_sets_flags(logger: Logger) -> None:
    probe = Probe(logger)
    probe.start()
    assert probe.is_running
    probe.degrade()
    assert probe.is_degraded
    probe.resume()
    assert probe.is_running
    probe.stop()
    assert probe.is_stopped
    probe.reset()
    assert probe.state is S.READY
    probe.dispose()
    assert probe.is_disposed
    assert [name for name, _ in probe.calls] == [
        "start",
        "degrade",
        "resume",
        "stop",
        "reset",
        "dispose",
    ]


@pytest.mark.parametrize(
    ("path", "failing"),
    [
        ([], "start"),
        (["start"], "stop"),
        (["start", "stop"], "resume"),
        (["start", "stop"], "reset"),
        ([], "dispose"),
        (["start"], "degrade"),
    ],
)
def test_component_when_hook_raises_then_logged_faulted_and_reraised(
    path: list[str], failing: str, logger: Logger, sink: MemorySink, log_system: LogSystem
) -> None:
    probe = Probe(logger, fail_in=failing)
    for step in path:
        getattr(probe, step)()
    with pytest.raises(RuntimeError, match=f"{failing} failed"):
        getattr(probe, failing)()
    assert probe.is_faulted
    assert probe.calls[-1] == ("fault", S.FAULTING)
    log_system.flush()
    errors = [r for r in sink.records if r.level == ERROR]
    assert errors[-1].message == f"Probe._on_{failing} raised"
    assert errors[-1].exc_text is not None
    assert f"RuntimeError: {failing} failed" in errors[-1].exc_text


def test_component_when_fault_hook_raises_then_still_faulted_and_reraised(
    logger: Logger,
) -> None:
    probe = Probe(logger, fail_in="fault")
    probe.start()
    with pytest.raises(RuntimeError, match="fault failed"):
        probe.fault()
    assert probe.is_faulted


def test_component_when_start_hook_stops_it_then_stays_stopped(logger: Logger) -> None:
    class StopsWhileStarting(Probe):
        def _on_start(self) -> None:
            super()._on_start()
            self.stop()

    probe = StopsWhileStarting(logger)
    probe.start()
    assert probe.is_stopped
    assert [name for name, _ in probe.calls] == ["start", "stop"]


def test_faulted_component_can_still_be_disposed(logger: Logger) -> None:
    probe = Probe(logger, fail_in="start")
    with pytest.raises(RuntimeError):
        probe.start()
    probe.fail_in = None
    probe.dispose()
    assert probe.is_disposed


def test_component_logs_settled_states_at_info_and_transitional_ones_at_debug(
    logger: Logger, sink: MemorySink, log_system: LogSystem
) -> None:
    probe = Probe(logger)
    probe.start()
    probe.stop()
    log_system.flush()
    assert sink.messages(INFO) == ["READY", "RUNNING", "STOPPED"]
    assert sink.messages(DEBUG) == ["STARTING", "STOPPING"]
