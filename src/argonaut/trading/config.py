"""Configs of actors, strategies and execution algorithms.

Each is a frozen, keyword-only `msgspec.Struct` that refuses unknown fields when decoded.
Users subclass them with their own fields::

    class EMACrossConfig(StrategyConfig, frozen=True, kw_only=True):
        instrument_id: str
        fast: int = 10

Invalid values raise `ConfigError` (a `ValueError`) saying what would be right.
"""

from __future__ import annotations

import msgspec

from argonaut.common.errors import ConfigError
from argonaut.model.enums import OmsType
from argonaut.model.identifiers import (
    ComponentId,
    ExecAlgorithmId,
    InstrumentId,
    StrategyId,
)


class ComponentConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options every trading component shares.

    `fault_on_handler_error`: an exception raised by a user handler faults the component
    (after being logged and counted) instead of only being logged and counted.
    """

    log_events: bool = True
    log_commands: bool = True
    fault_on_handler_error: bool = False


def _check_id(kind: type[ComponentId | StrategyId | ExecAlgorithmId], value: str | None) -> None:
    if value is None:
        return
    try:
        kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc)) from exc


class ActorConfig(ComponentConfig, frozen=True, kw_only=True):
    """An actor's config; `component_id` defaults to the actor's class name."""

    component_id: str | None = None

    def __post_init__(self) -> None:
        _check_id(ComponentId, self.component_id)


class StrategyConfig(ComponentConfig, frozen=True, kw_only=True):
    """A strategy's config.

    `strategy_id` defaults to ``{ClassName}-{order_id_tag}`` (tag default ``000``);
    `order_id_tag` must be unique per trader. `oms_type` overrides the venue's OMS.
    `external_order_claims` lists the instrument ids whose external orders this
    strategy owns. `manage_gtd_expiry` cancels GTD orders locally at their expire
    time; `manage_stop` cancels the strategy's orders and closes its positions on stop.
    """

    strategy_id: str | None = None
    order_id_tag: str | None = None
    oms_type: OmsType = OmsType.UNSPECIFIED
    external_order_claims: list[str] | None = None
    manage_gtd_expiry: bool = False
    manage_stop: bool = False

    def __post_init__(self) -> None:
        _check_id(StrategyId, self.strategy_id)
        tag = self.order_id_tag
        if tag is not None and (not tag or not tag.isprintable() or " " in tag or "-" in tag):
            raise ConfigError(
                f"order_id_tag {tag!r} is invalid: expected non-empty text without spaces "
                "or hyphens, e.g. '001'"
            )
        for claim in self.external_order_claims or ():
            try:
                InstrumentId(claim)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"external_order_claims: {exc}") from exc


class ExecAlgorithmConfig(ComponentConfig, frozen=True, kw_only=True):
    """An execution algorithm's config; `exec_algorithm_id` defaults to the class name."""

    exec_algorithm_id: str | None = None

    def __post_init__(self) -> None:
        _check_id(ExecAlgorithmId, self.exec_algorithm_id)


__all__ = ["ActorConfig", "ComponentConfig", "ExecAlgorithmConfig", "StrategyConfig"]
