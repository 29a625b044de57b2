"""`MarketMaker`: one bid and one ask around the mid, skewed against the inventory.

On every quote the strategy computes its prices: the mid minus/plus `half_spread_ticks`
ticks, both shifted down by `skew_ticks` ticks per `trade_size` of long inventory (up
when short), so a long book quotes lower and sells more readily. The bid is never above
the best bid and the ask never below the best ask (the quotes rest, they do not take).
A side stops quoting once the inventory reaches `max_inventory` in its direction. A
resting quote is moved (a modify) when its price is `requote_ticks` or more away from
the wanted one; an order with a request in flight, or one the market quotes through
(it is being filled), is left alone until the venue answers. A new quote never
reaches our own resting quote on the other side.
On stop the quotes are canceled unless `cancel_on_stop` is off; on start, quotes left
open by a previous run (restored from the database) are adopted.
"""

from __future__ import annotations

from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderSide
from argonaut.model.identifiers import InstrumentId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.trading import Strategy, StrategyConfig


class MarketMakerConfig(StrategyConfig, frozen=True, kw_only=True):
    """`MarketMaker` options (see the module docstring for their meaning)."""

    instrument_id: str = "ETHUSDT-PERP.SIM"
    trade_size: str = "0.100"
    max_inventory: str = "0.500"
    half_spread_ticks: int = 1
    skew_ticks: int = 1
    requote_ticks: int = 2
    cancel_on_stop: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("half_spread_ticks", "skew_ticks"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, found {getattr(self, name)}")
        if self.requote_ticks < 1:
            raise ValueError(f"requote_ticks must be >= 1, found {self.requote_ticks}")
        size = Quantity.from_str(self.trade_size)
        if not size.is_positive():
            raise ValueError(f"trade_size must be positive, found {self.trade_size!r}")
        if Quantity.from_str(self.max_inventory) < size:
            raise ValueError(
                f"max_inventory {self.max_inventory} must be at least trade_size {self.trade_size}"
            )


class MarketMaker(Strategy):
    """Quote both sides with inventory skew: see the module docstring."""

    def __init__(self, config: MarketMakerConfig | None = None) -> None:
        cfg = config if config is not None else MarketMakerConfig(order_id_tag="002")
        super().__init__(cfg)
        self.instrument_id = InstrumentId(cfg.instrument_id)
        self._instrument: Instrument | None = None
        self._bid: Order | None = None
        self._ask: Order | None = None

    def on_start(self) -> None:
        """Subscribe to quotes of the instrument."""
        instrument = self.cache.instrument(self.instrument_id)
        if instrument is None:
            self.log.error(f"No instrument {self.instrument_id} in the cache: stopping")
            self.stop()
            return
        self._instrument = instrument
        self.trade_size = instrument.make_qty(self.config.trade_size)
        self.max_inventory = instrument.make_qty(self.config.max_inventory)
        self._adopt_open_quotes()
        self.subscribe_quote_ticks(self.instrument_id)

    def _adopt_open_quotes(self) -> None:
        """Take over quotes left open by a previous run (restored from the database):
        the first open order per side becomes that side's quote, any other is canceled."""
        for order in self.cache.orders_open(instrument_id=self.instrument_id, strategy_id=self.id):
            if order.side is OrderSide.BUY and self._bid is None:
                self._bid = order
            elif order.side is OrderSide.SELL and self._ask is None:
                self._ask = order
            else:
                self.cancel_order(order)

    @property
    def inventory_raw(self) -> int:
        """The strategy's signed position in the instrument (raw, 10**9 scale)."""
        return sum(
            p.signed_qty_raw
            for p in self.cache.positions_open(
                instrument_id=self.instrument_id, strategy_id=self.id
            )
        )

    def quote_prices(self, tick: QuoteTick) -> tuple[Price, Price]:
        """Return the (bid, ask) this strategy wants for a market quote."""
        instrument = self._instrument
        assert instrument is not None
        tick_raw = instrument.price_increment.raw
        cfg = self.config
        skew = -(self.inventory_raw * cfg.skew_ticks // self.trade_size.raw) * tick_raw
        half = cfg.half_spread_ticks * tick_raw
        mid2 = tick.bid_price.raw + tick.ask_price.raw  # twice the mid: exact
        bid_raw = (mid2 // 2 - half + skew) // tick_raw * tick_raw  # round down to the grid
        ask_raw = -(-((mid2 + 1) // 2 + half + skew) // tick_raw) * tick_raw  # round up
        bid_raw = max(min(bid_raw, tick.bid_price.raw), tick_raw)
        ask_raw = max(ask_raw, tick.ask_price.raw)
        precision = instrument.price_precision
        return Price(bid_raw, precision), Price(ask_raw, precision)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        """Place, move or pull each side's quote."""
        bid, ask = self.quote_prices(tick)
        bid, ask = self._not_crossing_own(bid, ask)
        inventory = self.inventory_raw
        self._bid = self._work(
            self._bid, OrderSide.BUY, bid, inventory < self.max_inventory.raw, tick.ask_price
        )
        self._ask = self._work(
            self._ask, OrderSide.SELL, ask, -inventory < self.max_inventory.raw, tick.bid_price
        )

    def _not_crossing_own(self, bid: Price, ask: Price) -> tuple[Price, Price]:
        """Keep the new bid below our resting ask and the new ask above our resting bid."""
        assert self._instrument is not None
        tick = self._instrument.price_increment.raw
        resting_ask, resting_bid = self._ask, self._bid
        if resting_ask is not None and resting_ask.price is not None and not resting_ask.is_closed:
            bid = Price(min(bid.raw, resting_ask.price.raw - tick), bid.precision)
        if resting_bid is not None and resting_bid.price is not None and not resting_bid.is_closed:
            ask = Price(max(ask.raw, resting_bid.price.raw + tick), ask.precision)
        return bid, ask

    def _work(
        self, order: Order | None, side: OrderSide, price: Price, wanted: bool, far_touch: Price
    ) -> Order | None:
        if order is not None and order.is_closed:
            order = None
        if order is not None and (order.is_active_local or order.is_inflight):
            return order  # not at the venue yet, or a request awaits its answer
        if not wanted:
            if order is not None:
                self.cancel_order(order)
            return order
        if order is None:
            order = self.factory.limit(
                self.instrument_id, side, self.trade_size, price, post_only=True
            )
            self.submit_order(order)
            return order
        assert order.price is not None
        assert self._instrument is not None
        distance = abs(order.price.raw - price.raw) // self._instrument.price_increment.raw
        # The market quoting through the order means the venue is filling it: wait for the
        # fill rather than send a modify that would cross it (and be rejected).
        crossed = far_touch <= order.price if side is OrderSide.BUY else far_touch >= order.price
        if distance >= self.config.requote_ticks and order.is_open and not crossed:
            self.modify_order(order, price=price)
        return order

    def on_stop(self) -> None:
        """Stop receiving quotes and, with `cancel_on_stop`, pull both quotes (without it
        they keep working at the venue and the next run adopts them)."""
        self.unsubscribe_quote_ticks(self.instrument_id)
        if self.config.cancel_on_stop:
            self.cancel_all_orders(self.instrument_id)
        self._bid = self._ask = None


__all__ = ["MarketMaker", "MarketMakerConfig"]
