"""Ask a yes/no question: y or n, or the buttons; escape backs out without an answer.

The screen itself lives in :mod:`workbench.ui.screens.base`, beside the forms that ask
before discarding what was typed; it is named here too, where callers look for it.
"""

from __future__ import annotations

from workbench.ui.screens.base import ConfirmScreen

__all__ = ["ConfirmScreen"]
