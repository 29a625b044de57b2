"""Client order id and order list id generators.

Ids have the form ``{prefix}-{YYYYMMDD}-{HHMMSS}-{trader tag}-{strategy tag}-{count}``
(UTC, from the injected clock), e.g. ``O-20240102-030405-001-000-7``. The count makes
them unique per trader and strategy even within one second; after a restart the
strategy restores it from the ids of its cached orders (`max_count`), so an id is never
reused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from argonaut.common.clock import Clock
from argonaut.core.nanos import NANOS_PER_SECOND, nanos_to_datetime
from argonaut.model.identifiers import ClientOrderId, OrderListId, StrategyId, TraderId

_new = str.__new__
_Id = TypeVar("_Id", ClientOrderId, OrderListId)


class _IdGenerator(Generic[_Id]):
    """Build ids ``{prefix}-{date}-{time}-{trader tag}-{strategy tag}-{count}``."""

    __slots__ = ("_clock", "_count", "_head", "_kind", "_last_second", "_stamp", "_tags", "prefix")

    def __init__(
        self,
        prefix: str,
        kind: type[_Id],
        trader_id: TraderId,
        strategy_id: StrategyId,
        clock: Clock,
        *,
        initial_count: int = 0,
    ) -> None:
        self.prefix = prefix
        self._kind: type[_Id] = kind
        self._tags = f"{trader_id.get_tag()}-{strategy_id.get_tag()}"
        self._clock = clock
        self._count = 0
        self._last_second = -1
        self._stamp = ""
        self._head = ""
        self.set_count(initial_count)

    @property
    def count(self) -> int:
        """The count of the last id generated (0 before the first)."""
        return self._count

    def set_count(self, count: int) -> None:
        """Set the count so the next id has count ``count + 1``."""
        if type(count) is not int or count < 0:
            raise ValueError(f"id count must be an int >= 0, found {count!r}")
        self._count = count

    def reset(self) -> None:
        """Set the count back to 0."""
        self._count = 0

    def generate(self, now_ns: int | None = None) -> _Id:
        """Return the next id, stamped with `now_ns` (default: the clock's time)."""
        if now_ns is None:
            now_ns = self._clock.timestamp_ns()
        second = now_ns // NANOS_PER_SECOND
        if second != self._last_second:  # format the date and time once per second
            self._last_second = second
            self._stamp = nanos_to_datetime(now_ns).strftime("%Y%m%d-%H%M%S")
            self._head = f"{self.prefix}-{self._stamp}-{self._tags}-"
        count = self._count = self._count + 1
        # Valid by construction (a prefix, digits and the tags of two validated ids).
        return _new(self._kind, f"{self._head}{count}")

    def count_of(self, value: str) -> int | None:
        """Return the count of an id this generator could have made, else None."""
        head, _, tail = value.rpartition("-")
        if not tail.isdigit() or not head.startswith(f"{self.prefix}-"):
            return None
        if not head.endswith(f"-{self._tags}"):
            return None
        return int(tail)

    def max_count(self, values: Iterable[str]) -> int:
        """Return the highest count among `values` made with these tags (0 if none)."""
        best = 0
        for value in values:
            count = self.count_of(value)
            if count is not None and count > best:
                best = count
        return best


class ClientOrderIdGenerator(_IdGenerator[ClientOrderId]):
    """Generate client order ids ``O-{YYYYMMDD}-{HHMMSS}-{trader}-{strategy}-{count}``."""

    __slots__ = ()

    def __init__(
        self, trader_id: TraderId, strategy_id: StrategyId, clock: Clock, *, initial_count: int = 0
    ) -> None:
        super().__init__(
            "O", ClientOrderId, trader_id, strategy_id, clock, initial_count=initial_count
        )


class OrderListIdGenerator(_IdGenerator[OrderListId]):
    """Generate order list ids ``OL-{YYYYMMDD}-{HHMMSS}-{trader}-{strategy}-{count}``."""

    __slots__ = ()

    def __init__(
        self, trader_id: TraderId, strategy_id: StrategyId, clock: Clock, *, initial_count: int = 0
    ) -> None:
        super().__init__(
            "OL", OrderListId, trader_id, strategy_id, clock, initial_count=initial_count
        )


__all__ = ["ClientOrderIdGenerator", "OrderListIdGenerator"]
