"""Deterministic synthetic identifiers for reconciliation-generated facts.

When reconciliation must invent an id (an inferred fill's trade id, a synthetic order's
venue order id), the id is a pure function of the logical event it names, never of a
counter, a clock read or a random source. Replaying the same venue reports (a second
startup on the same mass status, a restart after a crash) therefore produces the same
ids, and the order model's trade-id de-duplication drops the replay instead of applying
it twice (live-behaviour 3.11.4).

Form: ``S-{ts_event as hex}-{digest}``, where the digest is the first 16 hex digits of a
BLAKE2b hash of the parts joined by ``|``. The ``S-`` prefix marks an id as synthetic.
"""

from __future__ import annotations

from enum import Enum
from hashlib import blake2b

from argonaut.model.identifiers import (
    AccountId,
    InstrumentId,
    TradeId,
    VenueOrderId,
)

SYNTHETIC_PREFIX = "S-"


def stable_digest(*parts: object) -> str:
    """Return 16 hex digits identifying `parts` (stable across processes and versions).

    Each part is rendered with `str`, so identifiers, ints and enums (by value) all work;
    None renders as ``None``. The parts are joined by ``|``.
    """
    text = "|".join(str(p.value) if isinstance(p, Enum) else str(p) for p in parts)
    return blake2b(text.encode(), digest_size=8).hexdigest()


def synthetic_id(ts_event: int, *parts: object) -> str:
    """Return ``S-{ts_event:x}-{digest}``: a deterministic id for one logical event."""
    return f"{SYNTHETIC_PREFIX}{ts_event:x}-{stable_digest(*parts)}"


def is_synthetic(value: str) -> bool:
    """Return True when `value` is an id made by `synthetic_id`."""
    return value.startswith(SYNTHETIC_PREFIX)


def synthetic_trade_id(
    *,
    account_id: AccountId,
    instrument_id: InstrumentId,
    venue_order_id: VenueOrderId,
    filled_qty_raw: int,
    last_qty_raw: int,
    last_px_raw: int,
    ts_event: int,
) -> TradeId:
    """Return the trade id of an inferred fill that takes the order to `filled_qty_raw`.

    The cumulative filled quantity identifies the fill: the same report seen again infers
    the same fill with the same trade id, which the order then refuses as a duplicate.
    """
    return TradeId(
        synthetic_id(
            ts_event,
            "fill",
            account_id,
            instrument_id,
            venue_order_id,
            filled_qty_raw,
            last_qty_raw,
            last_px_raw,
        )
    )


def synthetic_venue_order_id(
    *,
    account_id: AccountId,
    instrument_id: InstrumentId,
    ts_event: int,
    tag: str,
    parts: tuple[object, ...] = (),
) -> VenueOrderId:
    """Return the venue order id of a synthetic (position-alignment) order.

    `tag` tells apart the orders one logical event produces (e.g. ``CLOSE`` and ``OPEN``
    legs of a cross-zero alignment); `parts` add whatever else identifies the event
    (side, quantity raw, price raw...).
    """
    return VenueOrderId(synthetic_id(ts_event, "order", account_id, instrument_id, tag, *parts))


__all__ = [
    "SYNTHETIC_PREFIX",
    "is_synthetic",
    "stable_digest",
    "synthetic_id",
    "synthetic_trade_id",
    "synthetic_venue_order_id",
]
