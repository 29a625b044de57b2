"""Shared pytest configuration.

Database-backed tests use `require_service(name, host, port)`: without the service they
skip with the reason, unless ARGONAUT_REQUIRE_SERVICES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "argonaut", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("argonaut")


def require_service(name: str, host: str, port: int) -> None:
    """Skip (or fail under ARGONAUT_REQUIRE_SERVICES=1) when a service is unreachable."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return
    except OSError as e:
        reason = f"{name} is not reachable at {host}:{port} ({e})"
        if os.environ.get("ARGONAUT_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}; ARGONAUT_REQUIRE_SERVICES=1 requires it")
        pytest.skip(reason)
