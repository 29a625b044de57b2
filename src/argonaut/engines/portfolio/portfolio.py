"""`Portfolio`: accounts, locked balances and margins, PnL and exposure of the node.

Inputs (all on the bus, subscribed at priority 10 so the portfolio is up to date before
strategies see an event):

- Account states. An execution client either sends its `AccountState` to the endpoint
  ``Portfolio.update_account`` (the portfolio applies it, then publishes it on
  ``events.account.{account_id}``) or publishes it on that topic itself (the portfolio
  applies it from its subscription). A state whose event id is the account's latest is
  ignored, so each state is applied once whichever way it came. The first state of an
  account creates it in the cache (`Account.from_state`).
- Order events (``events.order.*``) and position events (``events.position.*``), as the
  execution engine publishes them after updating the cache. For an account the venue
  does not report (its latest state has ``is_reported`` False) they trigger a
  recalculation of locked balances and margins (see `accounts_manager`); a changed
  result is applied as a new `AccountState` and published on the account topic.
  Accounts the venue reports are never recalculated.
- Market data (``data.quotes.*``, ``data.trades.*``, external bars, and mark prices with
  `use_mark_prices`), as the data engine publishes it after caching it. A tick only
  marks its instrument's unrealized PnL stale (constant work); PnL is computed lazily
  from the cached prices when asked for.

Valuation (`position_price`): mark price first with `use_mark_prices`, then the quote
(bid for a long, ask for a short), then the last trade, then the last external bar.
PnL and exposure are in the instrument's settlement (or notional) currency, converted
to the account's base currency when `convert_to_account_base_currency` and the account
has one; a per-instrument figure that needs a rate the cache cannot give is None, and a
per-venue figure keeps that part in its own currency. Exposure is the market value of
the open quantity (always >= 0; the direction is in `net_position`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.component import Component
from argonaut.common.logging import Logger
from argonaut.core.fixed import raw_to_decimal
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.portfolio.accounts_manager import AccountsManager
from argonaut.engines.portfolio.config import PortfolioConfig
from argonaut.engines.portfolio.pnl import PnlMixin
from argonaut.model.accounts import Account, MarginAccount
from argonaut.model.data import Bar, MarkPriceUpdate, QuoteTick, TradeTick
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderDenied,
    OrderEmulated,
    OrderEvent,
    OrderInitialized,
    OrderPendingCancel,
    OrderPendingUpdate,
    OrderSubmitted,
)
from argonaut.model.events.position import PositionEvent
from argonaut.model.identifiers import AccountId, InstrumentId, Venue
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.values import Currency, Money

_PRIORITY = 10
# Wildcard patterns over the topics `argonaut.common.topics` builds per instrument/account.
_ALL_ACCOUNT_EVENTS = topics.all_account_events()
_ALL_QUOTES = topics.all_quotes()
_ALL_TRADES = topics.all_trades()
_ALL_MARK_PRICES = topics.all_mark_prices()
_ALL_EXTERNAL_BARS = topics.all_external_bars()
# Order events that never change which orders are open or what they lock.
_NO_LOCK_CHANGE: frozenset[type[OrderEvent]] = frozenset(
    {
        OrderInitialized,
        OrderDenied,
        OrderEmulated,
        OrderSubmitted,
        OrderPendingUpdate,
        OrderPendingCancel,
    }
)


class Portfolio(PnlMixin, Component):
    """The node's portfolio: `Portfolio(msgbus, cache, clock, uuid_factory=...)`.

    It subscribes and registers its endpoint on construction; `dispose` unwires it.
    After startup reconciliation the node calls `initialize_orders` and
    `initialize_positions` to rebuild what the cache already holds. While startup
    reconciliation runs, `suspend_event_updates` stops the per-event work on order and
    position events (each `initialize_*` resumes its part: it recomputes from the cache
    what the skipped events would have changed).
    """

    def __init__(
        self,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        *,
        config: PortfolioConfig | None = None,
        logger: Logger | None = None,
        uuid_factory: UUIDFactory,
    ) -> None:
        super().__init__("Portfolio", clock, msgbus, logger)
        self.config = config = config if config is not None else PortfolioConfig()
        self._msgbus = msgbus
        self._cache = cache
        self._uuids = uuid_factory
        self._debug = config.debug
        self._manager = AccountsManager(cache)
        self._init_pnl(cache, config)
        self._orders_initialized = False
        self._positions_initialized = False
        self._order_events_suspended = False
        self._position_events_suspended = False
        self.account_error_count = 0
        self._subscriptions: list[tuple[str, Any]] = [
            (_ALL_ACCOUNT_EVENTS, self._handle_account_state),
            (topics.all_order_events(), self._handle_order_event),
            (topics.all_position_events(), self._handle_position_event),
            (_ALL_QUOTES, self._handle_quote),
            (_ALL_TRADES, self._handle_trade),
        ]
        if config.use_mark_prices:
            self._subscriptions.append((_ALL_MARK_PRICES, self._handle_mark_price))
        if config.bar_updates:
            self._subscriptions.append((_ALL_EXTERNAL_BARS, self._handle_bar))
        for pattern, handler in self._subscriptions:
            msgbus.subscribe(pattern, handler, priority=_PRIORITY)
        msgbus.register(topics.PORTFOLIO_UPDATE_ACCOUNT, self.update_account)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def initialized(self) -> bool:
        """True once both `initialize_orders` and `initialize_positions` have run."""
        return self._orders_initialized and self._positions_initialized

    def _on_reset(self) -> None:
        self._manager.reset()
        self._clear_pnl()
        self._orders_initialized = False
        self._positions_initialized = False

    def _on_dispose(self) -> None:
        for pattern, handler in self._subscriptions:
            self._msgbus.unsubscribe(pattern, handler)
        self._order_events_suspended = self._position_events_suspended = False
        if self._msgbus.is_registered(topics.PORTFOLIO_UPDATE_ACCOUNT):
            self._msgbus.deregister(topics.PORTFOLIO_UPDATE_ACCOUNT)

    def suspend_event_updates(self) -> None:
        """Stop handling order and position events until `initialize_orders` /
        `initialize_positions` run (for startup reconciliation, which replays many events
        the two rebuilds then cover at once). Account states are still applied."""
        bus = self._msgbus
        if not self._order_events_suspended:
            bus.unsubscribe(topics.all_order_events(), self._handle_order_event)
            self._order_events_suspended = True
        if not self._position_events_suspended:
            bus.unsubscribe(topics.all_position_events(), self._handle_position_event)
            self._position_events_suspended = True

    @property
    def event_updates_suspended(self) -> bool:
        """True while `suspend_event_updates` holds for order or position events."""
        return self._order_events_suspended or self._position_events_suspended

    def initialize_orders(self) -> None:
        """Rebuild the locked balances and initial margins of calculated accounts from
        the cache's open orders (stale locks are released); resume order events."""
        if self._order_events_suspended:
            self._order_events_suspended = False
            self._msgbus.subscribe(
                topics.all_order_events(), self._handle_order_event, priority=_PRIORITY
            )
        touched = dict.fromkeys(self._manager.zero_orders())
        by_instrument: dict[InstrumentId, list[Order]] = {}
        for order in self._cache.orders_open():
            by_instrument.setdefault(order.instrument_id, []).append(order)
        for iid, orders in by_instrument.items():
            found = self._calculated(iid)
            if found is not None:
                account, instrument = found
                self._manager.update_orders(account, instrument, orders)
                touched[account.id] = None
        self._commit_all(touched)
        self._orders_initialized = True
        self.log.info(f"Initialized {sum(map(len, by_instrument.values()))} open order(s)")

    def initialize_positions(self) -> None:
        """Rebuild the maintenance margins of calculated accounts and the PnL caches from
        the cache's positions; resume position events."""
        if self._position_events_suspended:
            self._position_events_suspended = False
            self._msgbus.subscribe(
                topics.all_position_events(), self._handle_position_event, priority=_PRIORITY
            )
        self._clear_pnl()
        touched = dict.fromkeys(self._manager.zero_positions())
        by_instrument: dict[InstrumentId, list[Position]] = {}
        for position in self._cache.positions_open():
            by_instrument.setdefault(position.instrument_id, []).append(position)
        for iid, positions in by_instrument.items():
            found = self._calculated(iid)
            if found is not None and isinstance(found[0], MarginAccount):
                account, instrument = found[0], found[1]
                self._manager.update_positions(account, instrument, positions)
                touched[account.id] = None
        self._commit_all(touched)
        self._positions_initialized = True
        self.log.info(f"Initialized {sum(map(len, by_instrument.values()))} open position(s)")

    # -- account states --------------------------------------------------------------------

    def update_account(self, state: AccountState) -> None:
        """Apply an account state (endpoint ``Portfolio.update_account``) and publish it."""
        if self._apply_state(state):
            self._msgbus.publish(topics.account_events(state.account_id), state)

    def _handle_account_state(self, state: Any) -> None:
        if isinstance(state, AccountState):
            self._apply_state(state)

    def _apply_state(self, state: AccountState) -> bool:
        cache = self._cache
        account = cache.account(state.account_id)
        try:
            if account is None:
                account = Account.from_state(state)
                cache.add_account(account)
                self.log.info(f"Added account {account.id} ({account.type.value})")
            elif account.events and account.last_event.event_id == state.event_id:
                return False  # already applied (it came by the endpoint, or is ours)
            else:
                account.apply(state)
                cache.update_account(account)
        except ValueError as exc:
            self.account_error_count += 1
            self.log.error(f"Cannot apply account state {state.event_id}: {exc}")
            return False
        if not state.is_reported and self._manager.tracks(account.id):
            # The sender does not calculate locks: keep the ones the node calculated.
            self._commit(account, state.ts_event)
        return True

    # -- order and position events ---------------------------------------------------------

    def _handle_order_event(self, event: Any) -> None:
        if not isinstance(event, OrderEvent) or type(event) in _NO_LOCK_CHANGE:
            return
        iid = event.instrument_id
        found = self._calculated(iid)
        if found is None:
            return
        account, instrument = found
        self._manager.update_orders(account, instrument, self._cache.orders_open(instrument_id=iid))
        self._commit(account, event.ts_event)

    def _handle_position_event(self, event: Any) -> None:
        if not isinstance(event, PositionEvent):
            return
        iid = event.instrument_id
        self._invalidate_position(iid)
        found = self._calculated(iid)
        if found is None:
            return
        account, instrument = found
        if not isinstance(account, MarginAccount):
            return
        positions = self._cache.positions_open(instrument_id=iid)
        self._manager.update_positions(account, instrument, positions)
        self._commit(account, event.ts_event)

    def _calculated(self, instrument_id: InstrumentId) -> tuple[Account, Instrument] | None:
        """Return the venue account of the instrument when the node calculates it."""
        account = self._cache.account_for_venue(instrument_id.venue)
        if account is None or not account.events or account.last_event.is_reported:
            return None
        instrument = self._cache.instrument(instrument_id)
        if instrument is None:
            self.log.error(
                f"Cannot calculate account {account.id} for {instrument_id}: the instrument "
                "is not in the cache"
            )
            return None
        return account, instrument

    def _commit_all(self, account_ids: dict[AccountId, None]) -> None:
        ts = self.clock.timestamp_ns()
        for account_id in account_ids:
            account = self._cache.account(account_id)
            if account is not None and account.events and not account.last_event.is_reported:
                self._commit(account, ts)

    def _commit(self, account: Account, ts_event: int) -> None:
        """Apply and publish the account's next calculated state, if anything changed."""
        state = self._manager.build_state(
            account, self._uuids.generate(), ts_event, self.clock.timestamp_ns()
        )
        if state is None:
            return
        try:
            account.apply(state)
        except ValueError as exc:
            self.account_error_count += 1
            self.log.error(f"Cannot apply calculated state to account {account.id}: {exc}")
            return
        self._cache.update_account(account)
        if self._debug and self.log.debug_enabled:
            self.log.debug(f"Calculated {state}")
        self._msgbus.publish(topics.account_events(account.id), state)

    # -- market data (hot path: mark stale, nothing else) --------------------------------

    def _handle_quote(self, quote: QuoteTick) -> None:
        self._unrealized.pop(quote.instrument_id, None)

    def _handle_trade(self, trade: TradeTick) -> None:
        self._unrealized.pop(trade.instrument_id, None)

    def _handle_mark_price(self, update: MarkPriceUpdate) -> None:
        self._unrealized.pop(update.instrument_id, None)

    def _handle_bar(self, bar: Bar) -> None:
        iid = bar.bar_type.instrument_id
        self._bar_closes[iid] = bar.close
        self._unrealized.pop(iid, None)

    # -- accounts --------------------------------------------------------------------------

    def account(self, venue: Venue) -> Account | None:
        """Return the account of `venue`, or None."""
        return self._cache.account_for_venue(venue)

    def balances_locked(self, venue: Venue) -> dict[Currency, Money]:
        """Return the locked balance per currency of the venue's account (empty if none)."""
        account = self._cache.account_for_venue(venue)
        if account is None:
            return {}
        return {c: b.locked for c, b in account.balances().items()}

    def margins_init(self, venue: Venue) -> dict[InstrumentId, Money]:
        """Return the initial margin per instrument of the venue's margin account."""
        account = self._cache.account_for_venue(venue)
        if not isinstance(account, MarginAccount):
            return {}
        return {m.instrument_id: m.initial for m in account.margins() if m.instrument_id}

    def margins_maint(self, venue: Venue) -> dict[InstrumentId, Money]:
        """Return the maintenance margin per instrument of the venue's margin account."""
        account = self._cache.account_for_venue(venue)
        if not isinstance(account, MarginAccount):
            return {}
        return {m.instrument_id: m.maintenance for m in account.margins() if m.instrument_id}

    # -- positions -------------------------------------------------------------------------

    def net_position(self, instrument_id: InstrumentId) -> Decimal:
        """Return the signed sum of the open positions' quantities (long > 0)."""
        raw = 0
        precision = 0
        for position in self._cache.positions_open(instrument_id=instrument_id):
            raw += position.signed_qty_raw
            precision = max(precision, position.quantity.precision)
        return raw_to_decimal(raw, precision)

    def is_net_long(self, instrument_id: InstrumentId) -> bool:
        """Return True when the net position is long."""
        return self.net_position(instrument_id) > 0

    def is_net_short(self, instrument_id: InstrumentId) -> bool:
        """Return True when the net position is short."""
        return self.net_position(instrument_id) < 0

    def is_flat(self, instrument_id: InstrumentId) -> bool:
        """Return True when the net position is zero."""
        return self.net_position(instrument_id) == 0

    def is_completely_flat(self) -> bool:
        """Return True when every instrument's net position is zero."""
        net: dict[InstrumentId, int] = {}
        for position in self._cache.positions_open():
            iid = position.instrument_id
            net[iid] = net.get(iid, 0) + position.signed_qty_raw
        return all(raw == 0 for raw in net.values())


__all__ = ["Portfolio"]
