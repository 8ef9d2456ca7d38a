"""What every backend keeps of an escalation (issue 20, part 4): the mark, the timeline's
line and the new owner, seen by a second handle (another agent's workbench), and taken
back by the same update machinery. Runs once per backend."""

from __future__ import annotations

from datetime import datetime, timedelta

from helpers.contract_backends import Handles

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Channel, EventKind, Heat
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import DEFAULT_TARGETS, is_late


def test_an_escalated_case_reaches_the_agent_named_on_the_other_handle(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    draft = CaseDraft("Charged twice", "Bo Li", heat=Heat.FURIOUS, channel=Channel.EMAIL)
    case_id = ours.add(draft, library.get("unhappy"), now).id
    later = now + timedelta(hours=2)
    assert is_late(theirs.get(case_id), DEFAULT_TARGETS, later)
    ours.update(case_id, lambda c: actions.escalate(c, DEFAULT_TARGETS, later, to="sam"))
    seen = theirs.get(case_id)
    assert seen.escalated_at == later and seen.owner == "sam"
    assert [e.kind for e in seen.timeline][-2:] == [EventKind.ESCALATED, EventKind.ASSIGNED]
    assert seen.timeline[-2].text == (
        "Escalated to sam: first contact 1h late (target 1h for furious)"
    )
    assert [c.escalated_at for c in theirs.all_cases()] == [later]
