"""The settings are read only from a regular file of a sensible size, and never block.

A named pipe planted at the settings path once hung the workbench and every command; a
device or a huge file was read without bound. Each is now refused with one sentence that
names the path and what stands there.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

import pytest
from helpers.clock import NOW

from workbench.cli import main
from workbench.settings import MAX_FILE_BYTES, Settings, SettingsError, load_settings

T = TypeVar("T")

WAIT_SECONDS = 10.0
"""Far longer than any read takes; a read still going after this is stuck."""


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.toml"


def within_time(call: Callable[[], T], fifo: Path | None = None) -> T:
    """What ``call`` returns or raises, run in a thread; fails if it has not ended in time.

    A read stuck on ``fifo`` is set free by opening the pipe's other end, so the test run
    is not left hanging.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the test's thread below
            failure.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(WAIT_SECONDS)
    if thread.is_alive():
        if fifo is not None:
            with suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(WAIT_SECONDS)
        pytest.fail(f"reading the settings was still waiting after {WAIT_SECONDS:.0f} s")
    if failure:
        raise failure[0]
    return outcome[0]


def refusal(path: Path, fifo: Path | None = None) -> str:
    with pytest.raises(SettingsError) as caught:
        within_time(lambda: load_settings(path, environ={}), fifo)
    assert caught.value.key is None and caught.value.line is None
    return str(caught.value)


def test_a_named_pipe_is_refused_at_once(settings_path: Path) -> None:
    os.mkfifo(settings_path)
    message = refusal(settings_path, fifo=settings_path)
    assert message == (
        f"the settings file {settings_path} can't be used: it is a named pipe (FIFO), "
        "not a settings file.\nNothing was changed."
    )


def test_a_link_to_a_device_is_refused_without_reading_it(settings_path: Path) -> None:
    settings_path.symlink_to(os.devnull)
    message = refusal(settings_path)
    assert str(settings_path) in message
    assert "it is a device, not a settings file." in message


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may make a device node"
)
def test_a_device_node_is_refused(settings_path: Path) -> None:
    try:
        os.mknod(settings_path, 0o600 | 0o020000, os.makedev(1, 3))  # a character device
    except PermissionError:
        pytest.skip("this system does not let even root make a device node")
    message = refusal(settings_path)
    assert f"{settings_path} can't be used: it is a device, not a settings file." in message


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            server.bind(str(path))
        except OSError:
            pytest.skip("the test folder's path is too long for a socket")
        message = refusal(path)
    finally:
        server.close()
    assert f"{path} can't be used: it is a socket, not a settings file." in message


def test_a_link_to_a_folder_is_refused_as_a_folder(tmp_path: Path, settings_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    settings_path.symlink_to(tmp_path / "folder")
    assert "it is a folder, not a file." in refusal(settings_path)


def test_a_huge_file_is_refused_in_words(settings_path: Path) -> None:
    settings_path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    message = refusal(settings_path)
    assert message == (
        f"the settings file {settings_path} can't be used: it is larger than 1 MiB: too big "
        "for a settings file.\nNothing was changed."
    )


def test_a_file_of_exactly_the_limit_is_read(settings_path: Path) -> None:
    line = b'theme = "nord"\n'
    settings_path.write_bytes(line + b"#" * (MAX_FILE_BYTES - len(line) - 1) + b"\n")
    assert load_settings(settings_path, environ={}).theme == "nord"


def test_a_link_to_a_settings_file_is_followed(tmp_path: Path, settings_path: Path) -> None:
    """As for playbooks: the config folder is the user's own, and so are its links."""
    kept = tmp_path / "dotfiles" / "workbench.toml"
    kept.parent.mkdir()
    kept.write_text('theme = "nord"\n', encoding="utf-8")
    settings_path.symlink_to(kept)
    assert load_settings(settings_path, environ={}) == Settings(theme="nord", path=settings_path)


def test_a_link_to_nothing_means_every_default(tmp_path: Path, settings_path: Path) -> None:
    settings_path.symlink_to(tmp_path / "gone.toml")
    assert load_settings(settings_path, environ={}) == Settings(path=settings_path)


def test_a_command_with_a_named_pipe_for_settings_exits_2_with_the_sentence(
    tmp_path: Path,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    os.mkfifo(settings_path)
    monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings_path))
    db = tmp_path / "cases.json"

    def run() -> int:
        try:
            return main(["--db", str(db), "list"], clock=lambda: NOW)
        except SystemExit as exit_:
            return int(exit_.code or 0)

    code = within_time(run, fifo=settings_path)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith(
        f"workbench: the settings file {settings_path} can't be used: it is a named pipe "
        "(FIFO), not a settings file."
    )
    assert "Traceback" not in captured.err
    assert not db.exists()
