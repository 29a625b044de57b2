"""Persistence of the `Cache`: a write-behind sink for its changes, a restore from a database.

With a sink attached (`attach_database_sink`), every state change is handed to it as
one of the small frozen ops of `argonaut.cache.db.protocol`, in the order it happened:
reference data (`PutInstrument`, `PutCurrency`), account states, order events with
their indexes, position fills and snapshots, general key/values and component state.
The sink is a plain callable (the live node's writer appends to a deque), so the cost
per change is one attribute test and one call; without a sink it is one test. The
cache remembers how much of each history the sink already has, so an event is handed
over once however often the engines re-index the object.

`restore` loads a `LoadedState` (what `CacheDatabase.load` returns) back: instruments
and currencies, accounts (their state histories replayed), orders (their events
replayed, with the client, position and venue order id indexes) and positions (their
current cycle's fills replayed, older cycles as snapshots), general key/values and
component state. A record that does not replay raises `CorruptRecord` naming it.
"""

from __future__ import annotations

from collections.abc import Callable

from argonaut.cache.base import CacheBase
from argonaut.cache.db.errors import CorruptRecord
from argonaut.cache.db.protocol import DbOp, LoadedState
from argonaut.cache.db.records import rebuild_account, rebuild_order, rebuild_position


class PersistMixin(CacheBase):
    """Write-behind sink and restore of the `Cache`."""

    __slots__ = ()

    def attach_database_sink(self, sink: Callable[[DbOp], None], *, purge: bool = False) -> None:
        """Hand every later state change to `sink` as a `DbOp`.

        `purge` makes the purge methods delete from the database too (the
        ``purge_from_database`` option); otherwise purged items stay stored.
        """
        if not callable(sink):
            raise TypeError(f"sink must be callable, found {type(sink).__name__}")
        self._db_sink = sink
        self._db_purge = purge

    def detach_database_sink(self) -> None:
        """Stop handing changes to the sink."""
        self._db_sink = None
        self._db_purge = False

    @property
    def has_database_sink(self) -> bool:
        """Whether state changes are handed to a database sink."""
        return self._db_sink is not None

    def restore(self, state: LoadedState) -> dict[str, int]:
        """Load a database's state into this (empty) cache; return counts by kind.

        Nothing restored is handed back to the sink. Raises `CorruptRecord` naming the
        first record that does not replay (an order whose events do not apply, a
        position whose instrument is not stored ...).
        """
        if self._orders or self._positions or self._accounts:
            raise ValueError(
                "restore needs an empty cache: it already holds orders, positions or accounts"
            )
        sink, self._db_sink = self._db_sink, None
        try:
            return self._restore(state)
        finally:
            self._db_sink = sink

    def _restore(self, state: LoadedState) -> dict[str, int]:
        for currency in state.currencies.values():
            self._currencies[currency.code] = currency
        for instrument in state.instruments.values():
            self._instruments[instrument.id] = instrument
            for ccy in (
                instrument.base_currency,
                instrument.quote_currency,
                instrument.settlement_currency,
            ):
                if ccy is not None and ccy.code not in self._currencies:
                    self._currencies[ccy.code] = ccy
        for account_id, states in state.accounts.items():
            account = rebuild_account(account_id, states)
            self.add_account(account)  # type: ignore[attr-defined]
            self._db_account_counts[account_id] = len(account.events)
        for coid, events in state.orders.items():
            order = rebuild_order(coid, events)
            owner = state.index_order_strategy.get(coid)
            if owner is not None and owner != order.strategy_id:
                raise CorruptRecord(
                    f"orders:{coid}",
                    f"indexed under strategy {owner} but initialized by {order.strategy_id}",
                )
            try:
                self.add_order(order, None, state.index_order_client.get(coid))  # type: ignore[attr-defined]
                voi = state.index_venue_order_ids.get(coid)
                if voi is not None:
                    self.add_venue_order_id(coid, voi, overwrite=True)  # type: ignore[attr-defined]
            except ValueError as e:
                raise CorruptRecord(f"orders:{coid}", str(e)) from e
            self._db_order_counts[coid] = len(order.events)
        for pid, record in state.positions.items():
            key = f"positions:{pid}"
            iid = record.fills[0].instrument_id
            definition = self._instruments.get(iid)
            if definition is None:
                raise CorruptRecord(key, f"its instrument {iid} is not stored")
            position = rebuild_position(record, definition)
            try:
                self.add_position(position, record.oms_type)  # type: ignore[attr-defined]
            except ValueError as e:
                raise CorruptRecord(key, str(e)) from e
            if record.snapshots:
                self._position_snapshots[pid] = list(record.snapshots)
            self._db_position_fills[pid] = (len(position.events), position.events[-1])
        for coid, pid in state.index_order_position.items():
            linked = self._orders.get(coid)
            if linked is None or self._index_order_position.get(coid) == pid:
                continue
            try:
                self._link_order_position(pid, linked.instrument_id.venue, coid, linked.strategy_id)
            except ValueError as e:
                raise CorruptRecord(f"index:orders:{coid}", str(e)) from e
        self._general.update(state.general)
        for component_id, saved in state.actor_states.items():
            self._actor_states[component_id] = dict(saved)
        return {
            "instruments": len(state.instruments),
            "accounts": len(state.accounts),
            "orders": len(state.orders),
            "positions": len(state.positions),
            "actor_states": len(state.actor_states),
            "general": len(state.general),
        }


__all__ = ["PersistMixin"]
