"""Positions: the exact running state of one position built from its fills.

Exactness. Quantities are signed raw ints on the 10**9 scale. Money amounts are kept as
*high-precision* ints on the 10**27 scale ("hp": a quantity raw times a price raw times
a multiplier raw) and rounded half-even to the settlement currency's precision only
when a `Money` is read. The open cost of a position is the exact sum of its opening
fills' values; a reduction removes the proportional share of that cost (average-cost
method) and realizes the difference. Hence ``realized + unrealized`` equals the exact
cash flow plus the mark-to-market value, and a round trip (buy 1 @ 100, sell 1 @ 110)
realizes exactly 10. The average prices ``avg_px_open``/``avg_px_close`` are float
*views* of those exact sums.

Inverse instruments (PnL in the base currency): a fill of ``q`` at ``p`` is worth
``q * multiplier / p`` base units, so a long realizes ``q * m * (1/open - 1/close)`` and a
short ``q * m * (1/close - 1/open)``. Their ``avg_px_open`` is therefore the
quantity-weighted *harmonic* mean of the opening prices (the venue convention).

Commissions (the rule):
- A commission in the settlement currency is subtracted from ``realized_pnl``.
- A commission in any other currency is not converted: it is tracked per currency and
  reported by `Position.commissions` (which lists every commission charged).
- Spot/FX: a commission in the base currency (a non-inverse instrument with multiplier 1
  whose base currency is not the settlement currency) also changes the quantity held by
  ``-commission`` (a buy delivers the quantity less the fee; a sell takes the fee on
  top). The open cost is kept, so ``avg_px_open`` rises and the fee's value is realized
  when the position closes: do not subtract it from PnL again. The adjustment is made
  only while the position stays open on the same side after it; otherwise the
  commission is only recorded. `Position.apply` returns the `PositionAdjustment` made,
  for the engine to publish `PositionAdjusted`.

Flips. A fill larger than the open quantity on the opposite side is refused: the
execution engine splits it with `Position.split_flip` into a closing fill (applied to
this position) and an opening fill (for the new position, or for this NETTING position
after it closed). Reopening: a fill applied to a closed position resets it (same id)
and starts a new cycle; call `to_snapshot` first to keep the closed cycle's history.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Protocol

import msgspec

from argonaut.core.fixed import FIXED_PRECISION, FIXED_SCALAR, RAW_STEP, raw_to_decimal
from argonaut.core.uuid import UUID4
from argonaut.model.enums import OrderSide, PositionAdjustmentType, PositionSide
from argonaut.model.events.order import OrderFilled
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
)
from argonaut.model.values import Currency, Money, Price, Quantity

_HP_PRECISION = 27
# Divisor from the hp scale to whole units at precision p, indexed by p.
_HP_STEP = tuple(10 ** (_HP_PRECISION - p) for p in range(FIXED_PRECISION + 1))
_INVERSE_NUM = 10**18  # q_raw * m_raw * 10**18 / p_raw is q * m / p on the hp scale


class InstrumentLike(Protocol):
    """What positions and accounts need from an instrument."""

    @property
    def id(self) -> InstrumentId: ...
    @property
    def price_precision(self) -> int: ...
    @property
    def size_precision(self) -> int: ...
    @property
    def multiplier(self) -> Quantity: ...
    @property
    def is_inverse(self) -> bool: ...
    @property
    def quote_currency(self) -> Currency: ...
    @property
    def base_currency(self) -> Currency | None: ...
    @property
    def settlement_currency(self) -> Currency: ...
    @property
    def margin_init(self) -> Decimal: ...
    @property
    def margin_maint(self) -> Decimal: ...
    @property
    def maker_fee(self) -> Decimal: ...
    @property
    def taker_fee(self) -> Decimal: ...
    def notional_value(
        self, quantity: Quantity, price: Price, *, use_quote_for_inverse: bool = False
    ) -> Money: ...


def div_half_even(numerator: int, denominator: int) -> int:
    """Divide two ints rounding half to even (`denominator` must be positive)."""
    q, r = divmod(numerator, denominator)
    twice = 2 * r
    if twice > denominator or (twice == denominator and q & 1):
        q += 1
    return q


def hp_to_money(hp: int, currency: Currency) -> Money:
    """Round an amount on the 10**27 scale half-even to `currency`'s precision."""
    p = currency.precision
    return Money(div_half_even(hp, _HP_STEP[p]) * RAW_STEP[p], currency)


