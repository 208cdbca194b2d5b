"""Reading a multipart upload without trusting its size: shared by ``POST /documents`` and the corpus page."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.types import Message

MULTIPART_SLACK = 64 * 1024  # boundaries and small fields around a file of exactly max_file_bytes


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
