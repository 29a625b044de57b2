"""The node's maintenance dispatcher: periodic tasks on one coarse 100 ms timer.

Each task has its own interval and next-fire time: reconciliation checks (dispatched at
the smallest enabled interval among the in-flight, open-order and position checks),
purges of closed orders, closed positions and account events, the own-order-book audit,
and the recent-fills de-dup cache prune (every 60 s). Every task's first run comes
`reconciliation_startup_delay_secs` after startup reconciliation (when reconciliation is
on). Intervals under the 100 ms tick are rounded up to it; a disabled task never fires;
time is read again after a task that awaited the venue.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.timesource import TimeSource

TICK_SECS = 0.1
_FILLS_PRUNE_SECS = 60.0


class MaintenanceTask:
    """One periodic task: `interval` seconds (None: disabled) and its next fire time."""

    __slots__ = ("awaits_venue", "interval", "name", "next_at", "run_count")

    def __init__(self, name: str, interval: float | None, start: float, awaits_venue: bool):
        self.name = name
        self.interval = None if interval is None else max(interval, TICK_SECS)
        self.next_at = float("inf") if self.interval is None else start + self.interval
        self.awaits_venue = awaits_venue
        self.run_count = 0

    @property
    def enabled(self) -> bool:
        """Whether the task ever fires."""
        return self.interval is not None


def _positive(value: float | int | None, scale: float = 1.0) -> float | None:
    return None if value is None or value <= 0 else float(value) * scale


class MaintenanceSchedule:
    """Which maintenance task is due when; see the module docstring."""

    def __init__(self, config: LiveExecEngineConfig, *, now: float, has_exec_clients: bool) -> None:
        delay = config.reconciliation_startup_delay_secs if config.reconciliation else 0.0
        start = now + delay
        checks = [
            _positive(config.inflight_check_interval_ms, 0.001),
            _positive(config.open_check_interval_secs),
            _positive(config.position_check_interval_secs),
        ]
        enabled = [c for c in checks if c is not None]
        recon = min(enabled) if enabled and has_exec_clients else None
        self.reconciliation = MaintenanceTask("reconciliation_checks", recon, start, True)
        self.purge_orders = MaintenanceTask(
            "purge_closed_orders",
            _positive(config.purge_closed_orders_interval_mins, 60),
            start,
            False,
        )
        self.purge_positions = MaintenanceTask(
            "purge_closed_positions",
            _positive(config.purge_closed_positions_interval_mins, 60),
            start,
            False,
        )
        self.purge_accounts = MaintenanceTask(
            "purge_account_events",
            _positive(config.purge_account_events_interval_mins, 60),
            start,
            False,
        )
        self.own_books = MaintenanceTask(
            "own_books_audit", _positive(config.own_books_audit_interval_secs), start, False
        )
        self.prune_fills = MaintenanceTask("prune_recent_fills", _FILLS_PRUNE_SECS, start, False)

    @property
    def tasks(self) -> tuple[MaintenanceTask, ...]:
        """Every task, in dispatch order."""
        return (
            self.reconciliation,
            self.purge_orders,
            self.purge_positions,
            self.purge_accounts,
            self.own_books,
            self.prune_fills,
        )

    async def run_due(self, time: TimeSource, exec_manager: Any, kernel: Any) -> list[str]:
        """Run every task that is due now; return their names."""
        actions: dict[str, Callable[[], Awaitable[Any] | Any]] = {
            "reconciliation_checks": lambda: exec_manager.run_reconciliation_checks(time.time_ns()),
            "purge_closed_orders": exec_manager.purge_closed_orders,
            "purge_closed_positions": exec_manager.purge_closed_positions,
            "purge_account_events": exec_manager.purge_account_events,
            "own_books_audit": kernel.cache.audit_own_order_books,
            "prune_recent_fills": lambda: exec_manager.prune_recent_fills_cache(_FILLS_PRUNE_SECS),
        }
        ran: list[str] = []
        now = time.monotonic()
        for task in self.tasks:
            if task.interval is None or now < task.next_at:
                continue
            outcome = actions[task.name]()
            if task.awaits_venue and outcome is not None and hasattr(outcome, "__await__"):
                await outcome
                now = time.monotonic()  # the venue took time: read it again
            task.next_at = now + task.interval
            task.run_count += 1
            ran.append(task.name)
        return ran
