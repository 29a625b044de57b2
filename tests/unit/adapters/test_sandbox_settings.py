from __future__ import annotations

from pathlib import Path

import pytest

from argonaut.adapters.sandbox.catalogue import catalogue_instrument, default_mid
from argonaut.adapters.sandbox.factory import SandboxClientFactory
from argonaut.adapters.sandbox.faults import Delivery, FaultConfig, FaultInjector, MessageKind
from argonaut.adapters.sandbox.settings import merge_client_configs, parse_client_config
from argonaut.common.errors import ConfigError
from argonaut.live.builder import build_node
from argonaut.live.clients.factories import ClientFactoryRegistry
from argonaut.live.config import default_config
from argonaut.live.config_io import load_config
from argonaut.model.enums import AccountType
from argonaut.model.identifiers import InstrumentId, Venue
from argonaut.model.values import Money
from argonaut.testkit import btcusdt_perp


def test_default_config_when_parsed_then_sandbox_dicts_are_valid_and_agree() -> None:
    config = default_config()
    data = config.data_clients["SIM"].config
    execution = config.exec_clients["SIM"].config
    parsed = parse_client_config("SIM", merge_client_configs("SIM", data, execution))
    assert parsed.instrument_ids == ["BTCUSDT-PERP.SIM", "ETHUSDT-PERP.SIM"]
    assert parsed.account_type is AccountType.MARGIN
    assert parsed.balances() == (Money.from_str("100000 USDT"),)
    assert parsed.resolved_state_file() == str(Path("./argonaut-data") / "sandbox-SIM.json")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"venu": "SIM"}, "unknown field `venu`"),
        ({"instruments": ["DOGEUSDT-PERP.SIM"]}, "expected one of BTCUSDT-PERP.SIM, ETHUSDT"),
        ({"instruments": ["BTCUSDT-PERP.BINANCE"]}, "not on venue SIM"),
        ({"starting_balances": ["lots"]}, "starting_balances"),
        ({"oms_type": "UNSPECIFIED"}, "expected NETTING or HEDGING"),
        ({"faults": {"drop_fills": 1.5}}, r"faults.drop_fills must be a probability"),
        ({"faults": {"drop_acks": 0.6, "delay_acks": 0.6}}, "must be <= 1"),
        ({"market": {"rate": 0}}, "market.rate must be in"),
        (
            {"instruments": ["BTCUSDT-PERP.SIM"], "market": {"rates": {"ETHUSDT-PERP.SIM": 5}}},
            "not configured",
        ),
        ({"latency": {"fixed_ms": -1}}, "latency fixed_ms must be an int >= 0"),
    ],
)
def test_parse_when_config_bad_then_config_error_says_what(
    config: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_client_config("SIM", config)


def test_merge_when_clients_disagree_then_config_error_names_key() -> None:
    with pytest.raises(ConfigError, match="disagree on 'seed'"):
        merge_client_configs("SIM", {"seed": 1}, {"seed": 2})
    assert merge_client_configs("SIM", {"seed": 1, "venue": "SIM"}, {"seed": 1, "x": 2}) == {
        "seed": 1,
        "venue": "SIM",
        "x": 2,
    }


def test_state_file_when_explicit_then_wins_over_data_dir() -> None:
    cfg = parse_client_config("SIM", {"state_file": "/tmp/x.json", "data_dir": "/data"})
    assert cfg.resolved_state_file() == "/tmp/x.json"
    assert parse_client_config("SIM", {}).resolved_state_file() is None


def test_catalogue_when_btc_then_matches_w1_spec_on_any_venue() -> None:
    btc = catalogue_instrument("BTCUSDT-PERP.SIM", Venue("SIM"))
    w1 = btcusdt_perp()
    for name in ("price_increment", "size_increment", "margin_init", "maker_fee", "taker_fee"):
        assert getattr(btc, name) == getattr(w1, name)
    other = catalogue_instrument("ETHUSDT-PERP.PAPER", Venue("PAPER"))
    assert other.id == InstrumentId("ETHUSDT-PERP.PAPER")
    assert str(default_mid(other.id)) == "3000.00"


def test_faults_when_scripted_then_taken_before_probabilities_in_order() -> None:
    injector = FaultInjector(FaultConfig(), seed=1)
    injector.drop_next("fill")
    injector.delay_next(MessageKind.FILL, 2.5)
    injector.duplicate_next("ack")
    assert injector.decide(MessageKind.FILL) == (Delivery.DROP, 0.0)
    assert injector.decide(MessageKind.FILL) == (Delivery.DELAY, 2.5)
    assert injector.decide(MessageKind.FILL) == (Delivery.DELIVER, 0.0)
    assert injector.decide(MessageKind.ACK) == (Delivery.DUPLICATE, 0.0)
    assert injector.counts == {"drop_fill": 1, "delay_fill": 1, "duplicate_ack": 1}


def test_faults_when_seeded_then_same_decisions_and_shares_near_config() -> None:
    config = FaultConfig(drop_acks=0.2, duplicate_acks=0.1, reject_orders=0.3)

    def run() -> tuple[list[Delivery], list[bool]]:
        injector = FaultInjector(config, seed=7)
        acks = [injector.decide(MessageKind.ACK)[0] for _ in range(1000)]
        rejects = [injector.rejection() is not None for _ in range(1000)]
        return acks, rejects

    first, second = run(), run()
    assert first == second
    acks, rejects = first
    assert 150 < acks.count(Delivery.DROP) < 250
    assert 50 < acks.count(Delivery.DUPLICATE) < 150
    assert 250 < sum(rejects) < 350


def test_faults_when_reject_scripted_then_reason_given_once() -> None:
    injector = FaultInjector(FaultConfig(), seed=1)
    injector.reject_next(reason="venue busy")
    assert injector.rejection() == "venue busy"
    assert injector.rejection() is None


def test_docs_when_toml_example_loaded_then_node_builds_with_sandbox_clients(
    tmp_path: Path,
) -> None:
    docs = Path(__file__).parents[3] / "docs" / "sandbox.md"
    text = docs.read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    file = tmp_path / "sandbox.toml"
    file.write_text(example, encoding="utf-8")
    config = load_config(file)
    registry = ClientFactoryRegistry()
    node = build_node("Docs", config, factories=registry)
    assert node.kernel.data_engine.registered_clients == ["SIM"]
    assert isinstance(registry.get("sandbox"), SandboxClientFactory)
    merged = merge_client_configs(
        "SIM", config.data_clients["SIM"].config, config.exec_clients["SIM"].config
    )
    parsed = parse_client_config("SIM", merged)
    assert parsed.faults.drop_acks == 0.01
    assert parsed.market.start_prices == {"BTCUSDT-PERP.SIM": "50000.0"}
