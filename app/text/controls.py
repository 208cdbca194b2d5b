"""Characters no stored or exported text may carry: control characters, Unicode non-characters, lone surrogates.

Why they go: PostgreSQL refuses NUL in a text column (an upload would answer 500), and XML — so every .docx —
refuses C0 controls, U+FFFE/U+FFFF and surrogates (python-docx: "All strings must be XML compatible"), so one
stored document carrying ``&#1;`` broke every later draft that quoted it. None of them is text a writer typed:
they are decoding debris, binary fragments and markup that spelled out a code point.

Ingestion removes them once, at the read edge every format passes through (``app.ingest.read.formats``), and
counts them for the ingest report; the renderers remove them again (``without_controls``), so a row stored
before this existed cannot break an export either.

Line-ending characters are not debris: ``\\r\\n``, ``\\r``, vertical tab (Word's manual line break), form feed
(a page break), NEL and the Unicode line/paragraph separators all become ``\\n`` — a break is kept, never lost,
and a conversion is not counted as a removal. Tab stays.
"""

from __future__ import annotations

import re

_LINE_BREAK_RE = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")


def _removed_class() -> str:
    """The character class of what goes, spelled from code-point ranges so each group is named once."""
    ranges = [
        (0x00, 0x08),  # the C0 controls but tab and newline (the line breaks among them are converted first)
        (0x0B, 0x1F),
        (0x7F, 0x9F),  # DEL and the C1 controls
        (0xD800, 0xDFFF),  # surrogates: in a str only ever lone ones (a decoder's surrogateescape, a bad entity)
        (0xFDD0, 0xFDEF),  # the non-character block of Arabic Presentation Forms-A
    ]
    ranges += [(plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)]  # U+FFFE … U+10FFFF
    return "[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]"


_REMOVED_RE = re.compile(_removed_class())


def normalise_controls(text: str) -> tuple[str, int]:
    """Line breaks unified to ``\\n``, then control characters, non-characters and lone surrogates removed; the
    text and how many characters were removed.

    >>> normalise_controls("一、总体要求\\r\\n坚持\\x00稳中求进\\ufffe。\\f二、")
    ('一、总体要求\\n坚持稳中求进。\\n二、', 2)
    """
    return _REMOVED_RE.subn("", _LINE_BREAK_RE.sub("\n", text))


def without_controls(text: str) -> str:
    """``normalise_controls`` without the count: what a renderer applies to its output before it is written."""
    return normalise_controls(text)[0]
