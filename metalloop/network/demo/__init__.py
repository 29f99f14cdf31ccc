"""The deterministic demo network: fictitious organisations modelled on three real networks."""

from metalloop.network.demo.loader import DemoLoadResult, demo_load, register_demo_extension
from metalloop.network.demo.users import DEMO_USERS, DemoDataError, DemoUser

__all__ = [
    "DEMO_USERS",
    "DemoDataError",
    "DemoLoadResult",
    "DemoUser",
    "demo_load",
    "register_demo_extension",
]
