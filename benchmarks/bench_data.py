"""DataEngine quote throughput on the W1 stream, called synchronously (no event loop).

    .venv/bin/python benchmarks/bench_data.py [--n 1000000] [--reps 3] [--profile]

The W1 quote stream (/work/shared/bench/WORKLOAD.md, LCG seed 42) is built as native
`QuoteTick`s before timing and frozen out of the cyclic GC. Each run builds a fresh
engine, bus and cache, subscribes a W1-style strategy handler (count, float mid sum)
on the quote topic and times `engine.process(quote)` for every quote. The W1 checks
(count, checksums, cached latest quote) must hold or the run raises. Figures are the
median over the runs, with min and max. `--profile` prints a cProfile of one run.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.data import DataClient, DataEngine
from argonaut.model.commands.data import SubscribeQuoteTicks
from argonaut.model.data import QuoteTick
from argonaut.model.identifiers import ClientId, ComponentId, InstrumentId, Symbol, TraderId
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.values import BTC, USDT, Price, Quantity

IID = InstrumentId("BTCUSDT-PERP.SIM")
N = 1_000_000
REPS = 3

# W1 stream (WORKLOAD.md): 64-bit LCG, seed 42.
MASK64 = (1 << 64) - 1
LCG_A = 6364136223846793005
LCG_C = 1442695040888963407
T0_NS = 1_700_000_000_000_000_000
DT_NS = 1_000_000
PRICE_STEP = 100_000_000  # raw units of one 0.1 tick
SIZE_STEP = 1_000_000  # raw units of one 0.001 lot
W1_REFERENCE = {  # N -> (sum of bid+ask ticks, last mid)
    10: (9_999_999, 50000.1),
    1_000_000: (1_000_611_519_550, 50049.25),
}


def build_quotes(n: int) -> tuple[list[QuoteTick], int]:
    """Return the W1 quotes and the exact sum of their bid + ask ticks."""
    quotes: list[QuoteTick] = []
    append = quotes.append
    from_raw = QuoteTick.from_raw
    s = 42
    bid = 500_000
    total = 0
    for i in range(n):
        s = (s * LCG_A + LCG_C) & MASK64
        r = s >> 32
        bid += (r % 3) - 1
        ask = bid + 1 + ((r >> 8) & 3)
        total += bid + ask
        ts = T0_NS + i * DT_NS
        append(
            from_raw(
                IID,
                bid * PRICE_STEP,
                ask * PRICE_STEP,
                (1 + ((r >> 12) & 1023)) * SIZE_STEP,
                (1 + ((r >> 22) & 1023)) * SIZE_STEP,
                1,
                3,
                ts,
                ts,
            )
        )
    return quotes, total


def w1_instrument() -> CryptoPerpetual:
    """Return the W1 instrument BTCUSDT-PERP.SIM."""
    return CryptoPerpetual(
        id=IID,
        raw_symbol=Symbol("BTCUSDT"),
        base_currency=BTC,
        quote_currency=USDT,
        settlement_currency=USDT,
        price_precision=1,
        size_precision=3,
        price_increment=Price.from_str("0.1"),
        size_increment=Quantity.from_str("0.001"),
        min_quantity=Quantity.from_str("0.001"),
        max_quantity=Quantity.from_str("1000"),
        min_price=Price.from_str("0.1"),
        max_price=Price.from_str("1000000"),
        margin_init=Decimal("0.05"),
        margin_maint=Decimal("0.025"),
        ts_event=0,
        ts_init=0,
    )


class W1Strategy:
    """The W1 strategy's quote handler: count and sum float mids."""

    __slots__ = ("count", "mid_sum")

    def __init__(self) -> None:
        self.count = 0
        self.mid_sum = 0.0

    def on_quote(self, quote: QuoteTick) -> None:
        self.count += 1
        self.mid_sum += (quote.bid_price.raw + quote.ask_price.raw) / 2e9


