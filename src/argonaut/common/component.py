"""The component lifecycle: a state table and the `Component` base class.

Every engine, actor and strategy is a `Component`. Its state moves only through
`TRANSITIONS`; a trigger missing from the table raises `InvalidStateTransition`
before any hook runs. A public action (`start()`, `stop()`, ...) fires the trigger
into a transitional state (STARTING, ...), runs the subclass hook (`_on_start`, ...)
and fires the matching ``*_COMPLETED`` trigger.

Hook failures: if a hook raises, the error is logged with its traceback and the
component faults (FAULTING, `_on_fault` run best-effort, FAULTED), then the original
exception is re-raised to the caller (the kernel or trader decides what follows).
A component that failed to start is therefore never reported as running. `fault()`
itself always ends FAULTED, re-raising a failure of `_on_fault` afterwards.

State changes publish nothing on the bus; they are logged at INFO.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, unique
from typing import Final

from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.errors import InvalidStateTransition
from argonaut.model.enums import ComponentState
from argonaut.model.identifiers import ComponentId


@unique
class ComponentTrigger(Enum):
    """What moves a component from one lifecycle state to the next."""

    INITIALIZE = "INITIALIZE"
    START = "START"
    START_COMPLETED = "START_COMPLETED"
    STOP = "STOP"
    STOP_COMPLETED = "STOP_COMPLETED"
    RESUME = "RESUME"
    RESUME_COMPLETED = "RESUME_COMPLETED"
    RESET = "RESET"
    RESET_COMPLETED = "RESET_COMPLETED"
    DISPOSE = "DISPOSE"
    DISPOSE_COMPLETED = "DISPOSE_COMPLETED"
    DEGRADE = "DEGRADE"
    DEGRADE_COMPLETED = "DEGRADE_COMPLETED"
    FAULT = "FAULT"
    FAULT_COMPLETED = "FAULT_COMPLETED"


_S = ComponentState
_T = ComponentTrigger

TRANSITIONS: Final[dict[tuple[ComponentState, ComponentTrigger], ComponentState]] = {
    (_S.PRE_INITIALIZED, _T.INITIALIZE): _S.READY,
    (_S.READY, _T.START): _S.STARTING,
    (_S.READY, _T.RESET): _S.RESETTING,
    (_S.READY, _T.DISPOSE): _S.DISPOSING,
    (_S.READY, _T.FAULT): _S.FAULTING,  # unusual: wiring can fail before the first start
    (_S.STARTING, _T.START_COMPLETED): _S.RUNNING,
    (_S.STARTING, _T.STOP): _S.STOPPING,  # unusual: a stop requested mid-start wins
    (_S.STARTING, _T.FAULT): _S.FAULTING,  # the start hook raised
    (_S.RUNNING, _T.STOP): _S.STOPPING,
    (_S.RUNNING, _T.DEGRADE): _S.DEGRADING,
    (_S.RUNNING, _T.FAULT): _S.FAULTING,
    (_S.DEGRADING, _T.DEGRADE_COMPLETED): _S.DEGRADED,
    (_S.DEGRADING, _T.FAULT): _S.FAULTING,
    (_S.DEGRADED, _T.RESUME): _S.RESUMING,  # recovery from degraded goes through resume
    (_S.DEGRADED, _T.STOP): _S.STOPPING,
    (_S.DEGRADED, _T.FAULT): _S.FAULTING,
    (_S.STOPPING, _T.STOP_COMPLETED): _S.STOPPED,
    (_S.STOPPING, _T.FAULT): _S.FAULTING,
    (_S.STOPPED, _T.RESUME): _S.RESUMING,  # restart after stop is resume, not start
    (_S.STOPPED, _T.RESET): _S.RESETTING,
    (_S.STOPPED, _T.DISPOSE): _S.DISPOSING,
    (_S.STOPPED, _T.FAULT): _S.FAULTING,
    (_S.RESUMING, _T.RESUME_COMPLETED): _S.RUNNING,
    (_S.RESUMING, _T.STOP): _S.STOPPING,  # unusual: a stop requested mid-resume wins
    (_S.RESUMING, _T.FAULT): _S.FAULTING,
    (_S.RESETTING, _T.RESET_COMPLETED): _S.READY,
    (_S.RESETTING, _T.FAULT): _S.FAULTING,
    (_S.DISPOSING, _T.DISPOSE_COMPLETED): _S.DISPOSED,  # terminal
    (_S.DISPOSING, _T.FAULT): _S.FAULTING,
    (_S.FAULTING, _T.FAULT_COMPLETED): _S.FAULTED,
    (_S.FAULTED, _T.DISPOSE): _S.DISPOSING,  # unusual: a faulted component still frees resources
}

TRANSITIONAL_STATES: Final = frozenset(
    {_S.STARTING, _S.STOPPING, _S.RESUMING, _S.RESETTING, _S.DISPOSING, _S.DEGRADING, _S.FAULTING}
)


def next_state(state: ComponentState, trigger: ComponentTrigger) -> ComponentState:
    """Return the state `trigger` leads to from `state`; raise InvalidStateTransition."""
    try:
        return TRANSITIONS[(state, trigger)]
    except KeyError:
        valid = sorted(t.value for (s, t) in TRANSITIONS if s is state)
        raise InvalidStateTransition(
            f"invalid component state transition: trigger {trigger.value} in state "
            f"{state.value} (valid triggers there: {', '.join(valid) or 'none, it is terminal'})",
            state=state,
            trigger=trigger,
        ) from None


class Component:
    """A lifecycle-managed part of a node, with its clock, bus and logger.

    Subclasses override the `_on_*` hooks; the public actions drive the state table.
    A new component is READY.
    """

    def __init__(
        self,
        component_id: ComponentId | str,
        clock: Clock,
        bus: MessageBus,
        logger: Logger | None = None,
    ) -> None:
        self.component_id = ComponentId(component_id)
        self.clock = clock
        self.bus = bus
        self.log = logger if logger is not None else Logger(self.component_id, None)
        self._state = ComponentState.PRE_INITIALIZED
        self._trigger(ComponentTrigger.INITIALIZE)

    @property
    def state(self) -> ComponentState:
        """The current lifecycle state."""
        return self._state

    @property
    def is_running(self) -> bool:
        """True when RUNNING."""
        return self._state is ComponentState.RUNNING

    @property
    def is_stopped(self) -> bool:
        """True when STOPPED."""
        return self._state is ComponentState.STOPPED

    @property
    def is_degraded(self) -> bool:
        """True when DEGRADED."""
        return self._state is ComponentState.DEGRADED

    @property
    def is_faulted(self) -> bool:
        """True when FAULTED."""
        return self._state is ComponentState.FAULTED

    @property
    def is_disposed(self) -> bool:
        """True when DISPOSED."""
        return self._state is ComponentState.DISPOSED

    def start(self) -> None:
        """Start: READY -> STARTING -> RUNNING, running `_on_start`."""
        self._act(_T.START, self._on_start, _T.START_COMPLETED)

    def stop(self) -> None:
        """Stop: RUNNING (or DEGRADED, STARTING, RESUMING) -> STOPPING -> STOPPED."""
        self._act(_T.STOP, self._on_stop, _T.STOP_COMPLETED)

    def resume(self) -> None:
        """Resume: STOPPED or DEGRADED -> RESUMING -> RUNNING, running `_on_resume`."""
        self._act(_T.RESUME, self._on_resume, _T.RESUME_COMPLETED)

    def reset(self) -> None:
        """Reset: READY or STOPPED -> RESETTING -> READY, running `_on_reset`."""
        self._act(_T.RESET, self._on_reset, _T.RESET_COMPLETED)

    def dispose(self) -> None:
        """Dispose: READY, STOPPED or FAULTED -> DISPOSING -> DISPOSED (terminal)."""
        self._act(_T.DISPOSE, self._on_dispose, _T.DISPOSE_COMPLETED)

    def degrade(self) -> None:
        """Degrade: RUNNING -> DEGRADING -> DEGRADED, running `_on_degrade`."""
        self._act(_T.DEGRADE, self._on_degrade, _T.DEGRADE_COMPLETED)

    def fault(self) -> None:
        """Fault: -> FAULTING -> FAULTED, running `_on_fault`; always ends FAULTED."""
        self._trigger(_T.FAULT)
        try:
            self._on_fault()
        except Exception as exc:
            self.log.exception(f"{type(self).__name__}._on_fault raised", exc)
            raise
        finally:
            self._trigger(_T.FAULT_COMPLETED)

    # -- hooks (override in subclasses) ------------------------------------------------

    def _on_start(self) -> None:
        """Run while STARTING."""

    def _on_stop(self) -> None:
        """Run while STOPPING."""

    def _on_resume(self) -> None:
        """Run while RESUMING."""

    def _on_reset(self) -> None:
        """Run while RESETTING: clear state so the component can start afresh."""

    def _on_dispose(self) -> None:
        """Run while DISPOSING: release resources."""

    def _on_degrade(self) -> None:
        """Run while DEGRADING."""

    def _on_fault(self) -> None:
        """Run while FAULTING: release what must not stay held."""

    # -- machinery -----------------------------------------------------------------------

    def _trigger(self, trigger: ComponentTrigger) -> None:
        self._state = next_state(self._state, trigger)
        if self._state not in TRANSITIONAL_STATES:
            self.log.info(self._state.value)
        elif self.log.debug_enabled:
            self.log.debug(self._state.value)

    def _act(
        self, trigger: ComponentTrigger, hook: Callable[[], None], completed: ComponentTrigger
    ) -> None:
        self._trigger(trigger)
        transitional = self._state
        try:
            hook()
        except Exception as exc:
            self.log.exception(f"{type(self).__name__}.{hook.__name__} raised", exc)
            if self._state in TRANSITIONAL_STATES and self._state is not _S.FAULTING:
                self._trigger(_T.FAULT)
                try:
                    self._on_fault()
                except Exception as fault_exc:
                    self.log.exception(f"{type(self).__name__}._on_fault raised", fault_exc)
                self._trigger(_T.FAULT_COMPLETED)
            raise
        if self._state is transitional:  # unless the hook itself moved the state on
            self._trigger(completed)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.component_id}, {self._state.value})"
