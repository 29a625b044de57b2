"""Pre-trade checks against one instrument, precomputed once per instrument.

`InstrumentRules` holds an instrument's grids and limits as raw integers so a check is
a few integer operations; a check returns None when it passes and the denial reason
``"CODE: key=value ..."`` when it fails (strings are built only then). Notional
comparisons are exact (products of raw integers, no rounding): an order is over a
limit when its exact notional is.

`reference_price` picks the price an order's notional and balance impact are
measured at (section 5 of the behaviour reference, step 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from argonaut.cache import Cache
from argonaut.common.logging import Logger
from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.accounts import CashAccount
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import OrderSide, OrderType, TrailingOffsetType
from argonaut.model.identifiers import InstrumentId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.values import Money, Price, Quantity

_SCALAR2: Final = FIXED_SCALAR * FIXED_SCALAR

# Order types whose notional is measured at the touch (or the last trade).
MARKET_TYPES: Final = frozenset({OrderType.MARKET, OrderType.MARKET_TO_LIMIT})
# Order types whose notional is measured at the trigger price.
TRIGGER_TYPES: Final = frozenset({OrderType.STOP_MARKET, OrderType.MARKET_IF_TOUCHED})
TRAILING_TYPES: Final = frozenset({OrderType.TRAILING_STOP_MARKET, OrderType.TRAILING_STOP_LIMIT})
SUPPORTED_TRAILING_OFFSETS: Final = frozenset(
    {TrailingOffsetType.PRICE, TrailingOffsetType.BASIS_POINTS, TrailingOffsetType.TICKS}
)


class _NotionalLimit:
    """A notional limit as a raw amount, measured in the quote (or inverse base) currency."""

    __slots__ = ("in_quote", "money", "raw")

    def __init__(self, money: Money, in_quote: bool) -> None:
        self.money = money
        self.raw = money.raw
        self.in_quote = in_quote


class InstrumentRules:
    """An instrument's grids and limits as raw integers, with the checks that use them."""

    __slots__ = (
        "allows_negative",
        "cap",
        "has_notional_limits",
        "instrument",
        "is_inverse",
        "max_notional",
        "max_price_raw",
        "max_qty_raw",
        "min_notional",
        "min_price_raw",
        "min_qty_raw",
        "multiplier_raw",
        "price_precision",
        "size_precision",
        "step_raw",
        "tick_raw",
        "venue",
    )

    def __init__(self, instrument: Instrument, cap: Decimal | None = None) -> None:
        self.instrument = instrument
        self.venue = instrument.id.venue
        self.tick_raw = instrument.price_increment.raw
        self.step_raw = instrument.size_increment.raw
        self.price_precision = instrument.price_precision
        self.size_precision = instrument.size_precision
        self.allows_negative = instrument.allows_negative_price()
        self.min_price_raw = None if instrument.min_price is None else instrument.min_price.raw
        self.max_price_raw = None if instrument.max_price is None else instrument.max_price.raw
        self.min_qty_raw = None if instrument.min_quantity is None else instrument.min_quantity.raw
        self.max_qty_raw = None if instrument.max_quantity is None else instrument.max_quantity.raw
        self.multiplier_raw = instrument.multiplier.raw
        self.is_inverse = instrument.is_inverse
        self.min_notional = self._limit(instrument.min_notional)
        self.max_notional = self._limit(instrument.max_notional)
        quote = instrument.quote_currency
        self.cap = (
            None
            if cap is None
            else _NotionalLimit(Money(int(cap * FIXED_SCALAR), quote), in_quote=True)
        )
        self.has_notional_limits = (
            self.cap is not None or self.min_notional is not None or self.max_notional is not None
        )

    def _limit(self, money: Money | None) -> _NotionalLimit | None:
        if money is None:
            return None
        inst = self.instrument
        if money.currency.code == inst.quote_currency.code:
            return _NotionalLimit(money, in_quote=True)
        base = inst.base_currency
        if inst.is_inverse and base is not None and money.currency.code == base.code:
            return _NotionalLimit(money, in_quote=False)
        return None  # a limit in a currency the notional is never measured in

    # -- prices and quantities ------------------------------------------------------------

    def check_price(self, price: Price, key: str) -> str | None:
        """Check `price` (named `key`: price or trigger_price) on the grid and in limits."""
        raw = price.raw
        if raw % self.tick_raw:
            return (
                f"{key.upper()}_NOT_ON_TICK: {key}={price} "
                f"tick={self.instrument.price_increment} instrument={self.instrument.id}"
            )
        if price.precision > self.price_precision:
            return (
                f"{key.upper()}_PRECISION_EXCEEDED: {key}={price} precision={price.precision} "
                f"max_precision={self.price_precision} instrument={self.instrument.id}"
            )
        if raw <= 0 and not self.allows_negative:
            return f"{key.upper()}_NOT_POSITIVE: {key}={price} instrument={self.instrument.id}"
        if self.max_price_raw is not None and raw > self.max_price_raw:
            return (
                f"{key.upper()}_EXCEEDS_MAXIMUM: {key}={price} "
                f"max={self.instrument.max_price} instrument={self.instrument.id}"
            )
        if self.min_price_raw is not None and raw < self.min_price_raw:
            return (
                f"{key.upper()}_BELOW_MINIMUM: {key}={price} "
                f"min={self.instrument.min_price} instrument={self.instrument.id}"
            )
        return None

    def check_quantity(self, quantity: Quantity) -> str | None:
        """Check `quantity` on the size grid, positive and within min/max quantity."""
        raw = quantity.raw
        if raw % self.step_raw:
            return (
                f"QUANTITY_NOT_ON_STEP: quantity={quantity} "
                f"step={self.instrument.size_increment} instrument={self.instrument.id}"
            )
        if quantity.precision > self.size_precision:
            return (
                f"QUANTITY_PRECISION_EXCEEDED: quantity={quantity} "
                f"precision={quantity.precision} max_precision={self.size_precision} "
                f"instrument={self.instrument.id}"
            )
        if raw <= 0:
            return f"QUANTITY_NOT_POSITIVE: quantity={quantity} instrument={self.instrument.id}"
        max_raw = self.max_qty_raw
        min_raw = self.min_qty_raw
        if (max_raw is not None and raw > max_raw) or (min_raw is not None and raw < min_raw):
            return self.check_quantity_limits(quantity)
        return None

    def check_quantity_limits(self, quantity: Quantity, extra: str = "") -> str | None:
        """Check `quantity` within min/max quantity (`extra` is appended to a reason)."""
        raw = quantity.raw
        if self.max_qty_raw is not None and raw > self.max_qty_raw:
            return (
                f"QUANTITY_EXCEEDS_MAXIMUM: quantity={quantity} "
                f"max={self.instrument.max_quantity}{extra} instrument={self.instrument.id}"
            )
        if self.min_qty_raw is not None and raw < self.min_qty_raw:
            return (
                f"QUANTITY_BELOW_MINIMUM: quantity={quantity} "
                f"min={self.instrument.min_quantity}{extra} instrument={self.instrument.id}"
            )
        return None

    # -- notional -------------------------------------------------------------------------

    def check_notional(self, quantity: Quantity, price: Price) -> str | None:
        """Check the notional of `quantity` at `price` against the caps and limits."""
        cap = self.cap
        if cap is not None and self._compare(quantity.raw, price.raw, cap) > 0:
            return self._notional_reason("NOTIONAL_EXCEEDS_MAX_PER_ORDER", quantity, price, cap)
        hi = self.max_notional
        if hi is not None and self._compare(quantity.raw, price.raw, hi) > 0:
            return self._notional_reason("NOTIONAL_EXCEEDS_MAXIMUM", quantity, price, hi)
        lo = self.min_notional
        if lo is not None and self._compare(quantity.raw, price.raw, lo) < 0:
            return self._notional_reason("NOTIONAL_BELOW_MINIMUM", quantity, price, lo)
        return None

    def _compare(self, q_raw: int, p_raw: int, limit: _NotionalLimit) -> int:
        """Return the sign of (exact notional - limit)."""
        m = self.multiplier_raw
        if limit.in_quote:
            # Notional in quote units, scaled by 10**27.
            lhs = q_raw * m * FIXED_SCALAR if self.is_inverse else q_raw * p_raw * m
            rhs = limit.raw * _SCALAR2
        else:
            if p_raw <= 0:
                return 1  # an inverse notional at a price <= 0 is unbounded
            # Inverse base notional q*m/p (units) against limit: compare q*m with L*p.
            lhs = q_raw * m
            rhs = limit.raw * p_raw
        return (lhs > rhs) - (lhs < rhs)

    def _notional_reason(
        self, code: str, quantity: Quantity, price: Price, limit: _NotionalLimit
    ) -> str:
        inst = self.instrument
        use_quote = limit.in_quote and inst.is_inverse
        try:
            notional = str(inst.notional_value(quantity, price, use_quote_for_inverse=use_quote))
        except ValueError:
            notional = "unbounded"
        kind = "min" if code == "NOTIONAL_BELOW_MINIMUM" else "max"
        return (
            f"{code}: notional={notional} {kind}={limit.money} quantity={quantity} "
            f"price={price} instrument={inst.id}"
        )


