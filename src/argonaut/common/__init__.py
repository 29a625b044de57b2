"""Layer `common`: clock and timers, message bus and topics, component lifecycle, logging.

`common` is the synchronous core every message passes through. It imports only
`argonaut.core` and `argonaut.model`, and does no I/O except in the logging writer
thread. Nothing here is process-global: each node builds its own clock, bus and
`LogSystem`. Topic strings come from `argonaut.common.topics` (import the module).
"""

from argonaut.common.bus import MessageBus, Subscription, is_matching
from argonaut.common.clock import Clock, LiveClock, TestClock
from argonaut.common.component import (
    TRANSITIONS,
    Component,
    ComponentTrigger,
    next_state,
)
from argonaut.common.errors import ConfigError, InvalidStateTransition
from argonaut.common.logging import (
    Logger,
    LoggingConfig,
    LogLevel,
    LogRecord,
    LogSink,
    LogSystem,
    MemorySink,
)
from argonaut.common.timers import (
    ManualScheduler,
    TimeEvent,
    TimeEventHandler,
    TimerScheduler,
)

__all__ = [
    "TRANSITIONS",
    "Clock",
    "Component",
    "ComponentTrigger",
    "ConfigError",
    "InvalidStateTransition",
    "LiveClock",
    "LogLevel",
    "LogRecord",
    "LogSink",
    "LogSystem",
    "Logger",
    "LoggingConfig",
    "ManualScheduler",
    "MemorySink",
    "MessageBus",
    "Subscription",
    "TestClock",
    "TimeEvent",
    "TimeEventHandler",
    "TimerScheduler",
    "is_matching",
    "next_state",
]
