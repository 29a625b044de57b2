"""`ExecutionReports`: the venue report API of a live execution client.

The reconciliation asks a client for the venue's truth through these async methods;
venue clients override them. The defaults report nothing, and `generate_mass_status`
composes the three list calls into one `ExecutionMassStatus`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.core.uuid import UUIDFactory
from argonaut.model.commands.reports import (
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
)
from argonaut.model.identifiers import AccountId, ClientId, Venue
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)

__all__ = ["ExecutionReports"]

_NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND


class ExecutionReports:
    """Mixin: the async report methods (override the `generate_*` of your venue)."""

    client_id: ClientId
    venue: Venue | None
    _account_id: AccountId
    _clock: Clock
    _uuids: UUIDFactory
    _log: Logger

    async def generate_order_status_report(
        self, command: GenerateOrderStatusReport
    ) -> OrderStatusReport | None:
        """Return the venue's report of one order, or None when it does not know it."""
        return None

    async def generate_order_status_reports(
        self, command: GenerateOrderStatusReports
    ) -> list[OrderStatusReport]:
        """Return the venue's order reports for the request's window and filters."""
        return []

    async def generate_fill_reports(self, command: GenerateFillReports) -> list[FillReport]:
        """Return the venue's fill reports for the request's window and filters."""
        return []

    async def generate_position_status_reports(
        self, command: GeneratePositionStatusReports
    ) -> list[PositionStatusReport]:
        """Return the venue's position reports."""
        return []

    async def generate_mass_status(
        self, lookback_mins: int | None = None
    ) -> ExecutionMassStatus | None:
        """Return the orders, fills and positions the venue reports over the lookback.

        The default runs the three list calls concurrently and merges them; it returns
        None (and logs) when one of them fails. `lookback_mins` None or 0: no limit.
        """
        now = self._clock.timestamp_ns()
        start_ns = now - lookback_mins * _NANOS_PER_MINUTE if lookback_mins else None
        common: dict[str, Any] = {"ts_init": now, "client_id": self.client_id}
        try:
            orders, fills, positions = await asyncio.gather(
                self.generate_order_status_reports(
                    GenerateOrderStatusReports(
                        command_id=self._uuids.generate(), start_ns=start_ns, **common
                    )
                ),
                self.generate_fill_reports(
                    GenerateFillReports(
                        command_id=self._uuids.generate(), start_ns=start_ns, **common
                    )
                ),
                self.generate_position_status_reports(
                    GeneratePositionStatusReports(command_id=self._uuids.generate(), **common)
                ),
            )
        except Exception as exc:
            self._log.exception(f"Cannot generate the mass status: {exc!r}", exc)
            return None
        mass_status = ExecutionMassStatus(
            client_id=self.client_id,
            account_id=self._account_id,
            venue=self.venue if self.venue is not None else Venue(str(self.client_id)),
            report_id=self._uuids.generate(),
            ts_init=now,
        )
        dropped = len(mass_status.add_order_reports(orders))
        dropped += len(mass_status.add_fill_reports(fills))
        dropped += len(mass_status.add_position_reports(positions))
        if dropped:
            self._log.warning(f"Mass status: discarded {dropped} duplicate reports")
        return mass_status