def touch_price(side: OrderSide, quote: QuoteTick | None, trade: TradeTick | None) -> Price | None:
    """Return the price a `side` order would trade at now: the far touch, else the last trade."""
    if quote is not None:
        return quote.ask_price if side is OrderSide.BUY else quote.bid_price
    return None if trade is None else trade.price


def trailing_trigger(order: Order, rules: InstrumentRules, market: Price) -> Price:
    """Return the trigger a trailing stop without one would get from `market` now.

    A BUY stop trails above the market, a SELL stop below. The offset type must be in
    `SUPPORTED_TRAILING_OFFSETS` (checked before).
    """
    offset = order.trailing_offset if order.trailing_offset is not None else Decimal(0)
    kind = order.trailing_offset_type
    if kind is TrailingOffsetType.TICKS:
        delta = int(offset * rules.tick_raw)
    elif kind is TrailingOffsetType.BASIS_POINTS:
        delta = int(Decimal(market.raw) * offset / 10_000)
    else:
        delta = int(offset * FIXED_SCALAR)
    raw = market.raw + delta if order.side is OrderSide.BUY else market.raw - delta
    return Price(raw, rules.price_precision)


def reference_price(
    order: Order, rules: InstrumentRules, quote: QuoteTick | None, trade: TradeTick | None
) -> Price | None:
    """Return the price the order's notional is measured at, or None when unknown.

    MARKET and MARKET_TO_LIMIT: the touch (ask for a BUY, bid for a SELL), else the last
    trade. STOP_MARKET and MARKET_IF_TOUCHED: the trigger price. Trailing stops: the
    limit price (stop-limit), else the trigger price, else a trigger computed from the
    touch or the last trade. Other types: the limit price.
    """
    kind = order.order_type
    if kind in MARKET_TYPES:
        return touch_price(order.side, quote, trade)
    if kind in TRIGGER_TYPES:
        return order.trigger_price
    if kind in TRAILING_TYPES:
        if kind is OrderType.TRAILING_STOP_LIMIT and order.price is not None:
            return order.price
        if order.trigger_price is not None:
            return order.trigger_price
        market = touch_price(order.side, quote, trade)
        return None if market is None else trailing_trigger(order, rules, market)
    return order.price


