"""Per-node logging: loggers queue records, one writer thread formats and writes them.

Each node owns one `LogSystem` (no process-global state: two nodes in one process log
independently). A `Logger` call on the engine thread costs a level check, a clock read,
one small record and a deque append; it never blocks and never does I/O. The writer
thread drains the queue in batches and writes to the sinks: the console (stdout, with
ERROR to stderr, optionally coloured), a size-rotated file (text or JSON lines), and
any extra sinks given (e.g. `MemorySink` in tests).

The queue is bounded (`max_queue_size`): when full, new records are dropped and
counted in `dropped_count`, and the writer reports the loss once it catches up.

Levels: a logger's threshold is its component's level from `log_component_levels`
if set, which then applies to every sink for that component; otherwise each sink
filters by its own level (`log_level` for the console, `log_level_file` for the file).

`on_error`: an optional callback run on the logging thread, synchronously, for every
ERROR record that passes its logger's level (the live node uses it for
shutdown-on-error). It must be cheap; errors it logs itself do not re-trigger it.

A `Logger` built with no system (`Logger(name, None)`) is a last resort for tools
and tests: it writes WARNING and above synchronously to stderr.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Final, Protocol, TextIO

import msgspec

from argonaut.common.clock import Clock
from argonaut.common.errors import ConfigError
from argonaut.core.nanos import nanos_to_iso8601


class LogLevel(IntEnum):
    """Log levels; OFF disables a sink or a component."""

    DEBUG = 10
    INFO = 20
    WARNING = 30
    ERROR = 40
    OFF = 100


DEBUG: Final = 10
INFO: Final = 20
WARNING: Final = 30
ERROR: Final = 40
OFF: Final = 100

_LEVEL_ALIASES = {"WARN": LogLevel.WARNING, "CRITICAL": LogLevel.ERROR, "NONE": LogLevel.OFF}
_COLORS = {DEBUG: "\x1b[2m", INFO: "", WARNING: "\x1b[93m", ERROR: "\x1b[91m"}
_RESET = "\x1b[0m"


def parse_level(value: str, what: str = "log level") -> LogLevel:
    """Parse a level name (DEBUG, INFO, WARNING/WARN, ERROR, OFF), case-insensitive."""
    name = value.strip().upper() if isinstance(value, str) else ""
    level = LogLevel.__members__.get(name) or _LEVEL_ALIASES.get(name)
    if level is None:
        raise ConfigError(
            f"{what} {value!r} is not a log level: expected DEBUG, INFO, WARNING, ERROR or OFF"
        )
    return level


class LoggingConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How a node logs. File logging is on when `log_level_file` is set.

    `max_file_size` (bytes) enables size rotation keeping `max_backup_count` old files
    (``name.1`` newest); with 0 backups the file is truncated instead.
    """

    log_level: str = "INFO"
    log_level_file: str | None = None
    log_directory: str | None = None
    log_file_name: str | None = None
    log_file_format: str | None = None
    log_component_levels: dict[str, str] = msgspec.field(default_factory=dict)
    log_colors: bool = True
    max_file_size: int | None = None
    max_backup_count: int = 5
    max_queue_size: int = 100_000
    bypass_logging: bool = False

    def __post_init__(self) -> None:
        parse_level(self.log_level, "log_level")
        if self.log_level_file is not None:
            parse_level(self.log_level_file, "log_level_file")
        for component, level in self.log_component_levels.items():
            parse_level(level, f"log_component_levels[{component!r}]")
        if self.log_file_format not in (None, "json"):
            raise ConfigError(
                f"log_file_format {self.log_file_format!r} is not supported: expected None "
                "(text) or 'json'"
            )
        if self.max_file_size is not None and self.max_file_size <= 0:
            raise ConfigError(
                f"max_file_size must be a positive byte count, found {self.max_file_size}"
            )
        if self.max_backup_count < 0:
            raise ConfigError(f"max_backup_count must be >= 0, found {self.max_backup_count}")
        if self.max_queue_size <= 0:
            raise ConfigError(f"max_queue_size must be positive, found {self.max_queue_size}")


