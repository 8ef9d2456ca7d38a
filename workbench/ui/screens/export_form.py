"""Export follow-ups (``x``): which format, which dates, which ones, and to which file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from workbench.domain.actions import ValidationError
from workbench.domain.dates import DateParseError, DateSettings, describe
from workbench.domain.exports import ExportFilter, read_bound
from workbench.ui.screens.base import FormScreen, choice, form_field, line_input, plain

FORMATS = [
    ("CSV, for a spreadsheet", "csv"),
    ("iCalendar, for a calendar program", "ics"),
    ("Markdown, to print or paste", "md"),
]
STATUSES = [
    ("all (a calendar re-import updates them)", "all"),
    ("open ones", "open"),
    ("done ones", "done"),
]


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    selection: ExportFilter
    path: Path


def default_path(fmt: str) -> Path:
    return Path.home() / f"workbench-followups.{fmt}"


class ExportScreen(FormScreen[ExportRequest]):
    """The date range takes the same phrases as follow-ups ("today", "in 2 weeks", "-7d")."""

    SAVE_LABEL = "Export"

    def __init__(self, now: Callable[[], datetime], settings: DateSettings) -> None:
        super().__init__("Export follow-ups")
        self.now = now
        self.settings = settings

    def compose_fields(self) -> ComposeResult:
        yield form_field("Format", "format", choice("format", FORMATS, "csv"))
        yield form_field(
            "From",
            "start",
            line_input("start", "today", "empty: from the first"),
            Static(id="start-preview", classes="preview"),
        )
        yield form_field(
            "To",
            "end",
            line_input("end", "in 4 weeks", "empty: to the last"),
            Static(id="end-preview", classes="preview"),
        )
        yield form_field("Which", "status", choice("status", STATUSES, "all"))
        yield form_field("File", "path", line_input("path", str(default_path("csv"))))

    def on_mount(self) -> None:
        self._preview_start()
        self._preview_end()

    def message_target(self, name: str) -> Static:
        if name in ("start", "end"):
            return self.query_one(f"#{name}-preview", Static)
        return super().message_target(name)

    def _when(self, name: str, *, end: bool) -> datetime | None:
        text = self.query_one(f"#{name}", Input).value.strip()
        if not text:
            return None
        # A day without a time spans the day: "from today" starts at its midnight,
        # "to friday" runs to the end of Friday.
        return read_bound(text, self.now(), settings=self.settings, end=end)

    def _preview(self, name: str, *, end: bool) -> None:
        line = self.query_one(f"#{name}-preview", Static)
        try:
            when = self._when(name, end=end)
        except DateParseError as problem:
            line.update(plain(str(problem)))
            line.set_class(True, "-error")
            return
        shown = "no limit" if when is None else describe(when, self.now())
        line.update(plain(f"→ {shown}"))
        line.set_class(False, "-error")

    @on(Input.Changed, "#start")
    def _preview_start(self) -> None:
        self._preview("start", end=False)

    @on(Input.Changed, "#end")
    def _preview_end(self) -> None:
        self._preview("end", end=True)

    @on(Select.Changed, "#format")
    def _format_changed(self) -> None:
        fmt = self.value_of("#format", str)
        box = self.query_one("#path", Input)
        current = Path(box.value.strip()).expanduser()
        if current.suffix.lstrip(".") in {"csv", "ics", "md"}:
            box.value = str(current.with_suffix(f".{fmt}"))

    def collect(self) -> ExportRequest:
        errors: dict[str, str] = {}
        start = end = None
        try:
            start = self._when("start", end=False)
        except DateParseError as problem:
            errors["start"] = str(problem)
        try:
            end = self._when("end", end=True)
        except DateParseError as problem:
            errors["end"] = str(problem)
        if start is not None and end is not None and end < start:
            errors["end"] = "The end of the range is before its start."
        raw_path = self.query_one("#path", Input).value.strip()
        if not raw_path:
            errors["path"] = "Say which file to write, e.g. ~/followups.csv"
        if errors:
            raise ValidationError(errors)
        status = self.value_of("#status", str)
        return ExportRequest(
            fmt=self.value_of("#format", str),
            selection=ExportFilter(start=start, end=end, status=status, overdue_only=False),  # type: ignore[arg-type]
            path=Path(raw_path).expanduser(),
        )
