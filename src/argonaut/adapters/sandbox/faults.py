"""Fault injection for the sandbox venue: seeded, configurable, and scriptable from tests.

What can go wrong, and what the client sees:

- **acks and fills** (`VenueOrderAccepted` / `VenueOrderFilled` messages): *dropped*
  (never delivered; the venue state is unaffected, so reports still show the truth),
  *delayed* (delivered `delay_secs` late, out of order), or *duplicated* (delivered
  twice).
- **rejects**: a share of submitted orders is refused before it reaches the book.
- **venue-side cancels**: every `cancel_every_secs` the venue cancels one of the
  working orders (chosen by the seeded generator).
- **disconnects**: every `disconnect_every_secs` the connection drops for
  `disconnect_for_secs`; the clients see the drop, reconnect with backoff, re-subscribe
  and resync; venue messages due while the link is down are lost.
- **stale data**: every `stale_every_secs` the feed freezes for `stale_for_secs` (no
  market data, and the book does not move), then resumes where it stopped.
- **gapped data**: every `gap_every_secs` the clients miss `gap_for_secs` of market
  data while the market keeps moving (and matching) at the venue.

Probabilities are in ``[0, 1]``; periods are seconds (None disables). The same seed
gives the same faults for the same sequence of messages. `FaultInjector` also has a
programmatic API (`drop_next`, `delay_next`, `duplicate_next`, `reject_next`) that
takes precedence over the probabilities, for tests that need one exact fault.
"""

from __future__ import annotations

import random
from enum import Enum

import msgspec

__all__ = ["Delivery", "FaultConfig", "FaultInjector", "MessageKind"]


class MessageKind(Enum):
    """The venue messages faults apply to."""

    ACK = "ack"
    FILL = "fill"


class Delivery(Enum):
    """What happens to one venue message."""

    DELIVER = "deliver"
    DROP = "drop"
    DELAY = "delay"
    DUPLICATE = "duplicate"


_PROBABILITIES = (
    "drop_acks",
    "delay_acks",
    "duplicate_acks",
    "drop_fills",
    "delay_fills",
    "duplicate_fills",
    "reject_orders",
)
_PERIODS = (
    "cancel_every_secs",
    "disconnect_every_secs",
    "stale_every_secs",
    "gap_every_secs",
)
_DURATIONS = ("delay_secs", "disconnect_for_secs", "stale_for_secs", "gap_for_secs")


class FaultConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which faults the sandbox injects (see the module docstring); all off by default.

    `seed` None uses the venue's seed.
    """

    seed: int | None = None
    drop_acks: float = 0.0
    delay_acks: float = 0.0
    duplicate_acks: float = 0.0
    drop_fills: float = 0.0
    delay_fills: float = 0.0
    duplicate_fills: float = 0.0
    delay_secs: float = 1.0
    reject_orders: float = 0.0
    cancel_every_secs: float | None = None
    disconnect_every_secs: float | None = None
    disconnect_for_secs: float = 5.0
    stale_every_secs: float | None = None
    stale_for_secs: float = 5.0
    gap_every_secs: float | None = None
    gap_for_secs: float = 5.0

    def __post_init__(self) -> None:
        for name in _PROBABILITIES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"faults.{name} must be a probability in [0, 1], found {value}")
        for kind in ("acks", "fills"):
            total = sum(getattr(self, f"{what}_{kind}") for what in ("drop", "delay", "duplicate"))
            if total > 1.0:
                raise ValueError(
                    f"faults: drop_{kind} + delay_{kind} + duplicate_{kind} must be <= 1, "
                    f"found {total}"
                )
        for name in _PERIODS:
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"faults.{name} must be > 0 seconds or None, found {value}")
        for name in _DURATIONS:
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"faults.{name} must be > 0 seconds, found {value}")

    @property
    def any_periodic(self) -> bool:
        """Whether a timed fault (cancel, disconnect, stale, gap) is configured."""
        return any(getattr(self, name) is not None for name in _PERIODS)


class FaultInjector:
    """Decides, message by message, what the sandbox does wrong (seeded).

    Scripted faults (`drop_next`, ...) are consumed first, in the order given; then the
    configured probabilities apply.
    """

    def __init__(self, config: FaultConfig, seed: int) -> None:
        self.config = config
        self.rng = random.Random(config.seed if config.seed is not None else seed)
        self._scripted: dict[MessageKind, list[tuple[Delivery, float]]] = {
            MessageKind.ACK: [],
            MessageKind.FILL: [],
        }
        self._rejects: list[str] = []
        self.counts: dict[str, int] = {}

    # -- programmatic API ----------------------------------------------------------------

    def drop_next(self, kind: MessageKind | str, count: int = 1) -> None:
        """Drop the next `count` messages of `kind` (``"ack"`` or ``"fill"``)."""
        self._script(kind, Delivery.DROP, count, 0.0)

    def delay_next(self, kind: MessageKind | str, seconds: float, count: int = 1) -> None:
        """Deliver the next `count` messages of `kind` `seconds` late."""
        if not seconds > 0:
            raise ValueError(f"a delay must be > 0 seconds, found {seconds}")
        self._script(kind, Delivery.DELAY, count, seconds)

    def duplicate_next(self, kind: MessageKind | str, count: int = 1) -> None:
        """Deliver the next `count` messages of `kind` twice."""
        self._script(kind, Delivery.DUPLICATE, count, 0.0)

    def reject_next(self, count: int = 1, reason: str = "rejected by fault injection") -> None:
        """Reject the next `count` submitted orders with `reason`."""
        self._rejects.extend([reason] * count)

    def _script(self, kind: MessageKind | str, what: Delivery, count: int, seconds: float) -> None:
        if count < 1:
            raise ValueError(f"count must be >= 1, found {count}")
        self._scripted[MessageKind(kind)].extend([(what, seconds)] * count)

    # -- decisions -------------------------------------------------------------------------

    def decide(self, kind: MessageKind) -> tuple[Delivery, float]:
        """Return what happens to the next message of `kind`, and the delay in seconds."""
        scripted = self._scripted[kind]
        if scripted:
            decision = scripted.pop(0)
        else:
            decision = self._draw(kind)
        if decision[0] is not Delivery.DELIVER:
            key = f"{decision[0].value}_{kind.value}"
            self.counts[key] = self.counts.get(key, 0) + 1
        return decision

    def _draw(self, kind: MessageKind) -> tuple[Delivery, float]:
        cfg = self.config
        if kind is MessageKind.ACK:
            drop, delay, dup = cfg.drop_acks, cfg.delay_acks, cfg.duplicate_acks
        else:
            drop, delay, dup = cfg.drop_fills, cfg.delay_fills, cfg.duplicate_fills
        if not (drop or delay or dup):
            return (Delivery.DELIVER, 0.0)
        x = self.rng.random()
        if x < drop:
            return (Delivery.DROP, 0.0)
        if x < drop + delay:
            return (Delivery.DELAY, cfg.delay_secs)
        if x < drop + delay + dup:
            return (Delivery.DUPLICATE, 0.0)
        return (Delivery.DELIVER, 0.0)

    def rejection(self) -> str | None:
        """Return a reason when the next submitted order is to be rejected, else None."""
        if self._rejects:
            reason = self._rejects.pop(0)
        elif self.config.reject_orders and self.rng.random() < self.config.reject_orders:
            reason = "rejected by fault injection (faults.reject_orders)"
        else:
            return None
        self.counts["reject"] = self.counts.get("reject", 0) + 1
        return reason