class LogRecord(msgspec.Struct, frozen=True, gc=False):
    """One log record, as queued by a `Logger` and handed to the sinks."""

    ts_ns: int
    level: int
    component: str
    message: str
    exc_text: str | None = None


def format_text(record: LogRecord, trader_id: str, *, colors: bool = False) -> str:
    """Format a record as one text line (plus its traceback, if any)."""
    name = LogLevel(record.level).name
    line = (
        f"{nanos_to_iso8601(record.ts_ns)} [{name}] {trader_id}.{record.component}: "
        f"{record.message}\n"
    )
    if record.exc_text:
        line += record.exc_text if record.exc_text.endswith("\n") else record.exc_text + "\n"
    if colors and _COLORS[record.level]:
        return f"{_COLORS[record.level]}{line}{_RESET}"
    return line


def format_json(record: LogRecord, trader_id: str) -> bytes:
    """Format a record as one JSON object followed by a newline (JSON lines)."""
    obj: dict[str, object] = {
        "timestamp": nanos_to_iso8601(record.ts_ns),
        "ts_ns": record.ts_ns,
        "level": LogLevel(record.level).name,
        "trader_id": trader_id,
        "component": record.component,
        "message": record.message,
    }
    if record.exc_text:
        obj["exception"] = record.exc_text
    return msgspec.json.encode(obj) + b"\n"


class LogSink(Protocol):
    """A destination for records; called only from the writer thread."""

    level: int

    def write(self, records: list[LogRecord]) -> None:
        """Write records that passed the level filter."""
        ...

    def flush(self) -> None:
        """Push buffered output to its destination."""
        ...

    def close(self) -> None:
        """Release resources; no writes follow."""
        ...


class MemorySink:
    """Keep records in memory (tests, diagnostics)."""

    def __init__(self, level: int = DEBUG) -> None:
        self.level = level
        self.records: list[LogRecord] = []

    def write(self, records: list[LogRecord]) -> None:
        """Append the records."""
        self.records.extend(records)

    def messages(self, level: int | None = None) -> list[str]:
        """Return the messages written, optionally only those at `level`."""
        return [r.message for r in self.records if level is None or r.level == level]

    def flush(self) -> None:
        """Do nothing: records are visible at once."""

    def close(self) -> None:
        """Do nothing."""


class StreamSink:
    """Write text lines to a stream, records at ERROR to `error_stream` when given."""

    def __init__(
        self,
        stream: TextIO,
        level: int,
        *,
        trader_id: str,
        error_stream: TextIO | None = None,
        colors: bool = False,
    ) -> None:
        self.level = level
        self._stream = stream
        self._error_stream = error_stream or stream
        self._trader_id = trader_id
        self._colors = colors

    def write(self, records: list[LogRecord]) -> None:
        """Write the records in order."""
        for record in records:
            stream = self._error_stream if record.level >= ERROR else self._stream
            stream.write(format_text(record, self._trader_id, colors=self._colors))

    def flush(self) -> None:
        """Flush both streams."""
        self._stream.flush()
        if self._error_stream is not self._stream:
            self._error_stream.flush()

    def close(self) -> None:
        """Flush only: the streams belong to the caller."""
        self.flush()


class FileSink:
    """Append lines to a file, rotating by size (``path.1`` is the newest backup)."""

    def __init__(
        self,
        path: Path,
        level: int,
        *,
        trader_id: str,
        json_lines: bool = False,
        max_file_size: int | None = None,
        max_backup_count: int = 5,
    ) -> None:
        self.level = level
        self.path = path
        self._trader_id = trader_id
        self._json = json_lines
        self._max_size = max_file_size
        self._backups = max_backup_count
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("ab")
        self._size = self._file.tell()

    def write(self, records: list[LogRecord]) -> None:
        """Write the records, rotating first whenever a line would pass the size limit."""
        for record in records:
            if self._json:
                data = format_json(record, self._trader_id)
            else:
                data = format_text(record, self._trader_id).encode()
            if (
                self._max_size is not None
                and self._size
                and self._size + len(data) > self._max_size
            ):
                self._rotate()
            self._file.write(data)
            self._size += len(data)

    def _rotate(self) -> None:
        self._file.close()
        if self._backups > 0:
            for i in range(self._backups - 1, 0, -1):
                older = Path(f"{self.path}.{i}")
                if older.exists():
                    os.replace(older, f"{self.path}.{i + 1}")
            os.replace(self.path, f"{self.path}.1")
        self._file = self.path.open("wb")
        self._size = 0

    def flush(self) -> None:
        """Flush the file buffer."""
        self._file.flush()

    def close(self) -> None:
        """Flush and close the file."""
        self._file.close()


