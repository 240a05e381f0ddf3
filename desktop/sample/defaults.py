"""Default size of the sample database (kept apart so ``razem --help`` loads no generator)."""

DEFAULT_REPORTS = 3000
DEFAULT_BEATS = 24
DEFAULT_SEED = 2018
