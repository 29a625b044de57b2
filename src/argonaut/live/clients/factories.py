"""Client factories: how a node turns a client config entry into a live client.

A `ClientFactory` builds data and/or execution clients of one kind ("sandbox",
"binance", ...). Each node owns a `ClientFactoryRegistry` mapping kind names to
factories (there is no global registry: two nodes in one process register their own).
A config entry names its factory either by a registered kind or by an import path
``"package.module:Factory"``; a path naming a class is instantiated with no arguments.

Errors are `ConfigError` (refuse to start) and say what was expected: an unknown kind
lists the known ones, a bad path says which part failed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.errors import ConfigError
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.clients.data import LiveDataClient
from argonaut.live.clients.execution import LiveExecutionClient

__all__ = ["BUILTIN_FACTORIES", "ClientFactory", "ClientFactoryRegistry", "load_factory"]

BUILTIN_FACTORIES: dict[str, str] = {
    "sandbox": "argonaut.adapters.sandbox.factory:SandboxClientFactory",
}
"""Kinds every registry resolves without registration: kind -> lazy import path (so
`live` never imports `adapters`). A registered kind of the same name takes precedence;
a registry loads each built-in once, so all its clients of that kind share one factory."""


@runtime_checkable
class ClientFactory(Protocol):
    """Build the live clients of one venue kind.

    A factory for a data-only (or execution-only) venue raises `NotImplementedError`
    from the other method. `config` is the client's config entry (plain data).
    """

    def create_data_client(
        self,
        name: str,
        config: Mapping[str, Any],
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
    ) -> LiveDataClient:
        """Return a new data client called `name`."""
        ...

    def create_exec_client(
        self,
        name: str,
        config: Mapping[str, Any],
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
    ) -> LiveExecutionClient:
        """Return a new execution client called `name`."""
        ...


def load_factory(path: str) -> ClientFactory:
    """Import the factory at ``"package.module:Attribute"`` (a class is instantiated).

    Raise `ConfigError` when the path is malformed, the module or attribute is missing,
    or the object is not a client factory.
    """
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr or ":" in attr:
        raise ConfigError(
            f"client factory path {path!r} is malformed: expected 'package.module:Factory'"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(
            f"client factory path {path!r}: cannot import module {module_name!r} ({exc})"
        ) from exc
    target: Any = module
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError as exc:
            raise ConfigError(
                f"client factory path {path!r}: module {module_name!r} has no {attr!r}"
            ) from exc
    if isinstance(target, type):
        try:
            target = target()
        except TypeError as exc:
            raise ConfigError(
                f"client factory path {path!r}: cannot instantiate {attr} with no arguments ({exc})"
            ) from exc
    if not isinstance(target, ClientFactory):
        raise ConfigError(
            f"client factory path {path!r} names a {type(target).__name__}: expected an "
            "object with create_data_client and create_exec_client methods"
        )
    return target


class ClientFactoryRegistry:
    """The client factories one node knows, by kind name."""

    __slots__ = ("_factories",)

    def __init__(self, factories: Mapping[str, ClientFactory] | None = None) -> None:
        self._factories: dict[str, ClientFactory] = {}
        for kind, factory in (factories or {}).items():
            self.register(kind, factory)

    def __contains__(self, kind: object) -> bool:
        return kind in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self._factories)

    @property
    def kinds(self) -> list[str]:
        """The registered kind names, sorted."""
        return sorted(self._factories)

    def register(self, kind: str, factory: ClientFactory, *, replace: bool = False) -> None:
        """Register `factory` under `kind`.

        Raise `ValueError` for an empty or path-like kind, a kind already registered
        (unless `replace`), or an object that is not a factory.
        """
        if not kind or ":" in kind:
            raise ValueError(
                f"client factory kind {kind!r} is invalid: expected a non-empty name "
                "without ':' (':' marks an import path)"
            )
        if kind in self._factories and not replace:
            raise ValueError(
                f"client factory kind {kind!r} is already registered: pass replace=True "
                "to override it"
            )
        if not isinstance(factory, ClientFactory):
            raise ValueError(
                f"cannot register a {type(factory).__name__} as client factory {kind!r}: "
                "expected create_data_client and create_exec_client methods"
            )
        self._factories[kind] = factory

    def get(self, kind: str) -> ClientFactory:
        """Return the factory for a kind name or a ``"package.module:Factory"`` path.

        Raise `ConfigError` for an unknown kind (listing the known ones) or a bad path.
        """
        factory = self._factories.get(kind)
        if factory is not None:
            return factory
        if ":" in kind:
            return load_factory(kind)
        builtin = BUILTIN_FACTORIES.get(kind)
        if builtin is not None:
            factory = self._factories[kind] = load_factory(builtin)
            return factory
        known = ", ".join(repr(k) for k in sorted({*self.kinds, *BUILTIN_FACTORIES}))
        raise ConfigError(
            f"unknown client factory kind {kind!r}: expected one of {known}, "
            "or an import path 'package.module:Factory'"
        )

    def create_data_client(
        self,
        kind: str,
        name: str,
        config: Mapping[str, Any],
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
    ) -> LiveDataClient:
        """Build data client `name` with the factory of `kind`.

        Raise `ConfigError` when the kind is unknown or makes no data clients.
        """
        factory = self.get(kind)
        try:
            return factory.create_data_client(
                name,
                config,
                msgbus=msgbus,
                cache=cache,
                clock=clock,
                uuid_factory=uuid_factory,
                logger=logger,
            )
        except NotImplementedError as exc:
            raise ConfigError(
                f"data client {name!r}: client factory {kind!r} makes no data clients"
            ) from exc

    def create_exec_client(
        self,
        kind: str,
        name: str,
        config: Mapping[str, Any],
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
    ) -> LiveExecutionClient:
        """Build execution client `name` with the factory of `kind`.

        Raise `ConfigError` when the kind is unknown or makes no execution clients.
        """
        factory = self.get(kind)
        try:
            return factory.create_exec_client(
                name,
                config,
                msgbus=msgbus,
                cache=cache,
                clock=clock,
                uuid_factory=uuid_factory,
                logger=logger,
            )
        except NotImplementedError as exc:
            raise ConfigError(
                f"execution client {name!r}: client factory {kind!r} makes no execution clients"
            ) from exc
