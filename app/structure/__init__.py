"""Outline parsing: a speech's or report's sections (一、/（一）/一是/■ …) with their roles."""

from app.structure.model import REPORT_ROLES, SPEECH_ROLES, SectionNode
from app.structure.outline import flatten, parse_outline
from app.structure.roles import load_cues

__all__ = ["REPORT_ROLES", "SPEECH_ROLES", "SectionNode", "flatten", "load_cues", "parse_outline"]
