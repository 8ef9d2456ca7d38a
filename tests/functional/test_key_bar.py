"""The key bar at the foot of the screen: built once for the first screen, again only when
the keys it shows change (Textual's Footer rebuilt itself after every change of focus,
four times in a row after the first screen of a large database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.widgets.footer import KeyBar


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    for number in range(3):
        store.add(CaseDraft(f"Parcel lost {number}", "Ana Chen"), library.get("unhappy"), NOW)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW - timedelta(hours=1))


def shown(app: WorkbenchApp) -> list[str]:
    return [key.description for key in app.screen.query_one(KeyBar).query(FooterKey)]


def test_the_first_screen_builds_the_key_bar_once(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        # The first, empty build before any keys are known, then the case list's keys.
        assert bar.rebuilds == 2
        assert app.screen.focused is app.main.case_list.table
        assert {"New", "Tick", "Follow-up"} <= set(shown(app))  # short: not all fit at 120

    run(app, scenario)


def test_the_key_bar_is_rebuilt_only_when_its_keys_change(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        before, keys = bar.rebuilds, shown(app)
        for _ in range(3):  # nothing changed: nothing to build
            app.screen.refresh_bindings()
        await pilot.press("j", "k")
        await pilot.pause()
        assert (bar.rebuilds, shown(app)) == (before, keys)

        await pilot.press("slash")  # the filter box has keys of its own
        await pilot.pause()
        assert bar.rebuilds == before + 1
        assert shown(app) != keys
        await pilot.press("escape")
        await pilot.pause()
        assert (bar.rebuilds, shown(app)) == (before + 2, keys)

    run(app, scenario)


def test_changes_that_come_together_build_the_bar_once(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        before = bar.rebuilds
        main = app.main
        # Three changes of focus before the screen is drawn again: one build, for the last.
        main.case_list.query_one("SafeInput").focus()
        main.calendar.grid.focus()
        main.case_list.table.focus()
        await pilot.pause()
        await pilot.pause()
        assert bar.rebuilds <= before + 1
        assert "Tick" in shown(app)

    run(app, scenario)


def bar_keys(app: WorkbenchApp) -> list[FooterKey]:
    return list(app.screen.query_one(KeyBar).query(FooterKey))


def every_key(app: WorkbenchApp) -> list[str]:
    """The actions of every key with a description the screen has now."""
    actions: list[str] = []
    for binding in (active.binding for active in app.screen.active_bindings.values()):
        if binding.show and binding.action not in actions:
            actions.append(binding.action)
    return actions


def check_bar(app: WorkbenchApp, width: int, *, has_help: bool) -> list[str]:
    """Whole entries inside the bar, no key twice, "all keys" exactly when one is left
    out (on a screen with a help key); the descriptions shown."""
    bar = app.screen.query_one(KeyBar)
    keys = bar_keys(app)
    assert bar.region.width == width
    for key in keys:
        text = key.render().plain
        assert key.region.width == len(text) and key.description in text
        assert key.region.right <= bar.region.right  # not cut
    displays = [key.key_display for key in keys]
    assert len(displays) == len(set(displays))  # no key twice
    left_out = set(every_key(app)) - {key.action for key in keys}
    more = [key for key in keys if key.description == "all keys"]
    if has_help and left_out:
        assert len(more) == 1 and keys[-1] is more[0] and more[0].key_display == "?"
    else:
        assert not more
    return [key.description for key in keys]


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_the_bar_shows_whole_keys_that_fit_and_says_when_there_are_more(
    app: WorkbenchApp, width: int
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = check_bar(app, width, has_help=True)
        # Most used first; in short words when not every key fits in full.
        full = ["New case", "Edit case", "Tick step"]
        assert main[:3] == (full if width == 200 else ["New", "Edit", "Tick"])
        assert ("all keys" in main) is (width < 200)
        if width == 200:
            assert main[-1] == "Command palette"  # last, once
        await pilot.press("slash")
        await pilot.pause()
        assert check_bar(app, width, has_help=False) == ["Filter", "Command palette"]
        await pilot.press("escape", "i")
        await pilot.pause()
        insight = check_bar(app, width, has_help=False)
        assert insight.count("Command palette") == (width > 80)
        assert insight[:5] == ["This week", "This month", "90 days", "All time", "Close"]
        await pilot.press("escape")

    run(app, scenario, size=(width, 30))


def test_the_bar_follows_the_width_of_the_terminal(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        wide = shown(app)
        before = bar.rebuilds
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert bar.rebuilds == before + 1
        narrow = check_bar(app, 80, has_help=True)
        assert len(narrow) < len(wide) and narrow[-1] == "all keys"

    run(app, scenario, size=(200, 30))


def test_at_80_columns_the_most_used_keys_show_in_short_words(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        keys = [(key.key_display, key.description) for key in app.screen.query(FooterKey)]
        assert keys == [
            ("n", "New"),
            ("e", "Edit"),
            ("space", "Tick"),
            ("m", "Note"),
            ("f", "Follow-up"),
            ("/", "Filter"),
            ("?", "all keys"),
        ]

    run(app, scenario, size=(80, 24))


def test_a_bar_wide_enough_for_every_key_shows_their_full_words(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        words = shown(app)
        assert {"New case", "Tick step", "Close case", "Help", "Quit"} <= set(words)
        assert "all keys" not in words

    run(app, scenario, size=(230, 40))
