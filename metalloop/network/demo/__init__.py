"""The deterministic demo network: fictitious organisations modelled on three real networks."""

from metalloop.network.demo.loader import DemoLoadResult, demo_load
from metalloop.network.demo.users import DEMO_USERS, DemoDataError, DemoUser

__all__ = ["DEMO_USERS", "DemoDataError", "DemoLoadResult", "DemoUser", "demo_load"]
