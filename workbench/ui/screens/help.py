"""Help (``?``): every key, read from the live bindings so it can never disagree with them."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.domain.targets import MARKS_LEGEND
from workbench.ui.widgets.calendar import CalendarPane

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "space": "space",
    "escape": "esc",
    "shift+tab": "shift+tab",
}


def key_label(key: str) -> str:
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def binding_rows(
    bindings: list[BindingType], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Key and description of each binding, with the keys ``keymap`` gives by binding id."""
    keymap = keymap or {}
    rows = []
    for item in bindings:
        if isinstance(item, Binding):
            key = keymap.get(item.id, item.key) if item.id else item.key
            rows.append((key_label(key), item.description))
        elif isinstance(item, tuple) and len(item) >= 3:
            rows.append((key_label(str(item[0])), str(item[2])))
    return rows


def help_text(main: DOMNode) -> Text:
    # The keymap Textual applies (the user's [keys] settings, normalised): there is no public
    # accessor, and reading the one in use keeps help from disagreeing with the keys.
    keymap: Mapping[str, str] = main.app._keymap
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("Everywhere", binding_rows(list(type(main).BINDINGS), keymap)),
        ("Calendar pane", binding_rows(list(CalendarPane.BINDINGS), keymap)),
        ("Case list and checklist", [("j, k, ↑, ↓", "Move in the focused pane")]),
        ("Application", binding_rows(list(main.app.BINDINGS), keymap)),
    ]
    text = Text()
    for title, rows in sections:
        if not rows:
            continue
        text.append(f"{title}\n", style="bold underline")
        for key, description in rows:
            text.append(f"  {key:<14}", style="bold")
            text.append(f"{description}\n")
        text.append("\n")
    text.append(
        "The case list, on two lines a row when narrow: ‼ furious, ! upset, · calm. "
        f"Beside the id: {MARKS_LEGEND}.\n",
        style="italic",
    )
    text.append(
        "A case's header too long for its box: up on the first step reads it, down returns.\n",
        style="italic",
    )
    text.append("Forms: enter on the last field or ctrl+s saves; esc cancels.\n", style="italic")
    text.append(
        "ctrl+p opens the command palette: every action, and any case by id or customer.",
        style="italic",
    )
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close help"),
        Binding("question_mark", "dismiss", "Close help"),
        Binding("q", "dismiss", "Close help"),
    ]

    def __init__(self, main: DOMNode) -> None:
        super().__init__()
        self._main = main

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Workbench keys", style="bold"), id="help-title")
            yield Static(help_text(self._main), id="help-body")
            yield Static(Text("esc, q or ? closes this help"), id="help-foot")
