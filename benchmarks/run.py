"""Run Argonaut's benchmarks and print one JSON line per figure.

Usage: ``python benchmarks/run.py [NAME ...]`` where NAME is a suite (``model``, ``bus``,
``data``, ``W1``, ``W2``, ``W3``); no name runs them all. Every figure is printed as
``{"bench": ..., "variant": ..., "metric": ..., "value": ..., "unit": ...}`` and appended
to ``benchmarks/results.jsonl``. Figures are medians over several repetitions.
Benchmarks never assert: they measure.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.jsonl"

# suite name -> module in this folder exposing `run() -> Iterator[dict]`
SUITES: dict[str, str] = {
    "model": "bench_model",
    "data": "bench_data",
    "cache": "bench_cache",
    "bus": "bench_bus",
    "channels": "bench_channels",
    "W2sync": "bench_w2sync",
    "db": "bench_db",
    "W1": "bench_w1",
    "W2": "bench_w2",
    "W3": "bench_w3",
}


def _suites(names: list[str]) -> list[str]:
    if not names:
        return list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise SystemExit(f"unknown benchmark {unknown}: choose from {', '.join(SUITES)}")
    return names


def main(argv: list[str]) -> int:
    """Run the named suites (all when none) and print their figures."""
    sys.path.insert(0, str(HERE))
    meta = {"python": platform.python_version(), "machine": platform.machine()}
    with RESULTS.open("a", encoding="utf-8") as out:
        for name in _suites(argv):
            module = importlib.import_module(SUITES[name])
            run: Callable[[], Iterator[dict[str, Any]]] = module.run
            for figure in run():
                line = json.dumps(figure)
                print(line, flush=True)
                out.write(json.dumps({**figure, **meta}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
