from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import msgspec
import pytest

from argonaut.common.clock import TestClock
from argonaut.common.errors import ConfigError
from argonaut.common.logging import (
    DEBUG,
    ERROR,
    INFO,
    OFF,
    WARNING,
    Logger,
    LoggingConfig,
    LogRecord,
    LogSystem,
    MemorySink,
)

T0 = 1_700_000_000_000_000_000  # 2023-11-14T22:13:20Z


def quiet(**kwargs: object) -> LoggingConfig:
    """A config with the console off (tests add their own sinks)."""
    return LoggingConfig(log_level="OFF", **kwargs)  # type: ignore[arg-type]


# -- config --------------------------------------------------------------------------------


def test_config_defaults() -> None:
    config = LoggingConfig()
    assert config.log_level == "INFO"
    assert config.log_level_file is None
    assert config.log_file_format is None
    assert config.log_component_levels == {}
    assert config.log_colors is True
    assert config.bypass_logging is False


def test_config_decodes_from_json_and_forbids_unknown_fields() -> None:
    config = msgspec.json.decode(
        b'{"log_level": "DEBUG", "log_component_levels": {"RiskEngine": "ERROR"}}',
        type=LoggingConfig,
    )
    assert config.log_component_levels == {"RiskEngine": "ERROR"}
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(b'{"log_levle": "DEBUG"}', type=LoggingConfig)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"log_level": "LOUD"}, "log_level 'LOUD' is not a log level"),
        ({"log_level_file": "x"}, "log_level_file"),
        ({"log_component_levels": {"Risk": "y"}}, "log_component_levels\\['Risk'\\]"),
        ({"log_file_format": "xml"}, "log_file_format 'xml'"),
        ({"max_file_size": 0}, "max_file_size"),
        ({"max_backup_count": -1}, "max_backup_count"),
        ({"max_queue_size": 0}, "max_queue_size"),
    ],
)
def test_config_when_invalid_then_config_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LoggingConfig(**kwargs)  # type: ignore[arg-type]


# -- levels --------------------------------------------------------------------------------


def test_logger_levels_when_component_override_then_it_replaces_sink_levels() -> None:
    sink = MemorySink(level=INFO)
    config = quiet(log_component_levels={"Chatty": "ERROR", "Debugged": "debug"})
    with LogSystem(config, clock=TestClock(T0), sinks=[sink]) as system:
        plain, chatty, debugged = (Logger(n, system) for n in ("Plain", "Chatty", "Debugged"))
        assert not plain.debug_enabled
        assert debugged.debug_enabled
        assert chatty.is_enabled_for(ERROR)
        assert not chatty.is_enabled_for(WARNING)
        for logger in (plain, chatty, debugged):
            logger.debug("d")
            logger.info("i")
            logger.error("e")
        system.flush()
    assert [(r.component, r.message) for r in sink.records] == [
        ("Plain", "i"),
        ("Plain", "e"),
        ("Chatty", "e"),
        ("Debugged", "d"),
        ("Debugged", "i"),
        ("Debugged", "e"),
    ]


def test_each_sink_filters_by_its_own_level() -> None:
    debug_sink, warning_sink = MemorySink(DEBUG), MemorySink(WARNING)
    with LogSystem(quiet(), clock=TestClock(), sinks=[debug_sink, warning_sink]) as system:
        logger = Logger("C", system)
        logger.debug("d")
        logger.info("i")
        logger.warning("w")
    assert debug_sink.messages() == ["d", "i", "w"]
    assert warning_sink.messages() == ["w"]


def test_records_carry_the_clock_time_and_component() -> None:
    sink = MemorySink()
    clock = TestClock(T0)
    with LogSystem(quiet(), clock=clock, sinks=[sink]) as system:
        logger = Logger("RiskEngine", system)
        logger.info("first")
        clock.set_time(T0 + 5)
        logger.warning("second")
    assert sink.records == [
        LogRecord(T0, INFO, "RiskEngine", "first"),
        LogRecord(T0 + 5, WARNING, "RiskEngine", "second"),
    ]


def test_exception_records_the_traceback_of_the_handled_exception() -> None:
    sink = MemorySink()
    with LogSystem(quiet(), clock=TestClock(), sinks=[sink]) as system:
        logger = Logger("C", system)
        try:
            raise KeyError("missing")
        except KeyError:
            logger.exception("lookup failed")
    (record,) = sink.records
    assert record.level == ERROR
    assert record.exc_text is not None
    assert "Traceback" in record.exc_text
    assert "KeyError: 'missing'" in record.exc_text


# -- console -------------------------------------------------------------------------------


