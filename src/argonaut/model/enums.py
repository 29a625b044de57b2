"""Enumerations of every domain concept.

Values are the member names, so JSON on the wire reads as text (``"side": "BUY"``).
"""

from __future__ import annotations

from enum import Enum, unique
from typing import TypeVar

E = TypeVar("E", bound=Enum)


@unique
class OrderSide(Enum):
    """The side of an order; NO_ORDER_SIDE is a filter value."""

    NO_ORDER_SIDE = "NO_ORDER_SIDE"
    BUY = "BUY"
    SELL = "SELL"


@unique
class OrderType(Enum):
    """The type of an order."""

    MARKET = "MARKET"
    LIMIT = "LIMIT"
    STOP_MARKET = "STOP_MARKET"
    STOP_LIMIT = "STOP_LIMIT"
    MARKET_TO_LIMIT = "MARKET_TO_LIMIT"
    MARKET_IF_TOUCHED = "MARKET_IF_TOUCHED"
    LIMIT_IF_TOUCHED = "LIMIT_IF_TOUCHED"
    TRAILING_STOP_MARKET = "TRAILING_STOP_MARKET"
    TRAILING_STOP_LIMIT = "TRAILING_STOP_LIMIT"


@unique
class OrderStatus(Enum):
    """The 14 statuses of an order (see `argonaut.model.orders.fsm`)."""

    INITIALIZED = "INITIALIZED"
    DENIED = "DENIED"
    EMULATED = "EMULATED"
    RELEASED = "RELEASED"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"
    TRIGGERED = "TRIGGERED"
    PENDING_UPDATE = "PENDING_UPDATE"
    PENDING_CANCEL = "PENDING_CANCEL"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"


@unique
class TimeInForce(Enum):
    """How long an order stays working."""

    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"
    GTD = "GTD"
    DAY = "DAY"
    AT_THE_OPEN = "AT_THE_OPEN"
    AT_THE_CLOSE = "AT_THE_CLOSE"


@unique
class ContingencyType(Enum):
    """How orders of a list depend on each other."""

    NO_CONTINGENCY = "NO_CONTINGENCY"
    OCO = "OCO"
    OTO = "OTO"
    OUO = "OUO"


@unique
class TriggerType(Enum):
    """Which price triggers a conditional order."""

    NO_TRIGGER = "NO_TRIGGER"
    DEFAULT = "DEFAULT"
    LAST_PRICE = "LAST_PRICE"
    MARK_PRICE = "MARK_PRICE"
    INDEX_PRICE = "INDEX_PRICE"
    BID_ASK = "BID_ASK"
    DOUBLE_LAST = "DOUBLE_LAST"
    DOUBLE_BID_ASK = "DOUBLE_BID_ASK"
    LAST_OR_BID_ASK = "LAST_OR_BID_ASK"
    MID_POINT = "MID_POINT"


@unique
class TrailingOffsetType(Enum):
    """The unit of a trailing offset."""

    NO_TRAILING_OFFSET = "NO_TRAILING_OFFSET"
    PRICE = "PRICE"
    BASIS_POINTS = "BASIS_POINTS"
    TICKS = "TICKS"
    PRICE_TIER = "PRICE_TIER"


@unique
class LiquiditySide(Enum):
    """Whether a fill made or took liquidity."""

    NO_LIQUIDITY_SIDE = "NO_LIQUIDITY_SIDE"
    MAKER = "MAKER"
    TAKER = "TAKER"


@unique
class PositionSide(Enum):
    """The side of a position; NO_POSITION_SIDE is a filter value."""

    NO_POSITION_SIDE = "NO_POSITION_SIDE"
    FLAT = "FLAT"
    LONG = "LONG"
    SHORT = "SHORT"


@unique
class OmsType(Enum):
    """Order management: UNSPECIFIED follows the venue."""

    UNSPECIFIED = "UNSPECIFIED"
    NETTING = "NETTING"
    HEDGING = "HEDGING"


@unique
class AccountType(Enum):
    """The kind of account."""

    CASH = "CASH"
    MARGIN = "MARGIN"
    BETTING = "BETTING"
    WALLET = "WALLET"


@unique
class BookType(Enum):
    """Order book granularity."""

    L1_MBP = "L1_MBP"
    L2_MBP = "L2_MBP"
    L3_MBO = "L3_MBO"


@unique
class BookAction(Enum):
    """What an order book delta does."""

    ADD = "ADD"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    CLEAR = "CLEAR"


