"""Layer `examples`: example strategies, loadable by import path from a node config.

A top layer next to `cli`: it may import every layer below (`trading`, `model`, ...)
and nothing imports it except configs (by path) and the CLI's embedded default.

- `EMACross`: trades the cross of two EMAs of internally aggregated bars.
- `MarketMaker`: quotes both sides around the mid, skewed against its inventory.
- `BracketTrader`: enters with a bracket whose take-profit and stop are emulated.
- `TWAPBuyer`: hands one parent order to the `TWAP` execution algorithm.
- `ExternalOrderAdopter`: claims external orders of its instruments and manages them.
"""

from argonaut.examples.bracket import BracketTrader, BracketTraderConfig
from argonaut.examples.ema_cross import EMA, EMACross, EMACrossConfig
from argonaut.examples.external import ExternalOrderAdopter, ExternalOrderAdopterConfig
from argonaut.examples.market_maker import MarketMaker, MarketMakerConfig
from argonaut.examples.twap import TWAPBuyer, TWAPBuyerConfig

__all__ = [
    "EMA",
    "BracketTrader",
    "BracketTraderConfig",
    "EMACross",
    "EMACrossConfig",
    "ExternalOrderAdopter",
    "ExternalOrderAdopterConfig",
    "MarketMaker",
    "MarketMakerConfig",
    "TWAPBuyer",
    "TWAPBuyerConfig",
]
