"""The risk engine: pre-trade checks, trading state and throttles on the order path.

Sits between the strategies (``RiskEngine.execute``) and the execution engine
(``ExecEngine.execute``); denials and modify rejections go to ``ExecEngine.process``.
Imports `argonaut.core`, `argonaut.model`, `argonaut.common` and `argonaut.cache`; no
asyncio, no I/O.
"""

from argonaut.engines.risk.checks import InstrumentRules, reference_price
from argonaut.engines.risk.config import RiskEngineConfig, parse_rate
from argonaut.engines.risk.engine import RiskEngine
from argonaut.engines.risk.throttle import Throttler

__all__ = [
    "InstrumentRules",
    "RiskEngine",
    "RiskEngineConfig",
    "Throttler",
    "parse_rate",
    "reference_price",
]
