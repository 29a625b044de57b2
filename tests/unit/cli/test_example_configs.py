"""Every config in `examples/` is valid: `argonaut check` accepts it and a node builds
from it (which also parses the sandbox clients' options and the strategies' configs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from argonaut.adapters.sandbox import load_quotes_csv, load_trades_csv
from argonaut.adapters.sandbox.catalogue import catalogue_instrument
from argonaut.cli import main
from argonaut.cli.run import build, resolve_config
from argonaut.live.config import default_config
from argonaut.live.config_io import load_config
from argonaut.model.identifiers import Venue

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
CONFIGS = sorted(EXAMPLES.glob("*.toml"))


def test_examples_directory_has_the_documented_configs() -> None:
    names = {p.name for p in CONFIGS}
    assert {"demo.toml", "postgres.toml", "redis.toml", "replay.toml", "faults.toml"} <= names
    readme = (EXAMPLES / "README.md").read_text()
    for name in names:
        assert name in readme, f"{name} is not described in examples/README.md"


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_example_config_when_checked_then_ok(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--config", str(path)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_example_config_when_built_then_node_has_its_clients_and_strategies(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the replay files are relative to the repository root
    config = resolve_config(str(path), str(tmp_path))

    node = build(config)

    strategies = node.kernel.trader.strategies()
    assert len(strategies) == len(config.strategies) >= 1
    assert len(node.kernel.trader.exec_algorithms()) == len(config.exec_algorithms)


def test_demo_toml_runs_the_same_strategies_as_the_embedded_default() -> None:
    demo = load_config(EXAMPLES / "demo.toml")

    assert demo.strategies == default_config().strategies


def test_replay_data_files_load_for_their_instrument() -> None:
    instrument = catalogue_instrument("BTCUSDT-PERP.SIM", Venue("SIM"))

    quotes = load_quotes_csv(EXAMPLES / "data" / "btcusdt-perp-quotes.csv", instrument)
    trades = load_trades_csv(EXAMPLES / "data" / "btcusdt-perp-trades.csv", instrument)

    assert len(quotes) == 600
    assert trades
    assert trades[0].ts_event >= quotes[0].ts_event
