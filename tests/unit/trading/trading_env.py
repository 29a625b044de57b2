"""A node without engines for trading-layer tests: real bus, cache and test clock, with
recording handlers on the engine endpoints (the seam these tests observe)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.logging import LoggingConfig, LogSystem, MemorySink
from argonaut.core.uuid import UUIDFactory
from argonaut.model.identifiers import TraderId
from argonaut.testkit import btcusdt_perp
from argonaut.trading import Trader

T0 = 1_704_164_645_000_000_000  # 2024-01-02 03:04:05 UTC
SEC = 1_000_000_000

ENDPOINTS = (
    topics.DATA_ENGINE_EXECUTE,
    topics.DATA_ENGINE_REQUEST,
    topics.RISK_ENGINE_EXECUTE,
    topics.EXEC_ENGINE_EXECUTE,
    topics.EXEC_ENGINE_PROCESS,
    topics.ORDER_EMULATOR_EXECUTE,
)


class Env:
    def __init__(self, log_system: LogSystem, sink: MemorySink) -> None:
        self.log_system = log_system
        self.sink = sink
        self.clock = TestClock(T0)
        self.uuids = UUIDFactory(seed=1)
        self.trader_id = TraderId("TRADER-001")
        self.bus = MessageBus(self.trader_id)
        self.cache = Cache()
        self.instrument = btcusdt_perp()
        self.cache.add_instrument(self.instrument)
        self.sent: dict[str, list[Any]] = {e: [] for e in ENDPOINTS}
        for endpoint in ENDPOINTS:
            self.bus.register(endpoint, self.sent[endpoint].append)
        self.trader = Trader(
            self.trader_id,
            self.bus,
            self.cache,
            self.clock,
            log_system,
            uuid_factory=self.uuids,
        )

    def run_to(self, ts: int) -> None:
        for handler in self.clock.advance_time(ts):
            handler.handle()

    def errors(self) -> list[str]:
        assert self.log_system.flush()
        return [r.message for r in self.sink.records if r.level >= 40]

    def error_texts(self) -> list[str]:
        assert self.log_system.flush()
        return [f"{r.message}\n{r.exc_text or ''}" for r in self.sink.records if r.level >= 40]


@pytest.fixture
def env() -> Iterator[Env]:
    """Yield a fresh `Env` (import this fixture in conftest.py)."""
    sink = MemorySink()
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(T0), sinks=[sink]) as system:
        yield Env(system, sink)
