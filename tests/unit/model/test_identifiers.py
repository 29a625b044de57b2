from __future__ import annotations

import msgspec
import pytest

from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.identifiers import (
    IDENTIFIER_TYPES,
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    Symbol,
    TradeId,
    TraderId,
    Venue,
)


def test_instrument_id_when_parsed_then_symbol_and_venue() -> None:
    iid = InstrumentId("BTCUSDT-PERP.SIM")
    assert iid.symbol == Symbol("BTCUSDT-PERP")
    assert iid.venue == Venue("SIM")
    assert InstrumentId.from_parts("BTCUSDT-PERP", "SIM") == iid
    assert str(iid) == "BTCUSDT-PERP.SIM"


def test_instrument_id_when_symbol_has_dots_then_venue_is_last_part() -> None:
    iid = InstrumentId("BRK.B.NYSE")
    assert iid.symbol == "BRK.B"
    assert iid.venue == "NYSE"


@pytest.mark.parametrize("text", ["BTCUSDT", ".SIM", "BTC.", ""])
def test_instrument_id_when_not_symbol_dot_venue_then_refused(text: str) -> None:
    with pytest.raises(ValueError, match="instrument id"):
        InstrumentId(text)


@pytest.mark.parametrize(
    ("cls", "text"),
    [(TraderId, "TRADER"), (TraderId, "-001"), (AccountId, "SIM"), (StrategyId, "EMA")],
)
def test_two_part_ids_when_missing_dash_then_refused(cls: type, text: str) -> None:
    with pytest.raises(ValueError, match="expected the form"):
        cls(text)


def test_identifier_when_whitespace_then_refused() -> None:
    with pytest.raises(ValueError, match="without spaces"):
        ClientOrderId("O 1")
    with pytest.raises(ValueError, match="without spaces"):
        ClientOrderId("O\t1")


def test_identifier_when_not_str_then_type_error() -> None:
    with pytest.raises(TypeError, match="must be a str"):
        Venue(5)  # type: ignore[arg-type]


def test_strategy_id_when_external_then_accepted_and_flagged() -> None:
    assert StrategyId("EXTERNAL").is_external()
    assert not StrategyId("EMA-001").is_external()


def test_account_id_when_parsed_then_issuer_and_number() -> None:
    account = AccountId("SIM-001")
    assert account.get_issuer() == "SIM"
    assert account.get_id() == "001"


def test_trade_id_when_too_long_then_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        TradeId("x" * 65)


def test_identifiers_when_hashed_then_usable_as_dict_keys() -> None:
    mapping = {InstrumentId("A.SIM"): 1}
    assert mapping[InstrumentId("A.SIM")] == 1
    assert repr(InstrumentId("A.SIM")) == "InstrumentId('A.SIM')"


@pytest.mark.parametrize("cls", IDENTIFIER_TYPES)
def test_every_identifier_when_round_tripped_then_same_type(cls: type) -> None:
    value = cls("EMA-001.SIM" if cls is InstrumentId else "EMA-001")
    encoded = msgspec.json.encode(value, enc_hook=enc_hook)
    decoded = msgspec.json.decode(encoded, type=cls, dec_hook=dec_hook)
    assert decoded == value
    assert type(decoded) is cls


def test_decode_when_identifier_invalid_then_validation_error() -> None:
    with pytest.raises(msgspec.ValidationError, match="instrument id"):
        msgspec.json.decode(b'"NOVENUE"', type=InstrumentId, dec_hook=dec_hook)
