"""What the case list keeps so that 50,000 cases filter as you type and sort as asked.

The text the filter looks in and the sort key are worked out once per version of a case,
the sorted order is kept and a changed case is moved within it, and a filter only walks
that order. Results are kept per filter text: typing one more letter searches only what
the text before it showed, and backspace finds its list again. The screen's case list
draws what this gives; docs/PERFORMANCE.md has what each part saves.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from workbench.domain.model import Case
from workbench.domain.queries import StatusFilter
from workbench.domain.search import SortOrder, search_text, sort_key

KEPT_MATCHES = 64
"""Filter texts whose results are kept (each a list of ids)."""
KEPT_ENTRIES = 6
"""Of those, how many keep their entries beside them (the text being typed and the ones
before it; each up to 400 KB of references at 50,000 cases)."""

WARM_BATCH = 500
"""Search texts worked out at a time in the background (about 4 ms of work)."""
WARM_PAUSE = 0.004


@dataclass(eq=False, slots=True)
class Entry:
    """What the index keeps per version of a case."""

    case: Case
    key: tuple[object, ...]
    _haystack: str | None = None

    @property
    def haystack(self) -> str:
        """The text the filter looks in, worked out the first time a filter needs it."""
        if self._haystack is None:
            self._haystack = search_text(self.case)
        return self._haystack

    @property
    def known_haystack(self) -> str | None:
        """The filter's text if it has been worked out (or handed in), else None; asking
        does not work it out, so background work can be seen to be done or not."""
        return self._haystack


class CaseIndex:
    """Cases by id, kept in a sort order, and the ids that a status filter and a filter
    text admit, in that order.

    ``now`` gives the time sort keys are worked out for. Setting :attr:`status` or
    :attr:`order` drops the results kept; the order itself is sorted again only when
    next asked for.
    """

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self.entries: dict[str, Entry] = {}
        """Every case listed, by id."""
        self._sorted: list[tuple[tuple[object, ...], str]] = []
        self._sorted_by: SortOrder | None = None
        self._status = StatusFilter.OPEN
        self._owner: str | None = None
        self._order = SortOrder.FOLLOWUP
        self.matches: dict[str, list[str]] = {}
        """Ids admitted per filter text (folded: case and accents set aside), in order.
        Emptied whenever a case, the order or the status filter changes in a way that
        could change them."""
        self.match_entries: dict[str, list[Entry]] = {}
        """For the unfiltered list and the last few filter texts: their entries, in the
        same order, so the next letter's search runs down a list of them instead of
        looking each id up (a third of the time at 50,000 cases). Entries are filled in
        place, so whole cases coming in leave these lists right."""

    @property
    def status(self) -> StatusFilter:
        return self._status

    @status.setter
    def status(self, status: StatusFilter) -> None:
        self._status = status
        self.forget_matches()

    @property
    def owner(self) -> str | None:
        """Whose cases are listed: None for everyone's, a name, or "" for no one's."""
        return self._owner

    @owner.setter
    def owner(self, owner: str | None) -> None:
        self._owner = owner
        self.forget_matches()

    @property
    def _admits(self) -> Callable[[Case], bool]:
        """What the status filter and the owner filter both admit."""
        status, owner = self._status.admits, self._owner
        if owner is None:
            return status  # the usual case: one plain call per case
        return lambda case: case.owner == owner and status(case)

    @property
    def order(self) -> SortOrder:
        return self._order

    @order.setter
    def order(self, order: SortOrder) -> None:
        self._order = order
        self.forget_matches()

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self.entries

    def case(self, case_id: str) -> Case:
        return self.entries[case_id].case

    # -- cases in ------------------------------------------------------------------
    def set_cases(self, cases: Iterable[Case]) -> None:
        """These cases in place of any listed before."""
        order = self._order
        key = sort_key(order, self._now())
        self.entries = {case.id: Entry(case, key(case)) for case in cases}
        self._sorted = sorted((entry.key, case_id) for case_id, entry in self.entries.items())
        self._sorted_by = order
        self.forget_matches()

    def warmer(self, between: Callable[[], None] = lambda: None) -> Callable[[], None]:
        """Work that makes the filter's first letter quick: every case's search text.

        Returns a function over the cases listed now, safe to run in a thread while the
        screen goes on (an entry replaced meanwhile just builds its own text later). At
        50,000 cases building the texts takes about 0.4 s; left to the first letter
        typed into the filter, that letter would wait for it. ``between`` runs after each
        batch (the screen waits there while keys are coming in).
        """
        entries = list(self.entries.values())

        def warm() -> None:
            for start in range(0, len(entries), WARM_BATCH):
                for entry in entries[start : start + WARM_BATCH]:
                    entry.haystack  # noqa: B018 (worked out and kept by the property)
                # Let go of the interpreter between batches: a key pressed meanwhile
                # waits a few milliseconds, not for all of it.
                time.sleep(WARM_PAUSE)
                between()

        return warm

    def fill_in(self, cases: Mapping[str, Case], texts: Mapping[str, str] | None = None) -> None:
        """Whole cases in place of their heads (the same versions, so the same places in
        the order). ``texts``: their filter texts, if already worked out (``search_text``).

        Only what the filter looks in grows (the notes). Results kept for filter texts
        stay as the heads gave them (typing stays quick while whole cases come in);
        :meth:`forget_matches`, once all are in, lets the filter search again.
        """
        texts = texts or {}
        for case_id, case in cases.items():
            entry = self.entries.get(case_id)
            if entry is not None:  # filled in place: lists of entries kept stay right
                entry.case = case
                entry._haystack = texts.get(case_id)

    def put(self, case: Case, needle: str) -> bool:
        """Add or replace one case, moving it within the order if its key changed.

        Returns whether it keeps its place among what ``needle`` (folded) shows: it was
        listed, its sort key is the same and the filters admit it before and after (a
        ticked step, usually), so only its row needs drawing again.
        """
        order = self._order
        old = self.entries.get(case.id)
        entry = Entry(case, sort_key(order, self._now())(case))
        self.entries[case.id] = entry
        admits = self._admits
        if not (
            old is not None
            and old.key == entry.key
            and admits(old.case) == admits(case)
            and old.haystack == entry.haystack
        ):  # the kept results may have changed (a ticked step usually changes none)
            self.forget_matches()
        if self._sorted_by is order:
            if old is not None:
                self._unsort(old, case.id)
            if self._sorted_by is order:
                bisect.insort(self._sorted, (entry.key, case.id))
        return (
            old is not None
            and old.key == entry.key
            and self.admits(old, needle)
            and self.admits(entry, needle)
        )

    def remove(self, case_id: str) -> None:
        """Take a case out of the list; nothing if it is not in it."""
        old = self.entries.pop(case_id, None)
        if old is None:
            return
        self.forget_matches()
        if self._sorted_by is self._order:
            self._unsort(old, case_id)

    def _unsort(self, entry: Entry, case_id: str) -> None:
        index = bisect.bisect_left(self._sorted, (entry.key, case_id))
        if index < len(self._sorted) and self._sorted[index][1] == case_id:
            del self._sorted[index]
        else:  # not where it should be: sort again when next asked rather than guess
            self._sorted_by = None

    # -- what the filters admit ------------------------------------------------------
    def admits(self, entry: Entry, needle: str) -> bool:
        """Whether the status filter and ``needle`` (folded) admit this entry's case."""
        return self._admits(entry.case) and (not needle or needle in entry.haystack)

    def others_match(self, needle: str) -> bool:
        """Whether ``needle`` (folded, not empty) matches a case the status filter leaves
        out: asked when a filter shows nothing, to say where the cases went."""
        admits = self._admits
        return any(
            not admits(entry.case) and needle in entry.haystack for entry in self.entries.values()
        )

    def forget_matches(self, *, keep_unfiltered: bool = False) -> None:
        """Drop the results kept, so the next filter searches afresh; ``keep_unfiltered``
        keeps the unfiltered list (cases filled in, not changed, leave it right)."""
        unfiltered = self.matches.get("")
        entries = self.match_entries.get("")
        self.matches.clear()
        self.match_entries.clear()
        if keep_unfiltered and unfiltered is not None:
            self.matches[""] = unfiltered
            if entries is not None:
                self.match_entries[""] = entries

    def _sorted_ids(self) -> list[tuple[tuple[object, ...], str]]:
        order = self._order
        if self._sorted_by is not order:
            key = sort_key(order, self._now())
            for entry in self.entries.values():
                entry.key = key(entry.case)
            self._sorted = sorted((entry.key, case_id) for case_id, entry in self.entries.items())
            self._sorted_by = order
        return self._sorted

    def matching(self, needle: str) -> list[str]:
        """The ids of the cases the filters admit, in order (``needle`` folded, as
        :func:`~workbench.domain.search.needle` gives it). The list returned is kept:
        don't change it."""
        found = self.matches.get(needle)
        if found is not None:
            return found
        if len(self.matches) >= KEPT_MATCHES:
            self.forget_matches(keep_unfiltered=True)
        entries = self.entries
        if not needle:
            admits = self._admits
            ids = [case_id for _, case_id in self._sorted_ids()]
            listed = [entries[case_id] for case_id in ids]
            admitted = [admits(entry.case) for entry in listed]
            found = list(itertools.compress(ids, admitted))
            self._keep_entries("", list(itertools.compress(listed, admitted)))
        else:
            # What a shorter start of this text showed holds everything this one shows.
            start = next(
                (needle[:n] for n in range(len(needle) - 1, 0, -1) if needle[:n] in self.matches),
                "",
            )
            within = self.matching(start)
            kept = self.match_entries.get(start)
            if kept is None:
                kept = [entries[case_id] for case_id in within]
                self._keep_entries(start, kept)
            # _haystack, not the property: a third quicker; a text not worked out yet
            # (None) is worked out by the property.
            hits = [needle in (entry._haystack or entry.haystack) for entry in kept]
            found = list(itertools.compress(within, hits))
            self._keep_entries(needle, list(itertools.compress(kept, hits)))
        self.matches[needle] = found
        return found

    def _keep_entries(self, needle: str, entries: list[Entry]) -> None:
        self.match_entries.pop(needle, None)
        self.match_entries[needle] = entries  # newest last; the unfiltered list stays
        while len(self.match_entries) > KEPT_ENTRIES + 1:
            oldest = next(text for text in self.match_entries if text)
            del self.match_entries[oldest]
