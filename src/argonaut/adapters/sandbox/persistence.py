"""Save and load the sandbox venue's whole state as one JSON file.

Saving writes a temporary file next to the target, flushes it to disk, then renames
it over the target (`os.replace`), so a crash leaves either the old or the new state,
never a torn file. Market data (books, last prices) is not saved: the feed rebuilds it.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from argonaut.adapters.sandbox.state import SimFill, SimOrder, SimPosition
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.identifiers import AccountId, Venue
from argonaut.model.values import Money

STATE_VERSION = 1


class VenueState(msgspec.Struct, kw_only=True):
    """Everything the venue must remember across restarts."""

    version: int = STATE_VERSION
    venue: Venue
    account_id: AccountId
    order_seq: int
    trade_seq: int
    report_seq: int
    orders: list[SimOrder]
    fills: list[SimFill]
    positions: list[SimPosition]
    totals: list[Money]
    rng_state: list[int]
    last_visible: int
    position_seq: int = 0


_ENCODER = msgspec.json.Encoder(enc_hook=enc_hook)
_DECODER = msgspec.json.Decoder(VenueState, dec_hook=dec_hook)


def save_state(path: str | os.PathLike[str], state: VenueState) -> None:
    """Write `state` to `path` atomically (temporary file, fsync, rename); the parent
    directory is created when missing."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    data = _ENCODER.encode(state)
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def load_state(path: str | os.PathLike[str]) -> VenueState:
    """Read the state saved at `path`; raise ValueError when it is not a valid state file."""
    data = Path(path).read_bytes()
    try:
        state = _DECODER.decode(data)
    except msgspec.DecodeError as e:
        raise ValueError(
            f"sandbox state file {path} is not a valid venue state: {e}; delete it to start "
            "from the configured balances"
        ) from e
    if state.version != STATE_VERSION:
        raise ValueError(
            f"sandbox state file {path} has version {state.version}: expected {STATE_VERSION}"
        )
    return state
