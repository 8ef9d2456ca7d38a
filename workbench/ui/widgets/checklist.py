"""The checklist (right, top): the selected case's header, its playbook steps, and the
highlighted step's guidance and note in full."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.domain.actions import DONT_WAIT_LIMIT, needs_first_contact
from workbench.domain.dates import age, describe
from workbench.domain.model import Case, Heat, Step
from workbench.domain.text import visible
from workbench.ui.configured import settings_of


def header_text(case: Case, now: datetime, dont_wait: timedelta = DONT_WAIT_LIMIT) -> Text:
    """Who, how hot, whose fault, how we talk, what we offered: all user text kept literal."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(case.id, style="bold")
    text.append("  ")
    text.append(visible(case.customer), style="bold")
    if case.contact:
        text.append(f"  {visible(case.contact)}")
    text.append("\n")
    text.append(visible(case.title))
    text.append("\n")
    heat_style = (
        "bold reverse" if case.heat is Heat.FURIOUS else "bold" if case.heat is Heat.UPSET else ""
    )
    text.append(case.heat.label, style=heat_style)
    text.append(f" · fault: {case.fault.label} · {case.channel.label}")
    if case.channel.is_weak:
        text.append(" (written: call if you can)", style="italic")
    text.append(f" · {case.status.label} · {age(case.opened_at, now)} old")
    if needs_first_contact(case, now, dont_wait):
        text.append("\n⌛ No contact yet. Don't wait: call them now.", style="bold")
    if case.remedy is not None:
        r = case.remedy
        text.append("\nRemedy: ")
        text.append(visible(r.description))
        text.append(f" · cost {r.cost:.2f} · {r.answer_label}")
    if case.outcome is not None:
        text.append(f"\nOutcome: {case.outcome.label}")
    return text


def progress_title(case: Case, playbook_name: str) -> str:
    done = len(case.steps) - len(case.open_steps)
    return f"{playbook_name} · {done}/{len(case.steps)} done"


def step_prompt(number: int, step: Step) -> Text:
    mark = "☑" if step.done else "☐"
    line = Text(f"{mark} {number}. ", no_wrap=True, overflow="ellipsis")
    line.append(visible(step.title), style="dim" if step.done else "bold")
    if step.done_at is not None:
        line.append(f" · {step.done_at:%-d %b %H:%M}", style="dim italic")
    if step.note:
        line.append(" ✎", style="bold")
    return line


def step_detail(step: Step, now: datetime) -> Text:
    text = Text(visible(step.guidance, one_line=False))
    if step.follow_up:
        text.append("\nPress f to schedule the follow-up.", style="italic")
    if step.done_at is not None:
        text.append(f"\nDone {describe(step.done_at, now)}.", style="dim")
    if step.note:
        text.append("\nNote: ", style="bold")
        text.append(visible(step.note, one_line=False))
    else:
        text.append("\nm: write a note on what was said.", style="dim")
    return text


class Checklist(Vertical):
    """Shows one case; posts :class:`Checklist.StepHighlighted` as the cursor moves."""

    class StepHighlighted(Message):
        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.case: Case | None = None
        self._detail_lines = -1
        self._playbook_names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="case-header")
        yield OptionList(id="steps")
        with VerticalScroll(id="step-detail-box"):
            yield Static(id="step-detail")

    @property
    def steps(self) -> OptionList:
        return self.query_one("#steps", OptionList)

    @property
    def highlighted_index(self) -> int | None:
        if self.case is None or not self.case.steps:
            return None
        return self.steps.highlighted

    def set_playbook_names(self, names: dict[str, str]) -> None:
        self._playbook_names = names

    def show(self, case: Case | None) -> None:
        """Show a case (or nothing), keeping the step cursor when it is the same case."""
        same = case is not None and self.case is not None and case.id == self.case.id
        keep = self.steps.highlighted if same else 0
        self.case = case
        header = self.query_one("#case-header", Static)
        steps = self.steps
        if case is None:
            steps.clear_options()
            self.border_title = "Checklist"
            header.update(Text("No case selected. Press n to open one."), layout=False)
            self.query_one("#step-detail", Static).update("")
            return
        now = self._now()
        # The header's height is fixed in the stylesheet, so new text needs no new layout.
        header.update(header_text(case, now, settings_of(self).dont_wait), layout=False)
        name = self._playbook_names.get(case.playbook, case.playbook)
        self.border_title = Text(progress_title(case, name))
        with self.prevent(OptionList.OptionHighlighted):
            steps.set_options(
                Option(step_prompt(n, step), id=str(n - 1)) for n, step in enumerate(case.steps, 1)
            )
            if case.steps:
                steps.highlighted = min(keep or 0, len(case.steps) - 1)
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#step-detail", Static)
        index = self.highlighted_index
        if self.case is None or index is None:
            text = Text("This case has no steps.")
        else:
            text = step_detail(self.case.steps[index], self._now())
        # A new layout of the whole screen costs more than the rest of a key; it is needed
        # only when the text takes a different number of lines than the last one did.
        width = detail.size.width
        lines = len(text.wrap(self.app.console, width)) if width else -1
        detail.update(text, layout=lines != self._detail_lines or lines < 0)
        self._detail_lines = lines

    @on(OptionList.OptionHighlighted, "#steps")
    def _step_moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()
        self.post_message(self.StepHighlighted(self.highlighted_index))
