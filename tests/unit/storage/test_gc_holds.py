"""The cycle collector is held off while many objects are built, by several threads at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from workbench.storage.records import no_gc_pauses


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_back_on_only_when_the_last_hold_ends() -> None:
    # Two threads' holds interleaved: A takes, B takes, A lets go, B lets go.
    a, b = ExitStack(), ExitStack()
    a.enter_context(no_gc_pauses())
    b.enter_context(no_gc_pauses())
    assert not gc.isenabled()
    a.close()
    assert not gc.isenabled()  # B is still building
    b.close()
    assert gc.isenabled()


def test_left_off_if_it_was_off() -> None:
    gc.disable()
    with no_gc_pauses():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_back_on_after_an_error() -> None:
    with pytest.raises(RuntimeError), no_gc_pauses():
        raise RuntimeError("boom")
    assert gc.isenabled()
