"""`KernelConfig`: everything the kernel needs to build a node's components."""

from __future__ import annotations

import msgspec

from argonaut.cache import CacheConfig
from argonaut.common.logging import LoggingConfig
from argonaut.engines.data import DataEngineConfig
from argonaut.engines.emulator import OrderEmulatorConfig
from argonaut.engines.execution import ExecEngineConfig
from argonaut.engines.portfolio import PortfolioConfig
from argonaut.engines.risk import RiskEngineConfig
from argonaut.model.enums import Environment


class KernelConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The components of one node and their settings.

    `seed` makes every generated id (event ids, the instance id when not given)
    deterministic, for replays and tests; None draws them from the OS.
    """

    environment: Environment = Environment.SANDBOX
    trader_id: str = "TRADER-001"
    instance_id: str | None = None
    seed: int | None = None
    logging: LoggingConfig = msgspec.field(default_factory=LoggingConfig)
    cache: CacheConfig = msgspec.field(default_factory=CacheConfig)
    data_engine: DataEngineConfig = msgspec.field(default_factory=DataEngineConfig)
    risk_engine: RiskEngineConfig = msgspec.field(default_factory=RiskEngineConfig)
    exec_engine: ExecEngineConfig = msgspec.field(default_factory=ExecEngineConfig)
    portfolio: PortfolioConfig = msgspec.field(default_factory=PortfolioConfig)
    emulator: OrderEmulatorConfig = msgspec.field(default_factory=OrderEmulatorConfig)
    load_state: bool = False
    save_state: bool = False
