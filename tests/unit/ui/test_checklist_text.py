"""The checklist's texts: the header's facts in order of importance, the remedy's cost and
answer before its description, and a step's ✎ before its title."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Channel, Heat, Outcome, Remedy, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import Targets
from workbench.ui.widgets.checklist import header_text, remedy_text, step_prompt

TARGETS = Targets()


def a_case(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft], **changes: object
) -> Case:
    return actions.open_case(
        make_draft(**changes), "C-0042", library.get("our-mistake"), NOW - timedelta(days=3)
    )


def test_the_remedy_says_its_cost_and_answer_before_what_was_offered() -> None:
    remedy = Remedy("Send the right size by express", Decimal("1250.5"), accepted=False)
    assert remedy_text(remedy).plain == (
        "Remedy (cost 1250.50, declined): Send the right size by express"
    )
    waiting = Remedy("Refund", Decimal(0))
    assert remedy_text(waiting).plain == "Remedy (cost 0.00, awaiting answer): Refund"


def test_the_header_puts_where_the_case_stands_first_then_the_complaint_and_remedy(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft]
) -> None:
    case = a_case(library, make_draft, channel=Channel.CHAT, contact="ana@example.com")
    actions.record_contact(case, NOW)
    actions.set_status(case, Status.IN_PROGRESS, NOW)
    actions.record_remedy(case, "Refund the duplicate charge", Decimal("49.9"), True, NOW)
    lines = header_text(case, NOW, TARGETS).plain.split("\n")
    assert lines == [
        "C-0042  in progress · furious · 3d old",
        "Charged twice for March",
        "⌛ Resolution 1d late (target 2d).",  # opened 3 days ago; the heat is said above
        "Remedy (cost 49.90, accepted): Refund the duplicate charge",
        "Ana Chen · ana@example.com",
        "fault: ours · chat (written: call if you can) · no one has it yet",
    ]
    calm = header_text(case, NOW, Targets.of(resolution={Heat.FURIOUS: timedelta(days=4)}))
    assert calm.plain.split("\n")[2:] == [  # a target still running comes late, dim
        "Remedy (cost 49.90, accepted): Refund the duplicate charge",
        "Ana Chen · ana@example.com",
        "◷ Resolution due within 1d (target 4d)",
        "fault: ours · chat (written: call if you can) · no one has it yet",
    ]


@pytest.mark.parametrize(
    ("owner", "said"), [("", "no one has it yet"), ("ana", "yours"), ("bo", "with bo")]
)
def test_the_header_says_whose_the_case_is_from_where_i_sit(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft], owner: str, said: str
) -> None:
    case = a_case(library, make_draft)
    case.owner = owner
    last = header_text(case, NOW, TARGETS, me="ana").plain.split("\n")[-1]
    assert last.endswith(f" · {said}")


def test_a_closed_case_says_its_outcome_beside_its_status(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft]
) -> None:
    case = a_case(library, make_draft)
    actions.close_case(case, Outcome.LOST, NOW, allow_open_steps=True)
    first = header_text(case, NOW, TARGETS).plain.split("\n")[0]
    assert first == "C-0042  closed: lost · furious · 3d old"


def test_the_dont_wait_flag_comes_right_under_the_complaint(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft]
) -> None:
    case = a_case(library, make_draft, channel=Channel.EMAIL, contact="")
    lines = header_text(case, NOW, TARGETS).plain.split("\n")
    assert lines[1:4] == [
        "Charged twice for March",
        "⌛ No contact yet, 2d 23h late (target 1h). Don't wait: call them now.",
        "Ana Chen",
    ]


def test_user_text_in_the_header_stays_literal_on_one_line_each(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft]
) -> None:
    case = a_case(library, make_draft, title="[bold]Two\nlines[/]", customer="Cy")
    text = header_text(case, NOW, TARGETS)
    assert "[bold]Two lines[/]" in text.plain.split("\n")


def test_a_noted_step_has_its_mark_before_its_title(
    library: PlaybookLibrary, make_draft: Callable[..., CaseDraft]
) -> None:
    case = a_case(library, make_draft)
    actions.set_step(case, 1, True, NOW)
    actions.set_step_note(case, 1, "Calm by the end", NOW)
    noted = step_prompt(2, case.steps[1]).plain
    assert noted.startswith(f"☑ 2. ✎ {case.steps[1].title}")
    assert "✎" not in step_prompt(1, case.steps[0]).plain