def test_console_writes_info_to_stdout_and_errors_to_stderr() -> None:
    out, err = io.StringIO(), io.StringIO()
    config = LoggingConfig(log_level="INFO", log_colors=False)
    with LogSystem(
        config, clock=TestClock(T0), trader_id="TRADER-001", stdout=out, stderr=err
    ) as s:
        logger = Logger("DataEngine", s)
        logger.debug("hidden")
        logger.info("hello")
        logger.error("bad")
    assert out.getvalue() == "2023-11-14T22:13:20.000000000Z [INFO] TRADER-001.DataEngine: hello\n"
    assert err.getvalue() == "2023-11-14T22:13:20.000000000Z [ERROR] TRADER-001.DataEngine: bad\n"


def test_console_colors_when_enabled_then_ansi_codes_around_warnings() -> None:
    out = io.StringIO()
    config = LoggingConfig(log_level="INFO", log_colors=True)
    with LogSystem(config, clock=TestClock(), stdout=out, stderr=out) as system:
        Logger("C", system).warning("careful")
    assert out.getvalue().startswith("\x1b[93m")
    assert out.getvalue().endswith("\x1b[0m")


# -- files ---------------------------------------------------------------------------------


def test_file_logging_when_level_file_set_then_text_lines_written(tmp_path: Path) -> None:
    config = quiet(log_level_file="DEBUG", log_directory=str(tmp_path))
    with LogSystem(config, clock=TestClock(T0), trader_id="TRADER-001") as system:
        assert system.file_path == tmp_path / "TRADER-001.log"
        logger = Logger("ExecEngine", system)
        logger.debug("one")
        logger.info("two")
        system.flush()
        lines = (tmp_path / "TRADER-001.log").read_text().splitlines()
    assert lines == [
        "2023-11-14T22:13:20.000000000Z [DEBUG] TRADER-001.ExecEngine: one",
        "2023-11-14T22:13:20.000000000Z [INFO] TRADER-001.ExecEngine: two",
    ]


def test_file_logging_when_json_format_then_one_object_per_line(tmp_path: Path) -> None:
    config = quiet(
        log_level_file="INFO",
        log_directory=str(tmp_path / "logs"),
        log_file_name="node",
        log_file_format="json",
    )
    with LogSystem(config, clock=TestClock(T0), trader_id="TRADER-001") as system:
        logger = Logger("Portfolio", system)
        logger.info('quote "x"')
        try:
            raise ValueError("nope")
        except ValueError:
            logger.exception("failed")
    path = tmp_path / "logs" / "node.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[0] == {
        "timestamp": "2023-11-14T22:13:20.000000000Z",
        "ts_ns": T0,
        "level": "INFO",
        "trader_id": "TRADER-001",
        "component": "Portfolio",
        "message": 'quote "x"',
    }
    assert rows[1]["level"] == "ERROR"
    assert "ValueError: nope" in rows[1]["exception"]


def test_file_rotation_when_size_exceeded_then_backups_kept_up_to_count(tmp_path: Path) -> None:
    config = quiet(
        log_level_file="INFO",
        log_directory=str(tmp_path),
        log_file_name="rot.log",
        max_file_size=300,
        max_backup_count=2,
    )
    with LogSystem(config, clock=TestClock(T0), trader_id="T-1") as system:
        logger = Logger("C", system)
        for i in range(40):
            logger.info(f"message {i:03d}")
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["rot.log", "rot.log.1", "rot.log.2"]
    for name in files:
        assert 0 < (tmp_path / name).stat().st_size <= 300
    newest = (tmp_path / "rot.log").read_text().splitlines()
    older = (tmp_path / "rot.log.1").read_text().splitlines()
    assert newest[-1].endswith("message 039")
    assert older[-1].endswith(f"message {int(newest[0][-3:]) - 1:03d}")  # contiguous


def test_file_rotation_when_no_backups_then_file_truncated(tmp_path: Path) -> None:
    config = quiet(
        log_level_file="INFO",
        log_directory=str(tmp_path),
        max_file_size=200,
        max_backup_count=0,
    )
    with LogSystem(config, clock=TestClock(), trader_id="T-1") as system:
        logger = Logger("C", system)
        for i in range(20):
            logger.info(f"message {i:03d}")
    assert [p.name for p in tmp_path.iterdir()] == ["T-1.log"]
    assert (tmp_path / "T-1.log").read_text().splitlines()[-1].endswith("message 019")


def test_close_drains_pending_records_to_the_file(tmp_path: Path) -> None:
    config = quiet(log_level_file="INFO", log_directory=str(tmp_path))
    system = LogSystem(config, clock=TestClock(), trader_id="T-1")
    logger = Logger("C", system)
    for i in range(1000):
        logger.info(f"m{i}")
    system.close()
    system.close()  # idempotent
    assert len((tmp_path / "T-1.log").read_text().splitlines()) == 1000


