"""Reconciliation of the node's orders and positions with the venues' reports.

`ExecutionManager` (`argonaut.live.execution_manager`) composes these parts:
`tracking` (per-order bookkeeping), `orders` (a report onto a cached order), `startup`
(a mass status), `positions` (position alignment), `window` (the partial lookback
window), `checks` (the continuous checks) and `ids` (deterministic synthetic ids).
Part of the `live` layer.
"""

from argonaut.live.reconciliation.checks import ContinuousChecks
from argonaut.live.reconciliation.ids import (
    SYNTHETIC_PREFIX,
    is_synthetic,
    stable_digest,
    synthetic_id,
    synthetic_trade_id,
    synthetic_venue_order_id,
)
from argonaut.live.reconciliation.orders import (
    RECONCILIATION_TAG,
    VENUE_TAG,
    OrderReconciler,
    amendment,
    due_post_only,
)
from argonaut.live.reconciliation.positions import PositionReconciler, reconciliation_price
from argonaut.live.reconciliation.result import (
    RECONCILIATION_ALERT_TOPIC,
    ExternalOrder,
    ReconciliationAlert,
    ReconciliationClient,
    ReconciliationResult,
)
from argonaut.live.reconciliation.startup import MassStatusReconciler
from argonaut.live.reconciliation.tracking import ReconTracking
from argonaut.live.reconciliation.window import adjust_for_partial_window, simulate

__all__ = [
    "RECONCILIATION_ALERT_TOPIC",
    "RECONCILIATION_TAG",
    "SYNTHETIC_PREFIX",
    "VENUE_TAG",
    "ContinuousChecks",
    "ExternalOrder",
    "MassStatusReconciler",
    "OrderReconciler",
    "PositionReconciler",
    "ReconTracking",
    "ReconciliationAlert",
    "ReconciliationClient",
    "ReconciliationResult",
    "adjust_for_partial_window",
    "amendment",
    "due_post_only",
    "is_synthetic",
    "reconciliation_price",
    "simulate",
    "stable_digest",
    "synthetic_id",
    "synthetic_trade_id",
    "synthetic_venue_order_id",
]
