from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.maintenance import TICK_SECS, MaintenanceSchedule


class _Time:
    """A hand-driven time source (only what `run_due` reads)."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now

    def time_ns(self) -> int:
        return round(self.now * 1e9)

    async def sleep(self, seconds: float) -> None:
        self.now += seconds

    def call_later(self, seconds: float, fn: Callable[[], object]) -> Any:
        raise NotImplementedError


class _Manager:
    """Records each maintenance call; a reconciliation check 'takes' `recon_secs`."""

    def __init__(self, time: _Time, recon_secs: float = 0.0) -> None:
        self.time = time
        self.recon_secs = recon_secs
        self.calls: list[tuple[str, float]] = []

    async def run_reconciliation_checks(self, now_ns: int) -> None:
        self.calls.append(("reconciliation_checks", self.time.now))
        self.time.now += self.recon_secs

    def purge_closed_orders(self) -> None:
        self.calls.append(("purge_closed_orders", self.time.now))

    def purge_closed_positions(self) -> None:
        self.calls.append(("purge_closed_positions", self.time.now))

    def purge_account_events(self) -> None:
        self.calls.append(("purge_account_events", self.time.now))

    def prune_recent_fills_cache(self, ttl_secs: float) -> None:
        self.calls.append(("prune_recent_fills", ttl_secs))


def _kernel(calls: list[str]) -> Any:
    return SimpleNamespace(cache=SimpleNamespace(audit_own_order_books=lambda: calls.append("a")))


def _intervals(schedule: MaintenanceSchedule) -> dict[str, float | None]:
    return {task.name: task.interval for task in schedule.tasks}


def test_defaults_then_inflight_check_and_fills_prune_enabled_rest_disabled() -> None:
    schedule = MaintenanceSchedule(LiveExecEngineConfig(), now=0.0, has_exec_clients=True)
    assert _intervals(schedule) == {
        "reconciliation_checks": 2.0,
        "purge_closed_orders": None,
        "purge_closed_positions": None,
        "purge_account_events": None,
        "own_books_audit": None,
        "prune_recent_fills": 60.0,
    }
    disabled = [t for t in schedule.tasks if not t.enabled]
    assert all(t.next_at == float("inf") for t in disabled)


def test_reconciliation_interval_is_the_smallest_enabled_check_interval() -> None:
    config = LiveExecEngineConfig(
        inflight_check_interval_ms=3_000,
        open_check_interval_secs=1.5,
        position_check_interval_secs=9,
    )
    schedule = MaintenanceSchedule(config, now=0.0, has_exec_clients=True)
    assert schedule.reconciliation.interval == 1.5


def test_reconciliation_when_every_check_disabled_or_no_exec_client_then_disabled() -> None:
    off = LiveExecEngineConfig(inflight_check_interval_ms=0)
    assert not MaintenanceSchedule(off, now=0.0, has_exec_clients=True).reconciliation.enabled
    on = LiveExecEngineConfig()
    assert not MaintenanceSchedule(on, now=0.0, has_exec_clients=False).reconciliation.enabled


@pytest.mark.parametrize(("reconciliation", "first"), [(True, 10.0 + 7.0 + 2.0), (False, 12.0)])
def test_first_run_comes_after_the_reconciliation_startup_delay(
    reconciliation: bool, first: float
) -> None:
    config = LiveExecEngineConfig(
        reconciliation=reconciliation, reconciliation_startup_delay_secs=7.0
    )
    schedule = MaintenanceSchedule(config, now=10.0, has_exec_clients=True)
    assert schedule.reconciliation.next_at == first


def test_intervals_under_the_tick_are_rounded_up_to_it() -> None:
    config = LiveExecEngineConfig(inflight_check_interval_ms=20, own_books_audit_interval_secs=0.01)
    schedule = MaintenanceSchedule(config, now=0.0, has_exec_clients=True)
    assert schedule.reconciliation.interval == TICK_SECS
    assert schedule.own_books.interval == TICK_SECS


def test_purge_intervals_are_minutes() -> None:
    config = LiveExecEngineConfig(
        purge_closed_orders_interval_mins=1,
        purge_closed_positions_interval_mins=2,
        purge_account_events_interval_mins=3,
        own_books_audit_interval_secs=30,
    )
    intervals = _intervals(MaintenanceSchedule(config, now=0.0, has_exec_clients=True))
    assert intervals["purge_closed_orders"] == 60.0
    assert intervals["purge_closed_positions"] == 120.0
    assert intervals["purge_account_events"] == 180.0
    assert intervals["own_books_audit"] == 30.0


def test_run_due_fires_each_task_on_its_own_next_time_and_never_a_disabled_one() -> None:
    config = LiveExecEngineConfig(
        reconciliation=False,
        inflight_check_interval_ms=1_000,
        purge_closed_orders_interval_mins=1,
        own_books_audit_interval_secs=30,
    )
    time = _Time()
    schedule = MaintenanceSchedule(config, now=0.0, has_exec_clients=True)
    manager = _Manager(time)
    audits: list[str] = []
    ran: dict[str, int] = {}

    async def tick_for(seconds: float) -> None:
        steps = round(seconds / TICK_SECS)
        for _ in range(steps):
            time.now = round(time.now + TICK_SECS, 9)
            for name in await schedule.run_due(time, manager, _kernel(audits)):
                ran[name] = ran.get(name, 0) + 1

    asyncio.run(tick_for(120.0))
    assert ran == {
        "reconciliation_checks": 120,
        "purge_closed_orders": 2,
        "own_books_audit": 4,
        "prune_recent_fills": 2,
    }
    assert len(audits) == 4
    assert {t.name: t.run_count for t in schedule.tasks}["purge_closed_positions"] == 0


def test_run_due_when_nothing_due_then_nothing_runs() -> None:
    time = _Time(0.05)
    schedule = MaintenanceSchedule(LiveExecEngineConfig(), now=0.0, has_exec_clients=True)
    manager = _Manager(time)
    assert asyncio.run(schedule.run_due(time, manager, _kernel([]))) == []
    assert manager.calls == []


def test_run_due_when_a_task_awaited_the_venue_then_time_is_read_again() -> None:
    config = LiveExecEngineConfig(
        reconciliation=False, inflight_check_interval_ms=1_000, own_books_audit_interval_secs=2
    )
    time = _Time(1.0)
    schedule = MaintenanceSchedule(config, now=0.0, has_exec_clients=True)
    manager = _Manager(time, recon_secs=1.5)  # the venue takes 1.5 s to answer
    audits: list[str] = []
    ran = asyncio.run(schedule.run_due(time, manager, _kernel(audits)))
    # The audit (due at 2.0) became due while the venue answered: it runs in the same pass.
    assert ran == ["reconciliation_checks", "own_books_audit"]
    assert schedule.reconciliation.next_at == pytest.approx(2.5 + 1.0)  # from the new now
    assert schedule.own_books.next_at == pytest.approx(2.5 + 2.0)
