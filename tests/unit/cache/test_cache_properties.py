"""Property: after any sequence of order events and purges, the cache's indexes agree
with a brute-force scan of its orders, and results come in add order."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_cache_stubs import BTC_PERP, ETH_PERP, OTHER_STRATEGY, STRATEGY, event, fill, make_order

from argonaut.cache import Cache
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderEmulated,
    OrderEvent,
    OrderFilled,
    OrderPendingCancel,
    OrderRejected,
    OrderSubmitted,
)
from argonaut.model.identifiers import AccountId, Venue
from argonaut.model.orders import CLOSED, IN_FLIGHT, OPEN, Order

KINDS: tuple[type[OrderEvent], ...] = (
    OrderSubmitted,
    OrderAccepted,
    OrderPendingCancel,
    OrderCanceled,
    OrderRejected,
    OrderEmulated,
    OrderFilled,
)
STATUS_QUERIES: dict[str, Callable[[OrderStatus], bool]] = {
    "open": lambda s: s in OPEN,
    "closed": lambda s: s in CLOSED,
    "inflight": lambda s: s in IN_FLIGHT,
    "emulated": lambda s: s is OrderStatus.EMULATED,
    "all": lambda s: True,
}

ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 1), st.integers(0, 1)),
        st.tuples(st.just("event"), st.integers(0, 7), st.integers(0, len(KINDS) - 1)),
        st.tuples(st.just("event"), st.integers(0, 7), st.integers(0, len(KINDS) - 1)),
        st.tuples(st.just("event"), st.integers(0, 7), st.integers(0, len(KINDS) - 1)),
        st.tuples(st.just("purge"), st.integers(0, 20)),
    ),
    max_size=60,
)


def _event(order: Order, kind: type[OrderEvent], ts: int) -> OrderEvent:
    if kind is OrderFilled:
        return fill(order, "0.500", ts=ts, trade_id=f"T-{order.client_order_id}-{ts}")
    if kind is OrderRejected:
        return event(order, kind, ts, account_id=AccountId("SIM-001"), reason="test")
    return event(order, kind, ts)


def _check(cache: Cache, added: list[Order]) -> None:
    assert cache.check_integrity() == []
    queries = {
        "open": cache.client_order_ids_open,
        "closed": cache.client_order_ids_closed,
        "inflight": cache.client_order_ids_inflight,
        "emulated": cache.client_order_ids_emulated,
        "all": cache.client_order_ids,
    }
    for name, query in queries.items():
        in_status = STATUS_QUERIES[name]
        for venue, iid, sid, side in itertools.product(
            (None, Venue("SIM")),
            (None, BTC_PERP, ETH_PERP),
            (None, STRATEGY, OTHER_STRATEGY),
            (OrderSide.NO_ORDER_SIDE, OrderSide.SELL),
        ):
            expected = [
                o.client_order_id
                for o in added
                if in_status(o.status)
                and (iid is None or o.instrument_id == iid)
                and (sid is None or o.strategy_id == sid)
                and (side is OrderSide.NO_ORDER_SIDE or o.side is side)
            ]
            assert query(venue, iid, sid, side) == expected, (name, venue, iid, sid, side)


@given(ops)
def test_indexes_match_brute_force_after_any_event_sequence(
    script: list[tuple[Any, ...]],
) -> None:
    cache = Cache()
    added: list[Order] = []
    for i in range(6):  # a starting book: every instrument, strategy and side
        order = make_order(
            f"S-{i}",
            side=(OrderSide.BUY, OrderSide.SELL)[i % 2],
            instrument_id=(BTC_PERP, ETH_PERP)[(i // 2) % 2],
            strategy_id=(STRATEGY, OTHER_STRATEGY)[i // 3],
        )
        cache.add_order(order)
        added.append(order)
    ts = 10
    for op in script:
        ts += 1
        if op[0] == "add":
            _, inst, strat, side = op
            order = make_order(
                f"O-{len(added)}-{ts}",
                side=(OrderSide.BUY, OrderSide.SELL)[side],
                instrument_id=(BTC_PERP, ETH_PERP)[inst],
                strategy_id=(STRATEGY, OTHER_STRATEGY)[strat],
            )
            cache.add_order(order)
            added.append(order)
        elif op[0] == "event" and added:
            order = added[op[1] % len(added)]
            try:
                order.apply(_event(order, KINDS[op[2]], ts))
            except ValueError:
                continue  # refused by the state machine: the order is unchanged
            cache.update_order(order)
        elif op[0] == "purge":
            purged = set(cache.purge_closed_orders(ts_now=ts, buffer_secs=0))
            assert all(o.is_closed for o in added if o.client_order_id in purged)
            added = [o for o in added if o.client_order_id not in purged]
        _check(cache, added)
