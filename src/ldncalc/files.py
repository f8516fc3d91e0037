"""Writing files safely: atomically, and never over a file without leave.

The text goes to a temporary file in the target's folder, is flushed to disk,
then takes the target's name in one step. Without ``force`` the last step is
a hard link, which fails if the name exists, so even a file that appears
meanwhile is never replaced. On any failure the temporary file is removed and
an existing target is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ldncalc.errors import OutputFileError

__all__ = ["write_text_atomic"]


def write_text_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path written.

    Raises:
        OutputFileError: the file exists and ``force`` is false, or it cannot be written.
    """
    target = Path(path)
    if not force and (target.exists() or target.is_symlink()):
        raise OutputFileError(f"{target} exists; add --force to replace it")
    folder = target.parent
    if not folder.is_dir():
        raise OutputFileError(f"cannot write {target}: the folder {folder} does not exist")
    if target.is_dir():
        raise OutputFileError(f"cannot write {target}: it is a folder")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        if force:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    except FileExistsError as exc:
        raise OutputFileError(f"{target} exists; add --force to replace it") from exc
    except OSError as exc:
        raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
