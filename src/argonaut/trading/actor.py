"""`Actor`: a user component that receives data, events and timers.

An actor is built from its config alone; the `Trader` (or the kernel) then calls
`register(...)` to give it the node's trader id, bus, cache, clock, logger and UUID
factory, which moves it from PRE_INITIALIZED to READY. Its lifecycle is the
`Component` table; the user hooks are `on_start`, `on_stop`, `on_resume`, `on_reset`,
`on_dispose`, `on_degrade` and `on_fault`.

Handler errors: every user callback (data, events, timers, responses) runs inside one
guard (`_handler_failed`): the exception is logged with its traceback and counted in
`handler_error_count`, and the node keeps going; with the config's
`fault_on_handler_error` the actor faults as well. Lifecycle hook errors fault the
component (see `argonaut.common.component`).

Timers: `self.clock` is a `ComponentClock` over the node clock: a timer or alert set
without a callback calls `on_event`; names are private to the actor; timers are
cancelled when the actor stops.
"""

from __future__ import annotations

import contextlib
from typing import Any

from argonaut.cache.cache import Cache
from argonaut.cache.view import CacheView
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.component import Component
from argonaut.common.logging import Logger, LogSystem
from argonaut.common.timers import TimeEvent
from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.enums import ComponentState
from argonaut.model.identifiers import ComponentId, Identifier, TraderId
from argonaut.trading.actor_data import (
    ActorData,
    ResponseCallback,
    Signal,
    _Sub,
    data_type_name,
    signal_topic,
)
from argonaut.trading.clock import ComponentClock
from argonaut.trading.config import ActorConfig, ComponentConfig

_RUNNING = ComponentState.RUNNING


def component_logger(name: str, logger: Logger | LogSystem | None) -> Logger:
    """Return a logger named `name` writing where `logger` writes.

    Given a `Logger`, its log system is reused under the new name (a logger without a
    system yields a system-less logger).
    """
    if isinstance(logger, Logger):
        if logger.name == name:
            return logger
        return logger.child(name)
    return Logger(name, logger)


