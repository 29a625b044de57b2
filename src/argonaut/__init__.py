"""Argonaut: a live algorithmic trading engine.

Layers (imports point downward only, checked by import-linter):
cli > adapters > live > system > trading > engines > cache > common > model > core.
"""

__version__ = "0.1.0"
