"""W2 tick-to-order latency on the full `LiveNode` (WORKLOAD.md), saturated and idle feeds.

    .venv/bin/python benchmarks/bench_w2.py            # both feeds, 3 fresh processes each
    .venv/bin/python benchmarks/bench_w2.py --one chunk 1 orders [N]   # one W2-sat run
    .venv/bin/python benchmarks/bench_w2.py --one idle 1 orders [N]    # one W2-idle run
    .venv/bin/python benchmarks/bench_w2.py --one chunk 1 orders [N] --persist wb|wa|wac

Every 100th quote makes the strategy submit one LIMIT order (risk engine on, throttle
100,000/s). Latency = the clock read first thing in the execution client's
`submit_order` minus the read just before the trigger quote was handed over.
``sat``: C = 1, continuous; ``idle``: quotes 1..99 of each block of 100 in one go,
sleep 1 ms, the trigger quote, sleep 1 ms. Figures are medians of the runs' p50, p90,
p99 and max (min and max alongside); the harness is `live_bench`. ``sat-wb`` and
``sat-wa`` repeat W2-sat with a SQLite cache database (write-behind only, and with
write-ahead ownership in journal mode: the order is journaled before the submit reaches
the client); ``sat-wac`` in commit mode (the submit waits for its order's commit).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from live_bench import child_main, figures, run_children

# (variant, feed, persistence): ``-wb`` adds a SQLite cache database written behind,
# ``-wa`` write-ahead ownership in journal mode (docs/persistence.md), ``-wac`` in
# commit mode (every submit waits for the commit of its order).
FEEDS = (
    ("sat", "chunk", None),
    ("idle", "idle", None),
    ("sat-wb", "chunk", "wb"),
    ("sat-wa", "chunk", "wa"),
    ("sat-wac", "chunk", "wac"),
)
LATENCY = [("p50_us", "us"), ("p90_us", "us"), ("p99_us", "us"), ("max_us", "us")]
# The saturated feed's throughput is a figure too; the idle feed's is set by its sleeps.
SAT = [*LATENCY, ("quotes_per_s", "quotes/s")]
# The journal's own cost per submitted order, timed in the run (write-ahead, journal mode).
JOURNAL = [("journal_append_p50_us", "us"), ("journal_append_p99_us", "us")]
METRICS = {"sat": SAT, "idle": LATENCY, "sat-wb": SAT, "sat-wa": [*SAT, *JOURNAL], "sat-wac": SAT}


def run() -> Iterator[dict[str, Any]]:
    """Yield p50/p90/p99/max latency figures for W2-sat and W2-idle."""
    for variant, feed, persist in FEEDS:
        results = run_children("bench_w2", feed, 1, orders=True, persist=persist)
        yield from figures("W2", variant, results, METRICS[variant])


def main(argv: list[str]) -> int:
    if "--one" in argv:
        return child_main(argv)
    for fig in run():
        print(fig, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
