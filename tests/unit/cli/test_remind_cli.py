"""`workbench remind` (issue 20, part 2): follow-ups falling due within a window and
overdue ones, each said once, printed or sent through notify-send; a frozen clock steps
through the window's edges."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Outcome
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str], library: PlaybookLibrary) -> Run:
    store = CaseStore(db_path)
    soon = store.add(CaseDraft("Late parcel", "<b>Ana</b> & Co"), library.get("unhappy"), NOW)
    store.update(
        soon.id,
        lambda c: actions.schedule_followup(
            c, NOW + timedelta(minutes=10), "Call about the parcel", NOW
        ),
    )
    store.update(
        soon.id,
        lambda c: actions.schedule_followup(c, NOW + timedelta(hours=2), "Check it came", NOW),
    )
    late = store.add(CaseDraft("Charged twice", "Bo Li"), library.get("unhappy"), NOW)
    store.update(
        late.id,
        lambda c: actions.schedule_followup(
            c, NOW - timedelta(hours=3), "Refund call", NOW - timedelta(days=1)
        ),
    )
    done = store.add(CaseDraft("Rude reply", "Cy"), library.get("unhappy"), NOW)
    store.update(
        done.id,
        lambda c: actions.schedule_followup(c, NOW + timedelta(minutes=5), "Said sorry", NOW),
    )
    store.update(done.id, lambda c: actions.complete_followup(c, 1, NOW))
    fixed = store.add(CaseDraft("Broken lid", "Dee"), library.get("unhappy"), NOW)

    def resolve_keeping(case: object) -> None:
        actions.schedule_followup(case, NOW + timedelta(minutes=14), "Check it stays fixed", NOW)  # type: ignore[arg-type]
        actions.close_case(case, Outcome.RETAINED, NOW, allow_open_steps=True)  # type: ignore[arg-type]

    store.update(fixed.id, resolve_keeping)
    store.close()
    return cli_runner(db_path, capsys)


def test_due_within_the_window_and_overdue_each_said_once(run: Run) -> None:
    first = run("remind")
    assert first.code == 0, first.err
    lines = first.out.splitlines()
    assert lines[0] == "3 follow-ups due within 15m or overdue:"
    assert lines[1].startswith("  C-0002 F1  Bo Li  overdue 3h  Refund call")
    assert lines[2].startswith("  C-0001 F1  <b>Ana</b> & Co  due today 14:40")
    assert lines[3].startswith("  C-0004 F1  Dee  due today 14:44  Check it stays fixed")
    assert "Said sorry" not in first.out and "Check it came" not in first.out
    again = run("remind")
    assert again.out.splitlines() == [
        "Nothing falls due within 15m, and nothing overdue is left unsaid.",
        "(3 reminded of before: --again shows them too.)",
    ]
    assert len(run("remind", "--again", "--json").json()["reminders"]) == 3


def test_a_frozen_clock_steps_into_the_window(run: Run) -> None:
    run("remind")
    edge = NOW + timedelta(hours=2) - timedelta(minutes=15)
    assert run("remind", clock=lambda: edge - timedelta(seconds=1)).json  # nothing yet
    data = run("remind", "--json", clock=lambda: edge - timedelta(seconds=1)).json()
    assert data["reminders"] == []
    data = run("remind", "--json", clock=lambda: edge).json()
    assert [r["action"] for r in data["reminders"]] == ["Check it came"]
    assert data["reminders"][0]["overdue"] is False and data["within_minutes"] == 15


def test_a_moved_follow_up_is_reminded_of_again(run: Run) -> None:
    run("remind")
    assert run("followup", "C-0002", "tomorrow 9am", "--move", "F1").code == 0
    data = run("remind", "--json", "--within", "1d").json()
    assert [(r["case"], r["action"]) for r in data["reminders"]] == [
        ("C-0001", "Check it came"),
        ("C-0002", "Refund call"),
    ]


def fake_notifier(folder: Path, code: int = 0) -> Path:
    folder.mkdir()
    said = folder / "said.json"
    script = folder / "notify-send"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"open({str(said)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.exit({code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return said


def test_notify_sends_one_notification_with_the_text_as_text(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = fake_notifier(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    result = run("remind", "--notify")
    assert result.code == 0, result.err
    assert "Sent a desktop notification for 3 follow-ups." in result.out
    [argv] = [json.loads(line) for line in said.read_text().splitlines()]
    assert argv[:3] == ["--app-name=workbench", "--", "3 follow-ups due or overdue"]
    assert "C-0001 &lt;b&gt;Ana&lt;/b&gt; &amp; Co: Call about the parcel" in argv[3]
    # Run again, as cron would five minutes later: nothing new, nothing sent.
    later = run("remind", "--notify", clock=lambda: NOW + timedelta(minutes=5))
    assert "3 reminded of before" in later.out
    assert len(said.read_text().splitlines()) == 1
    assert run("remind", "--notify", "--json").json()["notified"] is None  # nothing to send


def test_without_notify_send_the_reminders_are_printed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("remind", "--notify")
    assert "notify-send is not installed here, so the reminders are printed." in result.out
    assert "Refund call" in result.out


def test_a_failing_notify_send_is_said_and_the_reminders_printed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_notifier(tmp_path / "bin", code=1)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    data = run("remind", "--notify", "--json").json()
    assert data["notified"] is False and len(data["reminders"]) == 3


def test_a_damaged_or_planted_reminders_file_costs_a_repeat_only(run: Run, tmp_path: Path) -> None:
    folder = Path(os.environ["XDG_DATA_HOME"]) / "workbench"
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / "reminded.json"
    kept.write_text("{not json")
    result = run("remind")
    assert result.code == 0 and "is not JSON" in result.err and "Refund call" in result.out
    assert "Refund call" not in run("remind").out  # rewritten whole: works again
    kept.unlink()
    elsewhere = tmp_path / "someone-elses.json"
    elsewhere.write_text('{"given": {}}')
    kept.symlink_to(elsewhere)
    result = run("remind")
    assert result.code == 0 and "Refund call" in result.out and result.err
    assert elsewhere.read_text() == '{"given": {}}'  # never written through the link


@pytest.mark.parametrize(
    ("window", "said"),
    [("soon", "is not a time ahead"), ("0m", "between one minute and a week"), ("8d", "a week")],
)
def test_a_window_that_wont_do_is_said(run: Run, window: str, said: str) -> None:
    result = run("remind", "--within", window)
    assert result.code == 2 and said in result.err
