"""The checklist (right, top): the selected case's header, its playbook steps, and the
highlighted step's guidance and note in full."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.domain.actions import waiting_until
from workbench.domain.customers import Customer
from workbench.domain.model import Case, Heat, Remedy, Step
from workbench.domain.moments import age, describe, step_moment
from workbench.domain.targets import Kind, Targets, in_force, late_words, standing
from workbench.domain.text import visible
from workbench.domain.time_spent import elapsed_between, minutes_words
from workbench.ui.configured import settings_of
from workbench.ui.widgets.steady import SteadyOptionList
from workbench.ui.widgets.wrapped_text import WrappedText


def header_text(
    case: Case,
    now: datetime,
    targets: Targets,
    me: str = "",
    others: Sequence[str] = (),
    glance: str = "",
    customer: Customer | None = None,
) -> Text:
    """The case in the order it matters: where it stands (status and outcome, heat, age), the
    complaint itself, the customer's flags ("careful: threatened a chargeback"), an
    escalation and a target missed ("don't wait"), the remedy with its cost and answer, who
    and how to reach them, the target still running, and last whose fault and the channel.
    All user text is kept literal.

    Each fact wraps rather than runs off the box's side, so a box too short for all of it
    loses only the last, least important lines below its fold (they scroll), never the
    first ones.
    """
    text = Text()
    text.append(case.id, style="bold")
    text.append("  ")
    text.append(case.status.label, style="bold")
    if case.outcome is not None:
        text.append(f": {case.outcome.label}")
    text.append(" · ")
    text.append(case.heat.label, style=_HEAT_STYLES.get(case.heat, ""))
    text.append(f" · {age(case.opened_at, now)} old")
    text.append("\n")
    text.append(visible(case.title))
    if others:  # before anything else about the case: two people calling one customer
        names = ", ".join(visible(name) for name in others)
        verb = "has" if len(others) == 1 else "have"
        text.append(f"\n⚑ {names} {verb} this case open too.", style="bold reverse")
    for flag in customer.flags if customer is not None else ():  # before the talking starts
        text.append(f"\n⚑ {visible(flag)}", style="bold")
    if case.escalated_at is not None and case.status.is_open:
        since = age(case.escalated_at, now)
        text.append(
            f"\n▲ Escalated {'just now' if since == '0m' else since + ' ago'}.", style="bold"
        )
    target = in_force(case, targets, now)
    late = target is not None and target.missed(now)
    if target is not None and late:  # the heat is on the first line: not said again
        act = " Don't wait: call them now." if target.kind is Kind.FIRST_CONTACT else ""
        text.append(f"\n⌛ {late_words(target, now)}.{act}", style="bold")
    woken = waiting_until(case)
    if woken is not None and woken.due <= now:
        text.append(
            f"\n⏰ No answer yet: waited until {describe(woken.due, now)}. Check in with them.",
            style="bold",
        )
    elif woken is not None:
        text.append(f"\n⏳ Waiting on them until {describe(woken.due, now)}.")
    if case.remedy is not None:
        text.append("\n")
        text.append_text(remedy_text(case.remedy))
    text.append("\n")
    text.append(visible(case.customer), style="bold")
    company = "" if customer is None else customer.company
    if company and company.casefold() not in case.customer.casefold():  # not "Ana (Acme)"
        text.append(f" · {visible(company)}")
    if case.contact:
        text.append(f" · {visible(case.contact)}")
    if customer is not None and customer.channel is not None:
        text.append(f" · prefers {customer.channel.label}")
    if customer is not None and customer.notes.strip():
        first = customer.notes.strip().splitlines()[0]
        more = " (C: all of it)" if "\n" in customer.notes.strip() else ""
        text.append(f"\n✎ {visible(first)}{more}", style="italic")
    if glance:  # the relationship: earlier cases, what was given, promises elsewhere
        text.append(f"\n↺ {visible(glance)}", style="italic")
    if target is not None and not late:
        text.append(f"\n◷ {standing(target, now, heat=False).capitalize()}", style="dim")
    text.append(f"\nfault: {case.fault.label} · {case.channel.label}")
    if case.channel.is_weak:
        text.append(" (written: call if you can)", style="italic")
    text.append(" · ")
    text.append_text(owner_text(case.owner, me))
    if case.timer_started_at is not None or case.time_spent:
        text.append("\n")
        text.append_text(time_text(case, now, me))
    return text


def time_text(case: Case, now: datetime, me: str) -> Text:
    """Time spent on the case, and its running timer: "⏱ 12m running (yours) · 1h 05m spent"."""
    text = Text()
    if case.timer_started_at is not None:
        elapsed = elapsed_between(case.timer_started_at, now)
        running = int(max(elapsed, timedelta(0)).total_seconds() // 60)
        whose = "yours" if case.timer_by == me else visible(case.timer_by) or "someone's"
        text.append(f"⏱ {minutes_words(running)} running ({whose})", style="bold")
        if case.time_spent:
            text.append(" · ")
    if case.time_spent:
        text.append(f"{minutes_words(case.minutes_spent)} spent")
    return text


def owner_text(owner: str, me: str) -> Text:
    """Whose the case is, said from where the agent sits: yours, someone's, no one's."""
    if not owner:
        return Text("no one has it yet", style="italic")
    if owner == me:
        return Text("yours")
    return Text.assemble("with ", (visible(owner), "bold"))


_HEAT_STYLES = {Heat.FURIOUS: "bold reverse", Heat.UPSET: "bold"}


def remedy_text(remedy: Remedy) -> Text:
    """``Remedy (cost 49.90, accepted): Refund the duplicate charge``: the cost and the
    answer before the description, so a long description never pushes them out of sight."""
    text = Text("Remedy", style="bold")
    text.append(f" (cost {remedy.cost:.2f}, {remedy.answer_label}): ")
    text.append(visible(remedy.description))
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
    says where it came from; ✎ before the title marks a step with a note."""
    mark = "☑" if step.done else "·" if step.kept else "☐"
    line = Text(f"{mark} {number}. ", no_wrap=True, overflow="ellipsis")
    if step.note:  # before the title: a title that wraps or is cut never takes it along
        line.append("✎ ", style="bold")
    line.append(visible(step.title), style="dim" if step.done or step.kept else "bold")
    if step.done_at is not None:
        line.append(f" · {step_moment(step.done_at)}", style="dim italic")
    if step.kept:
        line.append(f" · {earlier_playbook(step, names or {})}", style="dim italic")
    return line


