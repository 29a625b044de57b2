"""Write-ahead ownership: the journal of submitted orders' `OrderInitialized` records.

`OwnershipJournal.gate` (``journal`` mode, see `argonaut.live.persistence`) copies the
record into a memory-mapped, checksummed, segmented local file before the submit goes
to its client: an append is a copy into shared pages the kernel owns (no system call),
so the record survives a crash of the process the moment the append returns (not a
power loss). `merge_journal` adds, at startup, the journaled orders the database lacks.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple
from zlib import crc32

import msgspec
from msgspec.structs import astuple

from argonaut.cache.db import AddOrderEvent, DbOp, LoadedState
from argonaut.cache.db.errors import CorruptRecord
from argonaut.model.codec import dec_hook
from argonaut.model.commands.trading import SubmitOrder, SubmitOrderList
from argonaut.model.events.order import OrderInitialized

_MAGIC = b"AOJ1"
_SEGMENT_HEADER = struct.Struct("<4sIII")  # magic, epoch, segment index, segment size
_RECORD_HEADER = struct.Struct("<III")  # payload length, CRC-32 (seeded by the epoch), epoch
_PAGE = mmap.PAGESIZE
_MAP_FLAGS = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)


def _compact_type() -> type[msgspec.Struct]:
    """`OrderInitialized`'s fields as an array-like struct (the journal's record form)."""
    fields = [
        (f.name, f.type, f.default if f.default is not msgspec.NODEFAULT else msgspec.NODEFAULT)
        for f in msgspec.structs.fields(OrderInitialized)
    ]
    return msgspec.defstruct(
        "JournalOrderInitialized",
        [(n, t) if d is msgspec.NODEFAULT else (n, t, d) for n, t, d in fields],
        array_like=True,
        kw_only=True,
    )


class OwnershipJournal:
    """The write-ahead ownership journal: `OrderInitialized` records in a memory-mapped file.

    `gate` (the execution engine's write-ahead gate) appends the initialized record of
    every submitted order before the command is handed to its client. The file is
    mapped shared (``MAP_SHARED``), so an append is a copy into pages the kernel owns:
    once it returns the record is in the page cache and reaches the file even if the
    process is killed the next instant (the guarantee of a SQLite WAL commit with
    ``synchronous=NORMAL``; not a power loss). No system call, no lock.

    Layout: the file is a chain of segments of `segment_bytes`, each allocated on disk
    and mapped with ``MAP_POPULATE`` when created, each opening with a header (magic,
    epoch, index). A record is a header (length, CRC-32 seeded by the epoch, epoch) and the order's
    fields as a MessagePack array (`OrderInitialized` in field order, about a third
    of its tagged form); a record never spans two segments, one that does not fit
    starts the next segment (a new segment is allocated when there is none).

    `truncate` (the writer's ``on_drained``: every journaled order is committed to the
    database) starts a new epoch at the head of the first segment: one header write;
    records of older epochs, and the torn tail of a record cut short by a crash (its
    command never left the node), fail their check and are ignored by `read`. It also
    touches the pages the next appends will use, so the hot path takes no page fault
    (a segment entered without a drain takes one write fault per new page).
    Reopening a journal keeps its records (they are still owed to the database) and
    appends after them.
    """

    def __init__(self, path: str | Path, *, segment_bytes: int = 1 << 20) -> None:
        if segment_bytes < _PAGE or segment_bytes % _PAGE:
            raise ValueError(
                f"segment_bytes must be a multiple of the page size {_PAGE}, found {segment_bytes}"
            )
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Identifiers are `str` subclasses: `str.__str__` (a C slot) turns them into plain
        # strings faster than the model's Python hook, and refuses anything else.
        self._encode = msgspec.msgpack.Encoder(enc_hook=str.__str__).encode
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        self._fd: int | None = fd
        self._maps: list[mmap.mmap] = []
        self.appended = 0
        self.rotations = 0
        size = os.fstat(fd).st_size
        tail = _scan(self.path) if size else None
        if tail is None:  # new (or empty) journal
            if size:
                os.ftruncate(fd, 0)
            self.segment_bytes = segment_bytes
            self._epoch = 1
            self._new_segment()
        else:
            self.segment_bytes = tail.segment_bytes
            self._epoch = tail.epoch
            for i in range(size // self.segment_bytes):
                self._maps.append(self._map(i))
            self._index = tail.segment
            self._pos = tail.offset
            self._map_now = self._maps[self._index]
        self._limit = self.segment_bytes
        self.prefault()

    # -- the hot path --------------------------------------------------------------------

    def append(self, init: OrderInitialized) -> None:
        """Append one record: encode, checksum, copy into the map."""
        data = self._encode(astuple(init))
        size = len(data)
        pos = self._pos
        end = pos + _RECORD_HEADER.size + size
        if end > self._limit:
            self._next_segment(size)
            pos = self._pos
            end = pos + _RECORD_HEADER.size + size
        m = self._map_now
        m[pos + _RECORD_HEADER.size : end] = data
        epoch = self._epoch
        _RECORD_HEADER.pack_into(m, pos, size, crc32(data, epoch), epoch)
        self._pos = end
        self.appended += 1

    def gate(self, send: Callable[[Any], None], command: Any, submit: bool) -> bool:
        """Journal a submit's orders; never holds a command (always returns False)."""
        if submit:
            if type(command) is SubmitOrder:
                self.append(command.order_init)
            elif type(command) is SubmitOrderList:
                for init in command.order_list.orders:
                    self.append(init)
        return False

    # -- segments ------------------------------------------------------------------------

    def _map(self, index: int) -> mmap.mmap:
        if self._fd is None:
            raise RuntimeError(f"ownership journal {self.path} is closed")
        return mmap.mmap(
            self._fd,
            self.segment_bytes,
            flags=_MAP_FLAGS,
            prot=mmap.PROT_READ | mmap.PROT_WRITE,
            offset=index * self.segment_bytes,
        )

    def _new_segment(self) -> None:
        """Allocate and map (populated) one more segment at the end of the file."""
        index = len(self._maps)
        if self._fd is None:
            raise RuntimeError(f"ownership journal {self.path} is closed")
        if hasattr(os, "posix_fallocate"):  # blocks reserved now, not on a page fault
            os.posix_fallocate(self._fd, index * self.segment_bytes, self.segment_bytes)
        else:
            os.ftruncate(self._fd, (index + 1) * self.segment_bytes)
        self._maps.append(self._map(index))
        self._start_segment(index)

    def _start_segment(self, index: int) -> None:
        m = self._map_now = self._maps[index]
        _SEGMENT_HEADER.pack_into(m, 0, _MAGIC, self._epoch, index, self.segment_bytes)
        self._index = index
        self._pos = _SEGMENT_HEADER.size

    def _next_segment(self, size: int) -> None:
        if _SEGMENT_HEADER.size + _RECORD_HEADER.size + size > self.segment_bytes:
            raise ValueError(
                f"an ownership journal record of {size} bytes does not fit a segment of "
                f"{self.segment_bytes} bytes"
            )
        self.rotations += 1
        if self._index + 1 < len(self._maps):
            self._start_segment(self._index + 1)
        else:
            self._new_segment()

    def prefault(self, ahead: int = 16 * 4096) -> None:
        """Touch the pages the next appends will write (off the hot path)."""
        m = self._map_now
        start = self._pos - self._pos % _PAGE
        for offset in range(start, min(self._limit, self._pos + ahead), _PAGE):
            m[offset] = m[offset]  # a write fault now, none on the next append

    # -- compaction ----------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Bytes of records (and segment headers) since the journal was last emptied."""
        if self._fd is None or not self._maps:
            return 0
        used = self._index * self.segment_bytes + self._pos
        return 0 if used == _SEGMENT_HEADER.size else used

    def truncate(self, *, force: bool = False) -> None:
        """Empty the journal: a new epoch at the head of the first segment.

        Call only when every journaled order is committed to the database (the
        writer's ``on_drained``). `force` is accepted for callers that empty it at
        shutdown; the operation is the same.
        """
        del force
        if self._fd is None or self.size == 0:
            return
        self._epoch = (self._epoch % 0xFFFFFFFF) + 1
        self._start_segment(0)
        self.prefault()

    def close(self) -> None:
        """Unmap and close the file (idempotent); the records stay in it."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        self._limit = -1  # an append now finds no room and reports the journal closed
        for m in self._maps:
            m.close()
        self._maps.clear()
        os.close(fd)

    # -- recovery ------------------------------------------------------------------------

    @staticmethod
    def read(path: str | Path) -> list[OrderInitialized]:
        """Return the records at `path` (none when it does not exist or is empty).

        Raise `CorruptRecord` naming the record when a complete, checksummed record does
        not decode, or the file is not an ownership journal.
        """
        p = Path(path)
        if not p.exists():
            return []
        records: list[OrderInitialized] = []
        tail = _scan(p, records)
        del tail
        return records


class _Tail(NamedTuple):
    epoch: int
    segment_bytes: int
    segment: int  # where the next record goes
    offset: int


_decoder: msgspec.msgpack.Decoder[Any] | None = None


def _decode(key: str, blob: bytes) -> OrderInitialized:
    global _decoder
    if _decoder is None:
        _decoder = msgspec.msgpack.Decoder(_compact_type(), dec_hook=dec_hook)
    try:
        row = _decoder.decode(blob)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as e:
        raise CorruptRecord(key, f"cannot decode the journaled OrderInitialized: {e}") from e
    return OrderInitialized(**msgspec.structs.asdict(row))


def _scan(path: Path, out: list[OrderInitialized] | None = None) -> _Tail | None:
    """Walk the journal at `path`: the valid records of its current epoch, and its tail.

    Return None for an empty file. Within a segment the records run until the first one
    that fails its check (a torn tail, an older epoch, or the unused end); the next
    segment of the same epoch continues the sequence.
    """
    data = path.read_bytes()
    if not data:
        return None
    name = f"journal:{path.name}"
    if len(data) < _SEGMENT_HEADER.size:
        raise CorruptRecord(name, f"holds {len(data)} bytes, not an ownership journal header")
    magic, epoch, index, seg = _SEGMENT_HEADER.unpack_from(data, 0)
    if magic != _MAGIC or index != 0 or seg < _PAGE or seg % _PAGE:
        raise CorruptRecord(name, "is not an ownership journal (bad segment header)")
    tail = _Tail(epoch, seg, 0, _SEGMENT_HEADER.size)
    count = 0
    for index in range(len(data) // seg):
        base = index * seg
        m, e, i, s = _SEGMENT_HEADER.unpack_from(data, base)
        if m != _MAGIC or e != epoch or i != index or s != seg:
            break  # a segment of an older epoch: the chain ends before it
        pos = base + _SEGMENT_HEADER.size
        limit = base + seg
        while pos + _RECORD_HEADER.size <= limit:
            size, crc, e = _RECORD_HEADER.unpack_from(data, pos)
            end = pos + _RECORD_HEADER.size + size
            if e != epoch or end > limit or size == 0:
                break
            blob = data[pos + _RECORD_HEADER.size : end]
            if crc32(blob, epoch) != crc:
                break  # torn by a crash while it was copied: its command never left
            if out is not None:
                out.append(_decode(f"{name} (record {count} at byte {pos})", blob))
            count += 1
            pos = end
        tail = _Tail(epoch, seg, index, pos - base)
    return tail


def merge_journal(state: LoadedState, records: list[OrderInitialized]) -> list[DbOp]:
    """Add the journaled orders the database lacks to `state`; return the ops to store them."""
    ops: list[DbOp] = []
    for init in records:
        coid = init.client_order_id
        if coid in state.orders:
            continue
        state.orders[coid] = [init]
        state.index_order_strategy[coid] = init.strategy_id
        ops.append(AddOrderEvent(client_order_id=coid, strategy_id=init.strategy_id, event=init))
    return ops


__all__ = ["OwnershipJournal", "merge_journal"]
