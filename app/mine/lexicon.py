"""The hand-maintained lexicons under ``phrasebank/``, read once per directory.

Every file is plain text, one entry per line, ``#`` comments; see the header of each file for its format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.text.tokenize import DEFAULT_LEXICON_DIR, Tokenizer, lexicon_lines


@dataclass(frozen=True)
class Lexicon:
    fixed_terms: tuple[str, ...]  # longest first
    protected_names: frozenset[str]  # 习近平: never a {人名}
    formulas: dict[str, tuple[str, ...]]  # 四个自信 → (道路自信, …); empty tuple when unknown
    stop_clauses: frozenset[str]  # exact formulations never reported
    stop_patterns: tuple[re.Pattern[str], ...]
    noise_words: tuple[str, ...]
    connectives: tuple[str, ...]  # longest first
    subjects: tuple[str, ...]
    surnames: frozenset[str]
    places: dict[str, str]  # surface form → kind (city, county, province, region …)
    orgs_slot: tuple[str, ...]  # longest first
    orgs_keep: frozenset[str]
    not_idioms: frozenset[str]  # four-character terms a writer would not call 成语/惯用语
    noise_re: re.Pattern[str] | None  # any noise word

    def is_noise(self, text: str) -> bool:
        """Chrome or spun wording: ``…如产生版权问题…``, ``效劳群众`` contain a noise word."""
        return bool(self.noise_re and self.noise_re.search(text))


def _places(lexicon_dir: Path) -> dict[str, str]:
    """Surface forms of places: ``大连``/``大连市`` (city), ``庄河市`` (county_city), ``辽宁``/``辽宁省``."""
    forms: dict[str, str] = {}
    for fields in lexicon_lines(lexicon_dir / "gazetteer_places.txt"):
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == "county":
            forms[name] = kind
        elif kind in ("county_city", "city!"):
            forms[name + "市"] = kind
        else:
            forms[name] = kind
            forms[name + "市"] = kind
    for fields in lexicon_lines(lexicon_dir / "gazetteer_regions.txt"):
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        forms[name] = kind
        if kind == "province":
            forms[name + "省"] = kind
            forms[name + "市"] = kind
    return forms


@lru_cache(maxsize=8)
def load_lexicon(lexicon_dir: Path | None = None) -> Lexicon:
    """All lexicons of ``lexicon_dir`` (default ``phrasebank/``)."""
    root = (lexicon_dir or DEFAULT_LEXICON_DIR).resolve()
    fixed, names = [], set()
    for fields in lexicon_lines(root / "fixed_terms.txt"):
        if len(fields) > 1 and fields[1] == "name":
            names.add(fields[0])
        else:
            fixed.append(fields[0])
    formulas: dict[str, tuple[str, ...]] = {}
    for fields in lexicon_lines(root / "formulas.txt"):
        items = tuple(i.strip() for i in fields[1].split("；") if i.strip()) if len(fields) > 1 else ()
        formulas[fields[0]] = items
    stops, patterns = set(), []
    for fields in lexicon_lines(root / "stop_clauses.txt"):
        if fields[0].startswith("re:"):
            patterns.append(re.compile(fields[0][3:]))
        else:
            stops.add(fields[0])
    connectives, subjects = [], []
    for fields in lexicon_lines(root / "connectives.txt"):
        (subjects if len(fields) > 1 and fields[1] == "subject" else connectives).append(fields[0])
    orgs_slot, orgs_keep = [], set()
    for fields in lexicon_lines(root / "gazetteer_orgs.txt"):
        if len(fields) > 1 and fields[1] == "keep":
            orgs_keep.add(fields[0])
        else:
            orgs_slot.append(fields[0])
    noise = sorted({f[0] for f in lexicon_lines(root / "noise_words.txt")})
    return Lexicon(
        fixed_terms=tuple(sorted(set(fixed), key=lambda t: (-len(t), t))),
        protected_names=frozenset(names),
        formulas=formulas,
        stop_clauses=frozenset(stops),
        stop_patterns=tuple(patterns),
        noise_words=tuple(noise),
        connectives=tuple(sorted(set(connectives), key=lambda t: (-len(t), t))),
        subjects=tuple(sorted(set(subjects), key=lambda t: (-len(t), t))),
        surnames=frozenset(f[0] for f in lexicon_lines(root / "surnames.txt")),
        places=_places(root),
        orgs_slot=tuple(sorted(set(orgs_slot), key=lambda t: (-len(t), t))),
        orgs_keep=frozenset(orgs_keep),
        not_idioms=frozenset(f[0] for f in lexicon_lines(root / "not_idioms.txt")),
        noise_re=re.compile("|".join(re.escape(w) for w in noise)) if noise else None,
    )


@lru_cache(maxsize=8)
def shared_tokenizer(lexicon_dir: Path | None = None) -> Tokenizer:
    """One Tokenizer per lexicon directory for the whole process (building one costs ~0.3 s)."""
    return Tokenizer(lexicon_dir)
