"""What every dialog and form shares: the frame, the keys, and inline validation.

A form lays out its fields with :func:`form_field`, turns them into a result in
:meth:`FormScreen.collect`, and raises :class:`~workbench.domain.actions.ValidationError`
when something is wrong. The base class then shows each message right under its field,
keeps whatever was typed, and only dismisses once the result is valid.

Nothing typed is lost by a slip of ``escape`` either: a form whose fields differ from how
it opened asks "Discard what you typed?" before it closes (``y`` discards; ``n``, ``enter``
or ``escape`` go back to the form as it was). An unchanged form closes at once.

Text that users typed (or that comes from data files) is always shown through
:func:`plain`, so ``[bold]`` in a title is shown as typed, never read as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import ClassVar, Protocol, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)
from textual.widgets._select import SelectOverlay

from workbench.domain.actions import ValidationError
from workbench.paths import styles_dir
from workbench.ui.widgets.footer import KeyBar
from workbench.ui.widgets.safe_input import SafeInput


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


ResultT = TypeVar("ResultT")
ValueT = TypeVar("ValueT")
LabelledT = TypeVar("LabelledT", bound=Labelled)

FORMS_CSS = styles_dir() / "forms.tcss"
FORM_MESSAGE = "form"
"""Name under which messages that belong to no field are shown, at the foot of the form."""
DISCARD_QUESTION = "Discard what you typed?"
"""Asked when a form with changed fields is cancelled."""


# --- Building blocks -----------------------------------------------------------------


class ChoiceRow(RadioSet):
    """Choices side by side: left and right choose the one before or after the chosen
    one (stopping at the ends), so the choice marked is always the choice saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous choice", show=False),
        Binding("right", "step(1)", "Next choice", show=False),
    ]

    def action_step(self, step: int) -> None:
        buttons = list(self.query(RadioButton))
        current = self.pressed_index  # -1 when none is chosen yet
        if current < 0 and step < 0:
            current = len(buttons)
        buttons[max(0, min(len(buttons) - 1, current + step))].value = True


def plain(text: str) -> Content:
    """User or data text, shown exactly as written: never read as markup."""
    return Content(text)


def form_field(label: str, name: str, *widgets: Widget) -> Horizontal:
    """A labelled row: the label on the left; the widgets, then the field's message, under it.

    The message line has the id ``{name}-error`` and stays hidden until it holds a message.
    """
    return Horizontal(
        Label(label, classes="field-label"),
        Vertical(*widgets, message_line(name), classes="field-control"),
        classes="field",
        id=f"{name}-field",
    )


def line_input(name: str, value: str = "", placeholder: str = "") -> Input:
    """A one-line text field; its value is always plain text, drawn harmlessly."""
    return SafeInput(value, placeholder=placeholder, id=name, compact=True)


class FittedSelect(Select[ValueT]):
    """A drop-down whose open list stays inside the dialog's panel: under the field when
    it fits there, else on the side with more room (above the field near the panel's
    foot), scrolling within that room. Textual's keeps it inside the screen only, so at
    80x24 the last field's list ran over the panel's border and the screen's edge."""

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        if expanded:
            self._fit_overlay()

    def _fit_overlay(self) -> None:
        overlay = self.query_one(SelectOverlay)
        panels = [node for node in self.ancestors if node.has_class("dialog")]
        if not panels or not isinstance(panels[0], Widget):
            return
        panel = panels[0].region.shrink(panels[0].styles.border.spacing)
        field = self.region
        wanted = min(overlay.option_count, 12) + overlay.styles.gutter.height
        below = panel.bottom - field.bottom
        above = field.y - panel.y
        if wanted <= below or below >= above:
            overlay.styles.offset = (0, 0)
            overlay.styles.max_height = max(1, min(wanted, below))
        else:  # above the field, its last line right over the field
            height = max(1, min(wanted, above))
            overlay.styles.offset = (0, -(height + field.height))
            overlay.styles.max_height = height


def choice(name: str, options: Iterable[tuple[str, ValueT]], value: ValueT) -> Select[ValueT]:
    """A drop-down that always holds one of ``options`` (label, value)."""
    return FittedSelect(
        [(Text(label), option) for label, option in options],
        value=value,
        allow_blank=False,
        id=name,
        compact=True,
    )


def labelled(members: Iterable[LabelledT]) -> list[tuple[str, LabelledT]]:
    """Options for :func:`choice` from enum members, shown by their ``label``."""
    return [(member.label, member) for member in members]


def message_line(name: str) -> Static:
    """Where a field's complaint appears; hidden while there is none."""
    return Static(id=f"{name}-error", classes="field-error")


def set_message(line: Static, message: str) -> None:
    """Show ``message`` on a message line, or hide the line when it is empty."""
    line.update(plain(message))
    line.set_class(bool(message), "-error")


def hint_line(name: str, hint: str | Content = "") -> Static:
    """A quiet line of help under a field, hidden while it has nothing to say."""
    line = Static(id=name, classes="field-hint")
    set_hint(line, hint)
    return line


def set_hint(line: Static, hint: str | Content) -> None:
    line.update(plain(hint) if isinstance(hint, str) else hint)
    line.display = bool(hint)


def bullet_list(items: Iterable[str]) -> Content:
    """Lines of data text as a bulleted block, never read as markup."""
    return Content("\n").join(Content(f"• {item}") for item in items)


# --- Screens -------------------------------------------------------------------------


