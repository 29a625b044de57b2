"""`TWAPBuyer`: hand one parent order to the `TWAP` execution algorithm.

On the first quote the strategy creates a MARKET order of `quantity` on `side` with
``exec_algorithm_id = TWAP`` and the horizon and interval as `exec_algorithm_params`.
The order goes to the algorithm (not to the venue), which sends equal child MARKET
orders every `interval_secs` over `horizon_secs`. The node must load the algorithm::

    [[exec_algorithms]]
    path = "argonaut.trading.twap:TWAP"

The children's fills reach this strategy like any other order events (`on_order_filled`);
`filled` sums them.
"""

from __future__ import annotations

from decimal import Decimal

from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderSide
from argonaut.model.events.order import OrderFilled
from argonaut.model.identifiers import ExecAlgorithmId, InstrumentId
from argonaut.model.orders import Order
from argonaut.model.values import Quantity
from argonaut.trading import Strategy, StrategyConfig


class TWAPBuyerConfig(StrategyConfig, frozen=True, kw_only=True):
    """`TWAPBuyer` options: what to trade and the TWAP schedule (seconds, decimal text)."""

    instrument_id: str = "BTCUSDT-PERP.SIM"
    side: OrderSide = OrderSide.BUY
    quantity: str = "0.050"
    horizon_secs: str = "20"
    interval_secs: str = "5"
    exec_algorithm_id: str = "TWAP"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.side not in (OrderSide.BUY, OrderSide.SELL):
            raise ValueError(f"side must be BUY or SELL, found {self.side.value}")
        if not Quantity.from_str(self.quantity).is_positive():
            raise ValueError(f"quantity must be positive, found {self.quantity!r}")
        horizon, interval = Decimal(self.horizon_secs), Decimal(self.interval_secs)
        if not 0 < interval <= horizon:
            raise ValueError(
                f"need 0 < interval_secs <= horizon_secs, found interval_secs="
                f"{self.interval_secs}, horizon_secs={self.horizon_secs}"
            )


class TWAPBuyer(Strategy):
    """Execute one parent order with TWAP: see the module docstring."""

    def __init__(self, config: TWAPBuyerConfig | None = None) -> None:
        cfg = config if config is not None else TWAPBuyerConfig(order_id_tag="004")
        super().__init__(cfg)
        self.instrument_id = InstrumentId(cfg.instrument_id)
        self.parent: Order | None = None
        self.filled: Quantity | None = None

    def on_start(self) -> None:
        """Subscribe to quotes: the parent order goes out on the first one."""
        instrument = self.cache.instrument(self.instrument_id)
        if instrument is None:
            self.log.error(f"No instrument {self.instrument_id} in the cache: stopping")
            self.stop()
            return
        self.quantity = instrument.make_qty(self.config.quantity)
        self.filled = Quantity.zero(instrument.size_precision)
        self.subscribe_quote_ticks(self.instrument_id)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        """Send the parent order once."""
        if self.parent is not None:
            return
        cfg = self.config
        self.parent = self.factory.market(
            self.instrument_id,
            cfg.side,
            self.quantity,
            exec_algorithm_id=ExecAlgorithmId(cfg.exec_algorithm_id),
            exec_algorithm_params={
                "horizon_secs": cfg.horizon_secs,
                "interval_secs": cfg.interval_secs,
            },
        )
        self.submit_order(self.parent)
        self.unsubscribe_quote_ticks(self.instrument_id)

    def on_order_filled(self, event: OrderFilled) -> None:
        """Add a child's fill to `filled`."""
        if self.filled is not None:
            self.filled = self.filled + event.last_qty


__all__ = ["TWAPBuyer", "TWAPBuyerConfig"]
