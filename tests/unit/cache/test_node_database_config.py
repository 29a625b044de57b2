"""The node's `DatabaseConfig` persistence settings and how they reach the backend config."""

from __future__ import annotations

from typing import Any

import pytest

from argonaut.common.errors import ConfigError
from argonaut.live.config import DatabaseConfig
from argonaut.live.persistence import cache_database_config


def test_database_config_when_postgres_schema_then_backend_uses_it() -> None:
    config = DatabaseConfig(type="postgres", host="db", schema="desk_7")
    backend, _ = cache_database_config(config, "/data")
    assert backend.schema == "desk_7"


def test_database_config_when_schema_unset_then_backend_default_schema() -> None:
    backend, _ = cache_database_config(DatabaseConfig(type="postgres"), "/data")
    assert backend.schema == "argonaut"


def test_database_config_when_redis_closed_expiry_then_backend_ttl() -> None:
    backend, _ = cache_database_config(DatabaseConfig(type="redis", closed_expiry=3600), "/d")
    assert backend.closed_ttl_secs == 3600
    unset, _ = cache_database_config(DatabaseConfig(type="redis"), "/d")
    assert unset.closed_ttl_secs is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"type": "postgres", "schema": "1bad"}, "schema.*plain SQL name.*'1bad'"),
        ({"type": "postgres", "schema": "a; drop"}, "schema.*plain SQL name"),
        ({"type": "postgres", "schema": "x" * 64}, "schema.*plain SQL name"),
        ({"type": "redis", "schema": "s"}, "schema.*only used by postgres"),
        ({"type": "sqlite", "schema": "s"}, "schema.*only used by postgres"),
        ({"type": "redis", "closed_expiry": 0}, "closed_expiry.*>= 1, found 0"),
        ({"type": "redis", "closed_expiry": -5}, "closed_expiry.*>= 1, found -5"),
        ({"type": "postgres", "closed_expiry": 60}, "closed_expiry.*only used by redis"),
    ],
)
def test_database_config_when_setting_invalid_then_error_names_it(
    kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigError, match=match):
        DatabaseConfig(**kwargs)
