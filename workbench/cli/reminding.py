"""``workbench remind``: the follow-ups falling due soon, and those overdue, each said
once (remembered in the user's data folder), printed or sent to the desktop through
``notify-send``: a command for cron or a systemd timer every few minutes."""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
from datetime import datetime
from typing import TYPE_CHECKING

from workbench import paths
from workbench.cli.context import AddCommand, Context, shown

if TYPE_CHECKING:
    from workbench.domain.reminders import Reminder

NOTIFY_SECONDS = 10
"""How long ``notify-send`` may take before it counts as failed."""


def cmd_remind(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.domain import reminders
    from workbench.storage.reminded import RemindedError, RemindedLog

    window = reminders.parse_window(args.within)
    due = reminders.due_reminders(ctx.store.cases_for_followups(), ctx.now, window)
    log = RemindedLog(paths.reminded_file())
    try:
        given = log.given()
    except RemindedError as error:  # costs a repeated reminder at worst: said, and on
        print(f"workbench: {shown(str(error))}", file=ctx.err)
        given = {}
    where = ctx.store.location
    fresh = [r for r in due if reminders.reminder_key(where, r) not in given]
    told = due if args.again else fresh
    before = 0 if args.again else len(due) - len(fresh)
    sent: bool | None = None
    said = ""
    if args.notify and told:
        sent, said = _notify(told, ctx.now)
    if told:
        try:
            log.add((reminders.reminder_key(where, r) for r in told), ctx.now)
        except RemindedError as error:
            print(f"workbench: {shown(str(error))}", file=ctx.err)
    ctx.emit(
        {
            "within_minutes": int(window.total_seconds() // 60),
            "reminders": [_json(r, ctx.now) for r in told],
            "reminded_before": before,
            "notified": sent,
        },
        _text(told, before, args.within.strip(), ctx.now, said),
    )
    return 0


def _notify(told: list[Reminder], now: datetime) -> tuple[bool | None, str]:
    """Send one desktop notification for ``told``; (None: no notify-send here, False: it
    failed, True: sent) and what to say of it."""
    from workbench.domain.reminders import notification

    program = shutil.which("notify-send")
    if program is None:
        return None, "notify-send is not installed here, so the reminders are printed."
    title, body = notification(told, now)
    # The body may be read as markup by the desktop: the customer's text stays text.
    body = html.escape(body, quote=False)
    try:
        done = subprocess.run(  # noqa: S603 - a list of words, no shell: text stays text
            [program, "--app-name=workbench", "--", title, body],
            capture_output=True,
            timeout=NOTIFY_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"notify-send failed ({type(error).__name__}); the reminders are printed."
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        return False, f"notify-send failed ({' '.join(why) or done.returncode}); printed instead."
    count = "a follow-up" if len(told) == 1 else f"{len(told)} follow-ups"
    return True, f"Sent a desktop notification for {count}."


def _json(reminder: Reminder, now: datetime) -> dict[str, object]:
    return {
        "case": reminder.case_id,
        "customer": reminder.customer,
        "followup": reminder.followup,
        "due": reminder.due.isoformat(),
        "action": reminder.action,
        "overdue": reminder.overdue(now),
    }


def _text(told: list[Reminder], before: int, within: str, now: datetime, said: str) -> str:
    from workbench.domain.reminders import when_words
    from workbench.domain.text import visible

    if not told:
        lines = [f"Nothing falls due within {within}, and nothing overdue is left unsaid."]
    else:
        noun = "follow-up" if len(told) == 1 else "follow-ups"
        lines = [f"{len(told)} {noun} due within {within} or overdue:"]
        lines += [
            f"  {r.case_id} F{r.followup}  {visible(r.customer)}  {when_words(r, now)}  "
            f"{visible(r.action)}"
            for r in told
        ]
    if before:
        lines.append(f"({before} reminded of before: --again shows them too.)")
    if said:
        lines.append(said)
    return "\n".join(lines)


def register(command: AddCommand) -> None:
    """Adds ``remind``."""
    p = command(
        "remind",
        cmd_remind,
        "follow-ups falling due soon or overdue, each said once (for cron or a timer)",
    )
    p.add_argument(
        "--within",
        default="15m",
        metavar="TIME",
        help="how far ahead to look: 15m, 2h, 1d (default 15m, at most 7d)",
    )
    p.add_argument(
        "--notify",
        action="store_true",
        help="send a desktop notification through notify-send (printed when it is missing)",
    )
    p.add_argument(
        "--again",
        action="store_true",
        help="include follow-ups already reminded of",
    )
