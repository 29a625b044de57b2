"""Handoff cost of the live node's channels, on a running asyncio loop (asserts nothing).

    .venv/bin/python benchmarks/run.py channels

Figures are the median nanoseconds per message over REPS runs:
- `deque` append + popleft: the floor (REFERENCE_RESULTS: about 40 ns).
- `Channel` send_nowait + drain in batches of 1000, and send_nowait + popleft one by one.
- `ChannelSet` ping-pong: a consumer task parked in `wait()`, woken for every message
  (one loop turn per message, the idle-node case).
- `asyncio.Queue` put_nowait + get_nowait: the reference's per-message handoff.
- `Channel.send_threadsafe` from a producer thread to the loop consumer.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from argonaut.live.channels import Channel, ChannelSet

REPS = 5
BATCH = 1000


def _ns_per_msg(fn: Callable[[int], None], n: int) -> float:
    """Return the median ns per message of `fn(n)` over REPS runs."""
    samples = []
    gc.collect()
    for _ in range(REPS):
        t0 = time.perf_counter_ns()
        fn(n)
        samples.append((time.perf_counter_ns() - t0) / n)
    return statistics.median(samples)


def _deque_floor(n: int) -> None:
    d: deque[int] = deque()
    append = d.append
    popleft = d.popleft
    for i in range(n):
        append(i)
        popleft()


def _channel_batch(n: int) -> None:
    ch: Channel[int] = Channel("bench")
    send = ch.send_nowait
    drain = ch.drain
    for _ in range(n // BATCH):
        for i in range(BATCH):
            send(i)
        drain()


def _channel_one_by_one(n: int) -> None:
    ch: Channel[int] = Channel("bench")
    send = ch.send_nowait
    popleft = ch.popleft
    for i in range(n):
        send(i)
        popleft()


def _queue_one_by_one(n: int) -> None:
    q: asyncio.Queue[int] = asyncio.Queue()
    put = q.put_nowait
    get = q.get_nowait
    for i in range(n):
        put(i)
        get()


async def _ping_pong(n: int) -> float:
    channels: ChannelSet[Any, Any, Any, int, Any] = ChannelSet()
    data = channels.data_events
    done = asyncio.Event()

    async def consumer() -> None:
        seen = 0
        while seen < n:
            await channels.wait()
            seen += len(data.drain())
        done.set()

    task = asyncio.create_task(consumer())
    await asyncio.sleep(0)
    t0 = time.perf_counter_ns()
    for i in range(n):
        data.send_nowait(i)
        await asyncio.sleep(0)  # let the consumer run: one wake-up per message
    await done.wait()
    elapsed = time.perf_counter_ns() - t0
    await task
    return elapsed / n


async def _threadsafe(n: int) -> float:
    ch: Channel[int] = Channel("bench")
    ch.bind(asyncio.get_running_loop())

    def produce() -> None:
        send = ch.send_threadsafe
        for i in range(n):
            send(i)

    t0 = time.perf_counter_ns()
    thread = threading.Thread(target=produce)
    thread.start()
    seen = 0
    while seen < n:
        await ch.wait()
        seen += len(ch.drain())
    elapsed = time.perf_counter_ns() - t0
    thread.join()
    return elapsed / n


def _on_loop(n: int) -> dict[str, float]:
    async def main() -> dict[str, float]:
        figures = {
            "deque append+popleft": _ns_per_msg(_deque_floor, n),
            "Channel send_nowait+drain(batch 1000)": _ns_per_msg(_channel_batch, n),
            "Channel send_nowait+popleft": _ns_per_msg(_channel_one_by_one, n),
            "asyncio.Queue put_nowait+get_nowait": _ns_per_msg(_queue_one_by_one, n),
        }
        figures["ChannelSet wake per message (loop turn)"] = statistics.median(
            [await _ping_pong(n // 10) for _ in range(REPS)]
        )
        figures["Channel send_threadsafe from a thread"] = statistics.median(
            [await _threadsafe(n // 10) for _ in range(REPS)]
        )
        return figures

    return asyncio.run(main())


def run() -> Iterator[dict[str, Any]]:
    """Yield the channel handoff figures."""
    for variant, ns in _on_loop(1_000_000).items():
        yield {
            "bench": "channels",
            "variant": variant,
            "metric": "ns_per_msg",
            "value": round(ns, 1),
            "unit": "ns",
        }


if __name__ == "__main__":
    for figure in run():
        print(figure)
