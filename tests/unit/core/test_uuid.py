from __future__ import annotations

import os
import uuid

import pytest

from argonaut.core.uuid import UUID4, UUIDFactory, _format_batch


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


def test_factory_when_many_generated_then_all_canonical_v4_and_distinct() -> None:
    for factory in (UUIDFactory(3), UUIDFactory()):
        values = [factory.generate() for _ in range(2_100)]  # across two batch refills
        assert len(set(values)) == len(values)
        for value in values:
            assert isinstance(value, UUID4)
            assert str(uuid.UUID(value)) == value
            assert uuid.UUID(value).version == 4


def test_from_int_then_same_text_as_uuid_module_with_v4_bits_set() -> None:
    bits = 0x0123456789ABCDEF_FEDCBA9876543210
    expected = uuid.UUID(int=bits & ~((0xF000 << 64) | (0xC000 << 48)) | (0x4000 << 64), version=4)
    assert UUID4.from_int(bits) == str(expected)


def test_format_batch_then_each_text_is_the_uuid_module_text_of_its_bits_with_v4_set() -> None:
    raw = os.urandom(16 * 50) + bytes(16) + b"\xff" * 16
    texts = _format_batch(raw)
    assert len(texts) == 36 * 52
    for i in range(52):
        bits = int.from_bytes(raw[16 * i : 16 * i + 16])
        assert texts[36 * i : 36 * i + 36] == UUID4.from_int(bits)
