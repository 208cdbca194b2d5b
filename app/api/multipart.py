"""Reading a multipart upload without trusting its size: shared by ``POST /documents`` and the corpus page."""

from __future__ import annotations

from collections.abc import Callable

from python_multipart.exceptions import MultipartParseError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.types import Message

MULTIPART_SLACK = 64 * 1024  # boundaries and small fields around a file of exactly max_file_bytes
MAX_FILENAME_CHARS = 255  # the longest file name Windows (NTFS) allows: a longer one never named a real file


def filename_too_long(filename: str | None) -> bool:
    """Whether the name's last path component (the part that is stored) is longer than a real file's can be."""
    return len((filename or "").replace("\\", "/").rsplit("/", 1)[-1]) > MAX_FILENAME_CHARS


def header_too_long(exc: BaseException) -> bool:
    """Whether a failed parse stopped at a part header longer than python-multipart allows (about 4 KB).

    In an upload the header that grows is Content-Disposition, with the file name: this is how a name of
    thousands of characters shows. Starlette's 400 keeps only "Invalid multipart data."; the parser's own
    error survives in the exception chain.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MultipartParseError) and "header size" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def capped_form(
    request: Request, max_file_bytes: int, too_large: Callable[[], Exception], max_fields: int
) -> FormData:
    """Parse the form, stopping as soon as more than ``max_file_bytes`` (+ slack) has arrived.

    Content-Length is checked first but not trusted (it may be absent or wrong): bytes are counted as they
    arrive and ``too_large()`` is raised at the cap. Starlette's HTTPException (a malformed body, too many
    parts) propagates for the caller to answer in its own words.
    """
    cap = max_file_bytes + MULTIPART_SLACK
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large()
    received = 0

    async def capped_receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > cap:
            raise too_large()
        return message

    return await Request(request.scope, capped_receive).form(
        max_files=1, max_fields=max_fields, max_part_size=64 * 1024
    )
