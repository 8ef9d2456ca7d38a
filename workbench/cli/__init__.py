"""The ``workbench`` command line (see :mod:`workbench.cli.app`)."""

from workbench.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