class DialogScreen(ModalScreen[ResultT | None]):
    """A centred panel over the workbench, with a heading and its keys in a footer."""

    CSS_PATH = str(FORMS_CSS)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str | Content | None) -> None:
        super().__init__()
        self.heading = plain(heading) if isinstance(heading, str) else heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            if self.heading is not None:
                yield Static(self.heading, classes="dialog-heading")
            yield from self.compose_dialog()
        yield KeyBar()

    def compose_dialog(self) -> ComposeResult:
        """The dialog's content under its heading."""
        yield from ()

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)


class ConfirmScreen(DialogScreen[bool]):
    """Ask a yes/no question: y or n, or the buttons; escape backs out without an answer.

    True for yes, False for no, None when escaped. "No" has the focus: the safe answer.
    (It lives here, beside the forms, because a form asks before throwing typing away.)
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(None)
        self.question = question
        self.yes = yes
        self.no = no

    def compose_dialog(self) -> ComposeResult:
        yield Static(plain(self.question), classes="dialog-question")
        with Horizontal(classes="form-buttons"):
            yield Button(plain(self.yes), id="yes", variant="primary", compact=True)
            yield Button(plain(self.no), id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


class FormScreen(DialogScreen[ResultT]):
    """A dialog of fields: ctrl+s (or enter in the last line field) checks, then saves.

    Escape (or Cancel) closes an unchanged form at once and asks before discarding a
    changed one; see :meth:`field_values` for what counts as a change.
    """

    SAVE_LABEL: ClassVar[str] = "Save"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def compose_dialog(self) -> ComposeResult:
        yield from self.compose_intro()
        with Vertical(classes="form-body"):
            yield from self.compose_fields()
            yield message_line(FORM_MESSAGE)
        with Horizontal(classes="form-buttons"):
            yield Button(self.SAVE_LABEL, id="save", variant="primary", compact=True)
            yield Button("Cancel", id="cancel", compact=True)

    def compose_intro(self) -> ComposeResult:
        """Optional lines between the heading and the fields."""
        yield from ()

    def compose_fields(self) -> ComposeResult:
        """The fields, usually made with :func:`form_field`."""
        yield from ()

    def collect(self) -> ResultT:
        """The result from the fields as they stand; raises ValidationError naming each field."""
        raise NotImplementedError

    def action_save(self) -> None:
        """Check the fields; accept the result, or show what is wrong and stay open."""
        try:
            result = self.collect()
        except ValidationError as invalid:
            self.show_errors(invalid.errors)
            return
        self.accept(result)

    def accept(self, result: ResultT) -> None:
        """What a checked result leads to: by default the form closes with it.

        A form whose work can still fail (a file to write) overrides this, stays open
        while it works, and shows a failure with :meth:`show_errors` like any other.
        """
        self.dismiss(result)

    # -- cancelling ---------------------------------------------------------------------

    _opened_with: dict[str, object] | None = None

    @on(events.Mount)
    def _remember_opening(self) -> None:
        # Textual runs a form's own mount handler before this one, so whatever it sets up
        # (a preview, a highlighted choice) is part of how the form opened.
        self._opened_with = self.field_values()

    def field_values(self) -> dict[str, object]:
        """What the fields hold, by id: typed text, and the choices made in drop-downs,
        radio buttons and boxes. A highlight moved in a list is not a choice (enter is), so
        it does not count."""
        values: dict[str, object] = {}
        for widget in self.query("Input, TextArea, Select, RadioSet, Checkbox").results():
            if widget.id is None:
                continue
            if isinstance(widget, Input | Select | Checkbox):
                values[widget.id] = widget.value
            elif isinstance(widget, TextArea):
                values[widget.id] = widget.text
            elif isinstance(widget, RadioSet):
                values[widget.id] = widget.pressed_index
        return values

    @property
    def changed(self) -> bool:
        """Whether any field differs from how the form opened (typing undone does not count)."""
        return self._opened_with is not None and self.field_values() != self._opened_with

    def action_cancel(self) -> None:
        """Close without a result; when something was typed or chosen, ask first."""
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard and self.is_active:
                self.dismiss(None)

        question = ConfirmScreen(DISCARD_QUESTION, yes="Discard", no="Keep editing")
        self.app.push_screen(question, answered)

    def message_target(self, name: str) -> Static:
        """Where the message for field ``name`` goes (the form's foot for unknown names)."""
        try:
            return self.query_one(f"#{name}-error", Static)
        except NoMatches:
            return self.query_one(f"#{FORM_MESSAGE}-error", Static)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message under its field, clear the others, focus the first bad field."""
        lines = dict.fromkeys(self.query(".field-error").results(Static), "")
        for name, message in errors.items():
            target = self.message_target(name)
            lines[target] = f"{lines.get(target, '')} {message}".strip()
        for line, message in lines.items():
            set_message(line, message)
        for name in errors:
            widget = next(iter(self.query(f"#{name}")), None)
            if widget is not None and widget.focusable:
                widget.focus(scroll_visible=False)
                # Once laid out with its message, bring the whole field into view.
                row = next(iter(self.query(f"#{name}-field")), widget)
                self.call_after_refresh(row.scroll_visible, animate=False)
                break

    def clear_message(self, name: str) -> None:
        with suppress(NoMatches):
            set_message(self.query_one(f"#{name}-error", Static), "")

    def value_of(self, selector: str, kind: type[ValueT]) -> ValueT:
        """The value of a :func:`choice` drop-down."""
        value = self.query_one(selector, Select).value
        if not isinstance(value, kind):
            raise ValidationError({selector.lstrip("#"): "Choose one."})
        return value

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        """A field that is being corrected no longer shows its old complaint."""
        if event.input.id:
            self.clear_message(event.input.id)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last line field it saves."""
        event.stop()
        if event.input is self.query(Input).last():
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
