"""Live engine configs (`LiveExecEngineConfig`, `LiveDataEngineConfig`,
`LiveRiskEngineConfig`) and the field checks every live config shares.

Each live engine config subclasses its engine's base config, so the engine accepts it as
is, and adds the options of the live runner (queues, reconciliation, purges). Every
config checks all of its fields in `__post_init__` and raises one `FieldErrors` listing
each problem as ``field: what was expected, found what`` on its own line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Literal

import msgspec

from argonaut.common.errors import ConfigError
from argonaut.engines.data.config import DataEngineConfig
from argonaut.engines.execution.config import ExecEngineConfig
from argonaut.engines.risk.config import RiskEngineConfig, parse_notional, parse_rate
from argonaut.model.identifiers import ClientId, ClientOrderId, Identifier, InstrumentId

DEFAULT_QSIZE = 100_000


class FieldErrors(ConfigError):
    """A `ConfigError` listing ``(field, message)`` pairs, one line each.

    The loader prefixes each field with the path of the struct that raised it, so a
    nested problem reads ``exec_engine.inflight_check_interval_ms: must be >= 0, found -5``.
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"{field}: {message}" for field, message in errors))


def raise_errors(errors: list[tuple[str, str]]) -> None:
    """Raise `FieldErrors` if `errors` is not empty."""
    if errors:
        raise FieldErrors(errors)


def check_number(
    errors: list[tuple[str, str]],
    field: str,
    value: object,
    *,
    minimum: float = 0,
    strict: bool = False,
) -> None:
    """Append an error unless `value` is None or a finite number >= `minimum` (> if strict)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append((field, f"must be a number, found {value!r}"))
        return
    if not math.isfinite(value):
        errors.append((field, f"must be a finite number, found {value!r}"))
        return
    if strict and value <= minimum:
        errors.append((field, f"must be > {minimum:g}, found {value!r}"))
    elif value < minimum:
        errors.append((field, f"must be >= {minimum:g}, found {value!r}"))


def check_numbers(
    errors: list[tuple[str, str]],
    struct: msgspec.Struct,
    names: Iterable[str],
    *,
    minimum: float = 0,
    strict: bool = False,
) -> None:
    """Apply `check_number` to each named field of `struct`."""
    for name in names:
        check_number(errors, name, getattr(struct, name), minimum=minimum, strict=strict)


def duration_fields(struct: msgspec.Struct) -> list[str]:
    """Return the names of `struct`'s fields holding a duration (by their unit suffix)."""
    suffixes = ("_ns", "_ms", "_secs", "_mins")
    prefixes = ("timeout_", "delay_")
    return [
        name
        for name in struct.__struct_fields__
        if name.endswith(suffixes) or name.startswith(prefixes)
    ]


def check_ids(
    errors: list[tuple[str, str]],
    field: str,
    values: Iterable[str] | None,
    parse: Callable[[str], Identifier],
) -> None:
    """Append an error for each entry of `values` that `parse` refuses."""
    for i, value in enumerate(values or ()):
        try:
            parse(value)
        except (TypeError, ValueError) as e:
            errors.append((f"{field}[{i}]", str(e)))


