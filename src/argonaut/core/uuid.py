"""A fast UUID4 value and an injectable factory.

Engine code never creates fresh UUIDs by itself: it asks the `UUIDFactory` its node
was given, which is seeded for deterministic replays or backed by the OS otherwise.
"""

from __future__ import annotations

import os
import random
import re

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


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
        bits &= ~(0xF000 << 64)
        bits |= 0x4000 << 64
        bits &= ~(0xC000 << 48)
        bits |= 0x8000 << 48
        h = f"{bits:032x}"
        return str.__new__(cls, f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")

    def __repr__(self) -> str:
        return f"UUID4('{self}')"


class UUIDFactory:
    """Make UUID4 values: from a seeded generator (deterministic) or the OS (seed None)."""

    __slots__ = ("_rng",)

    def __init__(self, seed: int | None = None) -> None:
        self._rng: random.Random | None = None if seed is None else random.Random(seed)

    def generate(self) -> UUID4:
        """Return a new UUID4."""
        rng = self._rng
        bits = int.from_bytes(os.urandom(16)) if rng is None else rng.getrandbits(128)
        return UUID4.from_int(bits)
