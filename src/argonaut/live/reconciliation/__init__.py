"""Reconciliation of the node's orders and positions with the venues' reports.

`ExecutionManager` (`argonaut.live.execution_manager`) composes these parts:
`tracking` (per-order bookkeeping), `orders` (a report onto a cached order), `startup`
(a mass status), `checks` (the continuous checks) and `ids` (deterministic synthetic
ids). Part of the `live` layer.
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
from argonaut.live.reconciliation.orders import RECONCILIATION_TAG, OrderReconciler, due_post_only
from argonaut.live.reconciliation.result import (
    ExternalOrder,
    ReconciliationClient,
    ReconciliationResult,
)
from argonaut.live.reconciliation.startup import MassStatusReconciler
from argonaut.live.reconciliation.tracking import ReconTracking

__all__ = [
    "RECONCILIATION_TAG",
    "SYNTHETIC_PREFIX",
    "ContinuousChecks",
    "ExternalOrder",
    "MassStatusReconciler",
    "OrderReconciler",
    "ReconTracking",
    "ReconciliationClient",
    "ReconciliationResult",
    "due_post_only",
    "is_synthetic",
    "stable_digest",
    "synthetic_id",
    "synthetic_trade_id",
    "synthetic_venue_order_id",
]
