"""`OrderEventFactory`: the `generate_*` helpers a live execution client emits events with.

Each helper builds one event stamped with the client's trader id and account id, a
fresh `event_id` from the injected `UUIDFactory` and `ts_init` from the injected clock,
hands it to the client's event sink (no awaiting) and returns it.
"""

from __future__ import annotations

from typing import Any

from argonaut.common.clock import Clock
from argonaut.core.uuid import UUIDFactory
from argonaut.live.clients.base import Sink
from argonaut.model.accounts.balances import AccountBalance, MarginBalance
from argonaut.model.enums import AccountType, LiquiditySide, OrderSide, OrderType
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderExpired,
    OrderFilled,
    OrderModifyRejected,
    OrderRejected,
    OrderSubmitted,
    OrderTriggered,
    OrderUpdated,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.values import Currency, Money, Price, Quantity

__all__ = ["OrderEventFactory"]


class OrderEventFactory:
    """Mixin: build order and account events and send them to `_event_sink`."""

    trader_id: TraderId
    account_type: AccountType
    base_currency: Currency | None
    _account_id: AccountId
    _clock: Clock
    _uuids: UUIDFactory
    _event_sink: Sink

    def _stamp(
        self,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        ts_event: int,
    ) -> dict[str, Any]:
        return {
            "trader_id": self.trader_id,
            "strategy_id": strategy_id,
            "instrument_id": instrument_id,
            "client_order_id": client_order_id,
            "account_id": self._account_id,
            "event_id": self._uuids.generate(),
            "ts_event": ts_event,
            "ts_init": self._clock.timestamp_ns(),
        }

    def generate_order_submitted(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        ts_event: int,
    ) -> OrderSubmitted:
        """Emit `OrderSubmitted`: the order left for the venue and is now in flight."""
        event = OrderSubmitted(**self._stamp(strategy_id, instrument_id, client_order_id, ts_event))
        self._event_sink(event)
        return event

    def generate_order_rejected(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        reason: str,
        ts_event: int,
        due_post_only: bool = False,
    ) -> OrderRejected:
        """Emit `OrderRejected`: the venue refused the order."""
        event = OrderRejected(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            reason=reason,
            due_post_only=due_post_only,
        )
        self._event_sink(event)
        return event

    def generate_order_accepted(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId,
        ts_event: int,
    ) -> OrderAccepted:
        """Emit `OrderAccepted`: the venue took the order under `venue_order_id`."""
        event = OrderAccepted(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
        )
        self._event_sink(event)
        return event

    def generate_order_modify_rejected(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId | None,
        reason: str,
        ts_event: int,
    ) -> OrderModifyRejected:
        """Emit `OrderModifyRejected`: the venue refused a modify; the order is unchanged."""
        event = OrderModifyRejected(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
            reason=reason,
        )
        self._event_sink(event)
        return event

    def generate_order_cancel_rejected(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId | None,
        reason: str,
        ts_event: int,
    ) -> OrderCancelRejected:
        """Emit `OrderCancelRejected`: the venue refused a cancel; the order is unchanged."""
        event = OrderCancelRejected(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
            reason=reason,
        )
        self._event_sink(event)
        return event

    def generate_order_updated(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId | None,
        quantity: Quantity,
        price: Price | None,
        trigger_price: Price | None,
        ts_event: int,
        protection_price: Price | None = None,
    ) -> OrderUpdated:
        """Emit `OrderUpdated`: the order's quantity or prices changed at the venue."""
        event = OrderUpdated(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
            quantity=quantity,
            price=price,
            trigger_price=trigger_price,
            protection_price=protection_price,
        )
        self._event_sink(event)
        return event

    def generate_order_canceled(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId | None,
        ts_event: int,
    ) -> OrderCanceled:
        """Emit `OrderCanceled`."""
        event = OrderCanceled(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
        )
        self._event_sink(event)
        return event

    def generate_order_triggered(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId | None,
        ts_event: int,
    ) -> OrderTriggered:
        """Emit `OrderTriggered`: a stop or if-touched order's trigger was hit."""
        event = OrderTriggered(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
        )
        self._event_sink(event)
        return event

    def generate_order_expired(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId | None,
        ts_event: int,
    ) -> OrderExpired:
        """Emit `OrderExpired`."""
        event = OrderExpired(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
        )
        self._event_sink(event)
        return event

    def generate_order_filled(
        self,
        *,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId,
        venue_position_id: PositionId | None,
        trade_id: TradeId,
        order_side: OrderSide,
        order_type: OrderType,
        last_qty: Quantity,
        last_px: Price,
        quote_currency: Currency,
        commission: Money,
        liquidity_side: LiquiditySide,
        ts_event: int,
    ) -> OrderFilled:
        """Emit `OrderFilled` for one execution at the venue."""
        event = OrderFilled(
            **self._stamp(strategy_id, instrument_id, client_order_id, ts_event),
            venue_order_id=venue_order_id,
            position_id=venue_position_id,
            trade_id=trade_id,
            order_side=order_side,
            order_type=order_type,
            last_qty=last_qty,
            last_px=last_px,
            currency=quote_currency,
            commission=commission,
            liquidity_side=liquidity_side,
        )
        self._event_sink(event)
        return event

    def generate_account_state(
        self,
        balances: list[AccountBalance] | tuple[AccountBalance, ...],
        margins: list[MarginBalance] | tuple[MarginBalance, ...],
        reported: bool,
        ts_event: int,
        info: dict[str, Any] | None = None,
    ) -> AccountState:
        """Emit the account's `AccountState` (`reported`: the venue said so)."""
        state = AccountState(
            account_id=self._account_id,
            account_type=self.account_type,
            base_currency=self.base_currency,
            balances=tuple(balances),
            margins=tuple(margins),
            is_reported=reported,
            event_id=self._uuids.generate(),
            ts_event=ts_event,
            ts_init=self._clock.timestamp_ns(),
            info=info,
        )
        self._event_sink(state)
        return state
