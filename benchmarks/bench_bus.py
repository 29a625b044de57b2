"""Micro-benchmark of `MessageBus.publish` / `send` cost per message (prints, asserts nothing).

    .venv/bin/python benchmarks/bench_bus.py [--n 1000000] [--reps 5]

Reports the best of `reps` runs in nanoseconds per message, next to a bare loop that
calls the handler directly (the floor of any dispatch).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Iterator
from typing import Any

import msgspec

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.model.identifiers import InstrumentId, TraderId

IID = InstrumentId("BTCUSDT-PERP.SIM")


class Quote(msgspec.Struct, frozen=True, gc=False):
    instrument_id: str
    bid_raw: int
    ask_raw: int
    ts_event: int


class Counter:
    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def on_quote(self, msg: Quote) -> None:
        self.count += 1


def best_ns_per_op(run: Callable[[int], None], n: int, reps: int) -> float:
    results = []
    for _ in range(reps):
        gc.collect()
        start = time.perf_counter_ns()
        run(n)
        results.append((time.perf_counter_ns() - start) / n)
    return min(results)


def cases() -> list[tuple[str, Callable[[int], None]]]:
    """Build the benchmark cases: (name, run(n))."""
    quote = Quote(instrument_id=IID, bid_raw=1, ask_raw=2, ts_event=3)
    topic = topics.quotes(IID)

    def publish_loop(bus: MessageBus, build_topic: bool = False) -> Callable[[int], None]:
        publish = bus.publish
        if build_topic:
            quotes = topics.quotes

            def run(n: int) -> None:
                for _ in range(n):
                    publish(quotes(IID), quote)

            return run

        def run(n: int) -> None:
            for _ in range(n):
                publish(topic, quote)

        return run

    direct = Counter()

    def bare(n: int) -> None:
        handler = direct.on_quote
        for _ in range(n):
            handler(quote)

    cases: list[tuple[str, Callable[[int], None]]] = [("direct handler call (floor)", bare)]

    bus0 = MessageBus(TraderId("BENCH-001"))
    bus0.subscribe("data.trades.*", Counter().on_quote)  # present but not matching
    cases.append(("publish, 0 subscribers", publish_loop(bus0)))

    bus1 = MessageBus(TraderId("BENCH-001"))
    bus1.subscribe(topic, Counter().on_quote)
    cases.append(("publish, 1 subscriber (exact)", publish_loop(bus1)))
    cases.append(("publish, 1 subscriber + topics.quotes()", publish_loop(bus1, True)))

    bus1w = MessageBus(TraderId("BENCH-001"))
    bus1w.subscribe("data.quotes.*", Counter().on_quote)
    cases.append(("publish, 1 subscriber (wildcard)", publish_loop(bus1w)))

    bus2 = MessageBus(TraderId("BENCH-001"))
    bus2.subscribe(topic, Counter().on_quote)
    bus2.subscribe("data.*", Counter().on_quote, priority=5)
    cases.append(("publish, 2 subscribers", publish_loop(bus2)))

    bus_send = MessageBus(TraderId("BENCH-001"))
    bus_send.register(topics.DATA_ENGINE_PROCESS, Counter().on_quote)

    def send(n: int) -> None:
        send_ = bus_send.send
        endpoint = topics.DATA_ENGINE_PROCESS
        for _ in range(n):
            send_(endpoint, quote)

    cases.append(("send to endpoint", send))
    return cases


def run(n: int = 1_000_000, reps: int = 5) -> Iterator[dict[str, Any]]:
    """Yield one figure per case for `benchmarks/run.py`."""
    for name, fn in cases():
        yield {
            "bench": "bus",
            "variant": name,
            "metric": "ns_per_msg",
            "value": round(best_ns_per_op(fn, n, reps), 1),
            "unit": "ns",
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    print(f"n={args.n:,} messages, best of {args.reps}")
    for name, run in cases():
        print(f"  {name:<42} {best_ns_per_op(run, args.n, args.reps):7.1f} ns/msg")


if __name__ == "__main__":
    main()
