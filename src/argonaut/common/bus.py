"""The message bus: publish/subscribe on topics, endpoints, and request/response.

Topics are dotted strings built by `argonaut.common.topics`. A subscription pattern may
use ``*`` (any run of characters, dots included, possibly empty) and ``?`` (exactly one
character); every other character, ``[`` included, matches itself.

Speed: `publish` looks the topic up in a dict of resolved handler tuples; only the
first publish to a topic (or the first after a subscription change that concerns it)
walks the subscriptions. A topic nobody listens to costs a counter increment, one dict
lookup and an empty loop. Subscribing or unsubscribing drops from the cache only the
topics the pattern matches.

Handler errors: an exception (not a BaseException such as KeyboardInterrupt) raised by
any handler is logged with its traceback through the bus logger, counted in
`handler_error_count`, and delivery goes on to the remaining handlers. This is the
single wrapper that keeps user code from taking the node down.

Handlers must be hashable (functions and bound methods are). A handler unsubscribed
while a publish is in progress still receives that one message.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from argonaut.common.logging import Logger
from argonaut.model.identifiers import TraderId

Handler = Callable[[Any], None]

# Past this many cached topics the cache is emptied (bounds memory if topics are minted
# per order or per request); hot topics are re-resolved on their next publish.
_MAX_CACHED_TOPICS = 100_000


def is_matching(topic: str, pattern: str) -> bool:
    """Return True if `topic` matches `pattern` (``*`` any run, ``?`` one character)."""
    if "*" not in pattern and "?" not in pattern:
        return topic == pattern
    t = p = 0
    n, m = len(topic), len(pattern)
    star = -1  # position in pattern of the last '*' seen
    mark = 0  # position in topic where that '*' match currently ends
    while t < n:
        if p < m:
            c = pattern[p]
            if c == "*":
                star = p
                mark = t
                p += 1
                continue
            if c == "?" or c == topic[t]:
                t += 1
                p += 1
                continue
        if star < 0:
            return False
        # Let the last '*' swallow one more character and retry from there.
        p = star + 1
        mark += 1
        t = mark
    while p < m and pattern[p] == "*":
        p += 1
    return p == m


class Subscription:
    """A handler subscribed to a topic pattern with a priority (higher runs first)."""

    __slots__ = ("handler", "pattern", "priority", "sequence")

    def __init__(self, pattern: str, handler: Handler, priority: int, sequence: int) -> None:
        self.pattern = pattern
        self.handler = handler
        self.priority = priority
        self.sequence = sequence

    def __repr__(self) -> str:
        return (
            f"Subscription(pattern={self.pattern!r}, handler={_handler_name(self.handler)}, "
            f"priority={self.priority})"
        )


def _handler_name(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


def _is_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


class MessageBus:
    """Route messages between the components of one node (not thread-safe by design)."""

    __slots__ = (
        "_cache",
        "_endpoints",
        "_exact",
        "_log",
        "_pending",
        "_seq",
        "_subs",
        "_wild",
        "handler_error_count",
        "name",
        "pub_count",
        "req_count",
        "res_count",
        "sent_count",
        "trader_id",
        "undelivered_count",
    )

    def __init__(
        self, trader_id: TraderId, *, name: str | None = None, logger: Logger | None = None
    ) -> None:
        self.trader_id = trader_id
        self.name = name or "MessageBus"
        self._log = logger if logger is not None else Logger(self.name, None)
        self._subs: dict[tuple[str, Handler], Subscription] = {}
        self._exact: dict[str, list[Subscription]] = {}
        self._wild: list[Subscription] = []
        self._cache: dict[str, tuple[Handler, ...]] = {}
        self._endpoints: dict[str, Handler] = {}
        self._pending: dict[Hashable, Handler] = {}
        self._seq = 0
        self.pub_count = 0
        self.sent_count = 0
        self.req_count = 0
        self.res_count = 0
        self.handler_error_count = 0
        self.undelivered_count = 0

    # -- publish / subscribe -----------------------------------------------------------

    def subscribe(self, topic_pattern: str, handler: Handler, priority: int = 0) -> None:
        """Subscribe `handler` to every topic matching `topic_pattern`.

        Higher `priority` runs first; equal priorities run in subscription order.
        Subscribing the same handler to the same pattern again does nothing (the
        first subscription and its priority stand).
        """
        if not isinstance(topic_pattern, str) or not topic_pattern:
            raise ValueError(f"topic pattern must be non-empty text, found {topic_pattern!r}")
        if not callable(handler):
            raise TypeError(f"handler must be callable, found {type(handler).__name__}")
        key = (topic_pattern, handler)
        if key in self._subs:
            return
        self._seq += 1
        sub = Subscription(topic_pattern, handler, priority, self._seq)
        self._subs[key] = sub
        if _is_wildcard(topic_pattern):
            self._wild.append(sub)
        else:
            self._exact.setdefault(topic_pattern, []).append(sub)
        self._invalidate(topic_pattern)

    def unsubscribe(self, topic_pattern: str, handler: Handler) -> None:
        """Remove a subscription; one that does not exist is ignored."""
        sub = self._subs.pop((topic_pattern, handler), None)
        if sub is None:
            return
        if _is_wildcard(topic_pattern):
            self._wild.remove(sub)
        else:
            subs = self._exact[topic_pattern]
            subs.remove(sub)
            if not subs:
                del self._exact[topic_pattern]
        self._invalidate(topic_pattern)

    def is_subscribed(self, topic_pattern: str, handler: Handler) -> bool:
        """Return True if `handler` is subscribed to exactly `topic_pattern`."""
        return (topic_pattern, handler) in self._subs

    def subscriptions(self, pattern: str | None = None) -> list[Subscription]:
        """Return the subscriptions (in subscription order) whose pattern matches `pattern`.

        `pattern` is itself a wildcard pattern applied to the subscription patterns;
        None returns them all.
        """
        subs = sorted(self._subs.values(), key=lambda s: s.sequence)
        if pattern is None:
            return subs
        return [s for s in subs if is_matching(s.pattern, pattern)]

    def topics(self) -> list[str]:
        """Return the distinct subscribed topic patterns, sorted."""
        return sorted({pattern for pattern, _ in self._subs})

    def has_subscribers(self, topic: str) -> bool:
        """Return True if a publish to `topic` would reach at least one handler."""
        handlers = self._cache.get(topic)
        if handlers is None:
            handlers = self._resolve(topic)
        return bool(handlers)

    def cached_topics(self) -> list[str]:
        """Return the topics whose handler tuples are currently cached, sorted (diagnostics)."""
        return sorted(self._cache)

    def publish(self, topic: str, msg: Any) -> None:
        """Deliver `msg` to every handler subscribed to a pattern matching `topic`."""
        self.pub_count += 1
        handlers = self._cache.get(topic)
        if handlers is None:
            handlers = self._resolve(topic)
        for handler in handlers:
            try:
                handler(msg)
            except Exception as exc:
                self._handler_failed(handler, f"topic {topic!r}", exc)

    def _resolve(self, topic: str) -> tuple[Handler, ...]:
        matched = list(self._exact.get(topic, ()))
        matched.extend(s for s in self._wild if is_matching(topic, s.pattern))
        matched.sort(key=lambda s: (-s.priority, s.sequence))
        handlers = tuple(s.handler for s in matched)
        if len(self._cache) >= _MAX_CACHED_TOPICS:
            self._cache.clear()
        self._cache[topic] = handlers
        return handlers

    def _invalidate(self, topic_pattern: str) -> None:
        cache = self._cache
        if not _is_wildcard(topic_pattern):
            cache.pop(topic_pattern, None)
            return
        for topic in [t for t in cache if is_matching(t, topic_pattern)]:
            del cache[topic]

    # -- endpoints -----------------------------------------------------------------------

    def register(self, endpoint: str, handler: Handler) -> None:
        """Register `handler` as the one receiver of messages sent to `endpoint`."""
        if not isinstance(endpoint, str) or not endpoint:
            raise ValueError(f"endpoint must be non-empty text, found {endpoint!r}")
        if not callable(handler):
            raise TypeError(f"handler must be callable, found {type(handler).__name__}")
        current = self._endpoints.get(endpoint)
        if current is not None:
            raise ValueError(
                f"endpoint {endpoint!r} is already registered to {_handler_name(current)}: "
                "deregister it first"
            )
        self._endpoints[endpoint] = handler

    def deregister(self, endpoint: str) -> None:
        """Remove the handler of `endpoint`; raise ValueError if none is registered."""
        if self._endpoints.pop(endpoint, None) is None:
            raise ValueError(
                f"endpoint {endpoint!r} is not registered: registered endpoints are "
                f"{self.endpoints()}"
            )

    def is_registered(self, endpoint: str) -> bool:
        """Return True if `endpoint` has a handler."""
        return endpoint in self._endpoints

    def endpoint_handler(self, endpoint: str) -> Handler:
        """Return the handler registered for `endpoint`; raise ValueError if none is."""
        handler = self._endpoints.get(endpoint)
        if handler is None:
            raise ValueError(
                f"endpoint {endpoint!r} is not registered: registered endpoints are "
                f"{self.endpoints()}"
            )
        return handler

    def endpoints(self) -> list[str]:
        """Return the registered endpoints, sorted."""
        return sorted(self._endpoints)

    def send(self, endpoint: str, msg: Any) -> None:
        """Deliver `msg` to the handler of `endpoint`.

        An unknown endpoint is logged at ERROR and counted in `undelivered_count`; it
        never raises to the sender.
        """
        handler = self._endpoints.get(endpoint)
        if handler is None:
            self._undelivered(f"cannot send {type(msg).__name__} to unknown endpoint {endpoint!r}")
            return
        self.sent_count += 1
        try:
            handler(msg)
        except Exception as exc:
            self._handler_failed(handler, f"endpoint {endpoint!r}", exc)

    # -- request / response ----------------------------------------------------------------

    def request(
        self,
        endpoint: str,
        request_msg: Any,
        correlation_id: Hashable,
        response_handler: Handler,
    ) -> None:
        """Send `request_msg` to `endpoint`; route the response for `correlation_id` back.

        A correlation id already pending raises ValueError. An unknown endpoint is
        logged and counted as for `send`, and nothing stays pending.
        """
        if correlation_id in self._pending:
            raise ValueError(
                f"a request with correlation id {correlation_id!r} is already pending: "
                "every request needs a fresh id"
            )
        handler = self._endpoints.get(endpoint)
        if handler is None:
            self._undelivered(
                f"cannot send request {correlation_id!r} ({type(request_msg).__name__}) to "
                f"unknown endpoint {endpoint!r}"
            )
            return
        self._pending[correlation_id] = response_handler
        self.req_count += 1
        try:
            handler(request_msg)
        except Exception as exc:
            self._handler_failed(handler, f"endpoint {endpoint!r}", exc)

    def response(self, correlation_id: Hashable, response_msg: Any) -> None:
        """Deliver `response_msg` to the handler of the pending request `correlation_id`.

        Each request gets one response; a response with no pending request is logged
        at ERROR and counted in `undelivered_count`.
        """
        handler = self._pending.pop(correlation_id, None)
        if handler is None:
            self._undelivered(
                f"no pending request for response {correlation_id!r} "
                f"({type(response_msg).__name__}): it was already answered or never sent"
            )
            return
        self.res_count += 1
        try:
            handler(response_msg)
        except Exception as exc:
            self._handler_failed(handler, f"response {correlation_id!r}", exc)

    def is_pending_request(self, correlation_id: Hashable) -> bool:
        """Return True if a request with `correlation_id` awaits its response."""
        return correlation_id in self._pending

    # -- errors ------------------------------------------------------------------------------

    def _handler_failed(self, handler: Handler, where: str, exc: Exception) -> None:
        self.handler_error_count += 1
        self._log.exception(f"handler {_handler_name(handler)} raised on {where}", exc)

    def _undelivered(self, message: str) -> None:
        self.undelivered_count += 1
        self._log.error(message)
