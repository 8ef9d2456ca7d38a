"""What a person types to open or edit a case, checked before it becomes one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.domain.model import Case, Channel, Fault, Heat
from workbench.domain.refusals import ValidationError

TITLE_MAX = 200
NAME_MAX = 120


def one_line(text: str) -> str:
    """Collapse any run of whitespace (newlines included) to one space and trim the ends."""
    return " ".join(text.split())


@dataclass
class CaseDraft:
    """What a person types to open or edit a case, before it becomes a :class:`Case`."""

    title: str
    customer: str
    contact: str = ""
    channel: Channel = Channel.PHONE
    heat: Heat = Heat.UPSET
    fault: Fault = Fault.UNCLEAR
    tags: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, case: Case) -> CaseDraft:
        """The case's details as they stand, as a draft (what an edit starts from)."""
        return cls(
            title=case.title,
            customer=case.customer,
            contact=case.contact,
            channel=case.channel,
            heat=case.heat,
            fault=case.fault,
            tags=list(case.tags),
        )

    def cleaned(self) -> CaseDraft:
        """The same draft with one-line fields trimmed; raises ValidationError if unusable."""
        draft = CaseDraft(
            title=one_line(self.title),
            customer=one_line(self.customer),
            contact=one_line(self.contact),
            channel=self.channel,
            heat=self.heat,
            fault=self.fault,
            tags=_clean_tags(self.tags),
        )
        errors: dict[str, str] = {}
        if not draft.title:
            errors["title"] = "Say what the complaint is, in one line."
        elif len(draft.title) > TITLE_MAX:
            errors["title"] = f"Keep the title under {TITLE_MAX} characters; put detail in a note."
        if not draft.customer:
            errors["customer"] = "Who is the customer? A name is enough."
        elif len(draft.customer) > NAME_MAX:
            errors["customer"] = f"Keep the customer's name under {NAME_MAX} characters."
        if len(draft.contact) > NAME_MAX:
            errors["contact"] = f"Keep the contact under {NAME_MAX} characters."
        if errors:
            raise ValidationError(errors)
        return draft


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        cleaned = one_line(tag).lower().replace(" ", "-")
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return seen
