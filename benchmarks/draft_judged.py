"""Judged drafts (issue 13): what share of the wording a draft offers under a heading is relevant to it.

Method
------
The request set is ``tests/data/draft_judgements/requests.json`` (24 requests a 文明办 writer would make: every
meeting type, in- and off-domain subjects, 会议报道, 繁体, a 15-minute target). Each request has an ``id`` and a
``meeting_type_hint`` that is never sent (the committed request schema has no ``meeting_type``; pass
``--send-meeting-type`` to send it to a version that accepts it).

``dump`` builds a fresh database in a temporary data dir from a corpus folder list — by default the bundled
``corpus/`` plus ``../shared/corpus/dev`` and ``../shared/corpus/dev2/raw`` when present (the issue's setting) —
with the checkout's own ``bigan db upgrade`` and ``bigan ingest --max-seconds 0``, then runs every request
through that checkout (``PYTHONPATH=<checkout> python -m app.cli draft --from-json REQ -f json``, cwd the
checkout) and writes one JSON line per item to judge, OUTSIDE the repo (default ``/tmp/judge/items-<label>.jsonl``):

* ``kind``: ``paragraph`` (a sentence of ``section.paragraph``), ``text`` (a suggestion of kind text: a required
  line), ``stock`` (formulation / formula / idiom / parallel / opener / transition / closer), ``passage``.
  Headings, 换一个 alternatives and ``placeholder`` suggestions are not judged, nor is an item that is nothing
  but 【待补：…】 placeholders and punctuation.
* ``request``, ``path`` (heading texts from the top; an unnumbered block is ``[role]``), ``heading``, ``role``,
  ``level``, ``topic``, ``text``, ``occurrence`` (position in its draft), ``n`` (running number in the file) and
  ``key`` = sha1(request id + U+001F + heading + U+001F + normalised text) — NFKC, whitespace removed. The same
  wording under the same heading of the same request has the same key in every version, so its label carries over.

It also writes one ``{"record": "section", …}`` line per section (``has_paragraph``) for the per-heading check.

Judging follows ``tests/data/draft_judgements/GUIDELINES.md``. Labels live in
``tests/data/draft_judgements/labels.jsonl``, one line per judged key — ``{"key", "relevant", "request", "kind",
"judge", "version"}`` and never the item's text (corpus text must not enter the project). ``view`` prints the
items (all, or only the unlabelled ones) grouped under their headings with a running number; the judge writes a
TSV of ``n<TAB>1|0`` (1 relevant; ``#`` starts a comment) and ``label`` merges it into labels.jsonl (a key judged
again is replaced).

``score`` joins an items file with the labels: relevant share overall, by kind, by request (every occurrence
counts, a repeated line counts each time the writer sees it), the number of unlabelled items — the figure is
valid only when that is 0 — and the share of level ≥ 1 headings that carry a non-empty paragraph.

Commands (from the repo root; ``git worktree add /tmp/bigan-base HEAD`` for the committed version)::

    .venv/bin/python -m benchmarks.draft_judged dump --checkout /tmp/bigan-base --label base
    .venv/bin/python -m benchmarks.draft_judged dump --checkout . --label new
    .venv/bin/python -m benchmarks.draft_judged view /tmp/judge/items-new.jsonl --unlabelled > /tmp/judge/todo-new.txt
    # judge: write /tmp/judge/todo-new.tsv, lines "N<TAB>1" or "N<TAB>0"
    .venv/bin/python -m benchmarks.draft_judged label /tmp/judge/items-new.jsonl /tmp/judge/todo-new.tsv \\
        --judge NAME --version new
    .venv/bin/python -m benchmarks.draft_judged score /tmp/judge/items-new.jsonl

Target: ≥ 80 % of judged items relevant. Base (HEAD 469e2b3, default detail, 56 documents ingested): 1104 items
(1008 stock, 96 text, no paragraph), 33.4 % relevant (stock 29.4 %, text 76.0 %), 42.2 % mean over requests (the
15-minute request alone has 378 items at 14.6 %); 0 % of level ≥ 1 headings have a paragraph.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "tests" / "data" / "draft_judgements"
REQUESTS = DATA / "requests.json"
LABELS = DATA / "labels.jsonl"
OUT_DIR = Path("/tmp/judge")
NOT_SENT = ("id", "meeting_type_hint")
STOCK_KINDS = {"formulation", "formula", "idiom", "parallel", "opener", "transition", "closer"}
_PLACEHOLDER = re.compile(r"【待[补補][：:][^】]*】")
_WORDS = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_SPACE = re.compile(r"\s+")


def default_corpora() -> list[Path]:
    shared = REPO_ROOT.parent / "shared" / "corpus"
    folders = [REPO_ROOT / "corpus", shared / "dev", shared / "dev2" / "raw"]
    return [folder for folder in folders if folder.is_dir()]


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def item_key(request: str, heading: str, text: str) -> str:
    return hashlib.sha1(f"{request}\x1f{heading}\x1f{normalise(text)}".encode()).hexdigest()


def judged(text: str) -> bool:
    """False for an item that is only 【待补：…】 placeholders and punctuation: placeholders are not judged."""
    return bool(_WORDS.search(_PLACEHOLDER.sub("", text)))


def item_kind(suggestion_kind: str) -> str | None:
    if suggestion_kind == "text":
        return "text"
    if suggestion_kind == "passage":
        return "passage"
    if suggestion_kind in STOCK_KINDS:
        return "stock"
    return None  # placeholder (and anything unknown) is not judged


def extract(request_id: str, draft: dict[str, Any]) -> list[dict[str, Any]]:
    """Item and section records of one draft, in reading order."""
    records: list[dict[str, Any]] = []
    occurrence = 0

    def walk(section: dict[str, Any], path: list[str]) -> None:
        nonlocal occurrence
        heading = section.get("heading") or f"[{section.get('role', '')}]"
        here = [*path, heading]
        base = {
            "request": request_id,
            "path": here,
            "heading": heading,
            "role": section.get("role", ""),
            "level": section.get("level", 0),
            "topic": section.get("topic"),
        }
        paragraph = section.get("paragraph") or {}
        sentences = paragraph.get("sentences") or []
        records.append(
            {"record": "section", **base, "has_paragraph": any(judged(s.get("text", "")) for s in sentences)}
        )
        found = [("paragraph", "sentence", s.get("text", "")) for s in sentences]
        for suggestion in section.get("suggestions") or []:
            kind = item_kind(suggestion.get("kind", ""))
            if kind:
                found.append((kind, suggestion["kind"], suggestion.get("text", "")))
        for kind, raw_kind, text in found:
            if not text or not judged(text):
                continue
            occurrence += 1
            records.append(
                {
                    "record": "item",
                    **base,
                    "kind": kind,
                    "suggestion_kind": raw_kind,
                    "text": text,
                    "occurrence": occurrence,
                    "key": item_key(request_id, heading, text),
                }
            )
        for child in section.get("children") or []:
            walk(child, here)

    for section in draft.get("sections") or []:
        walk(section, [])
    return records


def _run(command: list[str], checkout: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)


def dump(args: argparse.Namespace) -> int:
    checkout = Path(args.checkout).resolve()
    out = Path(args.out) if args.out else OUT_DIR / f"items-{args.label}.jsonl"
    if out.resolve().is_relative_to(REPO_ROOT):
        sys.exit(f"write the items outside the repo (they hold corpus text): {out}")
    corpora = [Path(c).resolve() for c in args.corpus] if args.corpus else default_corpora()
    requests = json.loads(Path(args.requests).read_text(encoding="utf-8"))
    python = args.python or sys.executable
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bigan-judge-") as tmp:
        env = {
            **os.environ,
            "BIGAN_DATA_DIR": str(Path(tmp) / "data"),
            "DATABASE_URL": "",
            "PYTHONPATH": str(checkout),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        cli = [python, "-m", "app.cli"]
        for command in (["db", "upgrade"], ["ingest", "--max-seconds", "0", *map(str, corpora)]):
            done = _run([*cli, *command], checkout, env)
            if done.returncode != 0:
                sys.exit(
                    f"{' '.join(command[:2])} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
                )
            tail = done.stdout.strip().splitlines()
            print(f"{command[0]}: {tail[-1] if tail else ''}", file=sys.stderr)
        added = sum(": added #" in line for line in done.stdout.splitlines())
        print(f"corpus: {added} documents from {', '.join(map(str, corpora))}", file=sys.stderr)

        def one(request: dict[str, Any]) -> tuple[str, dict[str, Any] | str]:
            body = {k: v for k, v in request.items() if k not in NOT_SENT}
            if args.send_meeting_type and request.get("meeting_type_hint"):
                body["meeting_type"] = request["meeting_type_hint"]
            if args.detail:
                body["detail"] = args.detail
            path = Path(tmp) / f"{request['id']}.json"
            path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
            done = _run([*cli, "draft", "--from-json", str(path), "-f", "json"], checkout, env)
            if done.returncode != 0:
                return request["id"], f"exit {done.returncode}: {done.stderr.strip()[-500:]}"
            return request["id"], json.loads(done.stdout)

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(one, requests))
    failed = [(rid, result) for rid, result in results if isinstance(result, str)]
    for rid, message in failed:
        print(f"{rid}: FAILED {message}", file=sys.stderr)
    items = sections = 0
    with out.open("w", encoding="utf-8") as handle:
        for rid, result in results:
            if isinstance(result, str):
                continue
            for record in extract(rid, result):
                if record["record"] == "item":
                    items += 1
                    record["n"] = items  # running number over the file: what ``view`` shows, ``label`` reads
                sections += record["record"] == "section"
                handle.write(json.dumps({"version": args.label, **record}, ensure_ascii=False) + "\n")
    print(f"wrote {out}: {items} items, {sections} sections, {len(results) - len(failed)} drafts", file=sys.stderr)
    return 1 if failed else 0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_labels(path: Path) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in read_jsonl(path)}


def _items(path: Path) -> list[dict[str, Any]]:
    return [r for r in read_jsonl(path) if r.get("record") == "item"]


def view(args: argparse.Namespace) -> int:
    """Items under their headings with their running number ``n``, for a judge to read."""
    labels = read_labels(Path(args.labels))
    current: tuple[str, tuple[str, ...]] | None = None
    seen: set[str] = set()
    for item in _items(Path(args.items)):
        if args.unlabelled and item["key"] in labels:
            continue
        if args.request and item["request"] != args.request:
            continue
        where = (item["request"], tuple(item["path"]))
        if where != current:
            current = where
            print(
                f"\n## {item['request']} | {' > '.join(item['path'])}  (role {item['role']}, level {item['level']}"
                f"{', topic ' + item['topic'] if item.get('topic') else ''})"
            )
        again = " (again)" if item["key"] in seen else ""
        seen.add(item["key"])
        mark = ""
        if item["key"] in labels:
            mark = " [+]" if labels[item["key"]]["relevant"] else " [-]"
        print(f"{item['n']:>5} {item['kind']:<9}{item['text']}{again}{mark}")
    return 0


def label(args: argparse.Namespace) -> int:
    """Merge a judge's TSV (``N<TAB>1|0`` by running number, or ``KEY<TAB>1|0``; ``#`` comments) into the labels."""
    by_ref: dict[str, dict[str, Any]] = {}
    for item in _items(Path(args.items)):
        by_ref[str(item["n"])] = item
        by_ref[item["key"]] = item
    labels_path = Path(args.labels)
    labels = read_labels(labels_path)
    changed = 0
    for number, line in enumerate(Path(args.judgements).read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()  # "# …" comments, whole-line or after the value
        if not line:
            continue
        fields = line.split()
        item = by_ref.get(fields[0])
        value = fields[1] if len(fields) > 1 else ""
        if item is None or value not in ("0", "1"):
            sys.exit(f"{args.judgements}:{number}: no such item or value not 0/1: {line!r}")
        labels[item["key"]] = {
            "key": item["key"],
            "relevant": value == "1",
            "request": item["request"],
            "kind": item["kind"],
            "judge": args.judge,
            "version": args.version,
        }
        changed += 1
    rows = sorted(labels.values(), key=lambda r: (r["request"], r["key"]))
    labels_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{changed} labels written; {len(rows)} in {labels_path}", file=sys.stderr)
    return 0


def _share(good: int, total: int) -> str:
    return f"{good / total:6.1%} ({good}/{total})" if total else "     – (0/0)"


def summary(
    items_path: Path, labels_path: Path = LABELS
) -> tuple[dict[str, Any], dict[str, Counter[str]], list[float]]:
    """The relevant share of an items file under the labels: (report, tallies by group, per-request shares)."""
    labels = read_labels(labels_path)
    records = read_jsonl(items_path)
    items = [r for r in records if r.get("record") == "item"]
    sections = [r for r in records if r.get("record") == "section"]
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    unlabelled: list[dict[str, Any]] = []
    for item in items:
        row = labels.get(item["key"])
        if row is None:
            unlabelled.append(item)
            continue
        verdict = "good" if row["relevant"] else "bad"
        for group in ("all", f"kind {item['kind']}", f"request {item['request']}", f"role {item['role']}"):
            tally[group][verdict] += 1
    per_request = [c["good"] / (c["good"] + c["bad"]) for g, c in tally.items() if g.startswith("request ")]
    headed = [s for s in sections if s["level"] >= 1]
    with_paragraph = sum(s["has_paragraph"] for s in headed)
    report: dict[str, Any] = {
        "items": len(items),
        "unique_keys": len({i["key"] for i in items}),
        "unlabelled": len(unlabelled),
        "valid": not unlabelled,
        "relevant": {g: [c["good"], c["good"] + c["bad"]] for g, c in sorted(tally.items())},
        "mean_over_requests": sum(per_request) / len(per_request) if per_request else None,
        "headings_level1plus": len(headed),
        "headings_with_paragraph": with_paragraph,
    }
    return report, tally, per_request


def score(args: argparse.Namespace) -> int:
    report, tally, per_request = summary(Path(args.items), Path(args.labels))
    unlabelled, with_paragraph = report["unlabelled"], report["headings_with_paragraph"]
    headed_count = report["headings_level1plus"]
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0 if report["valid"] else 1
    all_ = tally["all"]
    print(
        f"items {report['items']} ({report['unique_keys']} distinct) · unlabelled {unlabelled}"
        f"{'' if unlabelled else ' · figure valid'}"
    )
    print(f"relevant overall      {_share(all_['good'], all_['good'] + all_['bad'])}   target ≥ 80 %")
    if per_request:
        print(f"mean over requests    {sum(per_request) / len(per_request):6.1%}  (each request weighs the same)")
    for prefix in ("kind", "role", "request"):
        print(f"\nby {prefix}")
        for group in sorted(g for g in tally if g.startswith(prefix + " ")):
            c = tally[group]
            print(f"  {group[len(prefix) + 1 :]:<28}{_share(c['good'], c['good'] + c['bad'])}")
    print(f"\nheadings (level ≥ 1) with a paragraph  {_share(with_paragraph, headed_count)}")
    if unlabelled:
        print(
            f"\nNOT VALID: {unlabelled} items have no label — "
            f"run: view {args.items} --unlabelled, judge them, then label"
        )
    return 0 if not unlabelled else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.draft_judged", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dump", help="draft every request with a checkout and write the items to judge")
    p.add_argument("--checkout", required=True, help="a checkout of the repo (e.g. a worktree of HEAD, or .)")
    p.add_argument("--label", required=True, help="version label: base, new …")
    p.add_argument("--out", help="items file (default /tmp/judge/items-<label>.jsonl; must be outside the repo)")
    p.add_argument("--corpus", nargs="*", help="corpus folders (default: corpus/ + ../shared/corpus/dev, dev2/raw)")
    p.add_argument("--requests", default=str(REQUESTS))
    p.add_argument("--python", help="interpreter (default: this one)")
    p.add_argument("--detail", help="send this detail value (default: none sent, the version's own default)")
    p.add_argument("--send-meeting-type", action="store_true", help="send meeting_type_hint as meeting_type")
    p.add_argument("--jobs", type=int, default=4)
    p.set_defaults(run=dump)
    p = sub.add_parser("view", help="print items under their headings, numbered, for judging")
    p.add_argument("items")
    p.add_argument("--labels", default=str(LABELS))
    p.add_argument("--unlabelled", action="store_true", help="only items with no label yet")
    p.add_argument("--request", help="only this request id")
    p.set_defaults(run=view)
    p = sub.add_parser("label", help="merge a judge's TSV (N<TAB>1|0) into labels.jsonl")
    p.add_argument("items")
    p.add_argument("judgements")
    p.add_argument("--judge", required=True)
    p.add_argument("--version", required=True, choices=("base", "new"))
    p.add_argument("--labels", default=str(LABELS))
    p.set_defaults(run=label)
    p = sub.add_parser("score", help="relevant share of an items file under the labels")
    p.add_argument("items")
    p.add_argument("--labels", default=str(LABELS))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=score)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
