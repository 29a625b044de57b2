"""`SandboxVenue`: a simulated exchange, pure and synchronous.

Commands go in (`execute`), market data goes in (`process`), time goes in
(`advance_time`); each call returns the venue messages it produced, each stamped with
the time it becomes visible under the latency model. Reports for reconciliation come
from `argonaut.adapters.sandbox.reports` methods mixed in here.

Ids: venue order ids are ``{venue}-{n}``, trade ids ``{venue}-T{n}`` and HEDGING venue
position ids ``{venue}-P{n}``, all from counters that are saved with the state, so a
venue rebuilt from its file continues without collisions. Rejected orders get no venue
order id and are not kept.

Positions: NETTING keeps one position per instrument. HEDGING keeps one per venue
position id: an order submitted with a position id trades that position (a reduce-only
one may only reduce it), any other order opens a new position at its first fill.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TypedDict

from argonaut.adapters.sandbox.accounting import Ledger
from argonaut.adapters.sandbox.config import NANOS_PER_MS, SandboxVenueConfig
from argonaut.adapters.sandbox.matching import MatchingEngine
from argonaut.adapters.sandbox.messages import (
    VenueAccountUpdate,
    VenueCancelRejected,
    VenueMessage,
    VenueModifyRejected,
    VenueOrderAccepted,
    VenueOrderCanceled,
    VenueOrderExpired,
    VenueOrderFilled,
    VenueOrderRejected,
    VenueOrderTriggered,
    VenueOrderUpdated,
)
from argonaut.adapters.sandbox.persistence import VenueState, load_state, save_state
from argonaut.adapters.sandbox.reports import VenueReports
from argonaut.adapters.sandbox.state import SimFill, SimOrder
from argonaut.model.book_data import OrderBookDelta, OrderBookDeltas
from argonaut.model.commands import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    QueryAccount,
    SubmitOrder,
    SubmitOrderList,
    TradingCommand,
)
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import LiquiditySide, OmsType, OrderSide, OrderStatus, TimeInForce
from argonaut.model.events.order import OrderInitialized
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.instruments import Instrument
from argonaut.model.values import Price, Quantity


class _CommandIds(TypedDict):
    trader_id: TraderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    client_order_id: ClientOrderId
    account_id: AccountId
    venue_order_id: VenueOrderId | None


class _OrderIds(TypedDict):
    trader_id: TraderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    client_order_id: ClientOrderId
    account_id: AccountId
    venue_order_id: VenueOrderId


MarketData = QuoteTick | TradeTick | OrderBookDelta | OrderBookDeltas


class SandboxVenue(VenueReports):
    """A simulated venue: matching engines, one account, netting or hedging positions,
    latency.

    Built from a `SandboxVenueConfig`; when `state_file` is set and exists, the saved
    orders, fills, positions, balances and id counters are loaded, and the state is
    saved again after every call that changed it.
    """

    def __init__(self, config: SandboxVenueConfig) -> None:
        self.config = config
        self.venue = config.venue
        self.account_id = config.resolved_account_id
        self.instruments: dict[InstrumentId, Instrument] = {i.id: i for i in config.instruments}
        self.ledger = Ledger(
            config.account_type,
            config.starting_balances,
            maker_fee=config.maker_fee,
            taker_fee=config.taker_fee,
        )
        self.engines = {iid: MatchingEngine(inst, self) for iid, inst in self.instruments.items()}
        self.orders: dict[ClientOrderId, SimOrder] = {}
        self.fills: list[SimFill] = []
        self._by_venue_id: dict[VenueOrderId, SimOrder] = {}
        self.hedging = config.oms_type is OmsType.HEDGING
        self._order_seq = 0
        self._trade_seq = 0
        self._position_seq = 0
        self._report_seq = 0
        self._rng = random.Random(config.seed)
        self._last_visible = 0
        self._out: list[VenueMessage] = []
        self._visible = 0
        self._dirty = False
        self.autosave = True  # False: the owner calls `save` when `unsaved` (batching writes)
        self.unsaved = False
        path = config.state_file
        if path is not None and Path(path).exists():
            self._restore(load_state(path))

    # -- inputs ----------------------------------------------------------------------------

    def execute(self, command: TradingCommand, ts: int) -> list[VenueMessage]:
        """Execute a trading command received at `ts`; return the messages it caused."""
        self._begin(ts)
        if isinstance(command, SubmitOrder):
            self._submit(command.order_init, ts, command.position_id)
        elif isinstance(command, SubmitOrderList):
            for init in command.order_list.orders:
                self._submit(init, ts, command.position_id)
        elif isinstance(command, ModifyOrder):
            self._modify(command, ts)
        elif isinstance(command, CancelOrder):
            self._cancel(command, ts)
        elif isinstance(command, BatchCancelOrders):
            for cancel in command.cancels:
                self._cancel(cancel, ts)
        elif isinstance(command, CancelAllOrders):
            for order in self._engine_orders(command.instrument_id):
                side = command.order_side
                if order.strategy_id == command.strategy_id and (
                    side is OrderSide.NO_ORDER_SIDE or order.side is side
                ):
                    self.engines[order.instrument_id].cancel(order, ts)
        elif isinstance(command, QueryAccount):
            self._dirty = True
        return self._end(ts)

    def process(self, data: MarketData) -> list[VenueMessage]:
        """Apply one market data item to its instrument's book and match against it."""
        ts = data.ts_event
        engine = self.engines.get(data.instrument_id)
        if engine is None:
            raise ValueError(
                f"market data for {data.instrument_id} cannot be processed by venue {self.venue}: "
                f"expected one of {sorted(self.instruments)}"
            )
        self._begin(ts)
        engine.process_time(ts)
        if isinstance(data, QuoteTick):
            engine.process_quote(data)
        elif isinstance(data, TradeTick):
            engine.process_trade(data)
        else:
            engine.process_deltas(data)
        return self._end(ts)

    def advance_time(self, ts: int) -> list[VenueMessage]:
        """Let venue time reach `ts`: expire the GTD and DAY orders that are due."""
        self._begin(ts)
        for engine in self.engines.values():
            engine.process_time(ts)
        return self._end(ts)

    def cancel_at_venue(
        self, client_order_id: ClientOrderId, ts: int, reason: str = "canceled by the venue"
    ) -> list[VenueMessage]:
        """Cancel a working order on the venue's own initiative (nothing when it is unknown
        or closed); return the messages it caused."""
        self._begin(ts)
        order = self.orders.get(client_order_id)
        if order is not None and order.is_open:
            self.engines[order.instrument_id].cancel(order, ts, reason)
        return self._end(ts)

    def account_update(self, ts: int) -> VenueAccountUpdate:
        """Return the account's current balances and margins (visible at once)."""
        open_orders = self.open_orders()
        return VenueAccountUpdate(
            account_id=self.account_id,
            account_type=self.config.account_type,
            base_currency=self.config.base_currency,
            balances=self.ledger.balances(open_orders, self.instruments),
            margins=self.ledger.margins(open_orders, self.instruments),
            ts_event=ts,
            ts_visible=ts,
        )

    def open_orders(self) -> list[SimOrder]:
        """Return every working order, by instrument then time priority."""
        return [o for engine in self.engines.values() for o in engine.open_orders()]

    def save(self) -> None:
        """Save the whole venue state to `state_file` (atomically); no-op without one."""
        path = self.config.state_file
        self.unsaved = False
        if path is None:
            return
        save_state(
            path,
            VenueState(
                venue=self.venue,
                account_id=self.account_id,
                order_seq=self._order_seq,
                trade_seq=self._trade_seq,
                report_seq=self._report_seq,
                orders=list(self.orders.values()),
                fills=list(self.fills),
                positions=list(self.ledger.positions.values()),
                totals=self.ledger.totals(),
                rng_state=list(self._rng.getstate()[1]),
                last_visible=self._last_visible,
                position_seq=self._position_seq,
            ),
        )

    # -- commands --------------------------------------------------------------------------

    def _submit(self, init: OrderInitialized, ts: int, position_id: PositionId | None) -> None:
        inst = self.instruments.get(init.instrument_id)
        if not self.hedging:
            position_id = None
        reason = self._refusal(init, inst, ts, position_id)
        if reason is not None or inst is None:
            self._reject(init, reason or "unknown instrument", ts)
            return
        self._order_seq += 1
        tif = init.time_in_force
        expire_at = init.expire_time_ns if tif is TimeInForce.GTD else None
        if tif is TimeInForce.DAY:
            expire_at = self.config.day_session_end(ts)
        order = SimOrder(
            trader_id=init.trader_id,
            strategy_id=init.strategy_id,
            account_id=self.account_id,
            instrument_id=init.instrument_id,
            client_order_id=init.client_order_id,
            venue_order_id=VenueOrderId(f"{self.venue}-{self._order_seq}"),
            side=init.order_side,
            order_type=init.order_type,
            time_in_force=tif,
            quantity=init.quantity,
            filled_qty=Quantity(0, init.quantity.precision),
            price=init.price,
            trigger_price=init.trigger_price,
            trigger_type=init.trigger_type,
            limit_offset=init.limit_offset,
            trailing_offset=init.trailing_offset,
            trailing_offset_type=init.trailing_offset_type,
            expire_time_ns=init.expire_time_ns if tif is TimeInForce.GTD else None,
            expire_at_ns=expire_at,
            post_only=init.post_only,
            reduce_only=init.reduce_only,
            display_qty=init.display_qty,
            ts_accepted=ts,
            ts_last=ts,
            position_id=position_id,
        )
        engine = self.engines[inst.id]
        refusal = engine.check_submit(order)
        if refusal is None:
            funds = self._funds_refusal(order, inst, engine)
            if funds is not None:
                refusal = (funds, False)
        if refusal is not None:
            self._order_seq -= 1
            self._reject(init, refusal[0], ts, due_post_only=refusal[1])
            return
        self.orders[order.client_order_id] = order
        self._by_venue_id[order.venue_order_id] = order
        self._emit(VenueOrderAccepted(**self._ids(order), ts_event=ts, ts_visible=self._visible))
        self._dirty = True
        engine.add(order, ts)

    def _refusal(
        self,
        init: OrderInitialized,
        inst: Instrument | None,
        ts: int,
        position_id: PositionId | None,
    ) -> str | None:
        if inst is None:
            return (
                f"instrument {init.instrument_id} is not traded on {self.venue}: expected one "
                f"of {sorted(self.instruments)}"
            )
        if init.client_order_id in self.orders:
            return f"client order id {init.client_order_id} is already used at {self.venue}"
        if init.time_in_force in (TimeInForce.AT_THE_OPEN, TimeInForce.AT_THE_CLOSE):
            return f"time in force {init.time_in_force.value} is not supported by {self.venue}"
        if init.quote_quantity:
            return f"quote-quantity orders are not supported by {self.venue}"
        if init.time_in_force is TimeInForce.GTD and (
            init.expire_time_ns is None or init.expire_time_ns <= ts
        ):
            return f"GTD expire time {init.expire_time_ns} is not after venue time {ts}"
        try:
            inst.check_quantity(init.quantity)
            for px in (init.price, init.trigger_price):
                if px is not None:
                    inst.check_price(px)
        except ValueError as e:
            return str(e)
        if (
            init.reduce_only
            and self.ledger.reducible_raw(inst.id, init.order_side, position_id) == 0
        ):
            which = f"position {position_id}" if position_id is not None else "the position"
            if self.hedging and position_id is None:
                which = "a new position (a HEDGING reduce-only order needs a position id)"
            return (
                f"reduce-only {init.order_side.value} {init.client_order_id} would open or "
                f"increase {which} in {inst.id}"
            )
        return None

    def _funds_refusal(
        self, order: SimOrder, inst: Instrument, engine: MatchingEngine
    ) -> str | None:
        price = order.price or order.trigger_price
        if price is None:
            book = engine.book
            price = book.best_ask_price() if order.is_buy else book.best_bid_price()
            price = price or engine.last_px
        need = self.ledger.order_requirement(
            inst, order.side, order.quantity, price, order.reduce_only
        )
        if need is None or not need.raw:
            return None
        free = self.ledger.free(need.currency, self.open_orders(), self.instruments)
        if need.raw > free.raw:
            return f"insufficient balance: the order needs {need} free, {free} is free"
        return None

    def _modify(self, cmd: ModifyOrder, ts: int) -> None:
        order = self._find(cmd.client_order_id, cmd.venue_order_id)
        if order is None or not order.is_open:
            self._emit(
                VenueModifyRejected(
                    **self._command_ids(cmd, order),
                    reason=self._not_open(cmd.client_order_id, order),
                    ts_event=ts,
                    ts_visible=self._visible,
                )
            )
            return
        inst = self.instruments[order.instrument_id]
        try:
            if cmd.quantity is not None:
                inst.check_quantity(cmd.quantity)
            for px in (cmd.price, cmd.trigger_price):
                if px is not None:
                    inst.check_price(px)
            reason = self.engines[inst.id].modify(
                order, cmd.quantity, cmd.price, cmd.trigger_price, ts
            )
        except ValueError as e:
            reason = str(e)
        if reason is not None:
            self._emit(
                VenueModifyRejected(
                    **self._ids(order), reason=reason, ts_event=ts, ts_visible=self._visible
                )
            )

    def _cancel(self, cmd: CancelOrder, ts: int) -> None:
        order = self._find(cmd.client_order_id, cmd.venue_order_id)
        if order is None or not order.is_open:
            self._emit(
                VenueCancelRejected(
                    **self._command_ids(cmd, order),
                    reason=self._not_open(cmd.client_order_id, order),
                    ts_event=ts,
                    ts_visible=self._visible,
                )
            )
            return
        self.engines[order.instrument_id].cancel(order, ts)

    # -- MatchingListener ------------------------------------------------------------------

    def reducible_raw(self, order: SimOrder) -> int:
        """Return how much a reduce-only order may still fill."""
        return self.ledger.reducible_raw(order.instrument_id, order.side, order.position_id)

    def on_fill(
        self, order: SimOrder, price: Price, qty: Quantity, liquidity: LiquiditySide, ts: int
    ) -> None:
        """Book a fill: fee, position, balances, fill record, message."""
        inst = self.instruments[order.instrument_id]
        commission = self.ledger.commission(inst, qty, price, liquidity)
        if self.hedging and order.position_id is None:
            self._position_seq += 1
            order.position_id = PositionId(f"{self.venue}-P{self._position_seq}")
        self.ledger.apply_fill(inst, order.side, qty, price, commission, ts, order.position_id)
        self._trade_seq += 1
        trade_id = TradeId(f"{self.venue}-T{self._trade_seq}")
        self.fills.append(
            SimFill(
                trade_id=trade_id,
                instrument_id=order.instrument_id,
                client_order_id=order.client_order_id,
                venue_order_id=order.venue_order_id,
                side=order.side,
                last_qty=qty,
                last_px=price,
                commission=commission,
                liquidity_side=liquidity,
                ts_event=ts,
                position_id=order.position_id,
            )
        )
        self._emit(
            VenueOrderFilled(
                **self._ids(order),
                trade_id=trade_id,
                order_side=order.side,
                order_type=order.order_type,
                last_qty=qty,
                last_px=price,
                commission=commission,
                liquidity_side=liquidity,
                filled_qty=order.filled_qty,
                leaves_qty=Quantity(max(order.leaves_raw, 0), order.quantity.precision),
                venue_position_id=order.position_id,
                ts_event=ts,
                ts_visible=self._visible,
            )
        )
        self._dirty = True

    def on_triggered(self, order: SimOrder, ts: int) -> None:
        """Announce a limit-kind order's trigger."""
        self._emit(VenueOrderTriggered(**self._ids(order), ts_event=ts, ts_visible=self._visible))

    def on_updated(self, order: SimOrder, ts: int) -> None:
        """Announce a changed quantity, price or trigger price."""
        self._emit(
            VenueOrderUpdated(
                **self._ids(order),
                quantity=order.quantity,
                price=order.price,
                trigger_price=order.trigger_price,
                ts_event=ts,
                ts_visible=self._visible,
            )
        )
        self._dirty = True

    def on_closed(self, order: SimOrder, ts: int) -> None:
        """Announce a cancel or an expiry."""
        if order.status is OrderStatus.EXPIRED:
            self._emit(VenueOrderExpired(**self._ids(order), ts_event=ts, ts_visible=self._visible))
        else:
            self._emit(
                VenueOrderCanceled(
                    **self._ids(order),
                    reason=order.cancel_reason,
                    ts_event=ts,
                    ts_visible=self._visible,
                )
            )
        self._dirty = True

    # -- internals -------------------------------------------------------------------------

    def _begin(self, ts: int) -> None:
        lat = self.config.latency
        jitter = self._rng.randint(0, lat.jitter_ms * NANOS_PER_MS) if lat.jitter_ms else 0
        self._visible = max(ts + lat.fixed_ms * NANOS_PER_MS + jitter, self._last_visible)
        self._out = []
        self._dirty = False

    def _end(self, ts: int) -> list[VenueMessage]:
        out = self._out
        if self._dirty:
            update = self.account_update(ts)
            out.append(
                VenueAccountUpdate(
                    account_id=update.account_id,
                    account_type=update.account_type,
                    base_currency=update.base_currency,
                    balances=update.balances,
                    margins=update.margins,
                    ts_event=ts,
                    ts_visible=self._visible,
                )
            )
            self.unsaved = True
            if self.autosave:
                self.save()
        if out:
            self._last_visible = self._visible
        self._out = []
        return out

    def _emit(self, message: VenueMessage) -> None:
        self._out.append(message)

    def _reject(
        self, init: OrderInitialized, reason: str, ts: int, *, due_post_only: bool = False
    ) -> None:
        self._emit(
            VenueOrderRejected(
                trader_id=init.trader_id,
                strategy_id=init.strategy_id,
                instrument_id=init.instrument_id,
                client_order_id=init.client_order_id,
                account_id=self.account_id,
                venue_order_id=None,
                reason=reason,
                due_post_only=due_post_only,
                ts_event=ts,
                ts_visible=self._visible,
            )
        )

    def _find(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> SimOrder | None:
        order = self.orders.get(client_order_id)
        if order is None and venue_order_id is not None:
            order = self._by_venue_id.get(venue_order_id)
        return order

    def _engine_orders(self, instrument_id: InstrumentId) -> list[SimOrder]:
        engine = self.engines.get(instrument_id)
        return [] if engine is None else engine.open_orders()

    def _ids(self, order: SimOrder) -> _OrderIds:
        return {
            "trader_id": order.trader_id,
            "strategy_id": order.strategy_id,
            "instrument_id": order.instrument_id,
            "client_order_id": order.client_order_id,
            "account_id": self.account_id,
            "venue_order_id": order.venue_order_id,
        }

    def _command_ids(self, cmd: CancelOrder | ModifyOrder, order: SimOrder | None) -> _CommandIds:
        return {
            "trader_id": cmd.trader_id,
            "strategy_id": cmd.strategy_id,
            "instrument_id": cmd.instrument_id,
            "client_order_id": cmd.client_order_id,
            "account_id": self.account_id,
            "venue_order_id": None if order is None else order.venue_order_id,
        }

    @staticmethod
    def _not_open(client_order_id: ClientOrderId, order: SimOrder | None) -> str:
        if order is None:
            return f"order {client_order_id} is unknown at the venue"
        return f"order {client_order_id} is already closed ({order.status.value})"

    def _restore(self, state: VenueState) -> None:
        if state.venue != self.venue or state.account_id != self.account_id:
            raise ValueError(
                f"state file {self.config.state_file} holds venue {state.venue} account "
                f"{state.account_id}: expected venue {self.venue} account {self.account_id}"
            )
        for pos in state.positions:
            if (pos.position_id is not None) != self.hedging:
                saved, now = ("HEDGING", "NETTING") if pos.position_id else ("NETTING", "HEDGING")
                raise ValueError(
                    f"state file {self.config.state_file} holds {saved} positions, but the "
                    f"venue is configured {now}: keep oms_type {saved}, or delete the file to "
                    "start afresh"
                )
        self._order_seq = state.order_seq
        self._trade_seq = state.trade_seq
        self._position_seq = state.position_seq
        self._report_seq = state.report_seq
        self._last_visible = state.last_visible
        self._rng.setstate((3, tuple(state.rng_state), None))
        self.fills = list(state.fills)
        self.ledger = Ledger(
            self.config.account_type,
            state.totals,
            maker_fee=self.config.maker_fee,
            taker_fee=self.config.taker_fee,
        )
        self.ledger.positions = {(p.instrument_id, p.position_id): p for p in state.positions}
        for order in state.orders:
            self.orders[order.client_order_id] = order
            self._by_venue_id[order.venue_order_id] = order
            if order.is_open and order.instrument_id in self.engines:
                self.engines[order.instrument_id].restore(order)


__all__ = ["MarketData", "SandboxVenue"]
