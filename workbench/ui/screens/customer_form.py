"""The customer's own record: company, how they prefer to be reached, their contacts,
flags shown beside every case of theirs, and notes to read before talking with them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static, TextArea

from workbench.domain.actions import ValidationError
from workbench.domain.customers import Customer, CustomerEdit, edit_between
from workbench.domain.errors import DomainError
from workbench.domain.model import Channel
from workbench.domain.text import visible
from workbench.ui.screens.base import FormScreen, choice, form_field, line_input, plain

NOT_KNOWN = ""
"""The "prefers" choice for a customer whose preferred channel is not known."""


class CustomerScreen(FormScreen[CustomerEdit]):
    """Dismisses with what was changed (an edit applied to the freshest record when it is
    saved, so what another agent added meanwhile stays), or None."""

    def __init__(self, customer: Customer) -> None:
        super().__init__(f"{visible(customer.name)}: the customer's record")
        self.customer = customer

    def compose_intro(self) -> ComposeResult:
        yield Static(
            plain("Flags show beside every case of theirs. One contact or flag per line."),
            classes="dialog-hint",
        )

    def compose_fields(self) -> ComposeResult:
        record = self.customer
        yield form_field(
            "Company",
            "company",
            line_input("company", visible(record.company), "who they are with"),
        )
        channels = [("not known", NOT_KNOWN), *((c.label, c.value) for c in Channel)]
        prefers = NOT_KNOWN if record.channel is None else record.channel.value
        yield form_field("Prefers", "channel", choice("channel", channels, prefers))
        yield form_field("Flags", "flags", _lines("flags", record.flags))
        yield form_field("Contacts", "contacts", _lines("contacts", record.contacts))
        notes = TextArea(
            record.notes, id="notes", soft_wrap=True, tab_behavior="focus", compact=True
        )
        yield form_field("Notes", "notes", notes)

    def collect(self) -> CustomerEdit:
        record = self.customer
        company = self.query_one("#company", Input).value
        if company == visible(record.company):
            company = record.company  # left as shown: the text as stored
        chosen = self.query_one("#channel", Select).value
        channel = None if chosen in (NOT_KNOWN, Select.BLANK) else Channel(str(chosen))
        texts = {name: self.query_one(f"#{name}", TextArea).text for name in ("flags", "contacts")}
        lines = {
            name: [line for line in text.splitlines() if line.strip()]
            for name, text in texts.items()
        }
        try:
            return edit_between(
                record,
                company=company,
                channel=channel,
                notes=self.query_one("#notes", TextArea).text,
                contacts=lines["contacts"],
                flags=lines["flags"],
            )
        except DomainError as error:
            said = str(error)
            field = next(
                (name for name in ("company", "contacts", "flags") if name[:-1] in said.lower()),
                "notes",
            )
            raise ValidationError({field: said}) from None


def _lines(name: str, items: list[str]) -> TextArea:
    return TextArea(
        "\n".join(visible(item) for item in items),
        id=name,
        soft_wrap=True,
        tab_behavior="focus",
        compact=True,
    )
