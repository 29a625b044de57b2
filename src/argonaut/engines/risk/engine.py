"""`RiskEngine`: pre-trade checks between the strategies and the execution engine.

`execute(command)` (endpoint ``RiskEngine.execute``): SubmitOrder, SubmitOrderList and
ModifyOrder go through the checks; every other command (cancels, queries) is sent on
to ``ExecEngine.execute`` at once. With ``bypass=True`` everything is sent on unchecked.

Submit checks, in this order (the first failure denies):

1. reduce-only: with a `position_id`, that position must exist (`POSITION_NOT_FOUND`);
   the order must not open or increase the position (with no `position_id`, the net
   open position of the strategy on the instrument) -> `REDUCE_ONLY_WOULD_INCREASE_POSITION`;
2. the instrument is in the cache -> `INSTRUMENT_NOT_FOUND`;
3. price and trigger price: precision, on the tick grid, positive (unless the
   instrument allows negative prices), within min/max price;
4. quantity: precision, on the size step, positive, within min/max (quote-quantity
   orders: positive only, their converted quantity is checked in step 6);
5. GTD: the expire time is in the future (`EXPIRE_TIME_IN_PAST`);
6. account level, over the whole order or list: quote-quantity conversion at the touch
   or last trade (`NO_PRICE_FOR_QUOTE_QUANTITY` without one), notional against
   `max_notional_per_order` and the instrument's min/max notional, and for a cash
   account (without borrowing) the free balance, per order and cumulatively;
7. trading state: HALTED denies (`TRADING_HALTED`); REDUCING denies a BUY while the
   instrument is net long and a SELL while net short (`TRADING_STATE_REDUCING`);
8. submit throttle -> `RATE_LIMIT_EXCEEDED`.

A denial is an `OrderDenied` per order (only for orders still INITIALIZED) sent to
``ExecEngine.process``; one failing order of a list denies every order of the list.
The order must already be in the cache (the strategy adds it); an order that is not
is added and denied (`ORDER_NOT_FOUND`). Modify checks: the order exists (else an
error is logged), is not closed or pending cancel, its instrument exists, the new
values pass steps 3-4, HALTED rejects, REDUCING rejects a quantity increase that grows
exposure, then the modify throttle; a failure is an `OrderModifyRejected` sent to
``ExecEngine.process``. Reasons read ``CODE: key=value ...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.component import Component
from argonaut.common.logging import Logger
from argonaut.core.fixed import raw_to_str
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.risk.checks import (
    SUPPORTED_TRAILING_OFFSETS,
    InstrumentRules,
    blame,
    check_account_level,
)
from argonaut.engines.risk.config import RiskEngineConfig, parse_notional
from argonaut.engines.risk.throttle import Throttler
from argonaut.model.commands.trading import (
    ModifyOrder,
    SubmitOrder,
    SubmitOrderList,
    TradingCommand,
)
from argonaut.model.enums import OrderSide, OrderStatus, OrderType, TimeInForce, TradingState
from argonaut.model.events.order import OrderDenied, OrderInitialized, OrderModifyRejected
from argonaut.model.events.risk import TradingStateChanged
from argonaut.model.identifiers import ClientId, InstrumentId, PositionId, StrategyId
from argonaut.model.orders import Order

_BUY = OrderSide.BUY
_SELL = OrderSide.SELL
_INITIALIZED = OrderStatus.INITIALIZED
_ACTIVE = TradingState.ACTIVE
_HALTED = TradingState.HALTED
_GTD = TimeInForce.GTD
_TRAILING_STOP_MARKET = OrderType.TRAILING_STOP_MARKET
_TRAILING_STOP_LIMIT = OrderType.TRAILING_STOP_LIMIT


class RiskEngine(Component):
    """The node's risk engine; see the module docstring. Registers its bus endpoints."""

    def __init__(
        self,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        *,
        config: RiskEngineConfig | None = None,
        logger: Logger | None = None,
        uuid_factory: UUIDFactory,
    ) -> None:
        super().__init__("RiskEngine", clock, msgbus, logger)
        self.config = config if config is not None else RiskEngineConfig()
        self._msgbus = msgbus
        self._cache = cache
        self._uuids = uuid_factory
        self._bypass = self.config.bypass
        self._debug = self.config.debug
        self._caps: dict[InstrumentId, Decimal] = self.config.notional_caps()
        self._rules: dict[InstrumentId, InstrumentRules] = {}
        self._submit_rate = self.config.max_order_submit_rate
        self._modify_rate = self.config.max_order_modify_rate
        limit, interval = self.config.submit_rate()
        self.submit_throttler = Throttler(limit, interval, clock, name="submit")
        limit, interval = self.config.modify_rate()
        self.modify_throttler = Throttler(limit, interval, clock, name="modify")
        self._trading_state = _ACTIVE
        self.command_count = 0
        self.event_count = 0
        self.denied_count = 0
        msgbus.register(topics.RISK_ENGINE_EXECUTE, self.execute)
        msgbus.register(topics.RISK_ENGINE_PROCESS, self.process)

    # -- state -------------------------------------------------------------------------

    @property
    def trading_state(self) -> TradingState:
        """The current trading state (ACTIVE at start)."""
        return self._trading_state

    def set_trading_state(self, state: TradingState, reason: str = "") -> None:
        """Change the trading state and publish `TradingStateChanged` on ``events.risk``.

        Setting the current state again changes nothing and logs a warning.
        """
        if not isinstance(state, TradingState):
            raise TypeError(f"state must be a TradingState, found {type(state).__name__}")
        if state is self._trading_state:
            self.log.warning(f"trading state is already {state.value}: nothing changed")
            return
        self._trading_state = state
        now = self.clock.timestamp_ns()
        event = TradingStateChanged(
            trader_id=self._msgbus.trader_id,
            state=state,
            reason=reason,
            event_id=self._uuids.generate(),
            ts_event=now,
            ts_init=now,
        )
        self.log.info(f"trading state set to {state.value}" + (f": {reason}" if reason else ""))
        self._msgbus.publish(topics.risk_events(), event)

    def max_notional_per_order(self, instrument_id: InstrumentId) -> Decimal | None:
        """Return the notional cap of one order on `instrument_id`, if any."""
        return self._caps.get(instrument_id)

    def set_max_notional_per_order(
        self, instrument_id: InstrumentId, amount: Decimal | str | None
    ) -> None:
        """Set (or with None remove) the notional cap of one order on `instrument_id`."""
        if amount is None:
            self._caps.pop(instrument_id, None)
        else:
            iid, value = parse_notional(str(instrument_id), str(amount))
            self._caps[iid] = value
        self._rules.pop(instrument_id, None)

    def _on_reset(self) -> None:
        self._rules.clear()
        self.submit_throttler.reset()
        self.modify_throttler.reset()
        self._trading_state = _ACTIVE
        self.command_count = 0
        self.event_count = 0
        self.denied_count = 0

    # -- endpoints -----------------------------------------------------------------------

    def execute(self, command: TradingCommand) -> None:
        """Check a trading command and send it on, or deny / reject it."""
        self.command_count += 1
        if self._debug:
            self.log.debug(f"<--[CMD] {command!r}")
        if self._bypass:
            self._msgbus.send(topics.EXEC_ENGINE_EXECUTE, command)
            return
        if type(command) is SubmitOrder:
            self._submit_order(command)
        elif type(command) is SubmitOrderList:
            self._submit_order_list(command)
        elif type(command) is ModifyOrder:
            self._modify_order(command)
        else:
            self._msgbus.send(topics.EXEC_ENGINE_EXECUTE, command)

    def process(self, event: Any) -> None:
        """Receive an event (counted; the risk engine keeps no event state)."""
        self.event_count += 1
        if self._debug:
            self.log.debug(f"<--[EVT] {event!r}")

    # -- submit --------------------------------------------------------------------------

    def _submit_order(self, command: SubmitOrder) -> None:
        init = command.order_init
        order = self._cache.order(init.client_order_id)
        if order is None:
            self._deny_uncached((init,), command.position_id, command.client_id)
            return
        orders = (order,)
        reason = self._check_submit(orders, init.instrument_id, command.position_id)
        if reason is not None:
            self._deny_all(orders, reason)
            return
        self._msgbus.send(topics.EXEC_ENGINE_EXECUTE, command)

    def _submit_order_list(self, command: SubmitOrderList) -> None:
        inits = command.order_list.orders
        orders: list[Order] = []
        for init in inits:
            order = self._cache.order(init.client_order_id)
            if order is None:
                self._deny_uncached(inits, command.position_id, command.client_id)
                return
            orders.append(order)
        reason = self._check_submit(orders, command.instrument_id, command.position_id)
        if reason is not None:
            self._deny_all(orders, reason)
            return
        self._msgbus.send(topics.EXEC_ENGINE_EXECUTE, command)

    def _check_submit(
        self, orders: Sequence[Order], instrument_id: InstrumentId, position_id: PositionId | None
    ) -> str | None:
        listed = len(orders) > 1
        # 1. reduce-only against the position (earlier entries of a list count as filled)
        pending = 0
        for order in orders:
            if order.reduce_only:
                reason = self._check_reduce_only(order, position_id, pending)
                if reason is not None:
                    return blame(reason, order, listed)
            elif listed:
                pending += order.quantity.raw if order.side is _BUY else -order.quantity.raw
        # 2. instrument
        rules = self._rules.get(instrument_id)
        if rules is None or rules.instrument is not self._cache.instrument(instrument_id):
            rules = self._rules_for(instrument_id)
            if rules is None:
                return f"INSTRUMENT_NOT_FOUND: instrument={instrument_id}"
        # 3-5. prices, quantity, trailing offset, expiry
        for order in orders:
            reason = self._check_order_fields(order, rules)
            if reason is not None:
                return blame(reason, order, listed)
        # 6. notional and balances
        reason = check_account_level(self._cache, orders, rules, self.log)
        if reason is not None:
            return reason
        # 7. trading state
        if self._trading_state is not _ACTIVE:
            reason = self._check_trading_state(orders, instrument_id)
            if reason is not None:
                return reason
        # 8. throttle
        if not self.submit_throttler.try_acquire():
            return (
                f"RATE_LIMIT_EXCEEDED: max_order_submit_rate={self._submit_rate} "
                "(exceeded MAX_ORDER_SUBMIT_RATE)"
            )
        return None

    def _check_order_fields(self, order: Order, rules: InstrumentRules) -> str | None:
        price = order.price
        if price is not None:
            reason = rules.check_price(price, "price")
            if reason is not None:
                return reason
        trigger = order.trigger_price
        if trigger is not None:
            reason = rules.check_price(trigger, "trigger_price")
            if reason is not None:
                return reason
        if order.quote_quantity:
            if order.quantity.raw <= 0:
                return (
                    f"QUANTITY_NOT_POSITIVE: quantity={order.quantity} "
                    f"instrument={order.instrument_id}"
                )
        else:
            reason = rules.check_quantity(order.quantity)
            if reason is not None:
                return reason
        kind = order.order_type
        if (
            (kind is _TRAILING_STOP_MARKET or kind is _TRAILING_STOP_LIMIT)  # no Enum hashing
            and trigger is None
            and order.trailing_offset_type not in SUPPORTED_TRAILING_OFFSETS
        ):
            return (
                "UNSUPPORTED_TRAILING_OFFSET_TYPE: "
                f"trailing_offset_type={order.trailing_offset_type.value} "
                f"supported=PRICE,BASIS_POINTS,TICKS instrument={order.instrument_id}"
            )
        if order.time_in_force is _GTD:
            expire = order.expire_time_ns
            now = self.clock.timestamp_ns()
            if expire is None:
                return f"EXPIRE_TIME_MISSING: time_in_force=GTD instrument={order.instrument_id}"
            if expire <= now:
                return f"EXPIRE_TIME_IN_PAST: expire_time_ns={expire} now_ns={now}"
        return None

    def _check_reduce_only(
        self, order: Order, position_id: PositionId | None, pending: int
    ) -> str | None:
        if position_id is not None:
            position = self._cache.position(position_id)
            if position is None:
                return f"POSITION_NOT_FOUND: position_id={position_id}"
            net = position.signed_qty_raw
            where = f"position_id={position_id}"
        else:
            net = self._net_raw(order.instrument_id, order.strategy_id)
            where = f"strategy_id={order.strategy_id} instrument={order.instrument_id}"
        net += pending
        if (net >= 0) if order.side is _BUY else (net <= 0):
            return (
                f"REDUCE_ONLY_WOULD_INCREASE_POSITION: side={order.side.value} "
                f"quantity={order.quantity} "
                f"net_position={raw_to_str(net, order.quantity.precision)} {where}"
            )
        return None

    def _check_trading_state(
        self, orders: Sequence[Order], instrument_id: InstrumentId
    ) -> str | None:
        if self._trading_state is _HALTED:
            return "TRADING_HALTED: state=HALTED"
        net = self._net_raw(instrument_id, None)  # REDUCING
        for order in orders:
            if (net > 0) if order.side is _BUY else (net < 0):
                return blame(
                    f"TRADING_STATE_REDUCING: side={order.side.value} "
                    f"net_position={raw_to_str(net, order.quantity.precision)} "
                    f"instrument={instrument_id}",
                    order,
                    len(orders) > 1,
                )
        return None

    # -- modify --------------------------------------------------------------------------

    def _modify_order(self, command: ModifyOrder) -> None:
        order = self._cache.order(command.client_order_id)
        if order is None:
            self.denied_count += 1
            self.log.error(f"cannot modify order {command.client_order_id}: it is not in the cache")
            return
        reason = self._check_modify(order, command)
        if reason is not None:
            self._reject_modify(order, command, reason)
            return
        self._msgbus.send(topics.EXEC_ENGINE_EXECUTE, command)

    def _check_modify(self, order: Order, command: ModifyOrder) -> str | None:
        if order.is_closed:
            return (
                f"ORDER_CLOSED: status={order.status.value} client_order_id={order.client_order_id}"
            )
        if order.is_pending_cancel:
            return f"ORDER_PENDING_CANCEL: client_order_id={order.client_order_id}"
        rules = self._rules_for(order.instrument_id)
        if rules is None:
            return f"INSTRUMENT_NOT_FOUND: instrument={order.instrument_id}"
        if command.price is not None:
            reason = rules.check_price(command.price, "price")
            if reason is not None:
                return reason
        if command.trigger_price is not None:
            reason = rules.check_price(command.trigger_price, "trigger_price")
            if reason is not None:
                return reason
        quantity = command.quantity
        if quantity is not None:
            if order.quote_quantity:
                if quantity.raw <= 0:
                    return (
                        f"QUANTITY_NOT_POSITIVE: quantity={quantity} "
                        f"instrument={order.instrument_id}"
                    )
            else:
                reason = rules.check_quantity(quantity)
                if reason is not None:
                    return reason
        state = self._trading_state
        if state is _HALTED:
            return "TRADING_HALTED: state=HALTED"
        if state is not _ACTIVE and quantity is not None and quantity.raw > order.quantity.raw:
            net = self._net_raw(order.instrument_id, None)
            if (net > 0) if order.side is _BUY else (net < 0):
                return (
                    f"TRADING_STATE_REDUCING: side={order.side.value} quantity={quantity} "
                    f"previous_quantity={order.quantity} "
                    f"net_position={raw_to_str(net, quantity.precision)} "
                    f"instrument={order.instrument_id}"
                )
        if not self.modify_throttler.try_acquire():
            return (
                f"RATE_LIMIT_EXCEEDED: max_order_modify_rate={self._modify_rate} "
                "(exceeded MAX_ORDER_MODIFY_RATE)"
            )
        return None

    # -- denial --------------------------------------------------------------------------

    def _deny_all(self, orders: Sequence[Order], reason: str) -> None:
        self.denied_count += 1
        for order in orders:
            self._deny(order, reason)

    def _deny(self, order: Order, reason: str) -> None:
        if order.status is not _INITIALIZED:
            self.log.warning(
                f"order {order.client_order_id} not denied ({reason}): it is "
                f"{order.status.value}, only an INITIALIZED order can be denied"
            )
            return
        self.log.warning(f"order {order.client_order_id} DENIED: {reason}")
        now = self.clock.timestamp_ns()
        denied = OrderDenied(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            reason=reason,
            event_id=self._uuids.generate(),
            ts_event=now,
            ts_init=now,
        )
        self._msgbus.send(topics.EXEC_ENGINE_PROCESS, denied)

    def _deny_uncached(
        self,
        inits: Sequence[OrderInitialized],
        position_id: PositionId | None,
        client_id: ClientId | None,
    ) -> None:
        """Deny orders submitted without being cached first (caching them to do so)."""
        missing = [
            i.client_order_id for i in inits if not self._cache.order_exists(i.client_order_id)
        ]
        reason = (
            f"ORDER_NOT_FOUND: client_order_id={','.join(missing)} "
            "(a strategy must add an order to the cache before submitting it)"
        )
        orders: list[Order] = []
        for init in inits:
            order = self._cache.order(init.client_order_id)
            if order is None:
                try:
                    order = Order.from_init(init)
                    self._cache.add_order(order, position_id, client_id)
                except (TypeError, ValueError) as e:
                    self.denied_count += 1
                    self.log.error(f"cannot deny order {init.client_order_id} ({reason}): {e}")
                    return
            orders.append(order)
        self._deny_all(orders, reason)

    def _reject_modify(self, order: Order, command: ModifyOrder, reason: str) -> None:
        self.denied_count += 1
        self.log.warning(f"modify of order {order.client_order_id} REJECTED: {reason}")
        now = self.clock.timestamp_ns()
        rejected = OrderModifyRejected(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            venue_order_id=order.venue_order_id or command.venue_order_id,
            account_id=order.account_id,
            reason=reason,
            event_id=self._uuids.generate(),
            ts_event=now,
            ts_init=now,
        )
        self._msgbus.send(topics.EXEC_ENGINE_PROCESS, rejected)

    # -- helpers -------------------------------------------------------------------------

    def _rules_for(self, instrument_id: InstrumentId) -> InstrumentRules | None:
        instrument = self._cache.instrument(instrument_id)
        if instrument is None:
            return None
        rules = self._rules.get(instrument_id)
        if rules is None or rules.instrument is not instrument:  # new or updated instrument
            rules = InstrumentRules(instrument, self._caps.get(instrument_id))
            self._rules[instrument_id] = rules
        return rules

    def _net_raw(self, instrument_id: InstrumentId, strategy_id: StrategyId | None) -> int:
        """Return the net signed raw quantity of the open positions (of one strategy)."""
        positions = self._cache.positions_open(instrument_id=instrument_id, strategy_id=strategy_id)
        return sum(p.signed_qty_raw for p in positions)
