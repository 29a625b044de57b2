"""`Trader`: owns a node's actors, strategies and execution algorithms.

Adding a component registers it with the node's trader id, bus, cache, clock, logging
and UUID factory; ids must be unique among all components of the trader (a duplicate
raises ValueError naming both). With an execution engine, each strategy's OMS type and
external order claims are registered with it as the strategy is added.

`start()` starts execution algorithms first, then actors, then strategies (so an
algorithm is ready before a strategy submits to it); `stop()` stops in the reverse
order. A component whose lifecycle action raises is logged and left FAULTED (by
`Component`); the others still move on. `save()` / `load()` move each component's
`on_save` state through the cache (`Cache.update_actor_state` / `actor_state`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from argonaut.cache.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger, LogSystem
from argonaut.core.uuid import UUIDFactory
from argonaut.model.enums import ComponentState
from argonaut.model.identifiers import TraderId
from argonaut.trading.actor import Actor, component_logger
from argonaut.trading.exec_algorithm import ExecAlgorithm
from argonaut.trading.strategy import Strategy


def _always(_: Actor) -> bool:
    return True


class Trader:
    """The trading components of one node and their common lifecycle."""

    def __init__(
        self,
        trader_id: TraderId,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        logger: Logger | LogSystem | None = None,
        *,
        portfolio: Any = None,
        uuid_factory: UUIDFactory,
        exec_engine: Any = None,
    ) -> None:
        self.trader_id = TraderId(trader_id)
        self._msgbus = msgbus
        self._cache = cache
        self._clock = clock
        self._logging = logger
        self.log = component_logger("Trader", logger)
        self._portfolio = portfolio
        self._uuids = uuid_factory
        self._exec_engine = exec_engine
        self._actors: dict[str, Actor] = {}
        self._strategies: dict[str, Strategy] = {}
        self._exec_algorithms: dict[str, ExecAlgorithm] = {}
        self.error_count = 0
        self._running = False

    @property
    def is_running(self) -> bool:
        """True between `start()` and `stop()`."""
        return self._running

    # -- adding ------------------------------------------------------------------------------

    def _check_new(self, component: Actor) -> None:
        cid = str(component.id)
        for group in (self._actors, self._strategies, self._exec_algorithms):
            existing = group.get(cid)
            if existing is not None:
                raise ValueError(
                    f"{type(component).__name__} id {cid} is already used by "
                    f"{type(existing).__name__} {existing.id}: give it another id "
                    "(component_id / strategy_id / order_id_tag / exec_algorithm_id)"
                )
        if component.is_registered:
            raise ValueError(f"{type(component).__name__} {cid} is already registered elsewhere")

    def _register(self, component: Actor) -> None:
        component.register(
            self.trader_id,
            self._msgbus,
            self._cache,
            self._clock,
            component_logger(str(component.id), self._logging),
            self._portfolio,
            uuid_factory=self._uuids,
        )

    def add_actor(self, actor: Actor) -> None:
        """Register and add an actor (not a strategy or algorithm: use their methods)."""
        if isinstance(actor, Strategy | ExecAlgorithm):
            raise TypeError(
                f"{type(actor).__name__} {actor.id} is not a plain actor: "
                "add it with add_strategy / add_exec_algorithm"
            )
        self._check_new(actor)
        self._register(actor)
        self._actors[str(actor.id)] = actor

    def add_strategy(self, strategy: Strategy) -> None:
        """Register and add a strategy; register its OMS type and external order claims
        with the execution engine when there is one."""
        if not isinstance(strategy, Strategy):
            raise TypeError(f"expected a Strategy, found {type(strategy).__name__}")
        self._check_new(strategy)
        engine = self._exec_engine
        if engine is not None:
            claims = strategy.external_order_claims
            if claims and hasattr(engine, "register_external_order_claims"):
                engine.register_external_order_claims(strategy.id, claims)
            if hasattr(engine, "register_oms_type"):
                engine.register_oms_type(strategy.id, strategy.oms_type)
        self._register(strategy)
        self._strategies[str(strategy.id)] = strategy

    def add_exec_algorithm(self, algorithm: ExecAlgorithm) -> None:
        """Register and add an execution algorithm (this registers its endpoint)."""
        if not isinstance(algorithm, ExecAlgorithm):
            raise TypeError(f"expected an ExecAlgorithm, found {type(algorithm).__name__}")
        self._check_new(algorithm)
        if self._msgbus.is_registered(algorithm.endpoint):
            raise ValueError(
                f"endpoint {algorithm.endpoint} is already registered: "
                "exec algorithm ids must be unique"
            )
        self._register(algorithm)
        self._exec_algorithms[str(algorithm.id)] = algorithm

    def add_actors(self, actors: Iterable[Actor]) -> None:
        """Add several actors."""
        for actor in actors:
            self.add_actor(actor)

    def add_strategies(self, strategies: Iterable[Strategy]) -> None:
        """Add several strategies."""
        for strategy in strategies:
            self.add_strategy(strategy)

    # -- queries --------------------------------------------------------------------------------

    def actors(self) -> list[Actor]:
        """The actors, in the order added."""
        return list(self._actors.values())

    def strategies(self) -> list[Strategy]:
        """The strategies, in the order added."""
        return list(self._strategies.values())

    def exec_algorithms(self) -> list[ExecAlgorithm]:
        """The execution algorithms, in the order added."""
        return list(self._exec_algorithms.values())

    def components(self) -> list[Actor]:
        """Every component: algorithms, then actors, then strategies."""
        return [*self._exec_algorithms.values(), *self._actors.values(), *self._strategies.values()]

    def strategy_states(self) -> dict[str, str]:
        """Each strategy's lifecycle state name, by strategy id."""
        return {sid: s.state.value for sid, s in self._strategies.items()}

    def actor_states(self) -> dict[str, str]:
        """Each actor's lifecycle state name, by actor id."""
        return {aid: a.state.value for aid, a in self._actors.items()}

    # -- lifecycle --------------------------------------------------------------------------------

    def _each(self, components: list[Actor], action: str, ready: Callable[[Actor], bool]) -> None:
        for component in components:
            if not ready(component):
                continue
            try:
                getattr(component, action)()
            except Exception as exc:
                self.error_count += 1
                self.log.exception(
                    f"{action} of {type(component).__name__} {component.id} failed", exc
                )

    def start(self) -> None:
        """Start (or resume, when stopped) every component."""
        self._running = True
        for component in self.components():
            if component.state is ComponentState.READY:
                self._each([component], "start", _always)
            elif component.state in (ComponentState.STOPPED, ComponentState.DEGRADED):
                self._each([component], "resume", _always)

    def stop(self) -> None:
        """Stop every running component: strategies, then actors, then algorithms."""
        self._running = False
        stoppable = (ComponentState.RUNNING, ComponentState.DEGRADED)
        self._each(list(reversed(self.components())), "stop", lambda c: c.state in stoppable)

    def reset(self) -> None:
        """Reset every component that is READY or STOPPED."""
        resettable = (ComponentState.READY, ComponentState.STOPPED)
        self._each(self.components(), "reset", lambda c: c.state in resettable)

    def dispose(self) -> None:
        """Stop what still runs, then dispose of every component."""
        self.stop()
        disposable = (ComponentState.READY, ComponentState.STOPPED, ComponentState.FAULTED)
        self._each(self.components(), "dispose", lambda c: c.state in disposable)

    # -- state ---------------------------------------------------------------------------

    def save(self) -> None:
        """Store every component's `on_save` state in the cache."""
        for component in self.components():
            try:
                state = component.save()
            except Exception as exc:
                self.error_count += 1
                self.log.exception(f"save of {component.id} failed", exc)
                continue
            self._cache.update_actor_state(str(component.id), state)

    def load(self) -> None:
        """Give every component the state the cache holds for it (if any)."""
        for component in self.components():
            state = self._cache.actor_state(str(component.id))
            if state is None:
                continue
            try:
                component.load(state)
            except Exception as exc:
                self.error_count += 1
                self.log.exception(f"load of {component.id} failed", exc)


__all__ = ["Trader"]
