"""W1 quote throughput on the full `LiveNode` (WORKLOAD.md), C = 1000 and C = 1.

    .venv/bin/python benchmarks/bench_w1.py            # both variants, 3 fresh processes each
    .venv/bin/python benchmarks/bench_w1.py --one chunk 1000 - [N]   # one run (child)

The data client hands the 1,000,000 pre-built quotes to the node with `_handle_data`,
C per event-loop turn; quotes/s = N / (t_last - t_first), where t_first is read just
before the first hand-over and t_last by the strategy on the N-th quote. Each figure
is the median of the runs (min and max alongside); the harness is `live_bench`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from live_bench import child_main, figures, run_children

VARIANTS = (1000, 1)


def run() -> Iterator[dict[str, Any]]:
    """Yield quotes_per_s (and the separate construction rate) for C = 1000 and C = 1."""
    for chunk in VARIANTS:
        results = run_children("bench_w1", "chunk", chunk, orders=False)
        yield from figures(
            "W1",
            f"C={chunk}",
            results,
            [("quotes_per_s", "quotes/s"), ("construct_quotes_per_s", "quotes/s")],
        )


def main(argv: list[str]) -> int:
    if "--one" in argv:
        return child_main(argv)
    for fig in run():
        print(fig, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
