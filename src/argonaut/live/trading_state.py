"""`TradingStateArbiter`: one owner for the trading-state changes the node makes by itself.

Two parts of the live node restrict trading on their own: fail-closed reconciliation
(an unverified venue) and the persistence backlog (too many unwritten cache writes).
Each holds a *reason* under its own source name with the state it asks for; the risk
engine's state is the most restrictive one asked (HALTED over REDUCING), and ACTIVE
only once no reason remains. So leaving one condition never lifts the other.

Each change goes through the risk engine's `set_trading_state`, which publishes a
`TradingStateChanged` on ``events.risk``; the arbiter logs an ERROR when it restricts
trading and an INFO when it returns to ACTIVE.

A state the user set by hand (`RiskEngine.set_trading_state`) is respected: the arbiter
tightens it when a reason asks for more, but it only loosens a state it set itself (a
state the user changed meanwhile is left as it is).
"""

from __future__ import annotations

from argonaut.common.logging import Logger
from argonaut.live.reconciliation.result import TradingStateControl
from argonaut.model.enums import TradingState

_RANK = {TradingState.ACTIVE: 0, TradingState.REDUCING: 1, TradingState.HALTED: 2}

RECONCILIATION_SOURCE = "reconciliation"
PERSISTENCE_SOURCE = "persistence"


class TradingStateArbiter:
    """Reasons -> the most restrictive trading state; see the module docstring.

    `control` is the risk engine (or anything with its `trading_state` and
    `set_trading_state`); without one the reasons are only kept until `bind` gives one.
    """

    def __init__(
        self, control: TradingStateControl | None = None, *, logger: Logger | None = None
    ) -> None:
        self._control = control
        self._reasons: dict[str, tuple[TradingState, str]] = {}
        self._applied: TradingState | None = None
        self.log = logger if logger is not None else Logger("TradingState", None)
        self.change_count = 0

    def bind(self, control: TradingStateControl) -> None:
        """Make `control` the risk engine whose state is set, and apply the held reasons."""
        self._control = control
        self._apply("reasons held before binding")

    @property
    def state(self) -> TradingState:
        """The most restrictive state the held reasons ask for (ACTIVE when none)."""
        state = TradingState.ACTIVE
        for asked, _ in self._reasons.values():
            if _RANK[asked] > _RANK[state]:
                state = asked
        return state

    def reasons(self) -> dict[str, tuple[TradingState, str]]:
        """The held reasons: source -> (state asked, why)."""
        return dict(self._reasons)

    def holds(self, source: str) -> bool:
        """True while `source` holds a reason."""
        return source in self._reasons

    def restrict(self, source: str, state: TradingState, reason: str) -> None:
        """Hold (or replace) the reason of `source`, asking for `state` (not ACTIVE)."""
        if state is TradingState.ACTIVE:
            raise ValueError(
                f"restrict() asks for REDUCING or HALTED, found ACTIVE for source {source!r}: "
                "call release() to drop a reason"
            )
        self._reasons[source] = (state, reason)
        self._apply(f"{source}: {reason}")

    def release(self, source: str, reason: str = "") -> bool:
        """Drop the reason of `source`; return False when it held none."""
        if self._reasons.pop(source, None) is None:
            return False
        self._apply(f"{source}: {reason}" if reason else f"{source} released")
        return True

    def _apply(self, why: str) -> None:
        control = self._control
        if control is None:
            return
        target = self.state
        current = control.trading_state
        ours = self._applied is not None and current is self._applied
        if _RANK[target] > _RANK[current] or (ours and target is not current):
            control.set_trading_state(target, why)
            self.change_count += 1
            if target is TradingState.ACTIVE:
                self._applied = None
                self.log.info(f"Trading state ACTIVE: no restricting reason remains ({why})")
            else:
                self._applied = target
                held = "; ".join(f"{s}: {r}" for s, (_, r) in self._reasons.items())
                self.log.error(f"Trading state {target.value}: {held}")
        elif target is TradingState.ACTIVE and not ours:
            self._applied = None  # a state set by the user stays


__all__ = ["PERSISTENCE_SOURCE", "RECONCILIATION_SOURCE", "TradingStateArbiter"]
