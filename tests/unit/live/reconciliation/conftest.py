from __future__ import annotations

from collections.abc import Iterator

import pytest
from recon_env import Env

from argonaut.common.clock import TestClock
from argonaut.common.logging import LoggingConfig, LogSystem, MemorySink
from argonaut.testkit import TS


@pytest.fixture
def logs() -> Iterator[tuple[LogSystem, MemorySink]]:
    sink = MemorySink()
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(TS), sinks=[sink]) as system:
        yield system, sink


@pytest.fixture
def env(logs: tuple[LogSystem, MemorySink]) -> Env:
    return Env(*logs)


@pytest.fixture
def make_env(logs: tuple[LogSystem, MemorySink]) -> object:
    def build(**config: object) -> Env:
        return Env(*logs, **config)

    return build