_LONG = PositionSide.LONG
_SHORT = PositionSide.SHORT
_FLAT = PositionSide.FLAT


def position_side_from_signed(signed_qty: int | float | Decimal) -> PositionSide:
    """Return LONG, SHORT or FLAT for a signed quantity (raw int or value)."""
    if signed_qty > 0:
        return PositionSide.LONG
    if signed_qty < 0:
        return PositionSide.SHORT
    return PositionSide.FLAT


class PositionAdjustment(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A change to a position that is not a fill (base-currency commission, funding)."""

    adjustment_type: PositionAdjustmentType
    ts_event: int
    quantity_change: Decimal | None = None
    pnl_change: Money | None = None
    reason: str | None = None


class PositionSnapshot(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """The full state of a position at one moment (kept when a NETTING position reopens).

    `fills` and `adjustments` replay the cycle exactly.
    """

    trader_id: TraderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    position_id: PositionId
    account_id: AccountId
    opening_order_id: ClientOrderId
    closing_order_id: ClientOrderId | None
    entry: OrderSide
    side: PositionSide
    signed_qty: float
    quantity: Quantity
    peak_qty: Quantity
    buy_qty: Quantity
    sell_qty: Quantity
    currency: Currency
    avg_px_open: float
    avg_px_close: float | None
    realized_return: float
    realized_pnl: Money
    commissions: tuple[Money, ...]
    trade_ids: tuple[TradeId, ...]
    fills: tuple[OrderFilled, ...]
    adjustments: tuple[PositionAdjustment, ...]
    ts_opened: int
    ts_closed: int | None
    ts_last: int
    duration_ns: int
    ts_init: int


class Position:
    """One position: created from its opening fill, then updated by `apply`.

    An adjustment caused by the opening fill (a base-currency commission) is in
    `adjustments` after construction; later ones are returned by `apply`.
    """

    __slots__ = (
        "_close_value",
        "_closed_raw",
        "_commission_settle_raw",
        "_commissions",
        "_open_cost",
        "_pnl_adjust_raw",
        "_qty_precision",
        "_realized_hp",
        "_trade_id_set",
        "account_id",
        "adjustments",
        "avg_px_close",
        "avg_px_open",
        "base_currency",
        "buy_qty",
        "closing_order_id",
        "duration_ns",
        "entry",
        "events",
        "id",
        "instrument_id",
        "is_inverse",
        "last_trade_id",
        "multiplier",
        "opening_order_id",
        "peak_qty",
        "price_precision",
        "quantity",
        "quote_currency",
        "realized_pnl",
        "realized_return",
        "sell_qty",
        "settlement_currency",
        "side",
        "signed_qty_raw",
        "size_precision",
        "strategy_id",
        "trade_ids",
        "trader_id",
        "ts_closed",
        "ts_init",
        "ts_last",
        "ts_opened",
    )

    def __init__(self, instrument: InstrumentLike, fill: OrderFilled) -> None:
        if fill.position_id is None:
            raise ValueError(
                f"fill {fill.trade_id} has no position_id: the execution engine assigns the "
                "position id before a fill opens a position"
            )
        if fill.instrument_id != instrument.id:
            raise ValueError(
                f"fill {fill.trade_id} is for {fill.instrument_id}, not for the instrument "
                f"{instrument.id} the position was created with"
            )
        self.id: PositionId = fill.position_id
        self.trader_id: TraderId = fill.trader_id
        self.strategy_id: StrategyId = fill.strategy_id
        self.instrument_id: InstrumentId = instrument.id
        self.account_id: AccountId = fill.account_id
        self.price_precision: int = instrument.price_precision
        self.size_precision: int = instrument.size_precision
        self.multiplier: Quantity = instrument.multiplier
        self.is_inverse: bool = instrument.is_inverse
        self.quote_currency: Currency = instrument.quote_currency
        self.base_currency: Currency | None = instrument.base_currency
        self.settlement_currency: Currency = instrument.settlement_currency
        self.ts_init: int = fill.ts_init
        self._reset(fill)
        self.apply(fill)

    def _reset(self, fill: OrderFilled) -> None:
        self.opening_order_id: ClientOrderId = fill.client_order_id
        self.closing_order_id: ClientOrderId | None = None
        self.entry: OrderSide = fill.order_side
        self.side: PositionSide = PositionSide.FLAT
        self.signed_qty_raw: int = 0
        self._qty_precision = self.size_precision
        self.quantity: Quantity = Quantity(0, self.size_precision)
        self.peak_qty: Quantity = self.quantity
        self.buy_qty: Quantity = self.quantity
        self.sell_qty: Quantity = self.quantity
        self.avg_px_open: float = 0.0
        self.avg_px_close: float | None = None
        self.realized_return: float = 0.0
        self.realized_pnl: Money = Money(0, self.settlement_currency)
        self._open_cost = 0
        self._close_value = 0
        self._closed_raw = 0
        self._realized_hp = 0
        self._commission_settle_raw = 0
        self._pnl_adjust_raw = 0
        self._commissions: dict[str, Money] = {}
        self.events: list[OrderFilled] = []
        self.trade_ids: list[TradeId] = []
        self._trade_id_set: set[TradeId] = set()
        self.adjustments: list[PositionAdjustment] = []
        self.last_trade_id: TradeId | None = None
        self.ts_opened: int = fill.ts_event
        self.ts_last: int = fill.ts_event
        self.ts_closed: int | None = None
        self.duration_ns: int = 0

    def __repr__(self) -> str:
        return f"Position({self.id}, {self.side.value} {self.quantity} {self.instrument_id})"

    # -- state views ---------------------------------------------------------------------

    @property
    def signed_qty(self) -> float:
        """The signed quantity as a float view (long > 0, short < 0)."""
        return self.signed_qty_raw / FIXED_SCALAR

    @property
    def is_open(self) -> bool:
        """Return True while the position holds a quantity."""
        return self.signed_qty_raw != 0

    @property
    def is_closed(self) -> bool:
        """Return True once the quantity is back to zero."""
        return self.signed_qty_raw == 0

    @property
    def is_long(self) -> bool:
        """Return True for an open long position."""
        return self.signed_qty_raw > 0

    @property
    def is_short(self) -> bool:
        """Return True for an open short position."""
        return self.signed_qty_raw < 0

    @property
    def last_fill(self) -> OrderFilled:
        """The latest fill applied."""
        return self.events[-1]

    @property
    def event_count(self) -> int:
        """The number of fills applied in the current cycle."""
        return len(self.events)

    def commissions(self) -> list[Money]:
        """Return every commission charged, one total per currency (in first-seen order)."""
        return list(self._commissions.values())

    def commission(self, currency: Currency) -> Money:
        """Return the commissions charged in `currency` (zero if none)."""
        return self._commissions.get(currency.code, Money(0, currency))

    # -- fills ---------------------------------------------------------------------------

    def would_flip(self, fill: OrderFilled) -> bool:
        """Return True when `fill` would reverse this open position (see `split_flip`)."""
        signed = self.signed_qty_raw
        if signed == 0:
            return False
        reduces = (signed > 0) is (fill.order_side is OrderSide.SELL)
        return reduces and fill.last_qty.raw > abs(signed)

    def apply(self, fill: OrderFilled) -> PositionAdjustment | None:
        """Apply a fill that opens, increases, reduces or closes the position.

        Return the quantity adjustment a base-currency commission caused, if any.
        Raise ValueError for a duplicate trade id, another instrument, or a flip.
        """
        if fill.trade_id in self._trade_id_set:
            raise ValueError(
                f"fill trade id {fill.trade_id} was already applied to position {self.id}: "
                "each trade is applied once"
            )
        if fill.instrument_id != self.instrument_id:
            raise ValueError(
                f"fill {fill.trade_id} is for {fill.instrument_id}, not for position "
                f"{self.id} on {self.instrument_id}"
            )
        qty_raw = fill.last_qty.raw
        if qty_raw <= 0:
            raise ValueError(f"fill {fill.trade_id} has last_qty {fill.last_qty}: expected > 0")
        if fill.order_side is OrderSide.BUY:
            delta = qty_raw
        elif fill.order_side is OrderSide.SELL:
            delta = -qty_raw
        else:
            raise ValueError(
                f"fill {fill.trade_id} has side {fill.order_side.value}: expected BUY/SELL"
            )
        # The hot path (one call per fill) inlines `_value`, `_set_signed`, `_avg_px` and
        # `_update_realized_pnl` for a linear instrument; the results are the same.
        inverse = self.is_inverse
        m_raw = self.multiplier.raw
        if inverse:
            value = self._value(qty_raw, fill.last_px.raw)
        else:
            value = qty_raw * fill.last_px.raw * m_raw
        if self.signed_qty_raw == 0 and self.events:
            self._reset(fill)  # a closed position reopens
        signed = self.signed_qty_raw
        if signed != 0 and (signed > 0) != (delta > 0) and qty_raw > abs(signed):
            raise ValueError(
                f"fill {fill.trade_id} ({fill.order_side.value} {fill.last_qty}) would flip "
                f"position {self.id} ({self.side.value} {self.quantity}): split it with "
                f"Position.split_flip(fill, closing_qty={self.quantity}) into close + open"
            )

        if signed == 0 or (signed > 0) == (delta > 0):
            self._open_cost += value
        else:
            open_raw = abs(signed)
            if qty_raw == open_raw:
                removed = self._open_cost
            else:
                removed = div_half_even(self._open_cost * qty_raw, open_raw)
            self._open_cost -= removed
            self._close_value += value
            self._closed_raw += qty_raw
            if inverse:
                self._realized_hp += self._pnl_direction(signed) * (value - removed)
                avg_close = self._avg_px(self._close_value, self._closed_raw)
            else:  # `_pnl_direction` and `_avg_px` written out for a linear instrument
                self._realized_hp += value - removed if signed > 0 else removed - value
                avg_close = self._close_value / (self._closed_raw * m_raw * FIXED_SCALAR)
            self.avg_px_close = avg_close
            self.realized_return = self._return(signed, self.avg_px_open, avg_close)

        trade_id = fill.trade_id
        self.events.append(fill)
        self.trade_ids.append(trade_id)
        self._trade_id_set.add(trade_id)
        self.last_trade_id = trade_id
        last_qty = fill.last_qty
        lp = last_qty.precision
        if delta > 0:
            held_qty = self.buy_qty
            bp = held_qty.precision
            self.buy_qty = Quantity(held_qty.raw + qty_raw, bp if bp >= lp else lp)
        else:
            held_qty = self.sell_qty
            bp = held_qty.precision
            self.sell_qty = Quantity(held_qty.raw + qty_raw, bp if bp >= lp else lp)
        signed += delta
        self.signed_qty_raw = signed
        ts_event = fill.ts_event
        self.ts_last = ts_event
        if signed > 0:
            self.side = _LONG
            open_qty = signed
        elif signed < 0:
            self.side = _SHORT
            open_qty = -signed
        else:
            self.side = _FLAT
            open_qty = 0
            self.closing_order_id = fill.client_order_id
            self.ts_closed = ts_event
            self.duration_ns = ts_event - self.ts_opened
        quantity = self.quantity = Quantity(open_qty, self._qty_precision)
        if open_qty > self.peak_qty.raw:
            self.peak_qty = quantity
        if open_qty:
            if inverse:
                self.avg_px_open = self._avg_px(self._open_cost, open_qty)
            else:
                self.avg_px_open = self._open_cost / (open_qty * m_raw * FIXED_SCALAR)

        commission = fill.commission
        currency = commission.currency
        code = currency.code
        held = self._commissions.get(code)  # same code: `held + commission` written out
        self._commissions[code] = (
            commission if held is None else Money(held.raw + commission.raw, held.currency)
        )
        settlement = self.settlement_currency
        if code == settlement.code:
            self._commission_settle_raw += commission.raw
        p = settlement.precision
        step = _HP_STEP[p]
        units, rest = divmod(self._realized_hp, step)  # `div_half_even` written out
        twice = 2 * rest
        if twice > step or (twice == step and units & 1):
            units += 1
        self.realized_pnl = Money(
            units * RAW_STEP[p] - self._commission_settle_raw + self._pnl_adjust_raw,
            settlement,
        )
        base = self.base_currency
        if (
            commission.raw != 0
            and base is not None
            and code == base.code
            and self._is_base_commission(commission)
        ):
            adjusted = self.signed_qty_raw - commission.raw
            if adjusted != 0 and (adjusted > 0) == (self.signed_qty_raw > 0):
                return self._adjust_quantity(
                    -commission.raw,
                    raw_to_decimal(-commission.raw, commission.currency.precision),
                    PositionAdjustmentType.COMMISSION,
                    fill.ts_event,
                    None,
                    None,
                )
        return None

    def adjust(
        self,
        adjustment_type: PositionAdjustmentType,
        *,
        ts_event: int,
        quantity_change: Decimal | None = None,
        pnl_change: Money | None = None,
        reason: str | None = None,
    ) -> PositionAdjustment:
        """Apply a non-fill change (e.g. a funding payment as `pnl_change`) and record it.

        A quantity change must leave an open position open on the same side; a PnL
        change must be in the settlement currency and is added to ``realized_pnl``.
        """
        if pnl_change is not None and pnl_change.currency.code != self.settlement_currency.code:
            raise ValueError(
                f"pnl change {pnl_change} for position {self.id} must be in its settlement "
                f"currency {self.settlement_currency.code}"
            )
        change_raw = 0
        if quantity_change is not None:
            scaled = quantity_change.scaleb(FIXED_PRECISION)
            change_raw = int(scaled)
            if scaled != change_raw:
                raise ValueError(
                    f"quantity change {quantity_change} has more than {FIXED_PRECISION} decimals"
                )
            adjusted = self.signed_qty_raw + change_raw
            if self.signed_qty_raw == 0 or adjusted == 0 or (adjusted > 0) != self.is_long:
                raise ValueError(
                    f"quantity change {quantity_change} cannot apply to position {self.id} "
                    f"({self.side.value} {self.quantity}): it must leave the position open "
                    "on the same side"
                )
        if pnl_change is not None:
            self._pnl_adjust_raw += pnl_change.raw
            self._update_realized_pnl()
        if quantity_change is not None and change_raw:
            return self._adjust_quantity(
                change_raw, quantity_change, adjustment_type, ts_event, pnl_change, reason
            )
        adjustment = PositionAdjustment(
            adjustment_type=adjustment_type,
            ts_event=ts_event,
            quantity_change=quantity_change,
            pnl_change=pnl_change,
            reason=reason,
        )
        self.adjustments.append(adjustment)
        self.ts_last = max(self.ts_last, ts_event)
        return adjustment

    # -- PnL -----------------------------------------------------------------------------

    def unrealized_pnl(self, last: Price) -> Money:
        """Return the PnL of the open quantity marked at `last` (settlement currency)."""
        signed = self.signed_qty_raw
        if signed == 0:
            return Money(0, self.settlement_currency)
        value = self._value(abs(signed), last.raw)
        return hp_to_money(
            self._pnl_direction(signed) * (value - self._open_cost), self.settlement_currency
        )

    def total_pnl(self, last: Price) -> Money:
        """Return realized plus unrealized PnL at `last`, rounded once."""
        signed = self.signed_qty_raw
        hp = self._realized_hp
        if signed != 0:
            value = self._value(abs(signed), last.raw)
            hp += self._pnl_direction(signed) * (value - self._open_cost)
        money = hp_to_money(hp, self.settlement_currency)
        return Money(money.raw - self._commission_settle_raw + self._pnl_adjust_raw, money.currency)

    def notional_value(self, price: Price) -> Money:
        """Return the open quantity's value at `price` (quote currency; base if inverse)."""
        value = self._value(self.quantity.raw, price.raw)
        currency = self.settlement_currency if self.is_inverse else self.quote_currency
        return hp_to_money(value, currency)

    def calculate_pnl(
        self, avg_px_open: float | Price, avg_px_close: float | Price, quantity: Quantity
    ) -> Money:
        """Return the PnL of `quantity` opened at `avg_px_open` and closed at `avg_px_close`.

        The direction is the position's entry side. Floats are read by their shortest
        decimal text (100.1 is exactly 100.1).
        """
        currency = self.settlement_currency
        with localcontext() as ctx:
            ctx.prec = 60
            ctx.rounding = ROUND_HALF_EVEN
            po = _to_decimal(avg_px_open)
            pc = _to_decimal(avg_px_close)
            qm = quantity.as_decimal() * self.multiplier.as_decimal()
            if self.is_inverse:
                if po <= 0 or pc <= 0:
                    raise ValueError(f"inverse PnL needs positive prices, found {po} and {pc}")
                pnl = qm / po - qm / pc  # long: q * m * (1/open - 1/close)
            else:
                pnl = qm * (pc - po)
            if self.entry is OrderSide.SELL:
                pnl = -pnl
            units = int(pnl.scaleb(currency.precision).to_integral_value())
        return Money(units * RAW_STEP[currency.precision], currency)

    # -- split and snapshot -------------------------------------------------------------

    @staticmethod
    def split_flip(
        fill: OrderFilled,
        closing_qty: Quantity,
        *,
        opening_position_id: PositionId | None = None,
        opening_event_id: UUID4 | None = None,
    ) -> tuple[OrderFilled, OrderFilled]:
        """Split a flipping fill into (closing fill, opening fill).

        The closing fill has `closing_qty` (the open quantity); the opening fill the rest,
        with `opening_position_id` (HEDGING: the new position's id) and `opening_event_id`
        when given. Both keep the trade id. The commission is split pro rata, rounded
        half-even for the closing part, the remainder to the opening part.
        """
        total = fill.last_qty.raw
        if not 0 < closing_qty.raw < total:
            raise ValueError(
                f"closing quantity {closing_qty} must be above 0 and below the fill "
                f"quantity {fill.last_qty} to split fill {fill.trade_id}"
            )
        precision = fill.last_qty.precision
        comm = fill.commission
        step = RAW_STEP[comm.currency.precision]
        close_comm_raw = div_half_even(comm.raw * closing_qty.raw, total * step) * step
        closing = msgspec.structs.replace(
            fill,
            last_qty=Quantity(closing_qty.raw, precision),
            commission=Money(close_comm_raw, comm.currency),
        )
        opening = msgspec.structs.replace(
            fill,
            last_qty=Quantity(total - closing_qty.raw, precision),
            commission=Money(comm.raw - close_comm_raw, comm.currency),
            position_id=opening_position_id
            if opening_position_id is not None
            else fill.position_id,
            event_id=opening_event_id if opening_event_id is not None else fill.event_id,
        )
        return closing, opening

    def to_snapshot(self) -> PositionSnapshot:
        """Return the position's current state as an immutable snapshot."""
        return PositionSnapshot(
            trader_id=self.trader_id,
            strategy_id=self.strategy_id,
            instrument_id=self.instrument_id,
            position_id=self.id,
            account_id=self.account_id,
            opening_order_id=self.opening_order_id,
            closing_order_id=self.closing_order_id,
            entry=self.entry,
            side=self.side,
            signed_qty=self.signed_qty,
            quantity=self.quantity,
            peak_qty=self.peak_qty,
            buy_qty=self.buy_qty,
            sell_qty=self.sell_qty,
            currency=self.settlement_currency,
            avg_px_open=self.avg_px_open,
            avg_px_close=self.avg_px_close,
            realized_return=self.realized_return,
            realized_pnl=self.realized_pnl,
            commissions=tuple(self._commissions.values()),
            trade_ids=tuple(self.trade_ids),
            fills=tuple(self.events),
            adjustments=tuple(self.adjustments),
            ts_opened=self.ts_opened,
            ts_closed=self.ts_closed,
            ts_last=self.ts_last,
            duration_ns=self.duration_ns,
            ts_init=self.ts_init,
        )

    # -- internals -----------------------------------------------------------------------

    def _value(self, qty_raw: int, px_raw: int) -> int:
        """Return the hp value of a quantity at a price (quote; base units if inverse)."""
        if self.is_inverse:
            if px_raw <= 0:
                raise ValueError(
                    f"price {px_raw / FIXED_SCALAR} for inverse instrument {self.instrument_id} "
                    "must be positive"
                )
            return div_half_even(qty_raw * self.multiplier.raw * _INVERSE_NUM, px_raw)
        return qty_raw * px_raw * self.multiplier.raw

    def _pnl_direction(self, signed: int) -> int:
        direction = 1 if signed > 0 else -1
        return -direction if self.is_inverse else direction

    def _avg_px(self, value: int, qty_raw: int) -> float:
        m_raw = self.multiplier.raw
        if self.is_inverse:
            return qty_raw * m_raw * FIXED_SCALAR / value
        return value / (qty_raw * m_raw * FIXED_SCALAR)

    @staticmethod
    def _return(signed: int, avg_open: float, avg_close: float) -> float:
        if avg_open == 0.0:
            return 0.0
        points = avg_close - avg_open if signed > 0 else avg_open - avg_close
        return points / avg_open

    def _set_signed(self, signed: int) -> None:
        self.signed_qty_raw = signed
        self.side = position_side_from_signed(signed)
        self.quantity = Quantity(abs(signed), self._qty_precision)
        if self.quantity.raw > self.peak_qty.raw:
            self.peak_qty = self.quantity
        if signed != 0:
            self.avg_px_open = self._avg_px(self._open_cost, abs(signed))

    def _update_realized_pnl(self) -> None:
        money = hp_to_money(self._realized_hp, self.settlement_currency)
        raw = money.raw - self._commission_settle_raw + self._pnl_adjust_raw
        self.realized_pnl = Money(raw, self.settlement_currency)

    def _is_base_commission(self, commission: Money) -> bool:
        base = self.base_currency
        return (
            base is not None
            and commission.currency.code == base.code
            and base.code != self.settlement_currency.code
            and not self.is_inverse
            and self.multiplier.raw == FIXED_SCALAR
            and self.signed_qty_raw != 0
        )

    def _adjust_quantity(
        self,
        change_raw: int,
        change: Decimal,
        adjustment_type: PositionAdjustmentType,
        ts_event: int,
        pnl_change: Money | None,
        reason: str | None,
    ) -> PositionAdjustment:
        while change_raw % RAW_STEP[self._qty_precision]:
            self._qty_precision += 1  # show the finer decimals the adjustment brought
        self._set_signed(self.signed_qty_raw + change_raw)
        adjustment = PositionAdjustment(
            adjustment_type=adjustment_type,
            ts_event=ts_event,
            quantity_change=change,
            pnl_change=pnl_change,
            reason=reason,
        )
        self.adjustments.append(adjustment)
        self.ts_last = max(self.ts_last, ts_event)
        return adjustment


def _to_decimal(value: float | Price) -> Decimal:
    if isinstance(value, Price):
        return value.as_decimal()
    return Decimal(repr(value))


__all__ = [
    "InstrumentLike",
    "Position",
    "PositionAdjustment",
    "PositionSnapshot",
    "div_half_even",
    "hp_to_money",
    "position_side_from_signed",
]
