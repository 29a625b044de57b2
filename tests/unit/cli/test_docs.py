"""The user docs stay true: the configuration reference lists every option of every
config struct with its real default, its example config is valid, links resolve."""

from __future__ import annotations

import enum
import re
import tomllib
from pathlib import Path
from typing import Any

import msgspec
import pytest

from argonaut.cache.config import CacheConfig
from argonaut.cli.run import build, resolve_config
from argonaut.common.logging import LoggingConfig
from argonaut.engines.emulator.config import OrderEmulatorConfig
from argonaut.engines.portfolio.config import PortfolioConfig
from argonaut.live.config import (
    ClientConfig,
    DatabaseConfig,
    ImportableConfig,
    LiveNodeConfig,
    MessageBusConfig,
)
from argonaut.live.config_exec import (
    LiveDataEngineConfig,
    LiveExecEngineConfig,
    LiveRiskEngineConfig,
)
from argonaut.trading import StrategyConfig

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
REFERENCE = (DOCS / "configuration.md").read_text()
OWN_DOCS = [
    "getting-started.md",
    "writing-a-strategy.md",
    "configuration.md",
    "restart.md",
    "replay.md",
]

SECTIONS: list[tuple[str, type[msgspec.Struct]]] = [
    ("## Top level", LiveNodeConfig),
    ("## `[logging]`", LoggingConfig),
    ("## `[cache]`", CacheConfig),
    ("## `[database]`", DatabaseConfig),
    ("## `[message_bus]`", MessageBusConfig),
    ("## `[data_engine]`", LiveDataEngineConfig),
    ("## `[risk_engine]`", LiveRiskEngineConfig),
    ("## `[exec_engine]`", LiveExecEngineConfig),
    ("## `[portfolio]`", PortfolioConfig),
    ("## `[emulator]`", OrderEmulatorConfig),
    ("## Components:", ImportableConfig),
    ("## Clients:", ClientConfig),
    ("### The options of a strategy", StrategyConfig),
]


def _rows(heading: str) -> dict[str, str]:
    """The option -> default rows of the table under `heading`."""
    start = REFERENCE.index(heading)
    end = REFERENCE.find("\n#", start + len(heading))
    block = REFERENCE[start : end if end != -1 else None]
    return dict(re.findall(r"^\| `([a-z_0-9]+)` \| `([^`]*)` \|", block, re.MULTILINE))


def _render(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return f'"{value.value}"'
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    if isinstance(value, msgspec.Struct):
        return "its defaults"
    return str(value)


def _default(field: msgspec.structs.FieldInfo) -> str:
    if field.default is not msgspec.NODEFAULT:
        return _render(field.default)
    if field.default_factory is not msgspec.NODEFAULT:
        return _render(field.default_factory())
    return "required"


@pytest.mark.parametrize(("heading", "struct"), SECTIONS, ids=[s.__name__ for _, s in SECTIONS])
def test_configuration_reference_lists_every_option_with_its_default(
    heading: str, struct: type[msgspec.Struct]
) -> None:
    rows = _rows(heading)
    expected = {f.name: _default(f) for f in msgspec.structs.fields(struct)}
    if struct is StrategyConfig:  # its ComponentConfig base fields are listed too
        assert set(rows) == set(expected)
    missing = sorted(set(expected) - set(rows))
    assert not missing, f"{struct.__name__} options missing from docs/configuration.md"
    wrong = {k: (rows[k], v) for k, v in expected.items() if rows[k] != v}
    assert not wrong, f"documented vs real defaults of {struct.__name__}: {wrong}"
    unknown = sorted(set(rows) - set(expected))
    assert not unknown, f"docs/configuration.md lists options {struct.__name__} lacks"


def test_configuration_reference_minimal_example_is_valid(tmp_path: Path) -> None:
    block = re.search(r"A minimal file:\n\n```toml\n(.*?)```", REFERENCE, re.DOTALL)
    assert block
    path = tmp_path / "node.toml"
    path.write_text(block.group(1))
    tomllib.loads(block.group(1))

    node = build(resolve_config(str(path), str(tmp_path / "data")))

    assert [s.id for s in node.kernel.trader.strategies()] == ["EMACross-001"]


@pytest.mark.parametrize("name", OWN_DOCS)
def test_doc_relative_links_resolve(name: str) -> None:
    text = (DOCS / name).read_text()
    for target in re.findall(r"\]\((?!https?://|#)([^)#]+)", text):
        assert (DOCS / target).exists(), f"{name} links to {target}, which does not exist"


def test_readme_starts_with_make_run_and_make_test_and_links_every_doc() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block
    for name in OWN_DOCS:
        assert f"docs/{name}" in readme
