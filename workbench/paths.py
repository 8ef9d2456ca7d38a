"""Where the workbench keeps things: one place for every path, each overridable.

The database is ``--db PATH``, else ``$WORKBENCH_DB``, else ``workbench.json`` in the
platform's user data directory (``~/.local/share/workbench`` on Linux, following XDG).
Either may instead be a PostgreSQL URL (``postgresql://…``), for a team's shared queue.
User playbooks live in the config directory (``~/.config/workbench/playbooks``), or
``$WORKBENCH_PLAYBOOKS``; settings in ``settings.toml`` there, or ``$WORKBENCH_SETTINGS``;
the bug log in ``bugs.log`` there, or ``$WORKBENCH_BUG_LOG``. Backups sit beside the
database in a ``backups`` folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "workbench"
DB_ENV = "WORKBENCH_DB"
PLAYBOOKS_ENV = "WORKBENCH_PLAYBOOKS"
SETTINGS_ENV = "WORKBENCH_SETTINGS"
SETTINGS_FILENAME = "settings.toml"
BUG_LOG_ENV = "WORKBENCH_BUG_LOG"
BUG_LOG_FILENAME = "bugs.log"
DB_FILENAME = "workbench.json"
SAMPLE_FILENAME = "sample-cases.json"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def sample_db_file() -> Path:
    """The sample cases a newcomer can try from the welcome screen: a file of their own in
    the data folder, never the user's database."""
    return real_db_path(default_data_dir() / SAMPLE_FILENAME)


DATABASE_URL_SCHEMES = ("postgresql://", "postgres://")
"""How a database given by ``--db`` or ``$WORKBENCH_DB`` names a server instead of a file."""


def database_url(explicit: str | os.PathLike[str] | None = None) -> str | None:
    """The PostgreSQL URL that the flag (else the environment) gives; None when the
    database is a file. The flag wins over the environment, whichever kind each names."""
    value = str(explicit).strip() if explicit else os.environ.get(DB_ENV, "").strip()
    return value if is_database_url(value) else None


def is_database_url(value: str) -> bool:
    return value.lower().startswith(DATABASE_URL_SCHEMES)


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file to use: the flag, else the environment, else the data directory,
    with symbolic links resolved (see :func:`real_db_path`)."""
    if explicit:
        return real_db_path(Path(explicit).expanduser())
    from_env = os.environ.get(DB_ENV, "").strip()
    if from_env:
        return real_db_path(Path(from_env).expanduser())
    return real_db_path(default_data_dir() / DB_FILENAME)


def real_db_path(path: Path) -> Path:
    """``path`` with every symbolic link in it resolved, once, when the database is opened.

    The data, the lock, the check note and the backups then all sit beside the real
    file, so two workbenches reaching one file by two paths (one through a link) share
    one lock and one file, and a save never replaces the link with a file of its own.
    """
    return Path(os.path.realpath(path))


def is_default_db(path: Path) -> bool:
    return real_db_path(path) == real_db_path(default_data_dir() / DB_FILENAME)


def ensure_default_data_dir() -> Path:
    """Create the user data directory, readable by its owner only, and return it."""
    folder = default_data_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def undo_journal_file() -> Path:
    """Where the command line writes down its last changes for ``workbench undo``."""
    return default_data_dir() / "undo.json"


def reminded_file() -> Path:
    """Where ``workbench remind`` notes the reminders it gave, so it gives each once."""
    return default_data_dir() / "reminded.json"


def playbooks_dir() -> Path:
    from_env = os.environ.get(PLAYBOOKS_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return config_dir() / "playbooks"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    """The user's settings: ``$WORKBENCH_SETTINGS``, else ``settings.toml`` in the config folder."""
    from_env = os.environ.get(SETTINGS_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return config_dir() / SETTINGS_FILENAME


def bug_log_file() -> Path:
    """Where a bug's details are written down: ``$WORKBENCH_BUG_LOG``, else ``bugs.log`` in
    the settings' folder (the config folder), where a person looks for the workbench's
    own files and nothing else shares it."""
    from_env = os.environ.get(BUG_LOG_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return config_dir() / BUG_LOG_FILENAME


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def styles_dir() -> Path:
    """The TCSS folder: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "styles"
