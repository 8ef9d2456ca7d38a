"""``workbench report``: the insight figures as text and as JSON, over the hand-built cases.

The cases and their right answers are in tests/helpers/insight_data.py and
tests/unit/domain/test_insight.py; here we check what the command prints for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.insight_data import insight_cases, steps

from workbench.domain.model import Outcome, Status
from workbench.storage import CaseStore


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


@pytest.fixture
def filled(store: CaseStore) -> CaseStore:
    store.add_many(insight_cases())
    return store


def test_text_report_defaults_to_this_month(filled: CaseStore, run: Run) -> None:
    result = run("report")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Insight for this month: Sun 1 Nov 2026, 00:00 to Mon 23 Nov 2026, 14:30"
    # The month's figures, as worked out in tests/unit/domain/test_insight.py.
    expected = [
        "  opened                             5",
        "  closed                             3",
        "  past first-contact target          1  (don't wait)",  # H: 4h 30m since opening
        "Don't wait: opening to first contact (5 cases)",
        "  median 30m, p90 1d 9h",  # 30m and 1d 9h 1m, in words
        "Opening to resolution (4 cases)",
        "  median 5d 5h, p90 19d 12h",
        "  retained                            1  33%           25.00",
        "  retained with concession            0   0%            0.00",
        "  parted ways / referred elsewhere    1  33%            0.00",
        "  lost                                1  33%            0.00",
        "  total                               3                25.00",
        "  (1 closed case without a remedy recorded)",
        "  kept on time       2  50%",
        "  done late          1  25%",
        "  open, overdue      1  25%",
        "  cancelled          1",
        "  Customer blames you                        2       2              4",
        "    most skipped: “Step b2” (2 of 2 closed)",
        "  Unhappy customer complaint                 2       0              0",
        "    no case closed yet",
        "  Mad customer after our mistake             1       1              0",
        "    no step skipped in 1 closed case",
    ]
    for line in expected:
        assert line in lines, f"missing: {line!r}\n{result.out}"
    # In the order given: outcomes, then follow-ups, then playbooks.
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)


def test_json_report_for_the_week(filled: CaseStore, run: Run) -> None:
    result = run("report", "--period", "week", "--json")
    assert result.code == 0, result.err
    assert result.json() == {
        "period": "week",
        "label": "this week",
        "from": "2026-11-23T00:00:00+01:00",
        "to": "2026-11-23T14:30:00+01:00",
        "dont_wait_seconds": None,  # the heats' first-contact targets differ
        # Every case is upset (4h, 5d). First contact: A (2h) and B (10m) met, H missed at
        # 14:00 (opened 10:00, never contacted). Resolution: B met (closed after 10h); I
        # and C missed before the week, A and H still run.
        "targets": {
            "first_contact": {
                "met": 2,
                "missed": 1,
                "by_heat": {
                    "furious": {"target_seconds": 3600, "met": 0, "missed": 0},
                    "upset": {"target_seconds": 4 * 3600, "met": 2, "missed": 1},
                    "calm": {"target_seconds": 86400, "met": 0, "missed": 0},
                },
            },
            "resolution": {
                "met": 1,
                "missed": 0,
                "by_heat": {
                    "furious": {"target_seconds": 2 * 86400, "met": 0, "missed": 0},
                    "upset": {"target_seconds": 5 * 86400, "met": 1, "missed": 0},
                    "calm": {"target_seconds": 10 * 86400, "met": 0, "missed": 0},
                },
            },
        },
        "cases": {"opened": 2, "closed": 1, "awaiting_first_contact": 1},
        # 10m and 2h; B's resolution 9h 1m = 32,460 s.
        "first_contact": {"cases": 2, "median_seconds": 600, "p90_seconds": 7200},
        "resolution": {"cases": 1, "median_seconds": 32460, "p90_seconds": 32460},
        "outcomes": {"retained": 1, "retained_with_concession": 0, "parted_ways": 0, "lost": 0},
        "remedy_cost": {
            "total": "25.00",
            "by_outcome": {
                "retained": "25.00",
                "retained_with_concession": "0.00",
                "parted_ways": "0.00",
                "lost": "0.00",
            },
            "closed_without_remedy": 0,
        },
        "followups": {"on_time": 1, "late": 1, "open_overdue": 1, "cancelled": 1},
        "handling_minutes": {
            "total": 0,
            "by_outcome": {
                "retained": 0,
                "retained_with_concession": 0,
                "parted_ways": 0,
                "lost": 0,
            },
            "logged_in_period": 0,
        },
        "made_right": {"cases": 0, "at_first_followup": 0, "later": 0, "not_yet": 0},
        "satisfied": {"yes": 0, "no": 0, "not_told": 1},
        "playbooks": [
            {
                "key": "blame",
                "name": "Customer blames you",
                "cases": 1,
                "closed": 1,
                "steps_skipped": 2,
                "handling_minutes": 0,
                "most_skipped": [
                    {"key": "b2", "title": "Step b2", "skipped": 1},
                    {"key": "b3", "title": "Step b3", "skipped": 1},
                ],
                "skipped_steps": [
                    {"key": "b2", "title": "Step b2", "skipped": 1},
                    {"key": "b3", "title": "Step b3", "skipped": 1},
                ],
            },
            {
                "key": "unhappy",
                "name": "Unhappy customer complaint",
                "cases": 1,
                "closed": 0,
                "steps_skipped": 0,
                "handling_minutes": 0,
                "most_skipped": [],
                "skipped_steps": [],
            },
        ],
    }


@pytest.mark.parametrize(
    ("period", "start", "opened", "cost"),
    [
        ("week", "2026-11-23T00:00:00+01:00", 2, "25.00"),
        ("month", "2026-11-01T00:00:00+01:00", 5, "25.00"),
        ("90d", "2026-08-25T14:30:00+01:00", 7, "65.50"),
        ("90D", "2026-08-25T14:30:00+01:00", 7, "65.50"),
        ("all", None, 9, "75.50"),
    ],
)
def test_each_period(
    filled: CaseStore, run: Run, period: str, start: str | None, opened: int, cost: str
) -> None:
    data = run("report", "--period", period, "--json").json()
    assert data["period"] == period.lower()
    assert data["from"] == start
    assert data["cases"]["opened"] == opened
    assert data["remedy_cost"]["total"] == cost


def test_all_time_text_heading(filled: CaseStore, run: Run) -> None:
    result = run("report", "--period", "all")
    assert result.out.splitlines()[0] == "Insight for all time, up to Mon 23 Nov 2026, 14:30"


@pytest.mark.parametrize("bad", ["year", "7d", ""])
def test_a_bad_period_exits_2_and_names_the_choices(run: Run, bad: str) -> None:
    result = run("report", "--period", bad)
    assert result.code == 2
    assert result.out == ""
    assert f"“{bad}” is not a period; use one of: week, month, 90d, all" in result.err


def test_an_empty_database_reports_nothing_yet(store: CaseStore, run: Run) -> None:
    text = run("report").out
    assert "Don't wait: opening to first contact: no cases yet" in text
    assert "Outcomes: no case closed" in text
    assert "Follow-ups due: none" in text
    data = run("report", "--json").json()
    assert data["first_contact"] == {"cases": 0, "median_seconds": None, "p90_seconds": None}
    assert data["playbooks"] == []


def test_user_text_is_printed_harmlessly(store: CaseStore, run: Run) -> None:
    [case] = [c for c in insight_cases() if c.id == "C-0002"]  # B: closed this week
    case.steps = steps("b", None)
    case.steps[0].title = "Call \x1b[31mnow[/]"
    case.playbook = "gone-playbook"  # a user playbook since deleted: shown by its key
    assert case.status is Status.CLOSED and case.outcome is Outcome.RETAINED
    store.add_many([case])
    result = run("report", "--period", "week")
    assert "\x1b" not in result.out
    assert "most skipped: “Call \\x1b[31mnow[/]” (1 of 1 closed)" in result.out
    assert "  gone-playbook " in result.out
    data = run("report", "--period", "week", "--json").json()
    assert data["playbooks"][0]["most_skipped"][0]["title"] == "Call \x1b[31mnow[/]"


def test_the_settings_file_sets_the_week_start_and_the_dont_wait_limit(
    filled: CaseStore, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('week_start = "sunday"\ndont_wait_hours = 5\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings))
    data = run("report", "--period", "week", "--json").json()
    assert data["from"] == "2026-11-22T00:00:00+01:00"  # the Sunday before NOW
    assert data["cases"]["opened"] == 3  # B (Sun 23:59) now counts as well as A and H
    assert data["dont_wait_seconds"] == 5 * 3600  # one limit for every heat, as before
    first = data["targets"]["first_contact"]["by_heat"]
    assert {heat: line["target_seconds"] for heat, line in first.items()} == dict.fromkeys(
        ("furious", "upset", "calm"), 5 * 3600
    )  # the old setting, for every heat
    assert data["cases"]["awaiting_first_contact"] == 0  # H has waited 4h 30m: under 5h
