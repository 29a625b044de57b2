"""`OrderEmulatorConfig`: options of the order emulator."""

from __future__ import annotations

import msgspec


class OrderEmulatorConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the `OrderEmulator`.

    `debug` logs every command received and every order released at DEBUG.
    """

    debug: bool = False


__all__ = ["OrderEmulatorConfig"]
