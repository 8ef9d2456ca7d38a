"""Workbench: a terminal workbench for handling difficult customer conversations."""

__version__ = "0.1.0"
