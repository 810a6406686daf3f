"""Where a council's database and the hashing salt live: outside the repository.

By default in a per-user data folder (`platformdirs`), or where `CLA_DASHBOARD_HOME` says;
`--db` on the command line names a database file directly. Both the folder and the salt are
created readable by their owner only. The bundled synthetic database uses a demo salt instead,
which is labelled as such and protects nothing (the data it keys is invented).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs

APP_NAME = "cla-dashboard"
SALT_FILE = "hashing.salt"
DEFAULT_DB = "cla.duckdb"
REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DB = REPO_ROOT / "data" / "synthetic_council.duckdb"

# The bundled synthetic council's key: demo only, never used for a real return.
DEMO_SALT = b"demo salt for the synthetic council only: not secret"


def home() -> Path:
    """The private data folder, created owner-only (0700) if absent."""
    path = Path(os.environ.get("CLA_DASHBOARD_HOME") or platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_db() -> Path:
    return home() / DEFAULT_DB


def salt() -> bytes:
    """The secret salt for keyed hashing of identifiers, created once, owner-only (0600)."""
    path = home() / SALT_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_hex(32).encode())
    return path.read_bytes().strip()
