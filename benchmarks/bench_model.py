"""Foundation figures: value arithmetic, QuoteTick construction, MessagePack round trip."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price

REPS = 5


def _rate(fn: Callable[[int], None], n: int) -> float:
    """Return the median operations per second of `fn(n)` over REPS runs."""
    rates = []
    gc.collect()
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn(n)
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def _price_add_compare(n: int) -> None:
    a = Price.from_str("50000.1")
    b = Price.from_str("0.1")
    for _ in range(n):
        c = a + b
        c < a  # noqa: B015


def _quote_construct(n: int) -> None:
    from argonaut.model.data import QuoteTick

    iid = InstrumentId("BTCUSDT-PERP.SIM")
    from_raw = QuoteTick.from_raw
    for i in range(n):
        from_raw(
            iid, 500_000_000_000_000 + i, 500_001_000_000_000 + i, 1_000_000, 2_000_000, 1, 3, i, i
        )


def _quote_msgpack_round_trip(n: int) -> None:
    from argonaut.model.data import QuoteTick
    from argonaut.model.serialization import MsgPackSerializer

    ser = MsgPackSerializer()
    quote = QuoteTick.from_raw(
        InstrumentId("BTCUSDT-PERP.SIM"),
        500_000_000_000_000,
        500_001_000_000_000,
        1_000_000,
        2_000_000,
        1,
        3,
        1,
        2,
    )
    encode = ser.encode
    decode = ser.decode
    for _ in range(n):
        decode(encode(quote))


def run() -> Iterator[dict[str, Any]]:
    """Yield the foundation figures."""
    yield {
        "bench": "model",
        "variant": "Price",
        "metric": "add_compare_per_s",
        "value": round(_rate(_price_add_compare, 1_000_000)),
        "unit": "ops/s",
    }
    yield {
        "bench": "model",
        "variant": "QuoteTick.from_raw",
        "metric": "constructions_per_s",
        "value": round(_rate(_quote_construct, 500_000)),
        "unit": "ops/s",
    }
    yield {
        "bench": "model",
        "variant": "QuoteTick msgpack",
        "metric": "round_trips_per_s",
        "value": round(_rate(_quote_msgpack_round_trip, 200_000)),
        "unit": "ops/s",
    }
