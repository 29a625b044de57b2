"""Every bus topic and endpoint name: nothing else in Argonaut writes one inline.

Topics are dotted, most general first: ``data.quotes.SIM.BTCUSDT-PERP`` (venue before
symbol, so ``data.quotes.SIM.*`` selects a venue). Builders keyed by an identifier
memoize their result (a dict hit after the first call, bounded in size), so hot paths
may call them per message. The memos hold pure functions of their key, so sharing
them between nodes in one process changes no behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Final

from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
)

# -- endpoints (point-to-point, `MessageBus.register` / `send`) -------------------------

DATA_ENGINE_EXECUTE: Final = "DataEngine.execute"
DATA_ENGINE_PROCESS: Final = "DataEngine.process"
DATA_ENGINE_REQUEST: Final = "DataEngine.request"
DATA_ENGINE_RESPONSE: Final = "DataEngine.response"
RISK_ENGINE_EXECUTE: Final = "RiskEngine.execute"
RISK_ENGINE_PROCESS: Final = "RiskEngine.process"
EXEC_ENGINE_EXECUTE: Final = "ExecEngine.execute"
EXEC_ENGINE_PROCESS: Final = "ExecEngine.process"
# Applies an event at once, never queued (a live node channels ExecEngine.process): for
# events a component raises about its own next step, e.g. a strategy's pending cancel.
EXEC_ENGINE_APPLY: Final = "ExecEngine.apply"
EXEC_ENGINE_RECONCILE_EXECUTION_REPORT: Final = "ExecEngine.reconcile_execution_report"
EXEC_ENGINE_RECONCILE_EXECUTION_MASS_STATUS: Final = "ExecEngine.reconcile_execution_mass_status"
PORTFOLIO_UPDATE_ACCOUNT: Final = "Portfolio.update_account"
ORDER_EMULATOR_EXECUTE: Final = "OrderEmulator.execute"

ENDPOINTS: Final = (
    DATA_ENGINE_EXECUTE,
    DATA_ENGINE_PROCESS,
    DATA_ENGINE_REQUEST,
    DATA_ENGINE_RESPONSE,
    RISK_ENGINE_EXECUTE,
    RISK_ENGINE_PROCESS,
    EXEC_ENGINE_EXECUTE,
    EXEC_ENGINE_PROCESS,
    EXEC_ENGINE_APPLY,
    EXEC_ENGINE_RECONCILE_EXECUTION_REPORT,
    EXEC_ENGINE_RECONCILE_EXECUTION_MASS_STATUS,
    PORTFOLIO_UPDATE_ACCOUNT,
    ORDER_EMULATOR_EXECUTE,
)

# -- memoized builders -------------------------------------------------------------------

_MAX_MEMO = 65_536  # past this, topics are built on every call instead of stored


class _Memo(dict[Hashable, str]):
    """A dict that builds (and stores, up to a bound) the topic for a missing key."""

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[str], str]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: Hashable) -> str:
        topic = self._build(str(key))
        if len(self) < _MAX_MEMO:
            self[key] = topic
        return topic


def _per_instrument(kind: str) -> _Memo:
    def build(instrument_id: str) -> str:
        symbol, _, venue = instrument_id.rpartition(".")
        return f"data.{kind}.{venue}.{symbol}"

    return _Memo(build)


def _prefixed(prefix: str) -> _Memo:
    return _Memo(lambda key: f"{prefix}.{key}")


_QUOTES = _per_instrument("quotes")
_TRADES = _per_instrument("trades")
_BOOK_DELTAS = _per_instrument("book.deltas")
_BOOK_DEPTH = _per_instrument("book.depth")
_BOOK_SNAPSHOTS = _per_instrument("book.snapshots")
_MARK_PRICES = _per_instrument("mark_prices")
_INDEX_PRICES = _per_instrument("index_prices")
_FUNDING_RATES = _per_instrument("funding_rates")
_STATUS = _per_instrument("status")
_CLOSE = _per_instrument("close")
_INSTRUMENT = _per_instrument("instrument")
_BARS = _prefixed("data.bars")
_ORDER_EVENTS = _prefixed("events.order")
_POSITION_EVENTS = _prefixed("events.position")
_FILL_EVENTS = _prefixed("events.fills")
_CANCEL_EVENTS = _prefixed("events.cancels")
_ACCOUNT_EVENTS = _prefixed("events.account")


# -- market data -------------------------------------------------------------------------


def quotes(instrument_id: InstrumentId) -> str:
    """Return ``data.quotes.{venue}.{symbol}``."""
    return _QUOTES[instrument_id]


def trades(instrument_id: InstrumentId) -> str:
    """Return ``data.trades.{venue}.{symbol}``."""
    return _TRADES[instrument_id]


def all_quotes() -> str:
    """Return the pattern ``data.quotes.*`` (every instrument's quotes)."""
    return "data.quotes.*"


def all_trades() -> str:
    """Return the pattern ``data.trades.*``."""
    return "data.trades.*"


def all_mark_prices() -> str:
    """Return the pattern ``data.mark_prices.*``."""
    return "data.mark_prices.*"


def all_external_bars() -> str:
    """Return the pattern ``data.bars.*-EXTERNAL`` (bars built by venues)."""
    return "data.bars.*-EXTERNAL"


def bars(bar_type: Hashable) -> str:
    """Return ``data.bars.{bar_type}`` (the bar type's text form)."""
    return _BARS[bar_type]


def book_deltas(instrument_id: InstrumentId) -> str:
    """Return ``data.book.deltas.{venue}.{symbol}``."""
    return _BOOK_DELTAS[instrument_id]


def book_depth(instrument_id: InstrumentId) -> str:
    """Return ``data.book.depth.{venue}.{symbol}``."""
    return _BOOK_DEPTH[instrument_id]


def book_snapshots(instrument_id: InstrumentId, interval_ms: int) -> str:
    """Return ``data.book.snapshots.{venue}.{symbol}.{interval_ms}``."""
    return f"{_BOOK_SNAPSHOTS[instrument_id]}.{interval_ms}"


def mark_prices(instrument_id: InstrumentId) -> str:
    """Return ``data.mark_prices.{venue}.{symbol}``."""
    return _MARK_PRICES[instrument_id]


def index_prices(instrument_id: InstrumentId) -> str:
    """Return ``data.index_prices.{venue}.{symbol}``."""
    return _INDEX_PRICES[instrument_id]


def funding_rates(instrument_id: InstrumentId) -> str:
    """Return ``data.funding_rates.{venue}.{symbol}``."""
    return _FUNDING_RATES[instrument_id]


def instrument_status(instrument_id: InstrumentId) -> str:
    """Return ``data.status.{venue}.{symbol}``."""
    return _STATUS[instrument_id]


def instrument_close(instrument_id: InstrumentId) -> str:
    """Return ``data.close.{venue}.{symbol}``."""
    return _CLOSE[instrument_id]


def instrument(instrument_id: InstrumentId) -> str:
    """Return ``data.instrument.{venue}.{symbol}`` (instrument definition updates)."""
    return _INSTRUMENT[instrument_id]


def instruments(venue: Venue) -> str:
    """Return the pattern ``data.instrument.{venue}.*`` for every instrument of a venue."""
    return f"data.instrument.{venue}.*"


def custom_data(name: str) -> str:
    """Return ``data.{name}`` for user-defined data types."""
    return f"data.{name}"


# -- events ------------------------------------------------------------------------------


def order_events(strategy_id: StrategyId) -> str:
    """Return ``events.order.{strategy_id}``."""
    return _ORDER_EVENTS[strategy_id]


def all_order_events() -> str:
    """Return the pattern ``events.order.*`` (every strategy's order events)."""
    return "events.order.*"


def position_events(strategy_id: StrategyId) -> str:
    """Return ``events.position.{strategy_id}``."""
    return _POSITION_EVENTS[strategy_id]


def all_position_events() -> str:
    """Return the pattern ``events.position.*``."""
    return "events.position.*"


def fill_events(instrument_id: InstrumentId) -> str:
    """Return ``events.fills.{instrument_id}``."""
    return _FILL_EVENTS[instrument_id]


def all_fill_events() -> str:
    """Return the pattern ``events.fills.*``."""
    return "events.fills.*"


def cancel_events(instrument_id: InstrumentId) -> str:
    """Return ``events.cancels.{instrument_id}``."""
    return _CANCEL_EVENTS[instrument_id]


def account_events(account_id: AccountId) -> str:
    """Return ``events.account.{account_id}``."""
    return _ACCOUNT_EVENTS[account_id]


def all_account_events() -> str:
    """Return the pattern ``events.account.*``."""
    return "events.account.*"


def exec_algorithm_execute(exec_algorithm_id: str) -> str:
    """Return the endpoint ``{exec_algorithm_id}.execute`` of an execution algorithm."""
    return f"{exec_algorithm_id}.execute"


def risk_events() -> str:
    """Return ``events.risk`` (trading state changes)."""
    return "events.risk"


def time_events() -> str:
    """Return ``clock.time_event``."""
    return "clock.time_event"


# -- commands, reports, snapshots ----------------------------------------------------------


def system_shutdown() -> str:
    """Return ``commands.system.shutdown`` (ShutdownSystem commands)."""
    return "commands.system.shutdown"


def trading_commands(client_id: ClientId) -> str:
    """Return ``commands.trading.{client_id}`` (commands for external execution clients)."""
    return f"commands.trading.{client_id}"


def execution_reports(venue: Venue, instrument_id: InstrumentId | None = None) -> str:
    """Return ``reports.execution.{venue}`` or ``reports.execution.{venue}.{symbol}``."""
    if instrument_id is None:
        return f"reports.execution.{venue}"
    return f"reports.execution.{venue}.{instrument_id.rpartition('.')[0]}"


def order_snapshots(client_order_id: ClientOrderId) -> str:
    """Return ``snapshots.order.{client_order_id}``."""
    return f"snapshots.order.{client_order_id}"


def position_snapshots(position_id: PositionId) -> str:
    """Return ``snapshots.position.{position_id}``."""
    return f"snapshots.position.{position_id}"