def step_detail(
    step: Step, now: datetime, names: Mapping[str, str] | None = None, *, worded: bool = False
) -> Text:
    """The highlighted step in full; ``worded`` when it has wording to suggest."""
    text = Text()
    if step.kept:
        text.append(
            f"Kept {earlier_playbook(step, names or {})}, the case's playbook before; "
            "not one of the steps still to do.\n",
            style="italic",
        )
    text.append(visible(step.guidance, one_line=False))
    if worded:
        text.append("\nS: what to say, filled in from the case.", style="italic")
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


class CaseHeader(WrappedText, can_focus=True):
    """The selected case's header: the facts that matter most first, wrapped to the box; the
    rest scrolls when the box is too short for all of it.

    Reached from the keyboard too: up on the first step moves here when some of the header
    is out of sight; up and down scroll it, and down at its end goes back to the steps.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Scroll up", show=False),
        Binding("down", "cursor_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "First line", show=False),
        Binding("end", "scroll_end", "Last line", show=False),
    ]

    @property
    def hides_some(self) -> bool:
        """Whether some of the header is out of sight (above or below)."""
        return self.max_scroll_y > 0

    def action_cursor_up(self) -> None:
        self.scroll_to(y=self.scroll_y - 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        if self.scroll_y >= self.max_scroll_y:
            self.post_message(self.Left())
        else:
            self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)

    class Left(Message):
        """Down at the header's end: back to the steps under it."""


class StepList(SteadyOptionList):
    """The playbook's steps; up on the first goes to the header when some of it is hidden."""

    class AtTop(Message):
        """Up on the first step."""

    def action_cursor_up(self) -> None:
        if self.highlighted == 0:
            self.post_message(self.AtTop())
            return
        super().action_cursor_up()


class StepDetail(WrappedText):
    """The highlighted step's guidance and note, wrapped to the box; scrolls when long."""


class Checklist(Vertical):
    """Shows one case: its header, its steps, and the highlighted step in full."""

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.case: Case | None = None
        self.others: list[str] = []
        """Other agents with the shown case open on their screens (a server tells)."""
        self._playbook_names: dict[str, str] = {}
        self._worded: frozenset[tuple[str, str]] = frozenset()
        self._title = Text()

    def compose(self) -> ComposeResult:
        yield CaseHeader(id="case-header")
        yield StepList(id="steps")
        yield StepDetail(id="step-detail")

    @property
    def steps(self) -> OptionList:
        return self.query_one("#steps", OptionList)

    @property
    def highlighted_index(self) -> int | None:
        if self.case is None or not self.case.steps:
            return None
        return self.steps.highlighted

    def set_playbook_names(
        self, names: dict[str, str], worded: frozenset[tuple[str, str]] = frozenset()
    ) -> None:
        """The playbooks' names by key, and their steps with wording, by (playbook, step)."""
        self._playbook_names = names
        self._worded = worded

    def show(
        self,
        case: Case | None,
        *,
        others: Sequence[str] = (),
        glance: str = "",
        customer: Customer | None = None,
    ) -> None:
        """Show a case (or nothing), keeping the step cursor when it is the same case.

        What can keep its size does: the header's height is fixed in the stylesheet (a long
        header scrolls in it), the
        steps' prompts are replaced in place when there are as many, the step detail lays
        out only when its scroll bar comes or goes, and the border title (which repaints
        the whole pane) is only set when it changes.
        """
        same = case is not None and self.case is not None and case.id == self.case.id
        steps = self.steps
        keep = steps.highlighted if same else 0
        self.case = case
        header = self.query_one(CaseHeader)
        if case is None:
            steps.clear_options()
            self._set_title(Text("Checklist"))
            header.update(Text("No case selected. Press n to open one."))
            self.query_one(StepDetail).update(Text())
            return
        now = self._now()
        settings = settings_of(self)
        header.update(
            header_text(case, now, settings.targets, settings.me, others, glance, customer)
        )
        self.others = list(others)
        if not same:
            header.scroll_home(animate=False, immediate=True)
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
            step = self.case.steps[index]
            worded = (step.from_playbook or self.case.playbook, step.key) in self._worded
            text = step_detail(step, self._now(), self._playbook_names, worded=worded)
        self.query_one(StepDetail).update(text)

    @on(StepList.AtTop)
    def _up_from_first_step(self, event: StepList.AtTop) -> None:
        event.stop()
        header = self.query_one(CaseHeader)
        if header.hides_some:
            header.focus()
        elif self.case is not None and self.case.steps:  # as before: round to the last
            self.steps.highlighted = len(self.case.steps) - 1

    @on(CaseHeader.Left)
    def _down_from_header(self, event: CaseHeader.Left) -> None:
        event.stop()
        self.steps.focus()

    @on(OptionList.OptionHighlighted, "#steps")
    def _step_moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()
