"""`retry`: call an async venue operation again after transient failures, with backoff.

The wait before retry ``n`` (1-based) is ``min(max_delay, base_delay * 2**(n-1))``,
shrunk by a random fraction of at most `jitter` drawn from the injected `jitter_rng`
(so a seeded run waits exactly the same), and raised to the venue's
`RateLimited.retry_after` when that is longer: a venue that asks for 30 s gets 30 s
even past `max_delay`, since retrying sooner would only be throttled again. Waits go
through the injected `sleep`, so tests run them in virtual (or no) time.

Only errors in `retry_on` are retried; anything else, and the last error once
`attempts` are used up, propagates unchanged. `asyncio.CancelledError` always
propagates at once, even if `retry_on` would match it.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from argonaut.common.logging import Logger
from argonaut.live.clients.errors import RateLimited, TransientVenueError

__all__ = ["Sleep", "backoff_delay", "retry"]

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]
"""An async sleep in seconds (`asyncio.sleep`, or a `TimeSource.sleep`)."""


def backoff_delay(
    retry_number: int,
    *,
    base_delay: float,
    max_delay: float,
    jitter: float,
    jitter_rng: random.Random,
    error: BaseException | None = None,
) -> float:
    """Return the seconds to wait before retry `retry_number` (1 for the first retry)."""
    delay = min(max_delay, base_delay * 2.0 ** (retry_number - 1))
    if jitter > 0.0:
        delay *= 1.0 - jitter * jitter_rng.random()
    if isinstance(error, RateLimited) and error.retry_after is not None:
        delay = max(delay, error.retry_after)
    return delay


async def retry(
    fn: Callable[[], Awaitable[T]],
    *,
    attempts: int,
    base_delay: float,
    max_delay: float,
    jitter_rng: random.Random,
    sleep: Sleep,
    jitter: float = 0.5,
    retry_on: tuple[type[BaseException], ...] = (TransientVenueError,),
    log: Logger | None = None,
    name: str = "venue call",
) -> T:
    """Await `fn()` up to `attempts` times, sleeping with backoff between failures.

    Raise `ValueError` for a bad schedule (attempts < 1, negative delays, max_delay
    below base_delay, jitter outside [0, 1]).
    """
    if attempts < 1:
        raise ValueError(f"retry of {name}: attempts must be >= 1, found {attempts}")
    if base_delay < 0 or max_delay < base_delay:
        raise ValueError(
            f"retry of {name}: expected 0 <= base_delay <= max_delay, "
            f"found base_delay={base_delay}, max_delay={max_delay}"
        )
    if not 0.0 <= jitter <= 1.0:
        raise ValueError(f"retry of {name}: jitter must be in [0, 1], found {jitter}")
    attempt = 1
    while True:
        try:
            return await fn()
        except asyncio.CancelledError:
            raise
        except retry_on as exc:
            if attempt >= attempts:
                if log is not None:
                    log.warning(f"{name} failed after {attempts} attempts: {exc!r}")
                raise
            delay = backoff_delay(
                attempt,
                base_delay=base_delay,
                max_delay=max_delay,
                jitter=jitter,
                jitter_rng=jitter_rng,
                error=exc,
            )
            if log is not None:
                log.warning(
                    f"{name} failed (attempt {attempt}/{attempts}): {exc!r}; "
                    f"retrying in {delay:.3f}s"
                )
        attempt += 1
        await sleep(delay)
