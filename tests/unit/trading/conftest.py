from __future__ import annotations

from trading_env import env

__all__ = ["env"]
