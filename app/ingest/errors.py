"""The one error type ingestion raises for bad input, with a reason in Chinese and English."""

from __future__ import annotations


class IngestError(Exception):
    """Input that cannot be ingested; ``code`` is stable, ``zh``/``en`` are for people."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.code = code
        self.zh = zh
        self.en = en

    @property
    def reason(self) -> str:
        return f"{self.zh} / {self.en}"
