"""Cache figures: the quote hot path, latest-quote reads, order re-indexing and queries.

    .venv/bin/python benchmarks/bench_cache.py

Figures are medians over REPS runs in nanoseconds per operation. `deque.append` (a bare
bounded deque append, no dict lookup) is printed as the floor of `add_quote_tick`.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from argonaut.cache import Cache
from argonaut.core.uuid import UUID4
from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderSide, OrderType, PriceType, TimeInForce
from argonaut.model.events.order import OrderInitialized, OrderSubmitted
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TraderId,
    Venue,
)
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity

REPS = 5
IIDS = [InstrumentId(f"SYM{i}-PERP.SIM") for i in range(20)]


def _ns_per_op(fn: Callable[[int], None], n: int) -> float:
    """Return the median nanoseconds per operation of `fn(n)` over REPS runs."""
    per_op = []
    gc.collect()
    for _ in range(REPS):
        t0 = time.perf_counter_ns()
        fn(n)
        per_op.append((time.perf_counter_ns() - t0) / n)
    return statistics.median(per_op)


def _quotes(n: int) -> list[QuoteTick]:
    return [
        QuoteTick.from_raw(
            IIDS[i % len(IIDS)],
            100_000_000_000 + i,
            100_100_000_000 + i,
            1_000_000_000,
            2_000_000_000,
            1,
            3,
            i,
            i,
        )
        for i in range(n)
    ]


def _bench_add_quote_tick(n: int) -> float:
    quotes = _quotes(n)
    cache = Cache()

    def run(count: int) -> None:
        add = cache.add_quote_tick
        for q in quotes[:count]:
            add(q)

    return _ns_per_op(run, n)


def _bench_deque_floor(n: int) -> float:
    quotes = _quotes(n)
    buffer: deque[QuoteTick] = deque(maxlen=10_000)

    def run(count: int) -> None:
        append = buffer.append
        for q in quotes[:count]:
            append(q)

    return _ns_per_op(run, n)


def _bench_price_mid(n: int) -> float:
    cache = Cache()
    cache.add_quote_ticks(_quotes(1_000))
    iid = IIDS[0]

    def run(count: int) -> None:
        price = cache.price
        mid = PriceType.MID
        for _ in range(count):
            price(iid, mid)

    return _ns_per_op(run, n)


def _orders(count: int) -> list[Order]:
    orders = []
    for i in range(count):
        init = OrderInitialized(
            trader_id=TraderId("TRADER-001"),
            strategy_id=StrategyId(f"S-{i % 4:03d}"),
            instrument_id=IIDS[i % len(IIDS)],
            client_order_id=ClientOrderId(f"O-{i}"),
            event_id=UUID4.from_int(i + 1),
            ts_event=i,
            ts_init=i,
            order_side=OrderSide.BUY if i % 2 else OrderSide.SELL,
            order_type=OrderType.LIMIT,
            quantity=Quantity.from_str("1.000"),
            time_in_force=TimeInForce.GTC,
            price=Price.from_str("100.0"),
        )
        orders.append(Order.from_init(init))
    return orders


def _submitted(order: Order) -> OrderSubmitted:
    return OrderSubmitted(
        trader_id=order.trader_id,
        strategy_id=order.strategy_id,
        instrument_id=order.instrument_id,
        client_order_id=order.client_order_id,
        account_id=AccountId("SIM-001"),
        event_id=UUID4.from_int(10**7 + int(order.client_order_id[2:])),
        ts_event=1,
        ts_init=1,
    )


def _bench_update_order(n: int) -> float:
    """Re-index submitted orders (every status set is touched, as after any event)."""
    cache = Cache()
    orders = _orders(1_000)
    for order in orders:
        cache.add_order(order)
        order.apply(_submitted(order))
        cache.update_order(order)

    def run(count: int) -> None:
        update = cache.update_order
        for i in range(count):
            update(orders[i % 1_000])

    return _ns_per_op(run, n)


def _bench_orders_inflight_query(n: int) -> float:
    """`client_order_ids_inflight(venue, instrument)` over 10_000 orders, 104 in flight."""
    cache = Cache()
    orders = _orders(10_000)
    for i, order in enumerate(orders):
        cache.add_order(order)
        if i % 97 == 0:
            order.apply(_submitted(order))
            cache.update_order(order)
    venue = Venue("SIM")
    iid = IIDS[0]

    def run(count: int) -> None:
        query = cache.client_order_ids_inflight
        for _ in range(count):
            query(venue, iid)

    return _ns_per_op(run, n)


def run() -> Iterator[dict[str, Any]]:
    """Yield the cache figures."""
    figures = (
        ("add_quote_tick", _bench_add_quote_tick, 1_000_000),
        ("deque.append (floor)", _bench_deque_floor, 1_000_000),
        ("price(MID)", _bench_price_mid, 500_000),
        ("update_order", _bench_update_order, 500_000),
        ("client_order_ids_inflight(venue, instrument)", _bench_orders_inflight_query, 20_000),
    )
    for variant, bench, n in figures:
        yield {
            "bench": "cache",
            "variant": variant,
            "metric": "ns_per_op",
            "value": round(bench(n), 1),
            "unit": "ns",
        }


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure), flush=True)
