from __future__ import annotations

import uuid

import pytest

from argonaut.core.uuid import UUID4, UUIDFactory


def test_factory_when_seeded_then_deterministic() -> None:
    a = UUIDFactory(7)
    b = UUIDFactory(7)
    assert [a.generate() for _ in range(3)] == [b.generate() for _ in range(3)]


def test_factory_when_unseeded_then_valid_version_four() -> None:
    value = UUIDFactory().generate()
    assert uuid.UUID(value).version == 4
    assert UUID4(value) == value


def test_uuid4_when_not_canonical_v4_then_refused() -> None:
    with pytest.raises(ValueError, match="version-4 UUID"):
        UUID4("not-a-uuid")
    with pytest.raises(ValueError, match="version-4 UUID"):
        UUID4(str(uuid.uuid1()))
