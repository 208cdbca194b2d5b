"""One reading of a date for every input: the draft request, ``/search``, the CLI and the web forms.

A date is the string ``YYYY-MM-DD`` naming a real calendar day; a search bound may also stop at ``YYYY`` or
``YYYY-MM``. Nothing else is a date: not a number (pydantic's lax mode reads ``0`` as 1970-01-01), not a
datetime, not ``2026-3-5`` and not ``2026年3月5日``. One spelling keeps the API, the CLI and the form in step,
the browser's date box sends it, and the error can say exactly what to send. (Dates found *in* documents
are read elsewhere, leniently: this is only for what a user asks for.)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

DATE_ERROR = "bad_date"  # the pydantic error type and the API error code of every refused date
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_PREFIX_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
# ASCII digits only (int() would also read ２０２６); fullmatch, so "2026-03-05\n" is refused too.
_DATE = re.compile(DATE_PATTERN)
_DATE_PREFIX = re.compile(DATE_PREFIX_PATTERN)
_ECHO_CHARS = 20  # how much of a refused value a message repeats
DATE_FORMAT_MESSAGE = "日期格式应为 YYYY-MM-DD，例如 2026-03-05 / a date must be YYYY-MM-DD, e.g. 2026-03-05"
DATE_PREFIX_FORMAT_MESSAGE = (
    "日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD，例如 2026-03 / a date must be YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2026-03"
)


class DateError(ValueError):
    """A refused date, with the API code and a "中文 / English" message."""

    code = DATE_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_date(text: str) -> dt.date:
    """The day ``YYYY-MM-DD`` names; ``DateError`` for any other spelling or a day the calendar lacks."""
    if not _DATE.fullmatch(text):
        raise DateError(DATE_FORMAT_MESSAGE)
    return _on_calendar(text)


def check_date_prefix(text: str) -> str:
    """``text`` if it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` of a real year, month or day; else ``DateError``."""
    if not _DATE_PREFIX.fullmatch(text):
        raise DateError(DATE_PREFIX_FORMAT_MESSAGE)
    _on_calendar(text)
    return text


def _on_calendar(text: str) -> dt.date:
    """The first day ``text`` (already the right shape) can mean: the calendar refuses 2026-02-29, month 13, year 0."""
    year, month, day = ([int(part) for part in text.split("-")] + [1, 1])[:3]
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        shown = text[:_ECHO_CHARS]
        raise DateError(f"日期不存在：{shown} / no such date: {shown}") from error


def _refuse(error: DateError) -> PydanticCustomError:
    # The message goes in as context, not as the template, so braces in a user's value stay literal.
    return PydanticCustomError(DATE_ERROR, "{message}", {"message": error.message})


def _to_date(value: object) -> dt.date:
    if type(value) is dt.date:  # a caller in Python; a datetime (a date subclass) is not a day
        return value
    try:
        if not isinstance(value, str):
            raise DateError(DATE_FORMAT_MESSAGE)
        return parse_date(value)
    except DateError as error:
        raise _refuse(error) from error


def _to_date_prefix(value: object) -> str:
    try:
        if not isinstance(value, str):
            raise DateError(DATE_PREFIX_FORMAT_MESSAGE)
        return check_date_prefix(value)
    except DateError as error:
        raise _refuse(error) from error


# A day, as every schema and route takes one: ``date: Date | None = None``.
Date = Annotated[
    dt.date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
# A search bound: a year, a month or a day (``since=2025`` means from 2025-01-01 on), kept as its text.
DatePrefix = Annotated[
    str,
    BeforeValidator(_to_date_prefix),
    WithJsonSchema({"type": "string", "pattern": DATE_PREFIX_PATTERN}),
]
