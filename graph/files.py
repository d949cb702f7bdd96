"""Files written whole or not at all.

Everything dealgraph writes outside a store (``export -o``, ``query -o``, the store marker) goes
through :func:`write_atomically`: the bytes go to a temporary file in the target's folder, are
flushed to disk, and only then take the target's name by rename. A full disk or a kill
leaves the old file as it was (and no temporary file behind on an error).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# What open() gives under the usual umask 022; mkstemp's own 0600 would surprise a user who
# exports a file for others. (Reading the umask means setting it, a race in a threaded app.)
NEW_FILE_MODE = 0o644


def write_atomically(path: str | Path, data: bytes) -> None:
    target = Path(path)
    folder = target.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, NEW_FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Make a rename durable, not only the bytes it moved (a no-op where folders cannot be
    opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
