"""Exceptions shared by every layer.

```
ValueError
└── InvalidStateTransition   a state machine got a trigger its current state refuses
```

State machines (component lifecycle in `argonaut.common`, order status in
`argonaut.model`) are tables ``{(state, trigger): next_state}``; a missing key raises
`InvalidStateTransition`.
"""

from __future__ import annotations


class InvalidStateTransition(ValueError):
    """Raise when a trigger is not valid in the current state of a state machine.

    `state` and `trigger` are kept (when given) so callers can react without parsing
    the message.
    """

    def __init__(self, message: str, *, state: object = None, trigger: object = None) -> None:
        super().__init__(message)
        self.state = state
        self.trigger = trigger
