"""`ReconTracking`: the per-order and per-position bookkeeping of reconciliation.

The node feeds it on every execution event and command (constant time per call, no
logging above DEBUG); the continuous checks read it to decide what to query and when.

- Local activity: the receipt time (local clock) of the latest event, command or report
  of an order. Open-order checks leave an order alone while its activity is younger
  than their threshold (live-behaviour 3.10.4).
- Position activity: the latest fill/report time per (instrument, account).
- In-flight registrations: when a submit/modify/cancel passed through the node; the
  in-flight check's clock starts there (else at the order's last event).
- Query tracking: per order, how many targeted queries went unanswered and when the
  last one was sent. The in-flight and open-order checks share it (3.10.3).
- Recent fills: trade ids of fills already applied, with the time they were marked, so
  a late `FillReport` for one is dropped. Insertion order is kept chronological (a
  re-mark moves the id to the end), so pruning pops from the front: amortized O(1).
"""

from __future__ import annotations

from argonaut.model.events.order import OrderEvent, OrderFilled
from argonaut.model.identifiers import AccountId, ClientOrderId, InstrumentId, TradeId

_NANOS_PER_SECOND = 1_000_000_000


class ReconTracking:
    """Reconciliation bookkeeping; every method is O(1) except `prune_recent_fills`."""

    __slots__ = (
        "_inflight",
        "_last_query",
        "_local_activity",
        "_position_activity",
        "_query_counts",
        "_recent_fills",
    )

    def __init__(self) -> None:
        self._local_activity: dict[ClientOrderId, int] = {}
        self._position_activity: dict[tuple[InstrumentId, AccountId], int] = {}
        self._inflight: dict[ClientOrderId, int] = {}
        self._query_counts: dict[ClientOrderId, int] = {}
        self._last_query: dict[ClientOrderId, int] = {}
        self._recent_fills: dict[TradeId, int] = {}

    # -- activity ------------------------------------------------------------------------

    def record_local_activity(self, client_order_id: ClientOrderId, ts: int) -> None:
        """Record local activity on an order at `ts` (local receipt time)."""
        self._local_activity[client_order_id] = ts

    def local_activity(self, client_order_id: ClientOrderId) -> int | None:
        """Return the time of the order's latest local activity, or None."""
        return self._local_activity.get(client_order_id)

    def record_position_activity(
        self, instrument_id: InstrumentId, account_id: AccountId, ts: int
    ) -> None:
        """Record activity (a fill or report) on the (instrument, account) position."""
        self._position_activity[(instrument_id, account_id)] = ts

    def position_activity(self, instrument_id: InstrumentId, account_id: AccountId) -> int | None:
        """Return the time of the latest activity on the (instrument, account) key."""
        return self._position_activity.get((instrument_id, account_id))

    def forget_order(self, client_order_id: ClientOrderId) -> None:
        """Drop everything tracked for an order (e.g. once it is purged from the cache)."""
        self._local_activity.pop(client_order_id, None)
        self.clear(client_order_id, drop_last_query=True)

    # -- in-flight and query tracking ----------------------------------------------------

    def register_inflight(self, client_order_id: ClientOrderId, ts: int) -> None:
        """Start (or restart) the in-flight clock of an order at `ts`; reset its queries."""
        self._inflight[client_order_id] = ts
        self._query_counts.pop(client_order_id, None)

    def inflight_since(self, client_order_id: ClientOrderId) -> int | None:
        """Return when the order was registered in flight, or None."""
        return self._inflight.get(client_order_id)

    def inflight_ids(self) -> list[ClientOrderId]:
        """Return the ids of the orders registered in flight, in registration order."""
        return list(self._inflight)

    def record_query(self, client_order_id: ClientOrderId, ts: int) -> int:
        """Count one unanswered targeted query sent at `ts`; return the new count."""
        n = self._query_counts.get(client_order_id, 0) + 1
        self._query_counts[client_order_id] = n
        self._last_query[client_order_id] = ts
        return n

    def query_count(self, client_order_id: ClientOrderId) -> int:
        """Return how many targeted queries of the order went unanswered."""
        return self._query_counts.get(client_order_id, 0)

    def last_query(self, client_order_id: ClientOrderId) -> int | None:
        """Return when the order was last queried, or None."""
        return self._last_query.get(client_order_id)

    def mark_queried(self, client_order_id: ClientOrderId, ts: int) -> None:
        """Record that the order was queried at `ts` without counting a miss."""
        self._last_query[client_order_id] = ts

    def reset_queries(self, client_order_id: ClientOrderId) -> None:
        """Reset the order's unanswered-query count (the venue answered)."""
        self._query_counts.pop(client_order_id, None)

    def clear(self, client_order_id: ClientOrderId, drop_last_query: bool = True) -> None:
        """Stop tracking the order in flight and reset its query count.

        `drop_last_query` False keeps the last query time, so a check does not query the
        order again at once.
        """
        self._inflight.pop(client_order_id, None)
        self._query_counts.pop(client_order_id, None)
        if drop_last_query:
            self._last_query.pop(client_order_id, None)

    def record_event(self, event: OrderEvent, ts: int) -> None:
        """Record an applied order event at `ts`: order activity, and for a fill the
        position activity and the recent-fill mark (one call per event, hot path)."""
        self._local_activity[event.client_order_id] = ts
        if type(event) is OrderFilled:
            self._position_activity[(event.instrument_id, event.account_id)] = ts
            recent = self._recent_fills
            trade_id = event.trade_id
            recent.pop(trade_id, None)
            recent[trade_id] = ts

    # -- recent fills --------------------------------------------------------------------

    def mark_fill_processed(self, trade_id: TradeId, ts: int) -> None:
        """Remember that the fill `trade_id` was applied at `ts`."""
        recent = self._recent_fills
        recent.pop(trade_id, None)  # move to the end: the dict stays in time order
        recent[trade_id] = ts

    def is_fill_recently_processed(self, trade_id: TradeId) -> bool:
        """Return True when the fill `trade_id` was marked and not pruned yet."""
        return trade_id in self._recent_fills

    def prune_recent_fills(self, ts_now: int, ttl_secs: float) -> int:
        """Forget fills marked more than `ttl_secs` before `ts_now`; return how many."""
        cutoff = ts_now - int(ttl_secs * _NANOS_PER_SECOND)
        recent = self._recent_fills
        stale: list[TradeId] = []
        for trade_id, ts in recent.items():
            if ts > cutoff:
                break
            stale.append(trade_id)
        for trade_id in stale:
            del recent[trade_id]
        return len(stale)

    # -- stats ---------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Return the sizes of the tracking tables."""
        return {
            "local_activity": len(self._local_activity),
            "position_activity": len(self._position_activity),
            "inflight_tracked": len(self._inflight),
            "query_tracked": len(self._query_counts),
            "recent_fills": len(self._recent_fills),
        }


__all__ = ["ReconTracking"]
