"""`BracketTrader`: enter with a bracket whose exits are emulated locally.

When flat and without working orders, the strategy submits a bracket: a MARKET entry
of `trade_size` on `side`, a take-profit LIMIT `take_profit_ticks` away and a stop-loss
STOP_MARKET `stop_loss_ticks` away on the other side of the last quote's mid. Both
exits carry an emulation trigger (`emulation_trigger`, BID_ASK by default): the order
emulator holds them, watches the quotes and releases an exit to the venue only when its
price is touched, so the stop is never visible in the venue's book. The exits are
linked OCO: when one fills, the other is canceled. After each bracket closes, the next
one goes out, up to `max_brackets` (0: no limit).
"""

from __future__ import annotations

from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderSide, TriggerType
from argonaut.model.events.position import PositionClosed
from argonaut.model.identifiers import InstrumentId
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.trading import Strategy, StrategyConfig


class BracketTraderConfig(StrategyConfig, frozen=True, kw_only=True):
    """`BracketTrader` options (see the module docstring for their meaning)."""

    instrument_id: str = "BTCUSDT-PERP.SIM"
    side: OrderSide = OrderSide.BUY
    trade_size: str = "0.010"
    take_profit_ticks: int = 20
    stop_loss_ticks: int = 20
    emulation_trigger: TriggerType = TriggerType.BID_ASK
    max_brackets: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.side not in (OrderSide.BUY, OrderSide.SELL):
            raise ValueError(f"side must be BUY or SELL, found {self.side.value}")
        for name in ("take_profit_ticks", "stop_loss_ticks"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, found {getattr(self, name)}")
        if self.max_brackets < 0:
            raise ValueError(f"max_brackets must be >= 0 (0: no limit), found {self.max_brackets}")
        if not Quantity.from_str(self.trade_size).is_positive():
            raise ValueError(f"trade_size must be positive, found {self.trade_size!r}")


class BracketTrader(Strategy):
    """Trade brackets with emulated exits: see the module docstring."""

    def __init__(self, config: BracketTraderConfig | None = None) -> None:
        cfg = config if config is not None else BracketTraderConfig(order_id_tag="003")
        super().__init__(cfg)
        self.instrument_id = InstrumentId(cfg.instrument_id)
        self.brackets_sent = 0
        self._last_quote: QuoteTick | None = None
        self._current: list[Order] = []

    def on_start(self) -> None:
        """Subscribe to quotes (the entry waits for the first one)."""
        instrument = self.cache.instrument(self.instrument_id)
        if instrument is None:
            self.log.error(f"No instrument {self.instrument_id} in the cache: stopping")
            self.stop()
            return
        self.trade_size = instrument.make_qty(self.config.trade_size)
        self.tick_raw = instrument.price_increment.raw
        self.precision = instrument.price_precision
        self.subscribe_quote_ticks(self.instrument_id)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        """Remember the quote; send a bracket when the strategy is flat and idle."""
        self._last_quote = tick
        self._maybe_enter()

    def on_position_closed(self, event: PositionClosed) -> None:
        """A bracket ended: the next quote may start another."""
        self.log.info(f"Bracket closed with realized PnL {event.realized_pnl}")

    def _maybe_enter(self) -> None:
        tick = self._last_quote
        limit = self.config.max_brackets
        if tick is None or (limit and self.brackets_sent >= limit):
            return
        if self.cache.positions_open(instrument_id=self.instrument_id, strategy_id=self.id):
            return
        if any(not order.is_closed for order in self._current):
            return
        cache, iid, sid = self.cache, self.instrument_id, self.id
        if cache.orders_open_count(
            instrument_id=iid, strategy_id=sid
        ) or cache.orders_emulated_count(instrument_id=iid, strategy_id=sid):
            return  # e.g. orders restored from a previous run
        mid_raw = (tick.bid_price.raw + tick.ask_price.raw) // 2 // self.tick_raw * self.tick_raw
        sign = 1 if self.config.side is OrderSide.BUY else -1
        tp = Price(mid_raw + sign * self.config.take_profit_ticks * self.tick_raw, self.precision)
        sl = Price(mid_raw - sign * self.config.stop_loss_ticks * self.tick_raw, self.precision)
        bracket = self.factory.bracket(
            self.instrument_id,
            self.config.side,
            self.trade_size,
            tp_price=tp,
            sl_trigger_price=sl,
            tp_post_only=False,
            emulation_trigger=self.config.emulation_trigger,
        )
        self.brackets_sent += 1
        self.submit_order_list(bracket)
        self._current = [
            o for o in (cache.order(init.client_order_id) for init in bracket.orders) if o
        ]

    def on_stop(self) -> None:
        """Stop receiving quotes (set `manage_stop` to also cancel and flatten)."""
        self.unsubscribe_quote_ticks(self.instrument_id)


__all__ = ["BracketTrader", "BracketTraderConfig"]
