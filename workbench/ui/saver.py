"""Saving off the UI's path: one background thread applies changes to the store in order.

The screen applies a change to its own copy at once and hands the same change here. A
change that fails to save (full disk, lock held too long) stays at the head of the queue
and is retried, with growing pauses, until it succeeds; nothing is dropped. Changes
that wait together are saved together, in one write of the file. A change
that the rules now refuse (another process closed the case meanwhile) is reported and
dropped, since retrying cannot help.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from workbench.buglog import record_bug
from workbench.domain.actions import DomainError
from workbench.domain.customers import Customer
from workbench.domain.model import Case
from workbench.storage import CaseNotFound, CaseRepository, ChangeRefused, StoreError

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0)
MAX_BATCH = 200
"""Changes waiting together are saved in one write of the file (a burst of keys costs one)."""


class SaveBug(Exception):
    """A change that failed inside the workbench (not a rule, not the disk): dropped with
    this sentence, the other changes saved as usual. The details (a traceback, which may
    quote the case) go to the bug log, never to the screen."""

    def __init__(self, error: Exception) -> None:
        log = record_bug(error, "saver", datetime.now().astimezone())
        where = f"the details are in {log}" if log else "the bug log could not be written"
        super().__init__(
            f"something went wrong inside the workbench ({type(error).__name__}); this "
            f"change was not saved; {where}"
        )
        self.error = error
        self.log = log


@dataclass(frozen=True)
class Change:
    """One unit of work for the store: ``run`` makes it and returns the saved case (or
    customer's record)."""

    label: str
    run: Callable[[CaseRepository], Case | Customer]
    notices: list[str] = field(default_factory=list)
    """Sentences ``run`` leaves for the person who made the change (a text changed
    elsewhere meanwhile whose two versions are both kept); shown once it is saved."""


@dataclass(frozen=True)
class SaverEvents:
    """Called from the saver's thread; the app marshals them onto the UI thread."""

    saved: Callable[[Change, Case | Customer], None]
    failed: Callable[[Change, StoreError, float], None]
    rejected: Callable[[Change, Exception], None]
    idle: Callable[[], None]


class Saver:
    """Saves changes in order on its own thread.

    ``settle``: seconds without a new change before a write starts (at most ``settle_limit``
    after the first change waiting). Writing the file holds the interpreter for a tenth of
    a second at 10,000 cases; started at once, it would hold up the very frame that shows
    the change, and the next key. Waiting for the keys to settle lets the screen answer
    first, and a burst of changes makes one write. 0 writes at once.
    """

    def __init__(
        self,
        store: CaseRepository,
        events: SaverEvents,
        *,
        settle: float = 0.0,
        settle_limit: float = 0.5,
    ) -> None:
        self.store = store
        self.events = events
        self.settle = settle
        self.settle_limit = settle_limit
        self._queue: deque[Change] = deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._busy = False
        self._hurry = False  # someone waits for the saves (quitting): write without settling
        self._first_waiting = 0.0  # when the oldest change still waiting was submitted
        self._thread = threading.Thread(target=self._loop, name="workbench-saver", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        with self._wake:
            return len(self._queue)  # the change being saved stays at the head until done

    @property
    def writing(self) -> bool:
        """True while a save is being written (not while changes wait to settle)."""
        with self._wake:
            return self._busy

    def submit(self, change: Change) -> None:
        with self._wake:
            if not self._queue:
                self._first_waiting = time.monotonic()
            self._queue.append(change)
            self._wake.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until every change is saved or ``timeout`` passes; True when all saved."""
        with self._wake:
            self._hurry = True
            self._wake.notify_all()
            try:
                return self._wake.wait_for(lambda: not self._queue and not self._busy, timeout)
            finally:
                self._hurry = False

    def wait_not_writing(self, timeout: float) -> bool:
        """Block while a save is being written (not while changes wait to settle), at
        most ``timeout``: for background work that should keep out of a write's way
        without holding it up or bringing it forward. True if no write is under way."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._busy, timeout)

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        failures = 0
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._queue or self._stopping)
                if self._stopping and not self._queue:
                    return
                self._let_settle()
                batch = list(itertools.islice(self._queue, MAX_BATCH))
                self._busy = True
            outcomes: list[tuple[Change, Case | Customer | None, Exception | None]] = []
            try:
                with self.store.batch():
                    for change in batch:
                        try:
                            outcomes.append((change, change.run(self.store), None))
                        except (CaseNotFound, ChangeRefused) as error:
                            # gone from the file, or past its bounds: retrying can't help
                            outcomes.append((change, None, error))
                        except StoreError:
                            raise
                        except DomainError as error:  # the rules, on the freshest case
                            outcomes.append((change, None, error))
                        except Exception as error:  # a bug: never read as a conflict
                            outcomes.append((change, None, SaveBug(error)))
            except StoreError as error:
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                self._finish(done=0)
                self.events.failed(batch[0], error, delay)
                with self._wake:
                    if self._stopping:
                        return
                    self._wake.wait(delay)
                continue
            failures = 0
            self._finish(done=len(batch))
            # Several changes to one case in a batch: each report carries the case as the
            # batch left it, so the screen never goes back to a state in between.
            latest = {case.id: case for _, case, _ in outcomes if isinstance(case, Case)}
            for change, case, refusal in outcomes:
                if isinstance(case, Case):
                    case = latest[case.id]
                if refusal is not None:
                    self.events.rejected(change, refusal)
                elif case is not None:
                    self.events.saved(change, case)
            if not self.pending:
                self.events.idle()

    def _let_settle(self) -> None:
        """Wait (holding ``_wake``) until no change has come for ``settle`` seconds, at most
        ``settle_limit`` after the oldest waiting change came, and not while someone waits
        for the saves to finish."""
        if self.settle <= 0:
            return
        deadline = self._first_waiting + self.settle_limit
        seen = len(self._queue)
        while not (self._stopping or self._hurry):
            remaining = min(self.settle, deadline - time.monotonic())
            if remaining <= 0:
                return
            self._wake.wait(remaining)  # a new change or stop() wake it early
            if len(self._queue) == seen:
                return
            seen = len(self._queue)

    def _finish(self, *, done: int) -> None:
        with self._wake:
            for _ in range(done):
                self._queue.popleft()
            self._busy = False
            self._wake.notify_all()
