"""`EMACross`: long when the fast EMA of bar closes is above the slow one, short below.

The bars are built by the data engine from trades (``...-5-SECOND-LAST-INTERNAL``), so
the venue needs no bar feed. Once both averages have seen `slow_period` bars, every
bar sets a target position of plus or minus `trade_size`, and a market order for the
difference goes out unless the strategy's previous order is still working.
"""

from __future__ import annotations

from argonaut.model.data import Bar, BarType
from argonaut.model.enums import OrderSide
from argonaut.model.identifiers import InstrumentId
from argonaut.model.orders import Order
from argonaut.model.values import Quantity
from argonaut.trading import Strategy, StrategyConfig


class EMACrossConfig(StrategyConfig, frozen=True, kw_only=True):
    """`EMACross` options: the instrument, the bar type, the size and the two periods."""

    instrument_id: str = "BTCUSDT-PERP.SIM"
    bar_type: str = "BTCUSDT-PERP.SIM-5-SECOND-LAST-INTERNAL"
    trade_size: str = "0.010"
    fast_period: int = 2
    slow_period: int = 4

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.fast_period < self.slow_period:
            raise ValueError(
                f"EMA periods must satisfy 0 < fast_period < slow_period, found "
                f"fast_period={self.fast_period}, slow_period={self.slow_period}"
            )
        bar_type = BarType.from_str(self.bar_type)
        if bar_type.instrument_id != InstrumentId(self.instrument_id):
            raise ValueError(f"bar_type {self.bar_type} is not a bar type of {self.instrument_id}")
        if not Quantity.from_str(self.trade_size).is_positive():
            raise ValueError(f"trade_size must be positive, found {self.trade_size!r}")


class EMA:
    """An exponential moving average with smoothing ``2 / (period + 1)``.

    It starts at the first value and counts as initialized after `period` values.
    """

    __slots__ = ("alpha", "count", "period", "value")

    def __init__(self, period: int) -> None:
        if period < 1:
            raise ValueError(f"EMA period must be >= 1, found {period}")
        self.period = period
        self.alpha = 2.0 / (period + 1)
        self.value = 0.0
        self.count = 0

    @property
    def initialized(self) -> bool:
        """True once `period` values have been seen."""
        return self.count >= self.period

    def update(self, value: float) -> None:
        """Feed one value."""
        self.value = value if self.count == 0 else self.value + self.alpha * (value - self.value)
        self.count += 1

    def reset(self) -> None:
        """Forget every value."""
        self.value = 0.0
        self.count = 0


class EMACross(Strategy):
    """Follow the trend: see the module docstring."""

    def __init__(self, config: EMACrossConfig | None = None) -> None:
        cfg = config if config is not None else EMACrossConfig(order_id_tag="001")
        super().__init__(cfg)
        self.instrument_id = InstrumentId(cfg.instrument_id)
        self.bar_type = BarType.from_str(cfg.bar_type)
        self.fast = EMA(cfg.fast_period)
        self.slow = EMA(cfg.slow_period)
        self.bars_seen = 0
        self._working: Order | None = None

    def on_start(self) -> None:
        """Subscribe to the bars (and to trades, so the data engine can aggregate)."""
        instrument = self.cache.instrument(self.instrument_id)
        if instrument is None:
            self.log.error(f"No instrument {self.instrument_id} in the cache: stopping")
            self.stop()
            return
        self.trade_size = instrument.make_qty(self.config.trade_size)
        self.subscribe_bars(self.bar_type)

    def on_bar(self, bar: Bar) -> None:
        """Update both averages and trade toward the target position."""
        self.bars_seen += 1
        close = bar.close.as_double()
        self.fast.update(close)
        self.slow.update(close)
        if not self.slow.initialized or self.fast.value == self.slow.value:
            return
        target = self.trade_size.raw if self.fast.value > self.slow.value else -self.trade_size.raw
        self._trade_toward(target)

    def _trade_toward(self, target_raw: int) -> None:
        if self._working is not None and not self._working.is_closed:
            return  # the last order is still working
        current = sum(
            p.signed_qty_raw
            for p in self.cache.positions_open(
                instrument_id=self.instrument_id, strategy_id=self.id
            )
        )
        delta = target_raw - current
        if delta == 0:
            return
        side = OrderSide.BUY if delta > 0 else OrderSide.SELL
        quantity = Quantity(abs(delta), self.trade_size.precision)
        self._working = self.factory.market(self.instrument_id, side, quantity)
        self.submit_order(self._working)

    def on_stop(self) -> None:
        """Stop receiving bars (open positions stay: set `manage_stop` to close them)."""
        self.unsubscribe_bars(self.bar_type)

    def on_reset(self) -> None:
        """Forget both averages."""
        self.fast.reset()
        self.slow.reset()
        self.bars_seen = 0


__all__ = ["EMA", "EMACross", "EMACrossConfig"]