_CLOSE: Final = object()  # queue marker: drain, flush and stop


class LogSystem:
    """One node's logging: sinks built from a `LoggingConfig` and a writer thread.

    Close it (or use it as a context manager) to drain pending records and close
    the file. `stdout`/`stderr` default to the process streams.
    """

    def __init__(
        self,
        config: LoggingConfig | None = None,
        *,
        clock: Clock,
        trader_id: str = "TRADER-000",
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        sinks: Sequence[LogSink] = (),
    ) -> None:
        self.config = config = config if config is not None else LoggingConfig()
        self.trader_id = str(trader_id)
        self._clock = clock
        self._overrides = {
            name: int(parse_level(level)) for name, level in config.log_component_levels.items()
        }
        self._sinks: list[LogSink] = []
        if not config.bypass_logging:
            console_level = parse_level(config.log_level)
            if console_level < OFF:
                self._sinks.append(
                    StreamSink(
                        stdout if stdout is not None else sys.stdout,
                        console_level,
                        trader_id=self.trader_id,
                        error_stream=stderr if stderr is not None else sys.stderr,
                        colors=config.log_colors,
                    )
                )
            if config.log_level_file is not None and parse_level(config.log_level_file) < OFF:
                self._sinks.append(
                    FileSink(
                        self._file_path(config),
                        parse_level(config.log_level_file),
                        trader_id=self.trader_id,
                        json_lines=config.log_file_format == "json",
                        max_file_size=config.max_file_size,
                        max_backup_count=config.max_backup_count,
                    )
                )
            self._sinks.extend(sinks)
        self._base_level = min((s.level for s in self._sinks), default=OFF)
        self._queue: deque[object] = deque()
        self._max_queue = config.max_queue_size
        self._wake = threading.Event()
        self._on_error: Callable[[LogRecord], None] | None = None
        self._in_on_error = False
        self._closed = False
        self.dropped_count = 0
        self.sink_error_count = 0
        self._reported_dropped = 0
        self._thread: threading.Thread | None = None
        if self._sinks:
            self._thread = threading.Thread(
                target=self._run, name=f"argonaut-log-{self.trader_id}", daemon=True
            )
            self._thread.start()

    def _file_path(self, config: LoggingConfig) -> Path:
        suffix = ".jsonl" if config.log_file_format == "json" else ".log"
        name = config.log_file_name or self.trader_id
        if not name.endswith((".log", ".json", ".jsonl")):
            name += suffix
        return Path(config.log_directory or ".") / name

    @property
    def file_path(self) -> Path | None:
        """The path of the log file, if file logging is on."""
        return next((s.path for s in self._sinks if isinstance(s, FileSink)), None)

    def level_for(self, component: str) -> int:
        """Return the threshold for a component's logger."""
        if not self._sinks:
            return OFF
        return self._overrides.get(component, self._base_level)

    def set_on_error(self, callback: Callable[[LogRecord], None] | None) -> None:
        """Set (or clear with None) the callback run for each ERROR record."""
        self._on_error = callback

    def emit(self, component: str, level: int, message: str, exc_text: str | None = None) -> None:
        """Queue a record without blocking (loggers have already checked the level)."""
        record = LogRecord(self._clock.timestamp_ns(), level, component, message, exc_text)
        queue = self._queue
        if self._closed or len(queue) >= self._max_queue:
            self.dropped_count += 1
        else:
            queue.append(record)
            if not self._wake.is_set():
                self._wake.set()
        if level >= ERROR and self._on_error is not None and not self._in_on_error:
            self._in_on_error = True
            try:
                self._on_error(record)
            finally:
                self._in_on_error = False

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every record queued before the call is written and flushed.

        Return False if the writer did not finish within `timeout` seconds.
        """
        thread = self._thread
        if thread is None or not thread.is_alive():
            return True  # nothing can be pending
        if thread is threading.current_thread():
            return False  # a sink flushing from the writer itself would wait forever
        done = threading.Event()
        self._queue.append(done)
        self._wake.set()
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Drain pending records, stop the writer and close the sinks; idempotent."""
        if self._closed:
            return
        self._closed = True
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.append(_CLOSE)
            self._wake.set()
            thread.join(timeout)
            if thread.is_alive():
                return  # a sink is stuck: leave it to the daemon thread
        for sink in self._sinks:
            self._guard(sink.close)

    def __enter__(self) -> LogSystem:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self) -> None:
        queue = self._queue
        wake = self._wake
        while True:
            wake.wait()
            wake.clear()
            batch: list[LogRecord] = []
            while queue:
                item = queue.popleft()
                if isinstance(item, LogRecord):
                    batch.append(item)
                    continue
                self._write(batch)
                batch = []
                for sink in self._sinks:
                    self._guard(sink.flush)
                if item is _CLOSE:
                    return
                if isinstance(item, threading.Event):
                    item.set()
            self._write(batch)
            for sink in self._sinks:
                self._guard(sink.flush)

    def _write(self, batch: list[LogRecord]) -> None:
        dropped = self.dropped_count
        if dropped != self._reported_dropped:
            batch.append(
                LogRecord(
                    batch[-1].ts_ns if batch else 0,
                    WARNING,
                    "LogSystem",
                    f"{dropped - self._reported_dropped} log records dropped: the queue was full",
                )
            )
            self._reported_dropped = dropped
        if not batch:
            return
        overrides = self._overrides
        for sink in self._sinks:
            level = sink.level
            accepted = [r for r in batch if r.level >= level or r.component in overrides]
            if accepted:
                self._guard(sink.write, accepted)

    def _guard(self, fn: Callable[..., None], *args: object) -> None:
        try:
            fn(*args)
        except Exception as exc:  # a failing sink must not kill the writer
            self.sink_error_count += 1
            if self.sink_error_count == 1:
                sys.stderr.write(f"argonaut logging: sink {fn!r} failed: {exc!r}\n")


