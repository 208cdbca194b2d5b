"""Traditional-script output through OpenCC, structure untouched.

``s2tw`` rather than ``s2t``: OpenCC's s2t writes dictionary-standard glyphs (剛纔, 羣衆, 爲) that readers
rarely see; s2tw gives the everyday forms (剛才, 群眾, 為) without rewording mainland terms.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import opencc

from app.compose.model import Draft

# Machine-readable fields stay as they are: roles, kinds and the like are identifiers, not prose.
_KEEP = {"role", "kind", "doc_type", "script", "skeleton", "skeleton_source", "lead"}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    return _converter().convert(text) if text else text


def _convert(value: Any, key: str = "") -> Any:
    if key in _KEEP:
        return value
    if isinstance(value, str):
        return to_traditional(value)
    if isinstance(value, (list, tuple)):
        return [_convert(v) for v in value]
    if isinstance(value, dict):
        return {k: _convert(v, k) for k, v in value.items()}
    return value


def to_script(draft: Draft, script: str) -> Draft:
    if script != "traditional":
        return draft
    data = _convert(draft.model_dump())
    data["script"] = "traditional"
    return Draft.model_validate(data)
