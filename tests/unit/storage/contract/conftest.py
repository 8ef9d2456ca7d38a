"""The contract suite's backends: each test runs once per backend, on two handles of one
store (two agents' workbenches on one file or one server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.contract_backends import BACKENDS, Handles


@pytest.fixture(params=sorted(BACKENDS))
def handles(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handles]:
    first, second = BACKENDS[request.param](tmp_path)
    yield first, second
    first.close()
    second.close()
