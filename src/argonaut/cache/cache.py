"""`Cache`: the node's in-memory source of truth, mutated by engines, read by strategies.

The cache holds reference data, market data, accounts, orders and positions with the
indexes the engines query, plus general and per-component state. It is synchronous,
owned by the node's event loop thread, and does no I/O: a cache database (write-behind
persistence) is a separate adapter fed by the engines.

Its behaviour is split by concern into mixins over `CacheBase`: `market`, `accounts`,
`orders` and `order_queries`, `positions`, `integrity` and `maintenance`. Strategies
and actors get it typed as the read-only `CacheView`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from argonaut.cache.accounts import AccountMixin
from argonaut.cache.base import CacheBase
from argonaut.cache.db.protocol import PutActorState, PutKeyValue
from argonaut.cache.integrity import IntegrityMixin
from argonaut.cache.maintenance import MaintenanceMixin
from argonaut.cache.market import MarketMixin
from argonaut.cache.order_queries import OrderQueryMixin
from argonaut.cache.orders import OrderMixin
from argonaut.cache.persisting import PersistMixin
from argonaut.cache.positions import PositionMixin

if TYPE_CHECKING:
    from argonaut.cache.view import CacheView


class Cache(
    MarketMixin,
    AccountMixin,
    OrderMixin,
    OrderQueryMixin,
    PositionMixin,
    IntegrityMixin,
    MaintenanceMixin,
    PersistMixin,
):
    """The in-memory state of a node: `Cache(config, logger=...)`.

    Engines add and update objects (``add_*``, ``update_*``); everyone may query.
    Query results are lists in a deterministic order (the order objects were first
    added), never in set iteration order.
    """

    __slots__ = ()

    # -- general and component state -------------------------------------------------------

    def add(self, key: str, value: bytes) -> None:
        """Store `value` under `key` in the general key/value store."""
        if not isinstance(key, str) or not key:
            raise ValueError(f"general key must be a non-empty str, found {key!r}")
        if not isinstance(value, bytes):
            raise TypeError(
                f"general value for {key!r} must be bytes, found {type(value).__name__}"
            )
        self._general[key] = value
        sink = self._db_sink
        if sink is not None:
            sink(PutKeyValue(key=key, value=value))

    def get(self, key: str) -> bytes | None:
        """Return the value stored under `key`, or None."""
        return self._general.get(key)

    def general_keys(self) -> list[str]:
        """Return the general keys, in the order first stored."""
        return list(self._general)

    def update_actor_state(self, component_id: str, state: dict[str, bytes]) -> None:
        """Store a copy of an actor's or strategy's saved state (`on_save` result)."""
        for name, value in state.items():
            if not isinstance(name, str) or not isinstance(value, bytes):
                raise TypeError(
                    f"state of {component_id} must map str to bytes, found "
                    f"{type(name).__name__} -> {type(value).__name__} for {name!r}"
                )
        self._actor_states[component_id] = dict(state)
        sink = self._db_sink
        if sink is not None:
            sink(PutActorState(component_id=component_id, state=dict(state)))

    def actor_state(self, component_id: str) -> dict[str, bytes] | None:
        """Return a copy of a component's saved state, or None."""
        state = self._actor_states.get(component_id)
        return None if state is None else dict(state)

    # -- lifecycle -------------------------------------------------------------------------

    def reset(self) -> None:
        """Clear every store and index (instruments and currencies are kept unless
        `CacheConfig.drop_instruments_on_reset`)."""
        instruments = self._instruments
        currencies = self._currencies
        sink, purge = self._db_sink, self._db_purge
        CacheBase.__init__(self, self._config, logger=self._log)
        self._db_sink, self._db_purge = sink, purge
        if not self._config.drop_instruments_on_reset:
            self._instruments = instruments
            self._currencies = currencies
        self._log.debug("cache reset")

    def dispose(self) -> None:
        """Release everything the cache holds, instruments included."""
        CacheBase.__init__(self, self._config, logger=self._log)

    def stats(self) -> dict[str, int]:
        """Return the number of objects held, by kind (for logs and metrics)."""
        return {
            "instruments": len(self._instruments),
            "currencies": len(self._currencies),
            "quote_ticks": self._quote_ticks.total(),
            "trade_ticks": self._trade_ticks.total(),
            "bars": self._bars.total(),
            "order_books": len(self._order_books),
            "own_order_books": len(self._own_order_books),
            "accounts": len(self._accounts),
            "orders": len(self._orders),
            "orders_open": len(self._index_orders_open),
            "orders_closed": len(self._index_orders_closed),
            "orders_inflight": len(self._index_orders_inflight),
            "orders_emulated": len(self._index_orders_emulated),
            "positions": len(self._positions),
            "positions_open": len(self._index_positions_open),
            "positions_closed": len(self._index_positions_closed),
            "position_snapshots": sum(len(s) for s in self._position_snapshots.values()),
            "general": len(self._general),
            "actor_states": len(self._actor_states),
        }


if TYPE_CHECKING:

    def _cache_is_a_view(cache: Cache) -> CacheView:
        return cache  # mypy proves that Cache satisfies the CacheView protocol


__all__ = ["Cache"]
