"""Open a case, or edit one: who, what, how hot, whose fault, and which playbook to follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from workbench.domain.actions import CaseDraft
from workbench.domain.customers import NameFinder, customer_key
from workbench.domain.model import Case, Channel, Fault, Heat
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.text import visible
from workbench.ui.screens.base import (
    FormScreen,
    choice,
    form_field,
    hint_line,
    labelled,
    line_input,
    plain,
    set_hint,
)


@dataclass(frozen=True)
class CaseFormResult:
    """A checked draft and the key of the playbook to work it with."""

    draft: CaseDraft
    """Already cleaned (see :meth:`CaseDraft.cleaned`)."""
    playbook_key: str
    base: CaseDraft | None = None
    """When editing, the case as the form opened on it: a field left as it was keeps what
    the case holds by the time it is saved (see :func:`~workbench.domain.actions.edit_case`)."""


class CaseFormScreen(FormScreen[CaseFormResult]):
    """The new-case and edit-case form.

    For a new case the playbook follows the library's suggestion for the chosen heat and
    fault until the agent picks one by hand; from then on it stays. When editing, the case's
    own playbook stays unless changed by hand.
    """

    def __init__(
        self,
        library: PlaybookLibrary,
        case: Case | None = None,
        customers: Mapping[str, int] | None = None,
    ) -> None:
        """``customers``: the customers already known, by name, with their number of cases:
        suggested as the name is typed, and a near miss pointed out."""
        super().__init__(f"Edit {case.id}" if case else "New case")
        self.library = library
        self.case = case
        self.customers = dict(customers or {})
        self._by_key = {customer_key(name): (name, count) for name, count in self.customers.items()}
        self._finder = NameFinder(self.customers)
        self.start = _draft_of(case) if case else CaseDraft(title="", customer="")
        self.base = _draft_of(case, shown=False) if case else None
        self._suggested = library.suggest(self.start.heat, self.start.fault).key
        self._follows_suggestion = case is None

    @property
    def follows_suggestion(self) -> bool:
        """True until a playbook is picked by hand (never, when editing)."""
        return self._follows_suggestion

    def compose_fields(self) -> ComposeResult:
        start = self.start
        playbook = self.case.playbook if self.case else self._suggested
        yield form_field(
            "Title", "title", line_input("title", start.title, "the complaint, in one line")
        )
        name = line_input("customer", start.customer, "name")
        name.suggester = SuggestFromList(list(self.customers), case_sensitive=False)
        yield form_field(
            "Customer",
            "customer",
            name,
            hint_line("customer-hint", self._customer_hint(start.customer)),
        )
        yield form_field(
            "Contact",
            "contact",
            line_input("contact", start.contact, "phone or e-mail (optional)"),
        )
        yield form_field("Channel", "channel", choice("channel", labelled(Channel), start.channel))
        yield form_field("Heat", "heat", choice("heat", labelled(Heat), start.heat))
        yield form_field("Fault", "fault", choice("fault", labelled(Fault), start.fault))
        yield form_field(
            "Playbook",
            "playbook",
            choice("playbook", self._playbook_options(), playbook),
            hint_line("playbook-hint", self._playbook_hint(playbook)),
        )

    def _customer_hint(self, typed: str) -> Content:
        """Whether the name typed is a customer we know (and how many cases they have), or
        close to one (a typo would make a second customer), or new."""
        if not typed.strip() or not self.customers:
            return plain("")
        key = customer_key(typed)
        known = self._by_key.get(key)
        if known is not None:
            mine = self.case is not None and customer_key(self.case.customer) == key
            others = known[1] - (1 if mine else 0)
            if not others:
                return plain("")
            noun = "case" if others == 1 else "cases"
            return plain(f"Known customer: {others} other {noun} (H on the list shows them).")
        close = self._finder.similar(typed)
        if close:
            names = " or ".join(f"“{visible(found)}”" for found in close)
            return plain(f"A new customer. Did you mean {names}? (→ takes a suggestion)")
        return plain("A new customer.")

    @on(Input.Changed, "#customer")
    def _customer_typed(self, event: Input.Changed) -> None:
        set_hint(self.query_one("#customer-hint", Static), self._customer_hint(event.value))

    def _playbook_options(self) -> list[tuple[str, str]]:
        options = [(playbook.name, playbook.key) for playbook in self.library]
        if self.case and self.case.playbook not in self.library:
            # Its file is gone: keep the case on it rather than switch it silently.
            options.append((f"{self.case.playbook} (not installed)", self.case.playbook))
        return options

    def _playbook_hint(self, key: str) -> Content:
        """When the playbook applies, and whether it is the suggestion."""
        situation = self.library.get(key).situation if key in self.library else ""
        note = "Suggested for this heat and fault. " if self._follows_suggestion else ""
        return plain(note + situation)

    @on(Select.Changed, "#heat, #fault")
    def _assessment_changed(self) -> None:
        if self._follows_suggestion:
            heat, fault = self.value_of("#heat", Heat), self.value_of("#fault", Fault)
            self._suggested = self.library.suggest(heat, fault).key
            self.query_one("#playbook", Select).value = self._suggested

    @on(Select.Changed, "#playbook")
    def _playbook_changed(self, event: Select.Changed) -> None:
        # Our own updates always set the suggestion; any other value was picked by hand.
        if event.value != self._suggested:
            self._follows_suggestion = False
        hint = self._playbook_hint(self.value_of("#playbook", str))
        set_hint(self.query_one("#playbook-hint", Static), hint)

    def collect(self) -> CaseFormResult:
        draft = CaseDraft(
            title=self._typed("title"),
            customer=self._typed("customer"),
            contact=self._typed("contact"),
            channel=self.value_of("#channel", Channel),
            heat=self.value_of("#heat", Heat),
            fault=self.value_of("#fault", Fault),
            tags=list(self.start.tags),  # not edited here, and never lost
        )
        return CaseFormResult(draft.cleaned(), self.value_of("#playbook", str), self.base)

    def _typed(self, name: str) -> str:
        """A text field's value; left as shown, the case's own text (shown, control bytes
        are spelled out, which is not what the case holds)."""
        value = self.query_one(f"#{name}", Input).value
        if self.base is not None and value == getattr(self.start, name):
            return str(getattr(self.base, name))
        return value


def _draft_of(case: Case, *, shown: bool = True) -> CaseDraft:
    """The case's details as a draft: as the form shows them, or as the case holds them."""
    draft = CaseDraft.of(case)
    if not shown:
        return draft
    return replace(
        draft,
        title=visible(case.title),
        customer=visible(case.customer),
        contact=visible(case.contact),
    )
