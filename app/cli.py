"""The ``bigan`` command line: parse arguments, call the pipeline, print results."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from app.cli_draft import draft as draft_command
from app.config import Settings
from app.phrasebank.ranking import DEFAULT_SORT, SORT_HELP, PhraseSort

app = typer.Typer(
    help="笔杆 Bigan — 从本单位历年文稿中学习的起草助手 / a drafting assistant learned from your own documents.",
    no_args_is_help=True,
    add_completion=False,
)
documents_app = typer.Typer(help="查看和管理已入库文档 / list, show and remove stored documents.", no_args_is_help=True)
db_app = typer.Typer(help="数据库结构迁移 / database schema migrations (Alembic).", no_args_is_help=True)
phrasebank_app = typer.Typer(help="套话库快照 / phrase-bank snapshots for review.", no_args_is_help=True)
app.add_typer(documents_app, name="documents")
app.add_typer(db_app, name="db")
app.add_typer(phrasebank_app, name="phrasebank")


def _factory(settings: Settings):  # type: ignore[no-untyped-def]
    from app.db import make_engine, make_session_factory

    return make_session_factory(make_engine(settings))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from app.migrate import current_revision, upgrade

    settings = Settings()
    upgrade(settings, revision)
    typer.echo(f"database at revision {current_revision(settings)} ({settings.resolved_database_url.split('://')[0]})")


@db_app.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    from app.migrate import current_revision

    typer.echo(current_revision(Settings()) or "empty (run: bigan db upgrade)")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing when the database has documents.")] = False,
    max_seconds: Annotated[
        float | None,
        typer.Option(
            "--max-seconds",
            min=0,
            help="Time limit for parsing each file, in a child process that is killed when it runs over "
            "(default: BIGAN_MAX_INGEST_SECONDS, 60). 0: parse in this process without a limit — faster, "
            "for trusted files only.",
        ),
    ] = None,
    ocr: Annotated[
        bool | None,
        typer.Option(
            "--ocr/--no-ocr",
            help="Read scanned PDF pages by OCR (Tesseract; each scanned page adds BIGAN_MAX_OCR_PAGE_SECONDS to the "
            "file's time limit). Default: on when Tesseract is installed (BIGAN_OCR).",
        ),
    ] = None,
) -> None:
    """Ingest files: one line per file — added #id, duplicate of #id, or rejected: reason — then a summary by
    format. Folders are read recursively: .txt .md .html .docx .pdf, and .doc .wps .odt .rtf through LibreOffice.

    Each file is parsed in a child process killed after --max-seconds (rejected: parse_timeout), as uploads are.
    """
    from dataclasses import replace

    from app.ingest.isolate import IsolatedParser
    from app.ingest.read.ocr import missing_packages

    settings = Settings()
    limit = settings.max_ingest_seconds if max_seconds is None else max_seconds
    if ocr and (missing := missing_packages(settings.ocr_languages)):
        typer.echo(f"--ocr 需要先安装 / --ocr needs: apt-get install {' '.join(missing)}", err=True)
        raise typer.Exit(code=2)
    # 0: no child process and no limit. Otherwise one child parses file after file (see app.ingest.isolate);
    # entering the parser first lets its process start while the database is set up.
    with IsolatedParser(limit) if limit else nullcontext() as parse:
        from app.ingest.bulk import Tally, ingest_files
        from app.ingest.store import corpus_counts, iter_input_files, read_limits

        factory = _factory(settings)
        if if_empty:
            with factory() as session:
                existing = corpus_counts(session).documents
            if existing:
                typer.echo(f"database already holds {existing} documents; nothing ingested")
                return
        limits = read_limits(settings)
        if ocr is not None:
            limits = replace(limits, ocr=ocr)
        tally = Tally()
        for path, outcome in ingest_files(factory, iter_input_files(paths), limits, parse, limit or None):
            tally.add(path, outcome)
            typer.echo(f"{path}: {outcome.describe()}")
        typer.echo(tally.summary())
    if tally.statuses["added"]:
        _remine(factory)
    if tally.statuses["rejected"]:
        raise typer.Exit(code=1)


def _remine(factory) -> None:  # type: ignore[no-untyped-def]
    from app.phrasebank.service import rebuild_bank

    summary = rebuild_bank(factory)
    typer.echo(f"phrase bank rebuilt: {summary.entries} entries from {summary.documents} documents")
    _reindex(factory, Settings())


def _reindex(factory, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """Rebuild the passage index after the bank (its entries are the index's extra words) and swap it in."""
    from app.retrieve.service import rebuild_index

    summary = rebuild_index(factory, settings)
    typer.echo(f"passage index rebuilt: {summary.passages} passages from {summary.documents} documents")


@documents_app.command("list")
def documents_list(
    limit: Annotated[int, typer.Option(min=1, help="How many.")] = 100,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines output.")] = False,
) -> None:
    """List stored documents: id, kind, date, title."""
    from app.ingest.store import list_documents

    with _factory(Settings())() as session:
        rows = list_documents(session, limit=limit, offset=offset)
    for row in rows:
        if as_json:
            fields = (
                "id",
                "title",
                "kind",
                "script",
                "date",
                "place",
                "speaker",
                "in_domain",
                "source",
                "fmt",
                "char_count",
                "duplicate_of_id",
            )
            typer.echo(json.dumps({f: getattr(row, f) for f in fields}, ensure_ascii=False))
        else:
            dup = f"  (duplicate of #{row.duplicate_of_id})" if row.duplicate_of_id else ""
            typer.echo(f"#{row.id}\t{row.kind}\t{row.date or '-'}\t{row.title or '(无标题)'}{dup}")


@documents_app.command("show")
def documents_show(document_id: int) -> None:
    """Show a document's metadata, outline and cleaned text."""
    from app.ingest.store import get_document

    with _factory(Settings())() as session:
        row = get_document(session, document_id)
        if row is None:
            typer.echo(f"文档 #{document_id} 不存在 / document #{document_id} not found", err=True)
            raise typer.Exit(code=1)
        typer.echo(f"#{row.id} {row.title or '(无标题)'}")
        for label, value in (
            ("kind", row.kind),
            ("script", row.script),
            ("date", row.date),
            ("place", row.place),
            ("speaker", row.speaker),
            ("in_domain", row.in_domain),
            ("source", row.source),
            ("format", row.fmt),
            ("duplicate_of", row.duplicate_of_id),
        ):
            typer.echo(f"  {label}: {value if value is not None else '-'}")
        typer.echo("outline:")
        for section in row.sections:
            typer.echo(
                f"  {'  ' * (section.level - 1)}{section.marker}{section.heading or '（开头）'}  〔{section.role}〕"
            )
        typer.echo("text:")
        typer.echo(row.text)


@documents_app.command("remove")
def documents_remove(document_id: int) -> None:
    """Remove a document with its sections and passages."""
    from app.ingest.store import remove_document

    factory = _factory(Settings())
    if not remove_document(factory, document_id):
        typer.echo(f"文档 #{document_id} 不存在 / document #{document_id} not found", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"removed #{document_id}")
    _remine(factory)


@app.command()
def mine() -> None:
    """Rebuild the phrase bank from every stored document (deterministic)."""
    from app.phrasebank.service import rebuild_bank

    settings = Settings()
    factory = _factory(settings)
    summary = rebuild_bank(factory)
    kinds = ", ".join(f"{kind} {count}" for kind, count in summary.by_kind.items())
    typer.echo(f"phrase bank: {summary.entries} entries from {summary.documents} documents ({kinds})")
    _reindex(factory, settings)


@app.command()
def phrases(
    kind: Annotated[str | None, typer.Option("--kind", help="formulation, parallel, idiom, formula, heading …")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Section role: opening, tasks, safeguards …")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Text the entry contains.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many entries (the next page).")] = 0,
    sort: Annotated[PhraseSort, typer.Option("--sort", help=SORT_HELP)] = DEFAULT_SORT,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines output.")] = False,
) -> None:
    """List phrase-bank entries, the most worth reusing first (--sort), filtered by kind, role or text."""
    from app.phrasebank.store import query_phrases

    with _factory(Settings())() as session:
        page = query_phrases(session, kind=kind, role=role, q=q, limit=limit, offset=offset, sort=sort)
        for phrase in page.items:
            roles = [r.role for r in sorted(phrase.roles, key=lambda r: -r.count)]
            if as_json:
                record = {
                    "id": phrase.id,
                    "kind": phrase.kind,
                    "text": phrase.text,
                    "template": phrase.template,
                    "roles": roles,
                    "frequency": phrase.frequency,
                    "doc_frequency": phrase.doc_frequency,
                    "score": round(phrase.score, 4),
                }
                typer.echo(json.dumps(record, ensure_ascii=False))
            else:
                typer.echo(
                    f"#{phrase.id}\t{phrase.kind}\t{phrase.doc_frequency}篇/{phrase.frequency}次\t"
                    f"{','.join(roles) or '-'}\t{phrase.template}"
                    + (f"\t（例：{phrase.text}）" if phrase.text != phrase.template else "")
                )
    if not as_json:
        typer.echo(f"({len(page.items)} of {page.total})", err=True)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='What to find, e.g. 志愿服务 or "组织领导 责任落实".')],
    role: Annotated[str | None, typer.Option("--role", help="Section role: tasks, safeguards, requirements …")] = None,
    k: Annotated[int, typer.Option("-k", "--k", help="How many hits (1–100).")] = 10,
    kind: Annotated[str | None, typer.Option("--kind", help="speech, report or other.")] = None,
    in_domain: Annotated[bool, typer.Option("--in-domain", help="Only in-domain documents.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    exclude_doc: Annotated[int | None, typer.Option("--exclude-doc", help="Leave out this document id.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines output, one hit a line.")] = False,
) -> None:
    """Find passages of past documents for a query: best first, diversified, matched terms in 【】."""
    from app.retrieve.persist import IndexStore
    from app.retrieve.query import QueryError, SearchFilters, check_query
    from app.retrieve.service import index_root, passage_count

    settings = Settings()
    filters = SearchFilters(
        role=role, kind=kind, in_domain=in_domain, since=since, until=until, exclude_doc=exclude_doc
    )
    loaded = IndexStore(index_root(settings)).load_current()
    if loaded is None:
        factory = _factory(settings)
        with factory() as session:
            has_passages = passage_count(session) > 0
        if has_passages:  # a database filled before the index existed
            _reindex(factory, settings)
            loaded = IndexStore(index_root(settings)).load_current()
    try:
        if loaded is None:
            check_query(query, k)
            filters.validate()
            typer.echo("没有结果：还没有入库文档 / no results: no documents ingested yet", err=True)
            return
        result = loaded[1].search(query, k=k, filters=filters)
    except QueryError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(code=2) from error
    for rank, hit in enumerate(result.hits, 1):
        doc = hit.document
        if as_json:
            record = {
                "rank": rank,
                "score": hit.score,
                "passage_id": hit.passage_id,
                "role": hit.role,
                "heading_path": hit.heading_path,
                "document": {key: doc[key] for key in ("id", "title", "date", "kind", "source")},
                "text": hit.text,
                "spans": hit.spans,
                "highlighted": hit.highlighted,
                "also_in": hit.also_in,
            }
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            also = f"  (also in #{', #'.join(map(str, hit.also_in))})" if hit.also_in else ""
            typer.echo(
                f"{rank}. {hit.score:.3f}  〔{hit.role}〕 #{doc['id']} {doc['title'] or '(无标题)'}"
                f"  {doc['date'] or '-'}{also}"
            )
            if hit.heading_path:
                typer.echo(f"   {hit.heading_path}")
            typer.echo(f"   {hit.highlighted}")
    if result.reason:
        typer.echo(f"没有结果 / no results: {result.reason}", err=True)


@phrasebank_app.command("export")
def phrasebank_export(
    out: Annotated[Path | None, typer.Option("--out", help="Default: phrasebank/bank.jsonl in the repo.")] = None,
) -> None:
    """Export the bank as a JSON Lines snapshot (stable order, reviewable in a diff)."""
    from app.config import REPO_ROOT
    from app.phrasebank.service import SNAPSHOT_NAME, export_snapshot

    target = out or REPO_ROOT / "phrasebank" / SNAPSHOT_NAME
    with _factory(Settings())() as session:
        count = export_snapshot(session, target)
    typer.echo(f"wrote {count} entries to {target}")


@app.command()
def outline(
    files: Annotated[list[Path], typer.Argument(help="Raw files to outline (no database needed).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one object per file.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also show why each removed line went.")] = False,
) -> None:
    """Print each file's outline: an indented tree, or JSON Lines with --json."""
    from app.ingest.store import read_limits
    from app.outline_view import explain_lines, outline_record, render_tree

    limits = read_limits(Settings())
    failed = False
    for path in files:
        record = outline_record(path, limits)
        failed |= "error" in record
        typer.echo(json.dumps(record, ensure_ascii=False) if as_json else render_tree(record))
        if explain and not as_json:
            typer.echo("\n".join(explain_lines(path, limits)))
    if failed:
        raise typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    proxy_headers: Annotated[
        bool | None, typer.Option(help="Behind a TLS proxy: trust X-Forwarded-For/-Proto (BIGAN_PROXY_HEADERS).")
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None, typer.Option(help="Proxies to trust, comma-separated (BIGAN_FORWARDED_ALLOW_IPS).")
    ] = None,
) -> None:
    """Serve the HTTP API on the configured data dir."""
    import uvicorn

    from app.main import create_app

    settings = Settings()
    overrides = {"proxy_headers": proxy_headers, "forwarded_allow_ips": forwarded_allow_ips}
    settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    typer.echo(f"Bigan 笔杆 serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    # The app applies X-Forwarded-* itself when asked (app/http_guard.py); uvicorn's own handling, on by
    # default for 127.0.0.1, stays off so that the setting alone decides.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)


app.command("draft")(draft_command)


def main() -> None:
    from app.cli_exit import run

    run(app)  # an interrupt or unavailable storage ends with one line, not a traceback


if __name__ == "__main__":
    main()
