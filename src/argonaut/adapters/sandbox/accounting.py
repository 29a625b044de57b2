"""`Ledger`: the venue account's balances, netting positions, fees and margins.

- Positions: one per instrument (NETTING, key ``(instrument_id, None)``) or one per
  venue position id (HEDGING, key ``(instrument_id, position_id)``).
- Fees: maker or taker rate (the config override, else the instrument's) times the
  fill notional, rounded half-even to the notional's currency; charged from the total.
- MARGIN: realized PnL settles in the settlement currency on every reducing fill.
  Locked = initial margin of working orders (not reduce-only; priced at their limit,
  else trigger price) + maintenance margin of positions (at their average open price).
- CASH: a BUY pays the notional in quote and receives the quantity in base; a SELL the
  reverse. Working BUYs lock their notional in quote, working SELLs their quantity in
  base.
- ``free = total - locked``; an order needing more than is free is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from argonaut.adapters.sandbox.state import SimOrder, SimPosition
from argonaut.core.fixed import FIXED_SCALAR, RAW_STEP
from argonaut.model.accounts import AccountBalance, MarginBalance, mul_rate
from argonaut.model.enums import AccountType, LiquiditySide, OrderSide
from argonaut.model.identifiers import InstrumentId, PositionId
from argonaut.model.instruments import Instrument
from argonaut.model.position import div_half_even
from argonaut.model.values import Currency, Money, Price, Quantity

PositionKey = tuple[InstrumentId, PositionId | None]


def _round_money(value: Fraction, currency: Currency) -> Money:
    step = RAW_STEP[currency.precision]
    return Money(div_half_even(value.numerator, value.denominator * step) * step, currency)


class Ledger:
    """Balances (totals per currency) and positions of one venue account."""

    __slots__ = ("_currencies", "_maker", "_taker", "_totals", "account_type", "positions")

    def __init__(
        self,
        account_type: AccountType,
        totals: Iterable[Money],
        *,
        maker_fee: Decimal | None = None,
        taker_fee: Decimal | None = None,
    ) -> None:
        self.account_type = account_type
        self._maker = maker_fee
        self._taker = taker_fee
        self._totals: dict[str, int] = {}
        self._currencies: dict[str, Currency] = {}
        for money in totals:
            self._add(money)
        self.positions: dict[PositionKey, SimPosition] = {}

    # -- balances --------------------------------------------------------------------------

    def totals(self) -> list[Money]:
        """Return the total balance of each currency held, in first-seen order."""
        return [Money(raw, self._currencies[code]) for code, raw in self._totals.items()]

    def total(self, currency: Currency) -> Money:
        """Return the total balance of `currency` (zero when none is held)."""
        return Money(self._totals.get(currency.code, 0), currency)

    def _add(self, money: Money) -> None:
        code = money.currency.code
        self._currencies.setdefault(code, money.currency)
        self._totals[code] = self._totals.get(code, 0) + money.raw

    def locked(
        self, orders: Iterable[SimOrder], instruments: dict[InstrumentId, Instrument]
    ) -> dict[str, int]:
        """Return the raw amount locked per currency code by working orders and positions."""
        locked: dict[str, int] = {}
        for order in orders:
            need = self._order_need(order, instruments[order.instrument_id])
            if need is not None and need.raw:
                code = need.currency.code
                self._currencies.setdefault(code, need.currency)
                locked[code] = locked.get(code, 0) + need.raw
        if self.account_type is AccountType.MARGIN:
            for margin in self.margins(orders, instruments, positions_only=True):
                code = margin.currency.code
                locked[code] = locked.get(code, 0) + margin.maintenance.raw
        return locked

    def balances(
        self, orders: list[SimOrder], instruments: dict[InstrumentId, Instrument]
    ) -> tuple[AccountBalance, ...]:
        """Return each currency's total / locked / free."""
        locked = self.locked(orders, instruments)
        out = []
        for code in list(self._totals) + [c for c in locked if c not in self._totals]:
            cur = self._currencies[code]
            total = Money(self._totals.get(code, 0), cur)
            out.append(AccountBalance.from_total_locked(total, Money(locked.get(code, 0), cur)))
        return tuple(out)

    def free(
        self,
        currency: Currency,
        orders: list[SimOrder],
        instruments: dict[InstrumentId, Instrument],
    ) -> Money:
        """Return total - locked in `currency`."""
        locked = self.locked(orders, instruments).get(currency.code, 0)
        return Money(self._totals.get(currency.code, 0) - locked, currency)

    def margins(
        self,
        orders: Iterable[SimOrder],
        instruments: dict[InstrumentId, Instrument],
        *,
        positions_only: bool = False,
    ) -> tuple[MarginBalance, ...]:
        """Return the initial (orders) and maintenance (positions) margin per instrument."""
        if self.account_type is not AccountType.MARGIN:
            return ()
        init: dict[InstrumentId, int] = {}
        if not positions_only:
            for order in orders:
                need = self._order_need(order, instruments[order.instrument_id])
                if need is not None:
                    iid = order.instrument_id
                    init[iid] = init.get(iid, 0) + need.raw
        maints: dict[InstrumentId, int] = {}
        for (iid, _), pos in self.positions.items():
            inst = instruments.get(iid)
            if inst is not None and pos.signed_raw:
                avg = Price(div_half_even(pos.avg_num, pos.avg_den), inst.price_precision)
                qty = Quantity(abs(pos.signed_raw), pos.size_precision)
                raw = mul_rate(inst.notional_value(qty, avg), inst.margin_maint).raw
                maints[iid] = maints.get(iid, 0) + raw
        out: list[MarginBalance] = []
        for iid, inst in instruments.items():
            maint = maints.get(iid, 0)
            if maint or init.get(iid):
                cur = inst.notional_value(Quantity(0, 0), Price(FIXED_SCALAR, 0)).currency
                out.append(
                    MarginBalance(
                        initial=Money(init.get(iid, 0), cur),
                        maintenance=Money(maint, cur),
                        instrument_id=iid,
                    )
                )
        return tuple(out)

    def _order_need(self, order: SimOrder, inst: Instrument) -> Money | None:
        qty = Quantity(order.leaves_raw, order.quantity.precision)
        price = order.price or order.trigger_price
        return self.order_requirement(inst, order.side, qty, price, order.reduce_only)

    def order_requirement(
        self,
        inst: Instrument,
        side: OrderSide,
        qty: Quantity,
        price: Price | None,
        reduce_only: bool,
    ) -> Money | None:
        """Return what an order of `qty` at `price` needs free (None when unpriced)."""
        if reduce_only or price is None:
            return None
        if self.account_type is AccountType.MARGIN:
            return mul_rate(inst.notional_value(qty, price), inst.margin_init)
        if side is OrderSide.BUY:
            return inst.notional_value(qty, price)
        base = inst.base_currency
        if base is None:
            return None
        return Money(div_half_even(qty.raw * inst.multiplier.raw, FIXED_SCALAR), base)

    # -- fills -----------------------------------------------------------------------------

    def commission(
        self, inst: Instrument, qty: Quantity, price: Price, liquidity: LiquiditySide
    ) -> Money:
        """Return the fee of one fill."""
        if liquidity is LiquiditySide.MAKER:
            rate = inst.maker_fee if self._maker is None else self._maker
        else:
            rate = inst.taker_fee if self._taker is None else self._taker
        return mul_rate(inst.notional_value(qty, price), rate)

    def apply_fill(
        self,
        inst: Instrument,
        side: OrderSide,
        qty: Quantity,
        price: Price,
        commission: Money,
        ts: int,
        position_id: PositionId | None = None,
    ) -> None:
        """Update the position (`position_id`'s under HEDGING) and balances for one fill."""
        key = (inst.id, position_id)
        pos = self.positions.get(key)
        if pos is None:
            pos = self.positions[key] = SimPosition(instrument_id=inst.id, position_id=position_id)
        pnl = self._update_position(pos, inst, side, qty, price, ts)
        self._add(-commission)
        if self.account_type is AccountType.MARGIN:
            if pnl:
                self._add(_round_money(pnl, inst.settlement_currency))
            return
        notional = inst.notional_value(qty, price)
        sign = 1 if side is OrderSide.BUY else -1
        self._add(Money(-sign * notional.raw, notional.currency))
        if inst.base_currency is not None:
            base_raw = div_half_even(qty.raw * inst.multiplier.raw, FIXED_SCALAR)
            self._add(Money(sign * base_raw, inst.base_currency))

    def reducible_raw(
        self, instrument_id: InstrumentId, side: OrderSide, position_id: PositionId | None = None
    ) -> int:
        """Return how much an order of `side` can reduce the position (0: it would increase,
        or there is no such position)."""
        pos = self.positions.get((instrument_id, position_id))
        if pos is None or pos.signed_raw == 0:
            return 0
        if (pos.signed_raw > 0) == (side is OrderSide.SELL):
            return abs(pos.signed_raw)
        return 0

    @staticmethod
    def _update_position(
        pos: SimPosition, inst: Instrument, side: OrderSide, qty: Quantity, price: Price, ts: int
    ) -> Fraction:
        """Apply a fill to the position; return the realized PnL (raw money units)."""
        sign = 1 if side is OrderSide.BUY else -1
        q = pos.signed_raw
        f = qty.raw
        px = Fraction(price.raw)
        avg = Fraction(pos.avg_num, pos.avg_den)
        pnl = Fraction(0)
        pos.size_precision = max(pos.size_precision, qty.precision)
        pos.ts_last = ts
        if q == 0 or (q > 0) == (sign > 0):
            avg = (abs(q) * avg + f * px) / (abs(q) + f)
        else:
            closing = min(f, abs(q))
            direction = 1 if q > 0 else -1
            m = inst.multiplier.raw
            if inst.is_inverse:
                pnl = direction * closing * m * (1 / avg - 1 / px)
            else:
                pnl = direction * Fraction(closing * m) * (px - avg) / (FIXED_SCALAR * FIXED_SCALAR)
            if f > abs(q):
                avg = px
        q += sign * f
        if q == 0:
            avg = Fraction(0)
        pos.signed_raw = q
        pos.avg_num, pos.avg_den = avg.numerator, avg.denominator
        return pnl