class Logger:
    """A component's logger; check `debug_enabled` before building debug text on hot paths."""

    __slots__ = ("_level", "_system", "debug_enabled", "name")

    def __init__(self, component_name: str, system: LogSystem | None) -> None:
        self.name = str(component_name)
        self._system = system
        self._level = system.level_for(self.name) if system is not None else WARNING
        self.debug_enabled = self._level <= DEBUG

    @property
    def system(self) -> LogSystem | None:
        """The log system this logger writes through (None: straight to stderr)."""
        return self._system

    def child(self, component_name: str) -> Logger:
        """Return a logger for another component writing through the same system."""
        return Logger(component_name, self._system)

    def is_enabled_for(self, level: int) -> bool:
        """Return True if records at `level` pass this logger's threshold."""
        return level >= self._level

    def debug(self, message: str) -> None:
        """Log at DEBUG."""
        if self._level <= DEBUG:
            self._emit(DEBUG, message, None)

    def info(self, message: str) -> None:
        """Log at INFO."""
        if self._level <= INFO:
            self._emit(INFO, message, None)

    def warning(self, message: str) -> None:
        """Log at WARNING."""
        if self._level <= WARNING:
            self._emit(WARNING, message, None)

    def error(self, message: str) -> None:
        """Log at ERROR."""
        if self._level <= ERROR:
            self._emit(ERROR, message, None)

    def exception(self, message: str, exc: BaseException | None = None) -> None:
        """Log at ERROR with the traceback of `exc` (default: the exception being handled)."""
        if self._level > ERROR:
            return
        if exc is None:
            exc = sys.exc_info()[1]
        exc_text = "".join(traceback.format_exception(exc)) if exc is not None else None
        self._emit(ERROR, message, exc_text)

    def _emit(self, level: int, message: str, exc_text: str | None) -> None:
        system = self._system
        if system is not None:
            system.emit(self.name, level, message, exc_text)
            return
        line = f"[{LogLevel(level).name}] {self.name}: {message}\n"
        sys.stderr.write(line + (exc_text or ""))
