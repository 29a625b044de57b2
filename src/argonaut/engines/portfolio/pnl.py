"""The portfolio's PnL and exposure queries (a mixin over the portfolio's state).

Unrealized PnL is cached per instrument (in its settlement currency) and dropped when a
tick, bar or position event for that instrument arrives; realized PnL is cached per
instrument and dropped on position events. Conversion to the account's base currency
happens when read, so a cached figure never holds a stale rate. Realized PnL counts
every position of the instrument, open or closed, plus the closed cycles of NETTING
positions kept as snapshots (the latest snapshot of each cycle, so periodic snapshots
are not counted twice).
"""

from __future__ import annotations

from collections.abc import Callable

from argonaut.cache import Cache
from argonaut.engines.portfolio.config import PortfolioConfig
from argonaut.engines.portfolio.pricing import convert, position_price, xrate
from argonaut.model.identifiers import ClientOrderId, InstrumentId, Venue
from argonaut.model.position import Position
from argonaut.model.values import Currency, Money, Price

_MISSING = object()


class PnlMixin:
    """PnL, exposure and their caches; `Portfolio` provides the cache and config."""

    _cache: Cache
    config: PortfolioConfig
    _realized: dict[InstrumentId, Money | None]
    _unrealized: dict[InstrumentId, Money | None]
    _bar_closes: dict[InstrumentId, Price]

    def _init_pnl(self, cache: Cache, config: PortfolioConfig) -> None:
        self._realized = {}
        self._unrealized = {}
        self._bar_closes = {}

    def _clear_pnl(self) -> None:
        self._realized.clear()
        self._unrealized.clear()

    def _invalidate_position(self, instrument_id: InstrumentId) -> None:
        self._realized.pop(instrument_id, None)
        self._unrealized.pop(instrument_id, None)

    # -- per instrument --------------------------------------------------------------------

    def realized_pnl(self, instrument_id: InstrumentId) -> Money | None:
        """Return the instrument's realized PnL (None: unknown instrument or no rate)."""
        cached = self._realized_cached(instrument_id)
        return None if cached is None else self._to_base(instrument_id, cached)

    def unrealized_pnl(
        self, instrument_id: InstrumentId, price: Price | None = None
    ) -> Money | None:
        """Return the open positions' PnL at `price`, or marked to market when None.

        None when a position has no price to mark it at, the instrument is unknown, or
        a needed conversion rate is missing.
        """
        if price is not None:
            pnl = self._open_sum(instrument_id, price, Position.unrealized_pnl)
            return None if pnl is None else self._to_base(instrument_id, pnl)
        cached = self._unrealized_cached(instrument_id)
        return None if cached is None else self._to_base(instrument_id, cached)

    def total_pnl(self, instrument_id: InstrumentId, price: Price | None = None) -> Money | None:
        """Return realized plus unrealized PnL (None when either is unknown)."""
        realized = self.realized_pnl(instrument_id)
        unrealized = self.unrealized_pnl(instrument_id, price)
        if realized is None or unrealized is None:
            return None
        return realized + unrealized

    def net_exposure(self, instrument_id: InstrumentId, price: Price | None = None) -> Money | None:
        """Return the market value of the open positions at `price` (or marked to market)."""
        exposure = self._open_sum(instrument_id, price, Position.notional_value)
        return None if exposure is None else self._to_base(instrument_id, exposure)

    # -- per venue -------------------------------------------------------------------------

    def realized_pnls(self, venue: Venue) -> dict[Currency, Money]:
        """Return the realized PnL of every instrument traded at `venue`, by currency."""
        return self._per_venue(venue, False, self._realized_cached)

    def unrealized_pnls(self, venue: Venue) -> dict[Currency, Money]:
        """Return the unrealized PnL at `venue`, by currency (unpriced positions left out)."""
        return self._per_venue(venue, True, self._unrealized_cached)

    def total_pnls(self, venue: Venue) -> dict[Currency, Money]:
        """Return realized plus unrealized PnL at `venue`, by currency."""
        totals = self.realized_pnls(venue)
        for currency, amount in self.unrealized_pnls(venue).items():
            held = totals.get(currency)
            totals[currency] = amount if held is None else held + amount
        return totals

    def net_exposures(self, venue: Venue) -> dict[Currency, Money]:
        """Return the market value of the open positions at `venue`, by currency."""
        return self._per_venue(
            venue, True, lambda iid: self._open_sum(iid, None, Position.notional_value)
        )

    # -- internals -------------------------------------------------------------------------

    def _realized_cached(self, instrument_id: InstrumentId) -> Money | None:
        cached = self._realized.get(instrument_id, _MISSING)
        if cached is _MISSING:
            cached = self._realized[instrument_id] = self._realized_raw(instrument_id)
        assert cached is None or isinstance(cached, Money)
        return cached

    def _unrealized_cached(self, instrument_id: InstrumentId) -> Money | None:
        cached = self._unrealized.get(instrument_id, _MISSING)
        if cached is _MISSING:
            cached = self._open_sum(instrument_id, None, Position.unrealized_pnl)
            self._unrealized[instrument_id] = cached
        assert cached is None or isinstance(cached, Money)
        return cached

    def _realized_raw(self, instrument_id: InstrumentId) -> Money | None:
        instrument = self._cache.instrument(instrument_id)
        if instrument is None:
            return None
        cache = self._cache
        raw = 0
        for position in cache.positions(instrument_id=instrument_id):
            raw += position.realized_pnl.raw
            current = (position.opening_order_id, position.ts_opened)
            cycles: dict[tuple[ClientOrderId, int], int] = {}
            for snapshot in cache.position_snapshots(position.id):
                key = (snapshot.opening_order_id, snapshot.ts_opened)
                if key != current:
                    cycles[key] = snapshot.realized_pnl.raw  # the latest of the cycle wins
            raw += sum(cycles.values())
        return Money(raw, instrument.settlement_currency)

    def _open_sum(
        self,
        instrument_id: InstrumentId,
        price: Price | None,
        value: Callable[[Position, Price], Money],
    ) -> Money | None:
        """Sum `value(position, price)` over the open positions (None: unpriced/unknown)."""
        instrument = self._cache.instrument(instrument_id)
        if instrument is None:
            return None
        total: Money | None = None
        config = self.config
        for position in self._cache.positions_open(instrument_id=instrument_id):
            px = price
            if px is None:
                px = position_price(
                    self._cache,
                    instrument_id,
                    position.side,
                    use_mark_prices=config.use_mark_prices,
                    bar_closes=self._bar_closes,
                )
                if px is None:
                    return None
            amount = value(position, px)
            total = amount if total is None else total + amount
        if total is None:
            return Money(0, instrument.settlement_currency)
        return total

    def _base_currency(self, venue: Venue) -> Currency | None:
        if not self.config.convert_to_account_base_currency:
            return None
        account = self._cache.account_for_venue(venue)
        return None if account is None else account.base_currency

    def _rate_to(self, venue: Venue, amount: Money, base: Currency) -> Money | None:
        rate = xrate(
            self._cache, venue, amount.currency, base, use_mark=self.config.use_mark_xrates
        )
        return None if rate is None else convert(amount, rate, base)

    def _to_base(self, instrument_id: InstrumentId, amount: Money) -> Money | None:
        venue = instrument_id.venue
        base = self._base_currency(venue)
        if base is None or base.code == amount.currency.code:
            return amount
        return self._rate_to(venue, amount, base)

    def _per_venue(
        self, venue: Venue, open_only: bool, amount_of: Callable[[InstrumentId], Money | None]
    ) -> dict[Currency, Money]:
        cache = self._cache
        positions = cache.positions_open(venue=venue) if open_only else cache.positions(venue=venue)
        instrument_ids = dict.fromkeys(p.instrument_id for p in positions)
        by_currency: dict[str, Money] = {}
        for iid in instrument_ids:
            amount = amount_of(iid)
            if amount is not None:
                _add(by_currency, amount)
        base = self._base_currency(venue)
        if base is not None:
            converted: dict[str, Money] = {}
            for amount in by_currency.values():
                in_base = self._rate_to(venue, amount, base)
                _add(converted, amount if in_base is None else in_base)
            by_currency = converted
        return {m.currency: m for m in by_currency.values()}


def _add(totals: dict[str, Money], amount: Money) -> None:
    code = amount.currency.code
    held = totals.get(code)
    totals[code] = amount if held is None else held + amount


__all__ = ["PnlMixin"]
