"""The settings the running workbench was started with, for widgets that need one of them."""

from __future__ import annotations

from textual.dom import DOMNode

from workbench.settings import DEFAULT_SETTINGS, Settings


def settings_of(node: DOMNode) -> Settings:
    """The app's settings; the defaults when the widget runs inside another app (a test)."""
    settings = getattr(node.app, "settings", None)
    return settings if isinstance(settings, Settings) else DEFAULT_SETTINGS
