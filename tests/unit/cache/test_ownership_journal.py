"""The write-ahead ownership journal: a memory-mapped file of `OrderInitialized` records.

Real files throughout; a crash is a real SIGKILL of a child process, and a record cut
short by a crash is made by overwriting the end of its bytes in the file.
"""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from argonaut.cache.db import CorruptRecord
from argonaut.live.persistence import OwnershipJournal
from argonaut.model.events.order import OrderInitialized
from argonaut.testkit import (
    bracket_orders,
    limit_order,
    stop_limit_order,
    trailing_stop_limit_order,
)

PAGE = 4096


def _coids(path: Path) -> list[str]:
    return [str(r.client_order_id) for r in OwnershipJournal.read(path)]


def _inits(n: int, prefix: str = "O") -> list[OrderInitialized]:
    return [limit_order(client_order_id=f"{prefix}-{i}").init_event for i in range(n)]


def test_read_when_orders_of_every_shape_then_equal_to_what_was_appended(tmp_path: Path) -> None:
    inits = [
        limit_order(client_order_id="O-1", post_only=True, display_qty="0.5").init_event,
        stop_limit_order(client_order_id="O-2").init_event,
        trailing_stop_limit_order(client_order_id="O-3").init_event,
        limit_order(client_order_id="O-4", tags=("a", "b")).init_event,
        *[order.init_event for order in bracket_orders()],
    ]
    journal = OwnershipJournal(tmp_path / "o.journal")
    for init in inits:
        journal.append(init)
    assert OwnershipJournal.read(tmp_path / "o.journal") == inits  # while it is open
    journal.close()
    assert OwnershipJournal.read(tmp_path / "o.journal") == inits


def test_read_when_file_missing_or_empty_then_no_records(tmp_path: Path) -> None:
    assert OwnershipJournal.read(tmp_path / "none.journal") == []
    (tmp_path / "empty.journal").write_bytes(b"")
    assert OwnershipJournal.read(tmp_path / "empty.journal") == []


