"""Checks of a node config that need the client kinds the CLI knows (the sandbox venue):
what `argonaut check` and `argonaut run` add to the checks of `argonaut.live.config_io`."""

from __future__ import annotations

from typing import Any

from argonaut.adapters.sandbox.settings import merge_client_configs, parse_client_config
from argonaut.common.errors import ConfigError
from argonaut.live.config import LiveNodeConfig


def client_config_problems(config: LiveNodeConfig) -> list[str]:
    """Return every problem in the options of the config's ``sandbox`` clients.

    Each client's dict is parsed on its own; the data and execution clients of one venue
    share that venue, so their dicts must also merge (a key both give must agree).
    """
    problems: list[str] = []
    by_venue: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for field in ("data_clients", "exec_clients"):
        for name, client in getattr(config, field).items():
            if client.kind != "sandbox":
                continue
            try:
                parsed = parse_client_config(name, client.config)
            except ConfigError as e:
                problems.append(f"{field}.{name}.config: {e}")
                continue
            by_venue.setdefault(parsed.venue, []).append((f"{field}.{name}", client.config))
    for entries in by_venue.values():
        (first_path, merged), rest = entries[0], entries[1:]
        for path, options in rest:
            try:
                merged = merge_client_configs(path, merged, options)
                parse_client_config(path, merged)
            except ConfigError as e:
                problems.append(f"{path}.config (with {first_path}.config): {e}")
    return problems


__all__ = ["client_config_problems"]
