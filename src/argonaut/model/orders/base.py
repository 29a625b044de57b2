"""`Order`: the mutable state of one order, driven only by its events.

An order is built from its `OrderInitialized` event (`Order.from_init`) and changes only
through `Order.apply(event)`, which follows the table in `argonaut.model.orders.fsm`.
`apply` validates everything first and mutates after, so a refused event leaves the
order exactly as it was.

Errors::

    ValueError
    ├── InvalidStateTransition   the event is not valid in the order's status
    ├── DuplicateFill            a fill repeats a trade id the order already has
    └── OverfillError            a fill would take filled above the order quantity
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, ClassVar, Self

from argonaut.core.errors import InvalidStateTransition
from argonaut.core.fixed import FIXED_PRECISION, FIXED_SCALAR
from argonaut.core.uuid import UUID4
from argonaut.model.enums import (
    ContingencyType,
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.events.order import (
    OrderAccepted,
    OrderEvent,
    OrderFilled,
    OrderInitialized,
    OrderSubmitted,
    OrderTriggered,
    OrderUpdated,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    ExecAlgorithmId,
    InstrumentId,
    OrderListId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.orders.fsm import (
    CLOSED,
    NEXT_BY_STATUS,
    NO_SAVE_PREVIOUS_EVENTS,
    PENDING,
    RESTORE_PREVIOUS,
    TRIGGERABLE_ORDER_TYPES,
    transition_error,
)
from argonaut.model.orders.transform import transform_order
from argonaut.model.orders.validation import Need, OrderTypeRules, check_init
from argonaut.model.orders.view import OrderView
from argonaut.model.values import Money, Price, Quantity

_FILLED = OrderStatus.FILLED
_PARTIALLY_FILLED = OrderStatus.PARTIALLY_FILLED
_INITIALIZED = OrderStatus.INITIALIZED
_NO_LIQUIDITY_SIDE = LiquiditySide.NO_LIQUIDITY_SIDE
_ZERO_QTY = {p: Quantity(0, p) for p in range(FIXED_PRECISION + 1)}
# The hot path keys by the status value string: `Enum.__hash__` is a Python-level call,
# a str hashes at C speed (same tables as `NEXT_BY_STATUS`, `PENDING` and `CLOSED`).
_NEXT_BY_VALUE = {s.value: row for s, row in NEXT_BY_STATUS.items()}
_PENDING_VALUES = frozenset(s.value for s in PENDING)
_CLOSED_VALUES = frozenset(s.value for s in CLOSED)


class DuplicateFill(ValueError):
    """Raise when a fill's trade id was already applied to the order."""


class OverfillError(ValueError):
    """Raise when a fill would take the filled quantity above the order quantity."""


