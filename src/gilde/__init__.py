"""Gilde: relationship-network management for organisations."""

__version__ = "0.1.0"
