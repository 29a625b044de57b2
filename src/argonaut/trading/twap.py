"""`TWAP`: time-weighted average price execution.

The primary order's `exec_algorithm_params` give ``horizon_secs`` and ``interval_secs``
(decimal text). The quantity is split into ``horizon // interval`` equal child MARKET
orders, each rounded down to the instrument's size step (at least one step), the last
one taking whatever remains; the first goes out at once and one more at every interval
(a clock timer per primary order). Quantity a child leaves unfilled (canceled, expired,
rejected) goes back to the remainder, so the last slice sends all that is left.
Cancelling the primary, or stopping the algorithm, stops the timer and cancels the open
children (see `ExecAlgorithm`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from argonaut.common.timers import TimeEvent
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.model.identifiers import ClientOrderId
from argonaut.model.orders import Order
from argonaut.model.values import Quantity
from argonaut.trading.config import ExecAlgorithmConfig
from argonaut.trading.exec_algorithm import ExecAlgorithm, PrimaryState


def _secs_to_ns(params: dict[str, str], key: str) -> int:
    text = params.get(key)
    if text is None:
        raise ValueError(f"TWAP needs exec_algorithm_params[{key!r}] (seconds, decimal text)")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"TWAP {key} {text!r} is not a decimal number of seconds") from None
    ns = int(value * NANOS_PER_SECOND)
    if ns <= 0:
        raise ValueError(f"TWAP {key} {text!r} must be a positive number of seconds")
    return ns


def slice_quantities(total_raw: int, step_raw: int, slices: int) -> list[int]:
    """Split `total_raw` into at most `slices` raw quantities on the `step_raw` grid.

    Every slice but the last is ``total / slices`` rounded down to the step (at least
    one step); the last takes the rest. Fewer slices are returned when the total holds
    fewer steps than `slices`.
    """
    if total_raw <= 0 or step_raw <= 0 or slices <= 0:
        raise ValueError(
            f"cannot slice {total_raw} in steps of {step_raw} into {slices}: expected positives"
        )
    slices = max(1, min(slices, total_raw // step_raw))
    each = max(step_raw, (total_raw // slices) // step_raw * step_raw)
    sizes = [each] * (slices - 1)
    sizes.append(total_raw - each * (slices - 1))
    return sizes


class _Schedule:
    __slots__ = ("interval_ns", "sent", "sizes")

    def __init__(self, sizes: list[int], interval_ns: int) -> None:
        self.sizes = sizes
        self.interval_ns = interval_ns
        self.sent = 0


class TWAP(ExecAlgorithm):
    """Time-weighted average price: equal market slices at a fixed interval."""

    def __init__(self, config: ExecAlgorithmConfig | None = None) -> None:
        super().__init__(
            config if config is not None else ExecAlgorithmConfig(exec_algorithm_id="TWAP")
        )
        self._schedules: dict[ClientOrderId, _Schedule] = {}

    def _timer_name(self, client_order_id: ClientOrderId) -> str:
        return f"TWAP:{client_order_id}"

    def on_order(self, order: Order) -> None:
        """Plan the slices of a primary order and send the first one."""
        coid = order.client_order_id
        try:
            horizon_ns = _secs_to_ns(order.exec_algorithm_params or {}, "horizon_secs")
            interval_ns = _secs_to_ns(order.exec_algorithm_params or {}, "interval_secs")
            if interval_ns > horizon_ns:
                raise ValueError(
                    f"TWAP interval_secs must not exceed horizon_secs for order {coid}"
                )
            instrument = self.cache.instrument(order.instrument_id)
            if instrument is None:
                raise ValueError(f"TWAP has no instrument {order.instrument_id} in the cache")
            sizes = slice_quantities(
                order.quantity.raw, instrument.size_increment.raw, horizon_ns // interval_ns
            )
        except ValueError as exc:
            self.log.error(f"Cannot execute order {coid} with TWAP: {exc}")
            self.cancel_primary(order)
            return
        schedule = _Schedule(sizes, interval_ns)
        self._schedules[coid] = schedule
        self.log.info(
            f"TWAP {coid}: {len(sizes)} slices every {interval_ns} ns over {horizon_ns} ns"
        )
        if len(sizes) > 1:
            now = self.clock.timestamp_ns()
            self.clock.set_timer(
                self._timer_name(coid),
                interval_ns,
                start_time_ns=now,
                stop_time_ns=now + interval_ns * (len(sizes) - 1),
                callback=self._on_slice_time,
            )
        self._send_slice(coid, schedule)

    def _on_slice_time(self, event: TimeEvent) -> None:
        coid = ClientOrderId(event.name.partition(":")[2])
        schedule = self._schedules.get(coid)
        if schedule is not None:
            self._send_slice(coid, schedule)

    def _send_slice(self, coid: ClientOrderId, schedule: _Schedule) -> None:
        state = self.primary(coid)
        if state is None:
            self._drop(coid)
            return
        index = schedule.sent
        schedule.sent += 1
        last = schedule.sent >= len(schedule.sizes)
        size = state.remaining_raw if last else min(schedule.sizes[index], state.remaining_raw)
        if size > 0:
            self.spawn_market(state.order, Quantity(size, state.order.quantity.precision))
        if last:
            self._drop(coid)
            self._finish_if_done(state)

    def _finish_if_done(self, state: PrimaryState) -> None:
        if state.remaining_raw == 0 and state.filled_raw == state.order.quantity.raw:
            self.log.info(f"TWAP {state.order.client_order_id} completed")
            self.complete_primary(state.order)

    def on_order_event(self, event: object) -> None:
        """Complete a primary order once its children filled it."""
        coid = getattr(event, "client_order_id", None)
        if coid is None:
            return
        primary_id = self._child_primary.get(coid)
        state = self.primary(primary_id) if primary_id is not None else None
        if state is not None and state.order.client_order_id not in self._schedules:
            self._finish_if_done(state)

    def on_primary_canceled(self, order: Order) -> None:
        """Stop sending slices of the primary order."""
        self._drop(order.client_order_id)

    def _drop(self, coid: ClientOrderId) -> None:
        if self._schedules.pop(coid, None) is not None:
            self.clock.cancel_timer(self._timer_name(coid))

    def _on_reset(self) -> None:
        super()._on_reset()
        self._schedules.clear()

    @property
    def scheduled(self) -> list[ClientOrderId]:
        """The primary orders with slices still to send."""
        return list(self._schedules)


__all__ = ["TWAP", "slice_quantities"]
