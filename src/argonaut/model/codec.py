"""msgspec hooks that let identifiers (validated `str` subclasses) cross the wire.

Identifiers and `UUID4` encode as plain strings and are rebuilt (and re-validated) as
their declared type on decode. `argonaut.model.serialization` builds the polymorphic
codecs on top of these hooks.
"""

from __future__ import annotations

from typing import Any


def enc_hook(obj: Any) -> Any:
    """Encode values msgspec does not know: `str` subclasses become plain strings."""
    if isinstance(obj, str):
        return str(obj)
    raise NotImplementedError(f"cannot encode objects of type {type(obj).__name__}")


def dec_hook(tp: Any, obj: Any) -> Any:
    """Rebuild `str` subclasses (identifiers, UUID4) from their text, validating it."""
    if isinstance(tp, type) and issubclass(tp, str):
        if isinstance(obj, str):
            return tp(obj)
        # TypeError (not NotImplementedError) lets msgspec report it with the field path.
        raise TypeError(f"expected a string for {tp.__name__}, found {type(obj).__name__}")
    raise NotImplementedError(f"cannot decode {type(obj).__name__} as {tp!r}")