def build_engine() -> tuple[DataEngine, Cache, W1Strategy]:
    """Wire a bus, cache, engine and client, and subscribe the strategy to the quotes."""
    clock = TestClock(T0_NS)
    bus = MessageBus(TraderId("TRADER-001"))
    cache = Cache()
    engine = DataEngine(bus, cache, clock)
    engine.register_client(DataClient(ClientId("SIM"), bus, venue="SIM"))
    engine.process(w1_instrument())
    strategy = W1Strategy()
    bus.subscribe(topics.quotes(IID), strategy.on_quote)
    engine.execute(
        SubscribeQuoteTicks(
            command_id=UUIDFactory(seed=1).generate(),
            ts_init=T0_NS,
            instrument_id=IID,
            subscriber=ComponentId("W1Strategy-001"),
        )
    )
    engine.start()
    return engine, cache, strategy


def check_w1(quotes: list[QuoteTick], total_ticks: int, cache: Cache, s: W1Strategy) -> None:
    """Raise AssertionError unless the W1 validity checks hold."""
    n = len(quotes)
    if s.count != n:
        raise AssertionError(f"strategy saw {s.count} quotes, expected {n}")
    expected = total_ticks / 20
    if abs(s.mid_sum - expected) > 1e-9 * abs(expected):
        raise AssertionError(f"mid sum {s.mid_sum} differs from {expected}")
    reference = W1_REFERENCE.get(n)
    if reference is not None and reference[0] != total_ticks:
        raise AssertionError(f"stream checksum {total_ticks} differs from {reference[0]}")
    last = quotes[-1]
    last_mid = (last.bid_price.raw + last.ask_price.raw) / 2e9
    if reference is not None and last_mid != reference[1]:
        raise AssertionError(f"last mid {last_mid} differs from {reference[1]}")
    if cache.quote_tick(IID) is not last:
        raise AssertionError("the cache's latest quote is not the last quote of the stream")


def run_once(quotes: list[QuoteTick], total_ticks: int) -> float:
    """Process every quote through a fresh engine; return quotes per second."""
    engine, cache, strategy = build_engine()
    process = engine.process
    t_first = time.perf_counter_ns()
    for quote in quotes:
        process(quote)
    t_last = time.perf_counter_ns()
    check_w1(quotes, total_ticks, cache, strategy)
    return len(quotes) / ((t_last - t_first) / 1e9)


def prepare(n: int) -> tuple[list[QuoteTick], int, float]:
    """Build the stream (timed separately) and freeze it out of the cyclic GC."""
    t0 = time.perf_counter_ns()
    quotes, total = build_quotes(n)
    construct_rate = n / ((time.perf_counter_ns() - t0) / 1e9)
    gc.collect()
    gc.freeze()
    return quotes, total, construct_rate


def run(n: int = N, reps: int = REPS) -> Iterator[dict[str, Any]]:
    """Yield the construction rate and the median quote throughput of `reps` runs."""
    quotes, total, construct_rate = prepare(n)
    yield {
        "bench": "data",
        "variant": "quotes_sync",
        "metric": "construct_quotes_per_s",
        "value": round(construct_rate),
        "unit": "quotes/s",
    }
    rates = [run_once(quotes, total) for _ in range(reps)]
    yield {
        "bench": "data",
        "variant": "quotes_sync",
        "metric": "quotes_per_s",
        "value": round(statistics.median(rates)),
        "unit": "quotes/s",
        "min": round(min(rates)),
        "max": round(max(rates)),
        "n": n,
        "reps": reps,
    }
    gc.unfreeze()


def profile(n: int) -> None:
    """Print a cProfile of one run (the profiler inflates the absolute times)."""
    quotes, total, _ = prepare(n)
    profiler = cProfile.Profile()
    profiler.enable()
    run_once(quotes, total)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(12)


def main() -> None:
    """Run from the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--reps", type=int, default=REPS)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        profile(args.n)
        return
    for figure in run(args.n, args.reps):
        print(figure, flush=True)


if __name__ == "__main__":
    main()
