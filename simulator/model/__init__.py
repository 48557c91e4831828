"""The simulation engine: the only package in ccsim that imports simpy."""

from simulator.model.centre import simulate

__all__ = ["simulate"]
