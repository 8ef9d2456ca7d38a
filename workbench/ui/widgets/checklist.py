"""The checklist (right, top): the selected case's header, its playbook steps, and the
highlighted step's guidance and note in full."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from rich.style import Style as RichStyle
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.domain.actions import needs_first_contact
from workbench.domain.model import Case, Heat, Step
from workbench.domain.moments import age, describe, step_moment
from workbench.domain.text import visible
from workbench.ui.configured import settings_of
from workbench.ui.widgets.steady import SteadyOptionList, SteadyScrollBars


def header_text(case: Case, now: datetime, dont_wait: timedelta) -> Text:
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
    """The playbook's name and how many of its steps are done (kept steps don't count)."""
    steps = case.playbook_steps
    done = len(steps) - len(case.open_steps)
    return f"{playbook_name} · {done}/{len(steps)} done"


def earlier_playbook(step: Step, names: Mapping[str, str]) -> str:
    """Where a step kept from an earlier playbook came from: ``from “Customer blames you”``."""
    return f"from “{visible(names.get(step.from_playbook, step.from_playbook))}”"


def step_prompt(number: int, step: Step, names: Mapping[str, str] | None = None) -> Text:
    """One step's line: a step kept from an earlier playbook is never a box to tick, and
    says where it came from."""
    mark = "☑" if step.done else "·" if step.kept else "☐"
    line = Text(f"{mark} {number}. ", no_wrap=True, overflow="ellipsis")
    line.append(visible(step.title), style="dim" if step.done or step.kept else "bold")
    if step.done_at is not None:
        line.append(f" · {step_moment(step.done_at)}", style="dim italic")
    if step.note:
        line.append(" ✎", style="bold")
    if step.kept:
        line.append(f" · {earlier_playbook(step, names or {})}", style="dim italic")
    return line


def step_detail(step: Step, now: datetime, names: Mapping[str, str] | None = None) -> Text:
    text = Text()
    if step.kept:
        text.append(
            f"Kept {earlier_playbook(step, names or {})}, the case's playbook before; "
            "not one of the steps still to do.\n",
            style="italic",
        )
    text.append(visible(step.guidance, one_line=False))
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


class StepDetail(SteadyScrollBars):
    """The highlighted step's guidance and note, wrapped to the box; scrolls when long.

    Drawn with the line API, exactly as a Static in a scrolling box would draw the text, but
    new text repaints this box alone: the screen is laid out again only when the scroll bar
    comes or goes. (A Static of auto height asked for a new layout of the whole screen
    whenever its number of lines changed, then another for its new size, then one for the
    box's scroll bar.)
    """

    DEFAULT_CSS = """
    StepDetail {
        overflow-x: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._strips: list[Strip] | None = None
        self._wrapped_for = Size(0, 0)

    def update(self, text: Text) -> None:
        """Show this text instead (user text in it stays literal: it is never markup)."""
        self._text = text
        self._strips = None
        self._wrap()
        self.refresh()

    def render(self) -> Text:
        """The text shown, unwrapped."""
        return self._text

    def on_resize(self) -> None:
        self._wrap()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    def _wrap(self) -> list[Strip]:
        """The text's lines at the box's width, narrower by the scroll bar if it needs one."""
        region = self.content_region
        if self._strips is not None and self._wrapped_for == region.size:
            return self._strips
        if not region:
            return []
        self._wrapped_for = region.size
        visual = visualize(self, self._text, markup=False)
        style = self.visual_style
        width = region.width
        strips = Visual.to_strips(self, visual, width, None, style)
        bar = self.styles.scrollbar_size_vertical
        needs_bar = len(strips) > region.height and bar > 0 and width > bar
        if needs_bar:
            width -= bar
            strips = Visual.to_strips(self, visual, width, None, style)
        self._strips = strips
        size = Size(width, max(len(strips), region.height))
        if size != self.virtual_size:
            if needs_bar == self.show_vertical_scrollbar:
                # The box and its scroll bar stay as they are: nothing to lay out again.
                self.set_reactive(StepDetail.virtual_size, size)
            else:  # the scroll bar comes or goes: one new layout, bar and all at once
                self.virtual_size = size
            self._scroll_update(size)  # the scroll bar's length, as OptionList does
        return strips

    def render_line(self, y: int) -> Strip:
        strips = self._wrap()
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        base = self.visual_style.rich_style
        if 0 <= line < len(strips):  # padded as a Static's line is: background alone
            return strips[line].crop_extend(0, width, RichStyle(bgcolor=base.bgcolor))
        return Strip.blank(width, base)


class Checklist(Vertical):
    """Shows one case: its header, its steps, and the highlighted step in full."""

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.case: Case | None = None
        self._playbook_names: dict[str, str] = {}
        self._title = Text()

    def compose(self) -> ComposeResult:
        yield Static(id="case-header")
        yield SteadyOptionList(id="steps")
        yield StepDetail(id="step-detail")

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
        """Show a case (or nothing), keeping the step cursor when it is the same case.

        What can keep its size does: the header's height is fixed in the stylesheet, the
        steps' prompts are replaced in place when there are as many, the step detail lays
        out only when its scroll bar comes or goes, and the border title (which repaints
        the whole pane) is only set when it changes.
        """
        same = case is not None and self.case is not None and case.id == self.case.id
        steps = self.steps
        keep = steps.highlighted if same else 0
        self.case = case
        header = self.query_one("#case-header", Static)
        if case is None:
            steps.clear_options()
            self._set_title(Text("Checklist"))
            header.update(Text("No case selected. Press n to open one."), layout=False)
            self.query_one(StepDetail).update(Text())
            return
        now = self._now()
        header.update(header_text(case, now, settings_of(self).dont_wait), layout=False)
        name = self._playbook_names.get(case.playbook, case.playbook)
        self._set_title(Text(progress_title(case, name)))
        names = self._playbook_names
        prompts = [step_prompt(n, step, names) for n, step in enumerate(case.steps, 1)]
        with self.prevent(OptionList.OptionHighlighted):
            if prompts and steps.option_count == len(prompts):
                # In place: the list keeps its virtual size (no new layout) unless a prompt
                # now takes another number of lines.
                for index, prompt in enumerate(prompts):
                    steps.replace_option_prompt_at_index(index, prompt)
                steps.scroll_y = 0  # as set_options leaves it
            else:
                steps.set_options(Option(prompt, id=str(n)) for n, prompt in enumerate(prompts))
            if prompts:
                steps.highlighted = min(keep or 0, len(prompts) - 1)
                # Measures the prompts now, so a new height is laid out in this update, not
                # found while drawing (which costs a second layout and frame).
                steps.scroll_to_highlight()
        self._show_detail()

    def _set_title(self, title: Text) -> None:
        if title != self._title:  # a new border title repaints the whole pane
            self._title = title
            self.border_title = title

    def _show_detail(self) -> None:
        index = self.highlighted_index
        if self.case is None or index is None:
            text = Text("This case has no steps.")
        else:
            text = step_detail(self.case.steps[index], self._now(), self._playbook_names)
        self.query_one(StepDetail).update(text)

    @on(OptionList.OptionHighlighted, "#steps")
    def _step_moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()