class Actor(Component, ActorData):
    """A component that subscribes to data and reacts to it; subclass and override `on_*`."""

    def __init__(self, config: ComponentConfig | None = None) -> None:
        self.config: Any = config if config is not None else ActorConfig()
        self.component_id = ComponentId(self._default_id())
        self.log = Logger(self.component_id, None)
        self._state = ComponentState.PRE_INITIALIZED
        self.trader_id: TraderId | None = None
        self.portfolio: Any = None
        self.handler_error_count = 0
        self._fault_on_error = bool(getattr(self.config, "fault_on_handler_error", False))
        self._data_subs: dict[str, _Sub] = {}
        self._request_callbacks: dict[UUID4, ResponseCallback | None] = {}

    def _default_id(self) -> str:
        configured: str | None = getattr(self.config, "component_id", None)
        return configured or type(self).__name__

    @property
    def id(self) -> Identifier:
        """The actor's id (unique per trader)."""
        return self.component_id

    @property
    def is_registered(self) -> bool:
        """True once `register` has wired the actor into a node."""
        return self.trader_id is not None

    def register(
        self,
        trader_id: TraderId,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        logger: Logger | LogSystem | None = None,
        portfolio: Any = None,
        *,
        uuid_factory: UUIDFactory,
    ) -> None:
        """Wire the actor into a node: PRE_INITIALIZED -> READY.

        `logger` may be the node's `LogSystem` (the actor gets its own `Logger`) or a
        ready `Logger`. Raise ValueError when the actor is already registered.
        """
        if self.is_registered:
            raise ValueError(
                f"{type(self).__name__} {self.component_id} is already registered with trader "
                f"{self.trader_id}: an actor belongs to one node"
            )
        self.trader_id = TraderId(trader_id)
        self._msgbus = msgbus
        self._cache = cache
        self.cache: CacheView = cache
        self.portfolio = portfolio
        self._uuids = uuid_factory
        actor_clock = ComponentClock(
            clock, self.component_id, self._handle_time_event, self._guard, uuid_factory
        )
        Component.__init__(
            self,
            self.component_id,
            actor_clock,
            msgbus,
            component_logger(self.component_id, logger),
        )
        self._on_register()

    def _on_register(self) -> None:
        """Run at the end of `register` (subclasses wire their extra parts here)."""

    @property
    def msgbus(self) -> MessageBus:
        """The node's message bus."""
        return self._msgbus

    # -- the handler guard -----------------------------------------------------------------

    def _handler_failed(self, handler: object, msg: object, exc: Exception) -> None:
        """Log and count a user handler's exception; fault when so configured."""
        self.handler_error_count += 1
        name = getattr(handler, "__qualname__", None) or repr(handler)
        self.log.exception(f"{name} raised on {type(msg).__name__}: {exc!r}", exc)
        if self._fault_on_error and self._state is _RUNNING:
            with contextlib.suppress(Exception):  # `fault` logged it already
                self.fault()

    # -- lifecycle -----------------------------------------------------------------------------

    def _on_start(self) -> None:
        self.on_start()

    def _on_stop(self) -> None:
        try:
            self.on_stop()
        finally:
            self.clock.cancel_timers()

    def _on_resume(self) -> None:
        self.on_resume()

    def _on_reset(self) -> None:
        self.on_reset()
        self._teardown()
        self.handler_error_count = 0

    def _on_dispose(self) -> None:
        try:
            self.on_dispose()
        finally:
            self._teardown()

    def _on_degrade(self) -> None:
        self.on_degrade()

    def _on_fault(self) -> None:
        try:
            self.on_fault()
        finally:
            self.clock.cancel_timers()

    def _teardown(self) -> None:
        """Drop every data subscription and timer (reset, dispose)."""
        self._unsubscribe_all()
        self._request_callbacks.clear()
        self.clock.cancel_timers()

    # -- user hooks (override) -----------------------------------------------------------------

    def on_start(self) -> None:
        """Run on start: subscribe to data, set timers."""

    def on_stop(self) -> None:
        """Run on stop (the actor's timers are cancelled afterwards)."""

    def on_resume(self) -> None:
        """Run when resumed after a stop."""

    def on_reset(self) -> None:
        """Run on reset: clear indicators and other state."""

    def on_dispose(self) -> None:
        """Run on dispose: release resources."""

    def on_degrade(self) -> None:
        """Run when degraded."""

    def on_fault(self) -> None:
        """Run when faulted: release what must not stay held."""

    def on_save(self) -> dict[str, bytes]:
        """Return the state to persist (names to bytes)."""
        return {}

    def on_load(self, state: dict[str, bytes]) -> None:
        """Restore the state `on_save` returned."""

    def on_event(self, event: Any) -> None:
        """Handle an event: time events of timers set without a callback, and (for a
        strategy) every order and position event after its specific handler."""

    # -- state ---------------------------------------------------------------------------------

    def save(self) -> dict[str, bytes]:
        """Return `on_save()` after checking it maps str to bytes."""
        state = self.on_save()
        if not isinstance(state, dict) or not all(
            isinstance(k, str) and isinstance(v, bytes) for k, v in state.items()
        ):
            raise TypeError(
                f"{type(self).__name__}.on_save must return dict[str, bytes], found {state!r}"
            )
        return state

    def load(self, state: dict[str, bytes]) -> None:
        """Pass saved state to `on_load`."""
        self.on_load(dict(state))

    # -- timers and publishing ---------------------------------------------------------------

    def _handle_time_event(self, event: TimeEvent) -> None:
        self.on_event(event)

    def publish_data(self, data: Any, data_type: type | str | None = None) -> None:
        """Publish custom data on ``data.{type name}`` for `subscribe_data` subscribers."""
        name = data_type_name(type(data) if data_type is None else data_type)
        self._msgbus.publish(topics.custom_data(name), data)

    def publish_signal(self, name: str, value: int | float | str | bool, ts_event: int = 0) -> None:
        """Publish a `Signal` on ``data.signal.{name}``; `ts_event` 0 means now."""
        if not name or "*" in name or "?" in name or " " in name:
            raise ValueError(
                f"signal name {name!r} is invalid: expected text without spaces or wildcards"
            )
        now = self.clock.timestamp_ns()
        signal = Signal(name=name, value=value, ts_event=ts_event or now, ts_init=now)
        self._msgbus.publish(signal_topic(name), signal)


__all__ = ["Actor", "component_logger"]
