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

    `gc_gen0_threshold` is the cyclic garbage collector's generation-0 threshold while
    the trader runs (set by `Kernel.start_trader`, restored by `Kernel.stop_trader`;
    None leaves Python's default of 700). Python's default runs a young collection
    every ~50 orders on the order path, which is what the slowest percent of
    tick-to-order latencies is made of; 50,000 makes it one in ~3,500 (see
    docs/architecture.md, "Garbage collection").
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
    gc_gen0_threshold: int | None = 50_000

    def __post_init__(self) -> None:
        if self.gc_gen0_threshold is not None and (
            type(self.gc_gen0_threshold) is not int or self.gc_gen0_threshold < 1
        ):
            raise ValueError(
                f"gc_gen0_threshold must be an int >= 1 or None, found {self.gc_gen0_threshold!r}"
            )
