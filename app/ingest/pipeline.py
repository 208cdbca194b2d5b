"""The pure core of ingestion: a decoded file in, a fully prepared document out (no I/O)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from app.ingest.clean.document import clean_text
from app.ingest.clean.repair import Repair
from app.ingest.clean.tail import trim_tail
from app.ingest.dedupe import fingerprint
from app.ingest.describe.metadata import Metadata, extract_metadata
from app.ingest.describe.truncation import truncation
from app.ingest.errors import IngestError
from app.ingest.read.formats import RawDoc
from app.structure import SectionNode, flatten, parse_outline
from app.text.normalise import CJK_RE, to_simplified

MIN_BODY_CJK = 10
PASSAGE_TARGET_CHARS = 300  # a passage is about one paragraph; long run-on pages are cut at sentences

_SENTENCE_END_RE = re.compile(r"(?<=[。！？；!?;])")


@dataclass(frozen=True)
class PreparedSection:
    ordinal: int
    level: int
    marker: str
    heading: str
    heading_path: str
    role: str


@dataclass(frozen=True)
class PreparedPassage:
    ordinal: int
    section_ordinal: int
    role: str
    text: str


@dataclass(frozen=True)
class PreparedDocument:
    raw: RawDoc
    metadata: Metadata
    display_text: str  # title + cleaned body, original script
    text: str  # cleaned body, simplified
    sha256: str
    fingerprint: list[int]
    outline: tuple[SectionNode, ...]
    sections: tuple[PreparedSection, ...]
    passages: tuple[PreparedPassage, ...]
    truncated: str | None = None  # why this copy is only part of the document (``cutoff: 阅读全文``), or None
    repairs: tuple[Repair, ...] = ()  # lost marks put back, mojibake re-decoded or flagged

    def notes(self) -> tuple[str, ...]:
        """What the ingest report says of this copy besides its id: ``truncated (cutoff: 阅读全文)``,
        ``repaired: 2 title_marks, 1 mojibake``, ``mojibake left: …``."""
        notes = [f"truncated ({self.truncated})"] if self.truncated else []
        counts = Counter(r.rule for r in self.repairs if r.rule != "mojibake_flagged")
        if counts:
            notes.append("repaired: " + ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items())))
        notes += [f"mojibake left: {r.before}" for r in self.repairs if r.rule == "mojibake_flagged"][:3]
        return tuple(notes)


def prepare(raw: RawDoc) -> PreparedDocument:
    """Clean, describe and outline one decoded document; raise IngestError if nothing usable is left."""
    cleaned = clean_text(raw.text)
    title_style = next((text for text, level in raw.headings if level == 0), None)
    metadata = extract_metadata(cleaned, title_style)
    # What is shown and analysed is the title plus the body: anything above the title or between it and
    # the first paragraph is page furniture, and so is anything after the last sentence but a sign-off.
    body_lines, furniture = trim_tail([line for line in metadata.body.split("\n") if line.strip()])
    display_body = "\n".join(body_lines)
    body = to_simplified(display_body).strip()
    if len(CJK_RE.findall(body)) < MIN_BODY_CJK:
        raise IngestError(
            "no_content",
            "清理后没有可用的中文正文（可能只有网页导航或广告）",
            "nothing but page chrome or ads was left after cleaning",
        )
    # the file's own heading styles, simplified like the body they are matched against (level 0, the title, is
    # not a section)
    hints = tuple((to_simplified(text), level) for text, level in raw.headings if level >= 1)
    outline = parse_outline(body, metadata.kind, printed=display_body.strip(), headings=hints)
    sections, passages = _rows(outline)
    return PreparedDocument(
        raw=raw,
        metadata=metadata,
        display_text=f"{metadata.title}\n{display_body}" if metadata.title else display_body,
        text=body,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        fingerprint=fingerprint(body),
        outline=outline,
        sections=sections,
        passages=passages,
        repairs=cleaned.repairs,
        truncated=truncation(metadata.title, display_body, [*(r.text for r in cleaned.removals), *furniture], outline),
    )


def _rows(outline: tuple[SectionNode, ...]) -> tuple[tuple[PreparedSection, ...], tuple[PreparedPassage, ...]]:
    sections: list[PreparedSection] = []
    passages: list[PreparedPassage] = []
    for ordinal, (node, path) in enumerate(flatten(outline)):
        sections.append(
            PreparedSection(ordinal, node.level, node.marker, node.heading, " / ".join(p for p in path if p), node.role)
        )
        for paragraph in node.paragraphs:
            for chunk in split_passages(paragraph):
                passages.append(PreparedPassage(len(passages), ordinal, node.role, chunk))
    return tuple(sections), tuple(passages)


def split_passages(paragraph: str, target: int = PASSAGE_TARGET_CHARS) -> list[str]:
    """Cut an over-long paragraph at sentence ends into chunks of about ``target`` characters.

    A scraped page often arrives as one 1 000-character paragraph; the retriever wants units a
    writer can lift, so ``甲。乙。丙。`` longer than the target becomes ``甲。乙。`` + ``丙。``.
    """
    paragraph = paragraph.strip()
    if len(paragraph) <= target * 1.5:
        return [paragraph] if paragraph else []
    chunks: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END_RE.split(paragraph) if s):
        if current and len(current) + len(sentence) > target:
            chunks.append(current)
            current = ""
        current += sentence
    if current:
        # a short tail reads better attached to the chunk before it
        if chunks and len(current) < target // 3:
            chunks[-1] += current
        else:
            chunks.append(current)
    return chunks