def test_append_when_process_killed_right_after_then_record_in_file(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    script = textwrap.dedent(
        f"""
        import os, signal
        from argonaut.live.persistence import OwnershipJournal
        from argonaut.testkit import limit_order
        journal = OwnershipJournal({str(path)!r})
        for i in range(3):
            journal.append(limit_order(client_order_id=f"K-{{i}}").init_event)
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no flush, no msync
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _coids(path) == ["K-0", "K-1", "K-2"]


def test_read_when_last_record_torn_by_a_crash_then_ignored(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    journal = OwnershipJournal(path)
    journal.append(limit_order(client_order_id="O-1").init_event)
    start = journal.size  # the byte where the next record goes (first segment)
    journal.append(limit_order(client_order_id="O-2").init_event)
    end = journal.size
    journal.close()
    data = bytearray(path.read_bytes())
    data[end - 5 : end] = bytes(5)  # the copy stopped short of its last bytes
    path.write_bytes(bytes(data))
    assert _coids(path) == ["O-1"]
    data[start : start + 4] = b"\xff\xff\xff\x7f"  # a torn length: past the segment
    path.write_bytes(bytes(data))
    assert _coids(path) == ["O-1"]


def test_reopen_when_torn_tail_then_appends_after_the_last_valid_record(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    journal = OwnershipJournal(path)
    journal.append(limit_order(client_order_id="O-1").init_event)
    journal.append(limit_order(client_order_id="O-2").init_event)
    end = journal.size
    journal.close()
    data = bytearray(path.read_bytes())
    data[end - 1] ^= 0xFF
    path.write_bytes(bytes(data))
    journal = OwnershipJournal(path)
    journal.append(limit_order(client_order_id="O-3").init_event)
    journal.close()
    assert _coids(path) == ["O-1", "O-3"]


def test_truncate_when_drained_then_old_records_ignored_and_space_reused(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    journal = OwnershipJournal(path, segment_bytes=PAGE)
    for init in _inits(30):  # several segments
        journal.append(init)
    assert journal.rotations >= 1
    file_size = path.stat().st_size
    journal.truncate()
    assert journal.size == 0
    assert _coids(path) == []  # the old records are still in the file, of an older epoch
    journal.append(limit_order(client_order_id="N-1").init_event)
    assert _coids(path) == ["N-1"]
    journal.truncate(force=True)
    for init in _inits(30, "M"):
        journal.append(init)
    assert path.stat().st_size == file_size  # the segments are reused, the file not grown
    assert _coids(path) == [f"M-{i}" for i in range(30)]
    journal.close()


def test_append_when_segment_full_then_next_segment_continues_the_records(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    journal = OwnershipJournal(path, segment_bytes=PAGE)
    for init in _inits(50):
        journal.append(init)
    rotations = journal.rotations
    assert rotations >= 2
    assert path.stat().st_size == (rotations + 1) * PAGE
    journal.close()
    assert _coids(path) == [f"O-{i}" for i in range(50)]
    reopened = OwnershipJournal(path, segment_bytes=PAGE)  # continues in the last segment
    reopened.append(limit_order(client_order_id="O-50").init_event)
    assert reopened.rotations == 0
    reopened.close()
    assert _coids(path) == [f"O-{i}" for i in range(51)]


def test_reopen_when_records_not_yet_committed_then_kept_until_truncate(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    journal = OwnershipJournal(path)
    journal.append(limit_order(client_order_id="O-1").init_event)
    journal.close()
    journal = OwnershipJournal(path)  # a restart: O-1 is still owed to the database
    assert _coids(path) == ["O-1"]
    journal.append(limit_order(client_order_id="O-2").init_event)
    assert _coids(path) == ["O-1", "O-2"]
    journal.truncate()
    assert _coids(path) == []
    journal.close()


def test_read_when_not_a_journal_then_corrupt_record_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "old.journal"
    path.write_bytes(b"\x02\x00\x00\x00\xc1\xc1" * 10)
    with pytest.raises(CorruptRecord, match=r"journal:old\.journal"):
        OwnershipJournal.read(path)


def test_read_when_checksummed_record_does_not_decode_then_corrupt_record(tmp_path: Path) -> None:
    path = tmp_path / "o.journal"
    journal = OwnershipJournal(path)
    journal.append(limit_order(client_order_id="O-1").init_event)
    start = journal.size
    journal.close()
    data = bytearray(path.read_bytes())
    epoch = struct.unpack_from("<I", data, 4)[0]
    blob = b"\x93\x01\x02\x03"  # a valid MessagePack array, not an OrderInitialized
    data[start : start + 12 + len(blob)] = (
        struct.pack("<III", len(blob), zlib.crc32(blob, epoch), epoch) + blob
    )
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptRecord, match=rf"journal:o\.journal \(record 1 at byte {start}\)"):
        OwnershipJournal.read(path)


@pytest.mark.parametrize("bad", [0, 1000, PAGE + 1])
def test_journal_when_segment_not_whole_pages_then_refused(tmp_path: Path, bad: int) -> None:
    with pytest.raises(ValueError, match=f"segment_bytes .* found {bad}"):
        OwnershipJournal(tmp_path / "o.journal", segment_bytes=bad)


def test_append_when_record_larger_than_a_segment_then_refused(tmp_path: Path) -> None:
    journal = OwnershipJournal(tmp_path / "o.journal", segment_bytes=PAGE)
    big = limit_order(client_order_id="O-1", tags=("x" * 5000,)).init_event
    with pytest.raises(ValueError, match="does not fit a segment"):
        journal.append(big)
    journal.close()


def test_append_when_closed_then_error_names_the_file(tmp_path: Path) -> None:
    journal = OwnershipJournal(tmp_path / "o.journal")
    journal.close()
    journal.close()  # idempotent
    with pytest.raises(RuntimeError, match=r"o\.journal is closed"):
        journal.append(limit_order().init_event)
    assert os.path.exists(tmp_path / "o.journal")
