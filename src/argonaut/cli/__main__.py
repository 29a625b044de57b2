"""`python -m argonaut.cli`: the same as the `argonaut` command."""

import sys

from argonaut.cli import main

sys.exit(main())
