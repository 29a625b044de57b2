"""The kernel's collector policy while the trader runs."""

from __future__ import annotations

import gc

import pytest

from argonaut.common.clock import TestClock
from argonaut.common.logging import LoggingConfig
from argonaut.system import Kernel, KernelConfig


def _kernel(threshold: int | None) -> Kernel:
    config = KernelConfig(
        logging=LoggingConfig(log_level="ERROR"), seed=1, gc_gen0_threshold=threshold
    )
    return Kernel(config, clock=TestClock())


def test_start_trader_when_threshold_set_then_gen0_raised_until_stop_trader() -> None:
    before = gc.get_threshold()
    kernel = _kernel(12_345)
    kernel.start()
    try:
        assert gc.get_threshold() == (12_345, before[1], before[2])
    finally:
        kernel.stop_trader()
    assert gc.get_threshold() == before
    kernel.dispose()


def test_start_trader_when_threshold_none_then_collector_untouched() -> None:
    before = gc.get_threshold()
    kernel = _kernel(None)
    kernel.start()
    assert gc.get_threshold() == before
    kernel.dispose()
    assert gc.get_threshold() == before


def test_dispose_when_trader_running_then_threshold_restored() -> None:
    before = gc.get_threshold()
    kernel = _kernel(40_000)
    kernel.start()
    kernel.dispose()
    assert gc.get_threshold() == before


@pytest.mark.parametrize("bad", [0, -5])
def test_kernel_config_when_threshold_below_one_then_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="gc_gen0_threshold must be an int >= 1 or None"):
        KernelConfig(gc_gen0_threshold=bad)
