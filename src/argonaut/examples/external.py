"""`ExternalOrderAdopter`: own the external orders of some instruments.

Orders that exist at the venue but were not placed by this node (placed by hand in
the venue's UI, or by another program) are *external*. Reconciliation finds them at
startup; when a strategy lists an instrument in `external_order_claims`, the node
gives that instrument's external orders to it: their events reach the strategy and
it may cancel or modify them like its own.

This strategy claims the instruments in `external_order_claims` and, on start, adopts
every open order of those instruments it now owns but did not create (its client order
id was not made by the strategy's order factory). With `cancel_adopted` it cancels them at once (a
"clean slate" policy); otherwise it keeps them and records their fills in
`adopted_fills`.
"""

from __future__ import annotations

from argonaut.model.events.order import OrderEvent, OrderFilled
from argonaut.model.identifiers import ClientOrderId, InstrumentId
from argonaut.trading import Strategy, StrategyConfig


class ExternalOrderAdopterConfig(StrategyConfig, frozen=True, kw_only=True):
    """`ExternalOrderAdopter` options: the claims (from `StrategyConfig`) and the policy."""

    cancel_adopted: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.external_order_claims:
            raise ValueError(
                "external_order_claims must list at least one instrument id, "
                "e.g. ['BTCUSDT-PERP.SIM']"
            )


class ExternalOrderAdopter(Strategy):
    """Adopt (and optionally cancel) claimed external orders: see the module docstring."""

    def __init__(self, config: ExternalOrderAdopterConfig) -> None:
        super().__init__(config)
        self.adopted: list[ClientOrderId] = []
        self.adopted_fills: list[OrderFilled] = []

    def is_own(self, client_order_id: ClientOrderId) -> bool:
        """True when this strategy's order factory made the id."""
        return self.factory.client_order_ids.count_of(client_order_id) is not None

    def on_start(self) -> None:
        """Adopt the open orders of the claimed instruments that this strategy did not make."""
        for instrument_id in self.external_order_claims:
            self._adopt(instrument_id)

    def _adopt(self, instrument_id: InstrumentId) -> None:
        for order in self.cache.orders_open(instrument_id=instrument_id, strategy_id=self.id):
            coid = order.client_order_id
            if coid in self.adopted or self.is_own(coid):
                continue
            self.adopted.append(coid)
            self.log.info(f"Adopted external order {coid} ({order.side.value} {order.quantity})")
            if self.config.cancel_adopted:
                self.cancel_order(order)

    def on_order_event(self, event: OrderEvent) -> None:
        """Record fills of adopted orders."""
        if isinstance(event, OrderFilled) and event.client_order_id in self.adopted:
            self.adopted_fills.append(event)


__all__ = ["ExternalOrderAdopter", "ExternalOrderAdopterConfig"]