def quote_quantity_price(
    order: Order, rules: InstrumentRules, quote: QuoteTick | None, trade: TradeTick | None
) -> Price | None:
    """Return the price a quote-quantity order's amount is converted at, or None.

    The `reference_price`, except that a LIMIT price is capped at the touch (a
    marketable limit trades there) and a price-less order falls back on the market.
    """
    market = touch_price(order.side, quote, trade)
    ref = reference_price(order, rules, quote, trade)
    if ref is None or market is None:
        return market if ref is None else ref
    if order.order_type is OrderType.LIMIT:
        if order.side is OrderSide.BUY:
            return market if market.raw < ref.raw else ref
        return market if market.raw > ref.raw else ref
    return ref


def check_account_level(
    cache: Cache, orders: Sequence[Order], rules: InstrumentRules, log: Logger
) -> str | None:
    """Run step 6 over an order or a whole list: quote-quantity conversion, notional
    limits, and the free balance of a cash account (per order, then cumulatively).

    Reduce-only orders lock nothing. A SELL that reduces the instrument's available long
    (net long minus the leaves of open SELL orders) skips the balance check. Margin
    accounts and venues without an account pass. An order whose price cannot be known
    (a market order without quotes or trades) skips these checks with a warning.
    """
    account = cache.account_for_venue(rules.venue)
    cash = account if isinstance(account, CashAccount) and not account.allow_borrowing else None
    if cash is None and not rules.has_notional_limits:
        for order in orders:
            if order.quote_quantity:
                break
        else:
            return None  # nothing to measure: the common margin-account path
    iid = rules.instrument.id
    quote = cache.quote_tick(iid)
    trade = cache.trade_tick(iid)
    listed = len(orders) > 1
    cumulative: dict[str, int] = {}
    available_long: int | None = None
    for order in orders:
        quantity = order.quantity
        if order.quote_quantity:
            price = quote_quantity_price(order, rules, quote, trade)
            if price is None or price.raw <= 0:
                return blame(
                    f"NO_PRICE_FOR_QUOTE_QUANTITY: quote_quantity={quantity} instrument={iid} "
                    "(no quote or trade to convert it at)",
                    order,
                    listed,
                )
            quantity = rules.instrument.calculate_base_quantity(quantity, price)
            reason = rules.check_quantity_limits(quantity, f" quote_quantity={order.quantity}")
            if reason is not None:
                return blame(reason, order, listed)
        else:
            price = reference_price(order, rules, quote, trade)
            if price is None:
                log.warning(
                    f"no quote or trade for {iid}: notional and balance checks of order "
                    f"{order.client_order_id} skipped"
                )
                continue
        if rules.has_notional_limits:
            reason = rules.check_notional(quantity, price)
            if reason is not None:
                return blame(reason, order, listed)
        if cash is None or order.reduce_only:
            continue
        if order.side is OrderSide.SELL:
            if available_long is None:
                available_long = _available_long(cache, iid)
            if quantity.raw <= available_long:
                available_long -= quantity.raw
                continue
        locked = cash.calculate_balance_locked(rules.instrument, order.side, quantity, price)
        currency = locked.currency
        free = cash.balance_free(currency)
        free_raw = 0 if free is None else free.raw
        if locked.raw > free_raw:
            return blame(
                f"NOTIONAL_EXCEEDS_FREE_BALANCE: notional={locked} "
                f"free={Money(free_raw, currency)} account={cash.id} instrument={iid}",
                order,
                listed,
            )
        total = cumulative.get(currency.code, 0) + locked.raw
        cumulative[currency.code] = total
        if total > free_raw:
            return blame(
                f"CUM_NOTIONAL_EXCEEDS_FREE_BALANCE: cum_notional={Money(total, currency)} "
                f"free={Money(free_raw, currency)} account={cash.id} instrument={iid}",
                order,
                listed,
            )
    return None


def _available_long(cache: Cache, instrument_id: InstrumentId) -> int:
    """Return the net long raw quantity not already covered by open SELL orders."""
    net = sum(p.signed_qty_raw for p in cache.positions_open(instrument_id=instrument_id))
    if net <= 0:
        return 0
    selling = sum(
        o.leaves_qty.raw
        for o in cache.orders_open(instrument_id=instrument_id, side=OrderSide.SELL)
    )
    return max(0, net - selling)


def blame(reason: str, order: Order, listed: bool) -> str:
    """Name the offending order in a reason that denies a whole list."""
    return f"{reason} client_order_id={order.client_order_id}" if listed else reason
