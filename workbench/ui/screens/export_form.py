"""Export follow-ups (``x``): which format, which dates, which ones, and to which file.

The form stays open until the file is written: a file that can't be written is told under
"File", a file already there is replaced only on a yes, and a no comes back to the form as
it was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from workbench.domain.actions import ValidationError
from workbench.domain.dates import DateParseError, DateSettings, describe
from workbench.domain.exports import ExportError, ExportExistsError, ExportFilter, read_bound
from workbench.storage import StoreError
from workbench.ui.screens.base import (
    FORM_MESSAGE,
    ConfirmScreen,
    FormScreen,
    choice,
    form_field,
    line_input,
    plain,
)

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


ExportJob = Callable[[bool], int]
"""Writes one export, replacing a file already there only when given True, and returns how
many follow-ups it wrote. Runs off the UI's path; raises ExportExistsError (the file is
there), another ExportError (it can't be written) or StoreError (the cases can't be read)."""

Exporter = Callable[[ExportRequest], ExportJob]
"""Called on the UI's thread with a checked request: takes what it needs from the screen
(the cases as shown) and gives back the job that writes them."""


def default_path(fmt: str) -> Path:
    return Path.home() / f"workbench-followups.{fmt}"


class ExportScreen(FormScreen[ExportRequest]):
    """The date range takes the same phrases as follow-ups ("today", "in 2 weeks", "-7d").

    Closes with the request once its file is written; until then, nothing typed is lost.
    """

    SAVE_LABEL = "Export"

    def __init__(
        self, now: Callable[[], datetime], settings: DateSettings, exporter: Exporter
    ) -> None:
        super().__init__("Export follow-ups")
        self.now = now
        self.settings = settings
        self.exporter = exporter
        self._writing = False

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

    # -- writing ------------------------------------------------------------------------

    def accept(self, result: ExportRequest) -> None:
        """Write the file, staying open until it is written (a second ctrl+s meanwhile is
        ignored)."""
        if not self._writing:
            self._start(result, self.exporter(result), replace=False)

    def _start(self, request: ExportRequest, job: ExportJob, *, replace: bool) -> None:
        self._writing = True
        self.clear_message("path")
        self.clear_message(FORM_MESSAGE)
        self._write(request, job, replace)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, request: ExportRequest, job: ExportJob, replace: bool) -> None:
        try:
            count = job(replace)
        except ExportExistsError:
            self.app.call_from_thread(self._exists, request, job)
        except ExportError as error:
            self.app.call_from_thread(self._failed, "path", str(error))
        except StoreError as error:
            self.app.call_from_thread(self._failed, FORM_MESSAGE, str(error))
        else:
            self.app.call_from_thread(self._written, request, count)

    def _exists(self, request: ExportRequest, job: ExportJob) -> None:
        """Ask before replacing; a no comes back to the form with everything as typed."""
        self._writing = False
        if not self.is_attached:
            return

        def answered(replace: bool | None) -> None:
            if replace and self.is_active:
                self._start(request, job, replace=True)
            elif self.is_active:
                self.query_one("#path", Input).focus()

        question = f"{request.path} already exists. Replace it?"
        self.app.push_screen(ConfirmScreen(question, yes="Replace", no="Back"), answered)

    def _failed(self, name: str, message: str) -> None:
        """Show why under the field it concerns; the form and what was typed stay."""
        self._writing = False
        if self.is_attached:
            self.show_errors({name: message})
        else:  # cancelled while writing: the message still reaches the agent
            self.app.notify(message, severity="error", timeout=10, markup=False)

    def _written(self, request: ExportRequest, count: int) -> None:
        self._writing = False
        noun = "follow-up" if count == 1 else "follow-ups"
        self.app.notify(f"Wrote {count} {noun} to {request.path}", timeout=8, markup=False)
        if self.is_active:
            self.dismiss(request)
