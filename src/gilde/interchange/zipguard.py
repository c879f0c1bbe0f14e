"""Reading zip archives (LinkedIn exports, .xlsx files) without letting a zip bomb expand."""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from gilde.interchange.errors import LimitExceeded, UnreadableFile
from gilde.interchange.limits import ImportLimits

_CHUNK = 64 * 1024
# Small members may compress extremely well (a sheet of empty cells) without being a danger;
# the ratio only counts above this size.
_RATIO_FLOOR = 1024 * 1024


@contextmanager
def open_zip(data: bytes, *, filename: str) -> Iterator[zipfile.ZipFile]:
    """Open a zip archive, turning every way it can be damaged into UnreadableFile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(
            "The zip file is damaged and cannot be opened.",
            filename=filename,
            code="bad_zip",
            params={"detail": str(exc)},
        ) from None
    with archive:
        yield archive


def check_declared(archive: zipfile.ZipFile, *, filename: str, limits: ImportLimits) -> None:
    """Refuse an archive whose own directory already admits it expands beyond the limits."""
    compressed = sum(info.compress_size for info in archive.infolist())
    declared = sum(info.file_size for info in archive.infolist())
    _check_expansion(declared, compressed, filename, limits)


def read_member(
    archive: zipfile.ZipFile, name: str, *, filename: str, limits: ImportLimits
) -> bytes:
    """Read one member in chunks, stopping as soon as the real expansion passes the limits
    (the sizes in a zip directory can lie)."""
    info = archive.getinfo(name)
    compressed = max(info.compress_size, 1)
    ratio_ceiling = max(compressed * limits.max_zip_ratio, _RATIO_FLOOR)
    ceiling = min(limits.max_zip_bytes, limits.max_bytes, ratio_ceiling)
    parts: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > ceiling:
                    _check_expansion(total, compressed, filename, limits)
                    raise LimitExceeded(
                        f"{name} in the zip file is larger than {limits.max_bytes:,} bytes.",
                        filename=filename,
                        code="file_too_large",
                        params={"member": name, "limit": limits.max_bytes},
                    )
                parts.append(chunk)
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        zlib.error,
        lzma.LZMAError,
    ) as exc:
        raise UnreadableFile(
            f"{name} in the zip file is damaged and cannot be read.",
            filename=filename,
            code="bad_zip",
            params={"member": name, "detail": str(exc)},
        ) from None
    except RuntimeError as exc:
        # zipfile raises RuntimeError for encrypted members.
        raise UnreadableFile(
            f"{name} in the zip file is password-protected.",
            filename=filename,
            code="bad_zip",
            params={"member": name, "detail": str(exc)},
        ) from None
    return b"".join(parts)


def _check_expansion(expanded: int, compressed: int, filename: str, limits: ImportLimits) -> None:
    over_ratio = expanded > max(compressed * limits.max_zip_ratio, _RATIO_FLOOR)
    if expanded > limits.max_zip_bytes or over_ratio:
        raise LimitExceeded(
            f"The zip file expands to more than {min(expanded, limits.max_zip_bytes):,} bytes "
            f"from {compressed:,}; it looks like a zip bomb and was not read.",
            filename=filename,
            code="zip_bomb",
            params={"expanded": expanded, "compressed": compressed},
        )