class Order(OrderView):
    """One order: its parameters (from `init_event`) and the state its events built.

    Build one with `Order.from_init(init)` or a subclass's `create(...)`; change it only
    with `apply(event)`.
    """

    __slots__ = (
        "_commissions",
        "_fill_notional_raw",
        "_trade_id_set",
        "_trade_ids",
        "_venue_order_ids",
        "account_id",
        "client_order_id",
        "events",
        "exec_algorithm_id",
        "exec_spawn_id",
        "filled_qty",
        "init_event",
        "instrument_id",
        "last_trade_id",
        "leaves_qty",
        "liquidity_side",
        "overfill_qty",
        "position_id",
        "previous_status",
        "price",
        "quantity",
        "quote_quantity",
        "reduce_only",
        "side",
        "status",
        "strategy_id",
        "time_in_force",
        "trader_id",
        "trigger_price",
        "ts_accepted",
        "ts_closed",
        "ts_init",
        "ts_last",
        "ts_submitted",
        "ts_triggered",
        "venue_order_id",
    )

    # Parameters no event changes are read from `init_event` (C-level getters), so
    # building an order copies only what its events update or the hot paths read.
    if TYPE_CHECKING:
        expire_time_ns: int | None
        post_only: bool
        trigger_type: TriggerType
        limit_offset: Decimal | None
        trailing_offset: Decimal | None
        trailing_offset_type: TrailingOffsetType
        display_qty: Quantity | None
        emulation_trigger: TriggerType
        trigger_instrument_id: InstrumentId | None
        contingency_type: ContingencyType
        order_list_id: OrderListId | None
        linked_order_ids: tuple[ClientOrderId, ...] | None
        parent_order_id: ClientOrderId | None
        exec_algorithm_params: dict[str, str] | None
        tags: tuple[str, ...] | None
        init_id: UUID4
    else:
        expire_time_ns = property(attrgetter("init_event.expire_time_ns"))
        post_only = property(attrgetter("init_event.post_only"))
        trigger_type = property(attrgetter("init_event.trigger_type"))
        limit_offset = property(attrgetter("init_event.limit_offset"))
        trailing_offset = property(attrgetter("init_event.trailing_offset"))
        trailing_offset_type = property(attrgetter("init_event.trailing_offset_type"))
        display_qty = property(attrgetter("init_event.display_qty"))
        emulation_trigger = property(attrgetter("init_event.emulation_trigger"))
        trigger_instrument_id = property(attrgetter("init_event.trigger_instrument_id"))
        contingency_type = property(attrgetter("init_event.contingency_type"))
        order_list_id = property(attrgetter("init_event.order_list_id"))
        linked_order_ids = property(attrgetter("init_event.linked_order_ids"))
        parent_order_id = property(attrgetter("init_event.parent_order_id"))
        exec_algorithm_params = property(attrgetter("init_event.exec_algorithm_params"))
        tags = property(attrgetter("init_event.tags"))
        init_id = property(attrgetter("init_event.event_id"))

    order_type: ClassVar[OrderType]
    rules: ClassVar[OrderTypeRules]
    _classes: ClassVar[dict[OrderType, type[Order]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        Order._classes[cls.order_type] = cls

    def __init__(self, init: OrderInitialized) -> None:
        cls = type(self)
        if cls is Order:
            raise TypeError("Order is abstract: build one with Order.from_init(init)")
        if init.order_type is not cls.order_type:
            raise ValueError(
                f"cannot build a {cls.__name__} from an OrderInitialized of type "
                f"{init.order_type.value}: use Order.from_init to pick the class"
            )
        check_init(init, cls.rules)
        self._init_state(init)

    @classmethod
    def from_checked_init(cls, init: OrderInitialized) -> Self:
        """Build an order of this (concrete) class from an `init` already known to be valid.

        The unchecked hot-path constructor (like ``Price(raw, precision)``): the caller
        guarantees that `init` is of this class's order type and passes `check_init`
        against its `rules` (the order factory does, for the orders it builds).
        """
        order = object.__new__(cls)
        order._init_state(init)
        return order

    def _init_state(self, init: OrderInitialized) -> None:
        quantity = init.quantity
        self.init_event: OrderInitialized = init
        self.strategy_id: StrategyId = init.strategy_id
        self.instrument_id: InstrumentId = init.instrument_id
        self.client_order_id: ClientOrderId = init.client_order_id
        self.side: OrderSide = init.order_side
        self.quantity: Quantity = quantity
        self.reduce_only: bool = init.reduce_only
        self.price: Price | None = init.price
        self.trigger_price: Price | None = init.trigger_price
        self.exec_algorithm_id: ExecAlgorithmId | None = init.exec_algorithm_id
        self.exec_spawn_id: ClientOrderId | None = init.exec_spawn_id
        self.quote_quantity: bool = init.quote_quantity
        self.time_in_force: TimeInForce = init.time_in_force
        self.trader_id: TraderId = init.trader_id
        self.ts_init: int = init.ts_init

        self.status: OrderStatus = _INITIALIZED
        self.previous_status: OrderStatus | None = None
        zero = _ZERO_QTY.get(quantity.precision)  # immutable: shared
        if zero is None:
            zero = Quantity(0, quantity.precision)
        self.filled_qty: Quantity = zero
        self.leaves_qty: Quantity = quantity
        self.overfill_qty: Quantity = zero
        self._fill_notional_raw: int = 0  # sum of last_qty.raw * last_px.raw
        self.venue_order_id: VenueOrderId | None = init.venue_order_id
        # Containers that most resting orders never need are made on first use (fewer
        # allocations and GC-tracked objects per order); see the properties below. While
        # the order had at most one venue order id, `_venue_order_ids` stays None.
        self._venue_order_ids: list[VenueOrderId] | None = None
        self.account_id: AccountId | None = init.account_id
        self.position_id: PositionId | None = None
        self._trade_ids: list[TradeId] | None = None
        self._trade_id_set: set[TradeId] | None = None
        self._commissions: dict[str, Money] | None = None
        self.liquidity_side: LiquiditySide = _NO_LIQUIDITY_SIDE
        self.last_trade_id: TradeId | None = None
        self.ts_submitted: int | None = None
        self.ts_accepted: int | None = None
        self.ts_triggered: int | None = None
        self.ts_closed: int | None = None
        self.ts_last: int = init.ts_event
        self.events: list[OrderEvent] = [init]

    @property
    def venue_order_ids(self) -> list[VenueOrderId]:
        """Every venue order id the order had, oldest first."""
        ids = self._venue_order_ids
        if ids is None:  # none or one so far: the current one
            venue_order_id = self.venue_order_id
            ids = self._venue_order_ids = [] if venue_order_id is None else [venue_order_id]
        return ids

    @property
    def trade_ids(self) -> list[TradeId]:
        """The trade ids of the order's fills, in the order applied."""
        ids = self._trade_ids
        if ids is None:
            ids = self._trade_ids = []
        return ids

    @property
    def commissions(self) -> dict[str, Money]:
        """The commission paid on the order's fills, by currency code."""
        commissions = self._commissions
        if commissions is None:
            commissions = self._commissions = {}
        return commissions

    @staticmethod
    def from_init(init: OrderInitialized) -> Order:
        """Build the order of the right subclass for `init.order_type`."""
        cls = Order._classes.get(init.order_type)
        if cls is None:  # pragma: no cover - every OrderType has a class in orders.types
            raise ValueError(f"no order class for order type {init.order_type.value}")
        return cls(init)

    def __repr__(self) -> str:
        price = f" @ {self.price}" if self.price is not None else ""
        trigger = f" trigger {self.trigger_price}" if self.trigger_price is not None else ""
        return (
            f"{type(self).__name__}({self.side.value} {self.quantity} {self.instrument_id}"
            f"{price}{trigger} {self.time_in_force.value}, status={self.status.value}, "
            f"client_order_id={self.client_order_id}, venue_order_id={self.venue_order_id})"
        )

    # -- applying events ------------------------------------------------------------

    def apply(self, event: OrderEvent, allow_overfill: bool = False) -> None:
        """Apply `event`: move the status along the table and record the event's effects.

        Raise `ValueError` when the event belongs to another order or strategy,
        `InvalidStateTransition` when the table refuses it, `DuplicateFill` for a repeated
        trade id and `OverfillError` for a fill past the quantity (unless
        `allow_overfill`, which books the excess in `overfill_qty`). The order is
        unchanged after any error.
        """
        if event.client_order_id != self.client_order_id:
            raise ValueError(
                f"event {type(event).__name__} is for order {event.client_order_id}, "
                f"not {self.client_order_id}"
            )
        if event.strategy_id != self.strategy_id:
            raise ValueError(
                f"event {type(event).__name__} for order {self.client_order_id} names "
                f"strategy {event.strategy_id}, but the order belongs to {self.strategy_id}"
            )
        status = self.status
        kind = type(event)
        target = _NEXT_BY_VALUE[status._value_].get(kind)
        if target is None:
            raise transition_error(status, kind, self._who())

        if kind is OrderFilled:
            assert isinstance(event, OrderFilled)
            self._apply_fill(event, status, allow_overfill)
        else:
            if target is RESTORE_PREVIOUS:
                new_status = self.previous_status
                if new_status is None:
                    raise transition_error(status, kind, self._who())
            else:
                assert isinstance(target, OrderStatus)
                new_status = target
            # Validate before any mutation.
            if kind is OrderUpdated:
                assert isinstance(event, OrderUpdated)
                self._check_update(event)
            elif kind is OrderTriggered and self.order_type not in TRIGGERABLE_ORDER_TYPES:
                raise InvalidStateTransition(
                    f"invalid transition for {self._who()}: OrderTriggered applies only to "
                    "STOP_LIMIT, TRAILING_STOP_LIMIT and LIMIT_IF_TOUCHED orders",
                    state=status,
                    trigger=kind,
                )
            if kind not in NO_SAVE_PREVIOUS_EVENTS and status._value_ not in _PENDING_VALUES:
                self.previous_status = status
            self.status = new_status
            if kind is OrderAccepted:
                assert isinstance(event, OrderAccepted)
                self._set_venue_order_id(event.venue_order_id)
                self.account_id = event.account_id
                if self.ts_accepted is None:
                    self.ts_accepted = event.ts_event
            elif kind is OrderSubmitted:
                assert isinstance(event, OrderSubmitted)
                self.account_id = event.account_id
                self.ts_submitted = event.ts_event
            elif kind is OrderUpdated:
                assert isinstance(event, OrderUpdated)
                self._update(event)
            elif kind is OrderTriggered:
                self.ts_triggered = event.ts_event
            if new_status._value_ in _CLOSED_VALUES:
                self.ts_closed = event.ts_event

        self.ts_last = event.ts_event
        self.events.append(event)

    def _apply_fill(self, fill: OrderFilled, status: OrderStatus, allow_overfill: bool) -> None:
        trade_id = fill.trade_id
        seen = self._trade_id_set
        if seen is not None and trade_id in seen:
            raise DuplicateFill(
                f"fill with trade id {trade_id} was already applied to {self._who()}: "
                "a trade id is unique per fill"
            )
        if fill.order_side is not self.side:
            raise ValueError(
                f"fill {trade_id} is a {fill.order_side.value} fill, but {self._who()} is a "
                f"{self.side.value} order"
            )
        last_qty = fill.last_qty
        if last_qty.raw <= 0:
            raise ValueError(f"fill {trade_id} for {self._who()} has a non-positive quantity")
        quantity = self.quantity
        filled_raw = self.filled_qty.raw + last_qty.raw
        excess_raw = filled_raw - quantity.raw
        if excess_raw > 0 and not allow_overfill:
            raise OverfillError(
                f"fill {trade_id} of {last_qty} would take {self._who()} to filled "
                f"{filled_raw / FIXED_SCALAR} above its quantity {quantity} (already filled "
                f"{self.filled_qty}); apply with allow_overfill=True to book the excess"
            )
        # All checks passed: mutate.
        if status._value_ not in _PENDING_VALUES:
            self.previous_status = status
        p = quantity.precision
        lp = last_qty.precision
        prec = p if p >= lp else lp
        self.filled_qty = Quantity(filled_raw, prec)
        if excess_raw >= 0:
            self.status = _FILLED
            self.leaves_qty = Quantity(0, prec)
            if excess_raw > 0:
                self.overfill_qty = Quantity(excess_raw, prec)
            self.ts_closed = fill.ts_event
        else:
            self.status = _PARTIALLY_FILLED
            self.leaves_qty = Quantity(-excess_raw, prec)
            self.ts_closed = None  # a late partial fill reopens a CANCELED order
        self._fill_notional_raw += last_qty.raw * fill.last_px.raw
        venue_order_id = fill.venue_order_id
        if venue_order_id != self.venue_order_id:
            self._set_venue_order_id(venue_order_id)
        self.account_id = fill.account_id
        if fill.position_id is not None:
            self.position_id = fill.position_id
        if seen is None:
            self._trade_id_set = {trade_id}
        else:
            seen.add(trade_id)
        trade_ids = self._trade_ids  # the lazy containers directly (hot path)
        if trade_ids is None:
            self._trade_ids = [trade_id]
        else:
            trade_ids.append(trade_id)
        self.last_trade_id = trade_id
        self.liquidity_side = fill.liquidity_side
        commission = fill.commission
        code = commission.currency.code
        commissions = self._commissions
        if commissions is None:
            self._commissions = {code: commission}
        else:
            total = commissions.get(code)  # same code: `total + commission` written out
            commissions[code] = (
                commission if total is None else Money(total.raw + commission.raw, total.currency)
            )
        if self.ts_accepted is None:
            self.ts_accepted = fill.ts_event

    def _check_update(self, event: OrderUpdated) -> None:
        if event.quantity.raw <= 0:
            raise ValueError(
                f"update of {self._who()} has quantity {event.quantity}: expected a positive one"
            )
        if event.price is not None and self.rules.price is Need.FORBIDDEN:
            raise ValueError(
                f"update of {self._who()} sets price {event.price}, but a "
                f"{self.order_type.value} order has no price"
            )
        if event.trigger_price is not None and self.rules.trigger_price is Need.FORBIDDEN:
            raise ValueError(
                f"update of {self._who()} sets trigger price {event.trigger_price}, but a "
                f"{self.order_type.value} order has no trigger price"
            )

    def _update(self, event: OrderUpdated) -> None:
        if event.venue_order_id is not None:
            self._set_venue_order_id(event.venue_order_id)  # cancel-replace
        quantity = event.quantity
        self.quantity = quantity
        if event.price is not None:
            self.price = event.price
        if event.trigger_price is not None:
            self.trigger_price = event.trigger_price
        diff = quantity.raw - self.filled_qty.raw
        p = quantity.precision
        self.leaves_qty = Quantity(diff if diff > 0 else 0, p)
        self.overfill_qty = Quantity(-diff if diff < 0 else 0, p)

    def transform(self, new_order_type: OrderType, price: Price | None = None) -> Order:
        """Return this order as a MARKET or LIMIT order (for emulated orders on release).

        The new order keeps the client order id, state, fills and events (a copy of the
        list); only its type parameters change: trigger, trailing and emulation fields
        are dropped. A LIMIT needs `price` or an existing price. A GTD order becoming
        MARKET turns GTC (a MARKET order cannot be GTD). The new `init_event` is this
        order's initialization with the new parameters (same event id), while
        `events[0]` stays the original initialization.
        """
        return transform_order(self, new_order_type, price)

    def _set_venue_order_id(self, venue_order_id: VenueOrderId) -> None:
        current = self.venue_order_id
        if venue_order_id != current:
            ids = self._venue_order_ids
            if ids is not None:
                ids.append(venue_order_id)
            elif current is not None:  # a second id (cancel-replace): keep the history
                self._venue_order_ids = [current, venue_order_id]
            self.venue_order_id = venue_order_id

    def _who(self) -> str:
        return f"{self.order_type.value} order {self.client_order_id} ({self.status.value})"


__all__ = ["DuplicateFill", "Order", "OverfillError"]