class LiveExecEngineConfig(ExecEngineConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the live execution engine and its `ExecutionManager`.

    Reconciliation (DESIGN.md section 4): `reconciliation` runs the startup mass status
    over `reconciliation_lookback_mins` (None = as far as the venue allows), then waits
    `reconciliation_startup_delay_secs` **after** it before the continuous checks start.
    In-flight checks run every `inflight_check_interval_ms` (0 disables) on orders older
    than `inflight_check_threshold_ms`, `inflight_check_retries` times before resolution.
    Open-order checks (`open_check_*`, None/0 disables) and position checks
    (`position_check_*`) poll the venue. Purges (`purge_*_interval_mins`, None disables)
    remove closed orders/positions older than the buffer. Durations are named by unit.

    Our decisions: `fail_closed` (on by default): when startup reconciliation cannot
    verify a venue (client error or timeout, a client not reached, an unresolved
    discrepancy) the node's trading state becomes `fail_closed_state` for the whole
    node: ``REDUCING`` (only position-reducing orders), ``HALTED`` (no orders) or
    ``OFF`` (log the ERROR only, trade anyway); an ERROR and a `ReconciliationAlert` say
    why, and a later check that verifies every venue drops the reason (ACTIVE unless
    another holds, see `argonaut.live.trading_state`). In open-only mode
    (`open_check_open_only`) an order missing from the venue's open list is queried once
    after `open_check_missing_retries` misses and reconciled from the answer; "not found"
    is only logged there (full-history mode resolves it).
    """

    load_cache: bool = True
    snapshot_orders: bool = False
    snapshot_positions_interval_secs: float | None = None
    external_clients: list[str] | None = None
    purge_closed_orders_interval_mins: int | None = None
    purge_closed_orders_buffer_mins: int | None = None
    purge_closed_positions_interval_mins: int | None = None
    purge_closed_positions_buffer_mins: int | None = None
    purge_account_events_interval_mins: int | None = None
    purge_account_events_lookback_mins: int | None = None
    purge_from_database: bool = False
    reconciliation: bool = True
    reconciliation_lookback_mins: int | None = None
    reconciliation_instrument_ids: list[str] | None = None
    filter_unclaimed_external_orders: bool = False
    filter_position_reports: bool = False
    filtered_client_order_ids: list[str] | None = None
    generate_missing_orders: bool = True
    inflight_check_interval_ms: int = 2_000
    inflight_check_threshold_ms: int = 5_000
    inflight_check_retries: int = 5
    own_books_audit_interval_secs: float | None = None
    open_check_interval_secs: float | None = None
    open_check_open_only: bool = True
    open_check_lookback_mins: int = 60
    open_check_threshold_ms: int = 5_000
    open_check_missing_retries: int = 5
    max_single_order_queries_per_cycle: int = 10
    single_order_query_delay_ms: int = 100
    position_check_interval_secs: float | None = None
    position_check_lookback_mins: int = 60
    position_check_threshold_ms: int = 5_000
    position_check_retries: int = 3
    reconciliation_startup_delay_secs: float = 10.0
    qsize: int = DEFAULT_QSIZE
    graceful_shutdown_on_exception: bool = False
    fail_closed: bool = True
    fail_closed_state: Literal["REDUCING", "HALTED", "OFF"] = "REDUCING"

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        check_numbers(errors, self, duration_fields(self))
        check_numbers(errors, self, ("inflight_check_retries", "open_check_missing_retries"))
        check_numbers(errors, self, ("position_check_retries",))
        check_numbers(errors, self, ("max_single_order_queries_per_cycle", "qsize"), minimum=1)
        check_ids(errors, "external_clients", self.external_clients, ClientId)
        check_ids(
            errors,
            "reconciliation_instrument_ids",
            self.reconciliation_instrument_ids,
            InstrumentId,
        )
        check_ids(
            errors, "filtered_client_order_ids", self.filtered_client_order_ids, ClientOrderId
        )
        if self.fail_closed_state not in ("REDUCING", "HALTED", "OFF"):
            errors.append(
                (
                    "fail_closed_state",
                    f"must be 'REDUCING', 'HALTED' or 'OFF', found {self.fail_closed_state!r}",
                )
            )
        raise_errors(errors)


class LiveDataEngineConfig(DataEngineConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the live data engine: the base `DataEngineConfig` plus the live queues.

    `time_bars_interval_type` is ``left-open`` (start excluded, end included) or
    ``right-open``; `time_bars_origin_offset` maps a bar aggregation name (e.g.
    ``MINUTE``) to an origin offset in nanoseconds. `emit_quotes_from_book*` derive quotes
    from book updates; `external_clients` are fed from outside, so commands to them are
    not forwarded. `qsize` bounds each of the engine's queues.
    """

    time_bars_interval_type: Literal["left-open", "right-open"] = "left-open"
    time_bars_origin_offset: dict[str, int] | None = None
    emit_quotes_from_book: bool = False
    emit_quotes_from_book_depths: bool = False
    external_clients: list[str] | None = None
    qsize: int = DEFAULT_QSIZE
    graceful_shutdown_on_exception: bool = False

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        check_numbers(errors, self, duration_fields(self))
        check_numbers(errors, self, ("qsize",), minimum=1)
        check_ids(errors, "external_clients", self.external_clients, ClientId)
        for name, offset in (self.time_bars_origin_offset or {}).items():
            check_number(errors, f"time_bars_origin_offset[{name!r}]", offset)
        if self.time_bars_interval_type not in ("left-open", "right-open"):
            errors.append(
                (
                    "time_bars_interval_type",
                    f"must be 'left-open' or 'right-open', found {self.time_bars_interval_type!r}",
                )
            )
        raise_errors(errors)


class LiveRiskEngineConfig(RiskEngineConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the live risk engine: the base `RiskEngineConfig` plus its queue size."""

    qsize: int = DEFAULT_QSIZE
    graceful_shutdown_on_exception: bool = False

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        for name in ("max_order_submit_rate", "max_order_modify_rate"):
            try:
                parse_rate(getattr(self, name), name)
            except ConfigError as e:
                errors.append((name, str(e)))
        for key, value in self.max_notional_per_order.items():
            try:
                parse_notional(key, value)
            except ConfigError as e:
                errors.append((f"max_notional_per_order[{key!r}]", str(e)))
        check_numbers(errors, self, ("qsize",), minimum=1)
        raise_errors(errors)


__all__ = [
    "DEFAULT_QSIZE",
    "FieldErrors",
    "LiveDataEngineConfig",
    "LiveExecEngineConfig",
    "LiveRiskEngineConfig",
    "check_ids",
    "check_number",
    "check_numbers",
    "duration_fields",
    "raise_errors",
]
