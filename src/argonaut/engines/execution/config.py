"""`ExecEngineConfig`: how the execution engine treats overfills, own books and snapshots."""

from __future__ import annotations

import msgspec


class ExecEngineConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the `ExecutionEngine`.

    `allow_overfills` applies a fill beyond the order quantity (logged as a warning, the
    excess kept in the order's `overfill_qty`) instead of dropping it with an error.
    `manage_own_order_books` keeps the cache's per-instrument own order books in step with
    every order event. `snapshot_positions` keeps a snapshot of a position in the cache
    after each fill that opens, changes or closes it. `debug` logs every command and
    event at DEBUG.
    """

    allow_overfills: bool = False
    manage_own_order_books: bool = False
    snapshot_positions: bool = False
    debug: bool = False
