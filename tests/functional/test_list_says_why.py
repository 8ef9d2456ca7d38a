"""The case list never changes what it shows without a word, and an empty list says why:
a hidden case chosen elsewhere widens the filters and says so; a filter that finds
nothing says whether cases of another status match; a new sort order starts at its top."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Heat, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.queries import StatusFilter
from workbench.domain.search import SortOrder
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    """Twelve calm open cases with follow-ups soon, one furious case with none (last by
    next follow-up), and one resolved case titled "Refund never arrived"."""
    playbook = library.get("unhappy")
    for n in range(12):
        case = store.add(CaseDraft(f"Calm question {n}", f"Calm {n}"), playbook, NOW)
        due = NOW + timedelta(hours=n + 1)
        store.update(case.id, lambda c, due=due: actions.schedule_followup(c, due, "Call", NOW))
    store.add(CaseDraft("Shouting on the phone", "Furious Fay", heat=Heat.FURIOUS), playbook, NOW)
    done = store.add(CaseDraft("Refund never arrived", "Rita Resolved"), playbook, NOW)
    store.update(done.id, lambda c: actions.set_status(c, Status.RESOLVED, NOW))
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def messages(app: WorkbenchApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def empty_text(app: WorkbenchApp) -> str:
    table = app.main.case_list.table
    return " ".join(table.render_line(y).text.strip() for y in range(4)).strip()


def test_choosing_a_resolved_case_widens_the_list_and_says_so(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        case_list = app.main.case_list
        assert "C-0014" not in case_list.shown_ids  # open cases only
        app.show_case("C-0014")  # as the command palette does
        await pilot.pause()
        assert case_list.selected_id == "C-0014"
        assert case_list.status_filter is StatusFilter.ALL
        said = messages(app)
        assert any("C-0014" in m and "all cases" in m and "open cases" in m for m in said)

    run(app, scenario)


def test_a_case_hidden_by_the_filter_text_clears_it_and_keeps_the_status(
    app: WorkbenchApp,
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"calm")
        await pilot.press("enter")
        case_list = app.main.case_list
        assert "C-0013" not in case_list.shown_ids
        app.show_case("C-0013")
        await pilot.pause()
        assert case_list.selected_id == "C-0013"
        assert case_list.filter_text == ""
        assert case_list.query_one("#filter").display is False  # the box is cleared too
        assert case_list.status_filter is StatusFilter.OPEN  # not widened: not needed
        said = messages(app)
        assert any("“calm” was cleared" in m for m in said)
        assert not any("all cases" in m for m in said)

    run(app, scenario)


def test_a_case_already_shown_is_selected_without_a_word(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.show_case("C-0005")
        await pilot.pause()
        assert app.main.case_list.selected_id == "C-0005"
        assert messages(app) == []

    run(app, scenario)


def test_a_filter_matching_only_another_status_says_so(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"refund")
        await pilot.pause()
        assert app.main.case_list.shown_ids == []
        said = empty_text(app)
        assert "“refund”" in said and "another status" in said and "press a" in said

    run(app, scenario)


def test_a_filter_matching_nothing_at_all_says_so(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"zebra")
        await pilot.pause()
        said = empty_text(app)
        assert "No case matches “zebra”, whatever its status" in said
        assert "escape" in said

    run(app, scenario)


def test_an_empty_status_filter_says_which_and_what_to_press(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.case_list.status_filter = StatusFilter.WAITING
        await pilot.pause()
        assert app.main.case_list.shown_ids == []
        assert empty_text(app) == f"No {Status.WAITING.label}. Press a to show the others."

    run(app, scenario)


def test_a_new_sort_order_starts_at_its_top(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        case_list = app.main.case_list
        case_list.table.move_cursor(row=5)
        await pilot.pause()
        while case_list.order is not SortOrder.HEAT:
            await pilot.press("o")
        await pilot.pause()
        assert case_list.selected_id == "C-0013"  # the furious one, first
        assert case_list.table.scroll_offset.y == 0
        assert app.main.checklist.case is not None
        assert app.main.checklist.case.id == "C-0013"

    run(app, scenario, size=(80, 24))
