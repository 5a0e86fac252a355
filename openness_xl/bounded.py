"""A user's file read within a cap, and its digest read in pieces: never more of it in memory
than the cap, whatever its size claims — a pipe or a device (`/dev/zero`) claims none."""
from __future__ import annotations

from pathlib import Path


def read_at_most(path: Path | str, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than `limit`: at most `limit` + 1 bytes
    are read. The file is opened, not measured first (a pipe's size is 0, and a file may grow
    between the look and the read)."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def sha256_of(path: Path | str) -> str:
    """The file's SHA-256, read in pieces (a records extract may be gigabytes)."""
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def size_over(path: Path | str, limit: int) -> str:
    """How large a file `read_at_most` refused is, for a message: its size, or, where it has
    none to tell (a pipe, a device), "`limit` + 1 and more"."""
    import stat

    status = Path(path).stat()
    if stat.S_ISREG(status.st_mode) and status.st_size > limit:
        return f"{status.st_size:,}"
    return f"{limit + 1:,}+"
