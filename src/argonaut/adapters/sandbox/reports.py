"""Reports for reconciliation, built as the model's report types from the venue state.

Report ids are derived from the venue name, the seed and a saved counter (no OS
randomness), so a seeded venue reports identically on every run.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from argonaut.adapters.sandbox.accounting import Ledger
from argonaut.adapters.sandbox.config import SandboxVenueConfig
from argonaut.adapters.sandbox.state import SimFill, SimOrder
from argonaut.core.uuid import UUID4
from argonaut.model.enums import PositionSide
from argonaut.model.identifiers import AccountId, ClientId, ClientOrderId, InstrumentId, Venue
from argonaut.model.instruments import Instrument
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import Quantity


class VenueReports:
    """Report builders over the venue's orders, fills and positions (a mixin)."""

    config: SandboxVenueConfig
    venue: Venue
    account_id: AccountId
    instruments: dict[InstrumentId, Instrument]
    ledger: Ledger
    orders: dict[ClientOrderId, SimOrder]
    fills: list[SimFill]
    _report_seq: int

    def order_status_reports(
        self, *, ts_init: int, open_only: bool = False, instrument_id: InstrumentId | None = None
    ) -> list[OrderStatusReport]:
        """Return a report per order (working ones only with `open_only`), oldest first."""
        return [
            self.order_status_report(order, ts_init=ts_init)
            for order in self.orders.values()
            if (not open_only or order.is_open)
            and (instrument_id is None or order.instrument_id == instrument_id)
        ]

    def order_status_report(self, order: SimOrder, *, ts_init: int) -> OrderStatusReport:
        """Return the report of one venue order."""
        return OrderStatusReport(
            account_id=self.account_id,
            instrument_id=order.instrument_id,
            venue_order_id=order.venue_order_id,
            client_order_id=order.client_order_id,
            order_side=order.side,
            order_type=order.order_type,
            time_in_force=order.time_in_force,
            order_status=order.status,
            quantity=order.quantity,
            filled_qty=order.filled_qty,
            avg_px=order.avg_px(),
            price=order.price,
            trigger_price=order.trigger_price,
            trigger_type=order.trigger_type,
            limit_offset=order.limit_offset,
            trailing_offset=order.trailing_offset,
            trailing_offset_type=order.trailing_offset_type,
            display_qty=order.display_qty,
            post_only=order.post_only,
            reduce_only=order.reduce_only,
            cancel_reason=order.cancel_reason,
            expire_time_ns=order.expire_time_ns,
            ts_accepted=order.ts_accepted,
            ts_triggered=order.ts_triggered,
            ts_last=order.ts_last,
            ts_init=ts_init,
            report_id=self._next_report_id(),
        )

    def fill_reports(
        self,
        *,
        ts_init: int,
        since_ns: int | None = None,
        instrument_id: InstrumentId | None = None,
    ) -> list[FillReport]:
        """Return the fills at or after `since_ns` (all when None), oldest first."""
        return [
            FillReport(
                account_id=self.account_id,
                instrument_id=fill.instrument_id,
                venue_order_id=fill.venue_order_id,
                client_order_id=fill.client_order_id,
                trade_id=fill.trade_id,
                order_side=fill.side,
                last_qty=fill.last_qty,
                last_px=fill.last_px,
                commission=fill.commission,
                liquidity_side=fill.liquidity_side,
                ts_event=fill.ts_event,
                ts_init=ts_init,
                report_id=self._next_report_id(),
                venue_position_id=fill.position_id,
            )
            for fill in self.fills
            if (since_ns is None or fill.ts_event >= since_ns)
            and (instrument_id is None or fill.instrument_id == instrument_id)
        ]

    def position_reports(
        self, *, ts_init: int, instrument_id: InstrumentId | None = None
    ) -> list[PositionStatusReport]:
        """Return every position ever held, FLAT included: one per instrument under
        NETTING, one per venue position id (`venue_position_id`) under HEDGING."""
        out: list[PositionStatusReport] = []
        for (iid, position_id), pos in self.ledger.positions.items():
            if instrument_id is not None and iid != instrument_id:
                continue
            q = pos.signed_raw
            side = PositionSide.LONG if q > 0 else PositionSide.SHORT
            if q == 0:
                side = PositionSide.FLAT
            avg = None
            if q:
                avg = Decimal(pos.avg_num) / Decimal(pos.avg_den) / Decimal(1_000_000_000)
            out.append(
                PositionStatusReport(
                    account_id=self.account_id,
                    instrument_id=iid,
                    position_side=side,
                    quantity=Quantity(abs(q), pos.size_precision),
                    avg_px_open=avg,
                    ts_last=pos.ts_last,
                    ts_init=ts_init,
                    report_id=self._next_report_id(),
                    venue_position_id=position_id,
                )
            )
        return out

    def mass_status(
        self, client_id: ClientId, *, ts_init: int, since_ns: int | None = None
    ) -> ExecutionMassStatus:
        """Return every order (changed at or after `since_ns`), fill and position."""
        status = ExecutionMassStatus(
            client_id=client_id,
            account_id=self.account_id,
            venue=self.venue,
            report_id=self._next_report_id(),
            ts_init=ts_init,
        )
        status.add_order_reports(
            r
            for r in self.order_status_reports(ts_init=ts_init)
            if since_ns is None or r.ts_last >= since_ns
        )
        status.add_fill_reports(self.fill_reports(ts_init=ts_init, since_ns=since_ns))
        status.add_position_reports(self.position_reports(ts_init=ts_init))
        return status

    def _next_report_id(self) -> UUID4:
        self._report_seq += 1
        key = f"{self.venue}:{self.config.seed}:{self._report_seq}".encode()
        return UUID4.from_int(int.from_bytes(hashlib.blake2b(key, digest_size=16).digest()))
