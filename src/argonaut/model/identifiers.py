"""Identifiers: small validated `str` values.

Each identifier is a `str` subclass, so hashing and equality run at C speed and an
identifier is a dict key as cheap as a plain string. Construction validates the text
and raises `ValueError` saying what was expected.
"""

from __future__ import annotations

from typing import ClassVar, Self


class Identifier(str):
    """Base for all identifiers: a non-empty string with no whitespace."""

    __slots__ = ()
    kind: ClassVar[str] = "identifier"

    def __new__(cls, value: str) -> Self:
        if type(value) is cls:
            return value
        if not isinstance(value, str):
            raise TypeError(f"{cls.kind} must be a str, found {type(value).__name__}")
        if not value or not value.isprintable() or " " in value:
            raise ValueError(
                f"{cls.kind} {value!r} is invalid: expected non-empty text without spaces"
            )
        cls._check(value)
        return str.__new__(cls, value)

    @classmethod
    def _check(cls, value: str) -> None:
        """Validate the form of `value` (overridden by identifiers with a structure)."""

    @property
    def value(self) -> str:
        """The identifier as a plain str."""
        return str(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self}')"


def _check_two_parts(cls: type[Identifier], value: str, form: str) -> None:
    head, sep, tail = value.rpartition("-")
    if not sep or not head or not tail:
        raise ValueError(f"{cls.kind} {value!r} is invalid: expected the form {form}")


class TraderId(Identifier):
    """A trader: ``NAME-TAG`` such as ``TRADER-001``."""

    __slots__ = ()
    kind = "trader id"

    @classmethod
    def _check(cls, value: str) -> None:
        _check_two_parts(cls, value, "NAME-TAG (e.g. 'TRADER-001')")

    def get_tag(self) -> str:
        """Return the part after the last '-'."""
        return self.rpartition("-")[2]


class StrategyId(Identifier):
    """A strategy: ``NAME-TAG`` such as ``EMACross-001``, or the special ``EXTERNAL``."""

    __slots__ = ()
    kind = "strategy id"

    @classmethod
    def _check(cls, value: str) -> None:
        if value != "EXTERNAL":
            _check_two_parts(cls, value, "NAME-TAG (e.g. 'EMACross-001') or 'EXTERNAL'")

    def is_external(self) -> bool:
        """Return True for the strategy that owns orders no local strategy claimed."""
        return self == "EXTERNAL"

    def get_tag(self) -> str:
        """Return the part after the last '-'."""
        return self.rpartition("-")[2]


class ExecAlgorithmId(Identifier):
    """An execution algorithm, e.g. ``TWAP``."""

    __slots__ = ()
    kind = "exec algorithm id"


class ComponentId(Identifier):
    """Any component of a node, e.g. ``RiskEngine``."""

    __slots__ = ()
    kind = "component id"


class ClientId(Identifier):
    """A data or execution client, e.g. ``SIM``."""

    __slots__ = ()
    kind = "client id"


class Venue(Identifier):
    """A trading venue, e.g. ``SIM`` or ``BINANCE``."""

    __slots__ = ()
    kind = "venue"

    @classmethod
    def _check(cls, value: str) -> None:
        if "." in value:
            raise ValueError(f"venue {value!r} is invalid: a venue may not contain '.'")


class Symbol(Identifier):
    """A venue's ticker symbol, e.g. ``BTCUSDT-PERP``."""

    __slots__ = ()
    kind = "symbol"


class InstrumentId(Identifier):
    """An instrument: ``SYMBOL.VENUE`` such as ``BTCUSDT-PERP.SIM``."""

    __slots__ = ()
    kind = "instrument id"

    @classmethod
    def _check(cls, value: str) -> None:
        symbol, dot, venue = value.rpartition(".")
        if not dot or not symbol or not venue:
            raise ValueError(
                f"instrument id {value!r} is invalid: "
                "expected SYMBOL.VENUE (e.g. 'BTCUSDT-PERP.SIM')"
            )

    @classmethod
    def from_parts(cls, symbol: Symbol | str, venue: Venue | str) -> InstrumentId:
        """Build an instrument id from a symbol and a venue."""
        return cls(f"{Symbol(symbol)}.{Venue(venue)}")

    @classmethod
    def from_str(cls, value: str) -> InstrumentId:
        """Parse ``SYMBOL.VENUE``."""
        return cls(value)

    @property
    def symbol(self) -> Symbol:
        """The symbol part."""
        symbol = _SYMBOLS.get(self)
        if symbol is None:
            symbol = _SYMBOLS[self] = Symbol(self.rpartition(".")[0])
            if len(_SYMBOLS) > _MEMO_SIZE:
                _SYMBOLS.clear()
        return symbol

    @property
    def venue(self) -> Venue:
        """The venue part."""
        venue = _VENUES.get(self)
        if venue is None:
            venue = _VENUES[self] = Venue(self.rpartition(".")[2])
            if len(_VENUES) > _MEMO_SIZE:
                _VENUES.clear()
        return venue


# The parts of recently used instrument ids (read on every order and command): a parent
# id is validated once, its parts are validated once too, then read from here.
_MEMO_SIZE = 4096
_SYMBOLS: dict[str, Symbol] = {}
_VENUES: dict[str, Venue] = {}


class AccountId(Identifier):
    """An account: ``ISSUER-NUMBER`` such as ``SIM-001``."""

    __slots__ = ()
    kind = "account id"

    @classmethod
    def _check(cls, value: str) -> None:
        _check_two_parts(cls, value, "ISSUER-NUMBER (e.g. 'SIM-001')")

    def get_issuer(self) -> str:
        """Return the issuer (the part before the first '-')."""
        return self.partition("-")[0]

    def get_id(self) -> str:
        """Return the account number (the part after the first '-')."""
        return self.partition("-")[2]


class ClientOrderId(Identifier):
    """An order id assigned by Argonaut, unique per trader across restarts."""

    __slots__ = ()
    kind = "client order id"


class VenueOrderId(Identifier):
    """An order id assigned by the venue."""

    __slots__ = ()
    kind = "venue order id"


class OrderListId(Identifier):
    """An order list (e.g. a bracket) id."""

    __slots__ = ()
    kind = "order list id"


class PositionId(Identifier):
    """A position id (NETTING: ``{instrument_id}-{strategy_id}``)."""

    __slots__ = ()
    kind = "position id"


class TradeId(Identifier):
    """A venue trade (execution) id, unique per instrument at the venue."""

    __slots__ = ()
    kind = "trade id"

    @classmethod
    def _check(cls, value: str) -> None:
        if len(value) > 64:
            raise ValueError(f"trade id {value!r} is too long: at most 64 characters")


EXTERNAL_STRATEGY_ID = StrategyId("EXTERNAL")

# Every identifier type, for codecs that rebuild them by type.
IDENTIFIER_TYPES: tuple[type[Identifier], ...] = (
    TraderId,
    StrategyId,
    ExecAlgorithmId,
    ComponentId,
    ClientId,
    Venue,
    Symbol,
    InstrumentId,
    AccountId,
    ClientOrderId,
    VenueOrderId,
    OrderListId,
    PositionId,
    TradeId,
)
