"""A fast UUID4 value and an injectable factory.

Engine code never creates fresh UUIDs by itself: it asks the `UUIDFactory` its node
was given, which is seeded for deterministic replays or backed by the OS otherwise.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# Masks that make 128 random bits a version-4, RFC 4122 variant UUID.
_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_V4 = (0x4000 << 64) | (0x8000 << 48)
_POOL_BYTES = 4096
_new = str.__new__


class UUID4(str):
    """A version-4 UUID in its canonical lowercase text form (a validated `str`)."""

    __slots__ = ()

    def __new__(cls, value: str) -> UUID4:
        text = value.lower()
        if _UUID_RE.match(text) is None:
            raise ValueError(f"{value!r} is not a canonical version-4 UUID")
        return str.__new__(cls, text)

    @classmethod
    def from_int(cls, bits: int) -> UUID4:
        """Build a UUID4 from 128 random bits (version and variant bits are set here)."""
        b = (bits & _KEEP | _V4).to_bytes(16)
        return _new(cls, f"{b[:4].hex()}-{b[4:10].hex('-', 2)}-{b[10:].hex()}")

    def __repr__(self) -> str:
        return f"UUID4('{self}')"


class UUIDFactory:
    """Make UUID4 values: from a seeded generator (deterministic) or the OS (seed None)."""

    __slots__ = ("_getrandbits", "_pool", "_pos", "_rng")

    def __init__(self, seed: int | None = None) -> None:
        self._rng: random.Random | None = None if seed is None else random.Random(seed)
        self._getrandbits: Callable[[int], int] | None = (
            None if self._rng is None else self._rng.getrandbits
        )
        self._pool = b""  # OS randomness read ahead, so a UUID costs no system call
        self._pos = 0

    def generate(self) -> UUID4:
        """Return a new UUID4."""
        getrandbits = self._getrandbits
        if getrandbits is not None:
            b = (getrandbits(128) & _KEEP | _V4).to_bytes(16)
        else:
            pos = self._pos
            if pos == 0:
                self._pool = os.urandom(_POOL_BYTES)
                pos = _POOL_BYTES
            self._pos = pos = pos - 16
            b = (int.from_bytes(self._pool[pos : pos + 16]) & _KEEP | _V4).to_bytes(16)
        # 8-4-4-4-12 hex digits: bytes 4, then 6 grouped by 2, then 6
        return _new(UUID4, f"{b[:4].hex()}-{b[4:10].hex('-', 2)}-{b[10:].hex()}")