@unique
class AggressorSide(Enum):
    """The side that took liquidity in a trade."""

    NO_AGGRESSOR = "NO_AGGRESSOR"
    BUYER = "BUYER"
    SELLER = "SELLER"


@unique
class PriceType(Enum):
    """Which price of a market is meant."""

    BID = "BID"
    ASK = "ASK"
    MID = "MID"
    LAST = "LAST"
    MARK = "MARK"


@unique
class BarAggregation(Enum):
    """How bars are aggregated."""

    TICK = "TICK"
    VOLUME = "VOLUME"
    VALUE = "VALUE"
    MILLISECOND = "MILLISECOND"
    SECOND = "SECOND"
    MINUTE = "MINUTE"
    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


@unique
class AggregationSource(Enum):
    """Whether bars come from the venue or are built internally."""

    EXTERNAL = "EXTERNAL"
    INTERNAL = "INTERNAL"


@unique
class AssetClass(Enum):
    """The class of an asset."""

    FX = "FX"
    EQUITY = "EQUITY"
    COMMODITY = "COMMODITY"
    DEBT = "DEBT"
    INDEX = "INDEX"
    CRYPTOCURRENCY = "CRYPTOCURRENCY"
    ALTERNATIVE = "ALTERNATIVE"


@unique
class InstrumentClass(Enum):
    """The class of an instrument."""

    SPOT = "SPOT"
    SWAP = "SWAP"
    FUTURE = "FUTURE"
    FORWARD = "FORWARD"
    CFD = "CFD"
    BOND = "BOND"
    OPTION = "OPTION"
    WARRANT = "WARRANT"
    SPORTS_BETTING = "SPORTS_BETTING"


@unique
class OptionKind(Enum):
    """Call or put."""

    CALL = "CALL"
    PUT = "PUT"


@unique
class CurrencyType(Enum):
    """The kind of currency."""

    FIAT = "FIAT"
    CRYPTO = "CRYPTO"
    COMMODITY_BACKED = "COMMODITY_BACKED"


@unique
class TradingState(Enum):
    """The risk engine's trading state."""

    ACTIVE = "ACTIVE"
    HALTED = "HALTED"
    REDUCING = "REDUCING"


@unique
class MarketStatusAction(Enum):
    """An instrument's market status."""

    NONE = "NONE"
    PRE_OPEN = "PRE_OPEN"
    TRADING = "TRADING"
    PAUSE = "PAUSE"
    HALT = "HALT"
    CLOSE = "CLOSE"
    PRE_CLOSE = "PRE_CLOSE"
    POST_CLOSE = "POST_CLOSE"


@unique
class InstrumentCloseType(Enum):
    """Why an instrument closed."""

    END_OF_SESSION = "END_OF_SESSION"
    CONTRACT_EXPIRED = "CONTRACT_EXPIRED"


@unique
class Environment(Enum):
    """Where a node runs; a live node refuses BACKTEST."""

    BACKTEST = "BACKTEST"
    SANDBOX = "SANDBOX"
    LIVE = "LIVE"


@unique
class ComponentState(Enum):
    """A component's lifecycle state (see `argonaut.common.component`)."""

    PRE_INITIALIZED = "PRE_INITIALIZED"
    READY = "READY"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    RESUMING = "RESUMING"
    RESETTING = "RESETTING"
    DISPOSING = "DISPOSING"
    DISPOSED = "DISPOSED"
    DEGRADING = "DEGRADING"
    DEGRADED = "DEGRADED"
    FAULTING = "FAULTING"
    FAULTED = "FAULTED"


@unique
class PositionAdjustmentType(Enum):
    """Why a position was adjusted without a fill."""

    COMMISSION = "COMMISSION"
    FUNDING = "FUNDING"


@unique
class RecordFlag(Enum):
    """Flags on book data."""

    F_LAST = "F_LAST"
    F_TOB = "F_TOB"
    F_SNAPSHOT = "F_SNAPSHOT"
    F_MBP = "F_MBP"


def enum_from_str(enum_type: type[E], value: str) -> E:
    """Parse an enum member by name, with an error listing the valid names."""
    try:
        return enum_type[value.upper()]
    except KeyError:
        names = ", ".join(enum_type.__members__)
        raise ValueError(
            f"{value!r} is not a {enum_type.__name__}: expected one of {names}"
        ) from None