def test_two_systems_in_one_process_log_independently(tmp_path: Path) -> None:
    a = LogSystem(
        quiet(log_level_file="INFO", log_directory=str(tmp_path)),
        clock=TestClock(),
        trader_id="A-1",
    )
    b = LogSystem(
        quiet(log_level_file="ERROR", log_directory=str(tmp_path)),
        clock=TestClock(),
        trader_id="B-1",
    )
    with a, b:
        Logger("C", a).info("to a")
        Logger("C", b).info("dropped by b's level")
        Logger("C", b).error("to b")
    assert (tmp_path / "A-1.log").read_text().count("\n") == 1
    assert "to b" in (tmp_path / "B-1.log").read_text()
    assert "dropped" not in (tmp_path / "B-1.log").read_text()


# -- the writer thread ---------------------------------------------------------------------


class BlockingSink(MemorySink):
    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()
        self.writer_threads: set[str] = set()

    def write(self, records: list[LogRecord]) -> None:
        self.writer_threads.add(threading.current_thread().name)
        self.entered.set()
        assert self.release.wait(10)
        super().write(records)


def test_logging_does_not_block_while_the_writer_is_stuck() -> None:
    sink = BlockingSink()
    with LogSystem(quiet(), clock=TestClock(), trader_id="T-1", sinks=[sink]) as system:
        logger = Logger("C", system)
        logger.info("first")
        assert sink.entered.wait(10)  # the writer now blocks inside the sink
        started = time.perf_counter()
        for i in range(1000):
            logger.info(f"m{i}")
        elapsed = time.perf_counter() - started
        assert sink.records == []
        sink.release.set()
        assert system.flush()
    assert elapsed < 5  # generous: it would hang forever if logging blocked
    assert len(sink.records) == 1001
    assert sink.writer_threads == {"argonaut-log-T-1"}


def test_queue_full_then_records_dropped_counted_and_reported() -> None:
    sink = BlockingSink()
    config = quiet(max_queue_size=5)
    with LogSystem(config, clock=TestClock(), sinks=[sink]) as system:
        logger = Logger("C", system)
        logger.info("first")
        assert sink.entered.wait(10)
        for i in range(8):
            logger.info(f"m{i}")
        assert system.dropped_count == 3
        sink.release.set()
        system.flush()
    assert sink.messages(INFO) == ["first", "m0", "m1", "m2", "m3", "m4"]
    assert sink.messages(WARNING) == ["3 log records dropped: the queue was full"]


def test_logging_after_close_then_dropped() -> None:
    sink = MemorySink()
    system = LogSystem(quiet(), clock=TestClock(), sinks=[sink])
    system.close()
    Logger("C", system).info("late")
    assert system.dropped_count == 1
    assert system.flush()


def test_failing_sink_does_not_stop_the_writer(capsys: pytest.CaptureFixture[str]) -> None:
    class Broken(MemorySink):
        def write(self, records: list[LogRecord]) -> None:
            raise OSError("disk full")

    good = MemorySink()
    with LogSystem(quiet(), clock=TestClock(), sinks=[Broken(), good]) as system:
        Logger("C", system).info("a")
        system.flush()
        Logger("C", system).info("b")
    assert good.messages() == ["a", "b"]
    assert system.sink_error_count == 2
    assert "disk full" in capsys.readouterr().err


# -- on_error, bypass, last resort -----------------------------------------------------------


def test_on_error_called_for_error_records_only_and_not_reentrant() -> None:
    seen: list[LogRecord] = []
    with LogSystem(quiet(), clock=TestClock(), sinks=[MemorySink()]) as system:
        logger = Logger("C", system)

        def on_error(record: LogRecord) -> None:
            seen.append(record)
            logger.error("reported from on_error")  # must not recurse

        system.set_on_error(on_error)
        logger.warning("w")
        logger.error("e1")
        system.set_on_error(None)
        logger.error("e2")
    assert [r.message for r in seen] == ["e1"]


def test_bypass_logging_then_no_thread_no_output_and_loggers_off(tmp_path: Path) -> None:
    config = LoggingConfig(bypass_logging=True, log_level_file="DEBUG", log_directory=str(tmp_path))
    with LogSystem(config, clock=TestClock()) as system:
        logger = Logger("C", system)
        assert not logger.is_enabled_for(ERROR)
        assert system.level_for("C") == OFF
        logger.error("nothing")
        assert system.flush()
    assert list(tmp_path.iterdir()) == []


def test_logger_without_system_writes_warnings_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logger = Logger("Tool", None)
    logger.info("quiet")
    logger.warning("loud")
    assert capsys.readouterr().err == "[WARNING] Tool: loud\n"
