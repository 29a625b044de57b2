"""Exceptions raised by the `common` layer, named for the reaction they need.

```
ValueError
├── InvalidStateTransition   (from argonaut.core.errors) a lifecycle trigger the
│                            current state refuses: a programming error, fix the caller
└── ConfigError              a configuration value is invalid: refuse to start
```

Timer and bus misuse (duplicate timer name, non-positive interval, duplicate endpoint)
raises plain `ValueError` with a message saying what was expected.
"""

from __future__ import annotations

from argonaut.core.errors import InvalidStateTransition

__all__ = ["ConfigError", "InvalidStateTransition"]


class ConfigError(ValueError):
    """Raise when a configuration value is invalid; the node must refuse to start."""
