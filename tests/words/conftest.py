"""The planning fixtures (tiny inventory, hand-placed layers, policy), worded here."""

from tests.planning.conftest import (  # noqa: F401
    carriers,
    inv,
    layers,
    open_policy,
    policy,
    sample,
    sample_plan,
    settings,
)
