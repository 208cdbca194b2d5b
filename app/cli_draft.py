"""``bigan draft``: the same input as POST /draft, from options or a JSON file, to stdout or a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from app.config import Settings

FORMATS = ("json", "markdown", "text", "html", "docx")


def _request_data(meeting: str | None, from_json: Path | None, options: dict[str, object]) -> dict[str, object]:
    data: dict[str, object] = {}
    if from_json is not None:
        try:
            loaded = json.loads(from_json.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:  # ValueError: not UTF-8 or not JSON
            raise typer.BadParameter(f"无法读取 JSON 输入 / cannot read JSON input: {error}") from error
        if not isinstance(loaded, dict):
            raise typer.BadParameter("JSON 输入应为对象 / JSON input must be an object")
        data.update(loaded)
    if meeting is not None:
        data["meeting"] = meeting
    data.update({k: v for k, v in options.items() if v not in (None, [], "")})
    return data


def draft(
    meeting: Annotated[
        str | None, typer.Option("--meeting", "-m", help="会议名称, e.g. 全市精神文明建设工作推进会")
    ] = None,
    doc_type: Annotated[str, typer.Option("--type", help="speech 讲话稿 | report 会议报道")] = "speech",
    place: Annotated[str | None, typer.Option(help="地名, e.g. 大连市")] = None,
    speaker: Annotated[str | None, typer.Option(help="讲话人, e.g. 市委副书记 张三")] = None,
    date: Annotated[str | None, typer.Option(help="会议日期 YYYY-MM-DD")] = None,
    theme: Annotated[str | None, typer.Option(help="主题")] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="重点议题 (repeatable)")] = None,
    parts: Annotated[int | None, typer.Option(help="一级标题个数 2–6")] = None,
    outline: Annotated[bool, typer.Option("--outline", help="只要提纲，不拟段落 / detail=outline")] = False,
    passages: Annotated[bool, typer.Option("--passages", help="提纲附参考段落 / detail=outline+passages")] = False,
    meeting_type: Annotated[
        str | None,
        typer.Option(
            "--meeting-type",
            "--type-of-meeting",
            help="会议类型: mobilization 动员部署 | progress 推进 | commendation 表彰 | summary 总结 | "
            "symposium 座谈 | special 专题部署 (中文名亦可); 不填则从会议名称推断",
        ),
    ] = None,
    points: Annotated[bool, typer.Option("--points", help="二级标题下分“一要、二要”要点")] = False,
    traditional: Annotated[bool, typer.Option("--traditional", help="繁体输出")] = False,
    minutes: Annotated[int | None, typer.Option("--minutes", help="目标讲话时长（分钟）")] = None,
    seed: Annotated[int | None, typer.Option(help="变化种子")] = None,
    from_json: Annotated[Path | None, typer.Option("--from-json", help="Read the request (POST /draft body).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json | markdown | text | html | docx")] = "markdown",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here (required for docx).")] = None,
    clean: Annotated[
        bool, typer.Option("--clean", help="正文：只要标题、段落和【待补】，不含来源、可选表述、参考段落")
    ] = False,
) -> None:
    """Compose a draft (讲话稿 or 会议报道) from the phrase bank and the passage index.

    By default every heading gets a drafted paragraph with its sources and alternatives (the working copy);
    --clean writes only the text to hand on, --outline only headings and stock wording.
    """
    from app.compose.output.docx import build_docx
    from app.compose.output.render import render_text
    from app.compose.request import DraftRequest
    from app.compose.service import compose
    from app.db import make_engine, make_session_factory
    from app.migrate import current_revision
    from app.retrieve.persist import IndexHolder, IndexStore
    from app.retrieve.service import index_root

    if fmt not in FORMATS:
        raise typer.BadParameter(f"格式应为 {' | '.join(FORMATS)} / --format must be one of {', '.join(FORMATS)}")
    if fmt == "docx" and out is None:
        raise typer.BadParameter("docx 需要 --out 文件名 / docx needs --out FILE")
    if outline and passages:
        raise typer.BadParameter("--outline 与 --passages 只能选一个 / choose --outline or --passages, not both")
    if clean and fmt == "json":
        raise typer.BadParameter("--clean 用于 markdown/text/html/docx / --clean needs a text or docx format")
    options: dict[str, object] = {
        "place": place, "speaker": speaker, "date": date, "theme": theme, "topics": topic or [], "parts": parts,
        "target_minutes": minutes, "seed": seed, "meeting_type": meeting_type,
    }  # fmt: skip
    data = _request_data(meeting, from_json, options)
    data.setdefault("doc_type", doc_type)
    if passages:
        data["detail"] = "outline+passages"
    elif outline:
        data["detail"] = "outline"
    if points:
        data["points"] = True
    if traditional:
        data["script"] = "traditional"
    try:
        request = DraftRequest.model_validate(data)
    except ValidationError as error:
        lines = [f"  {'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in error.errors()]
        typer.echo("输入有误 / invalid input:\n" + "\n".join(lines), err=True)
        raise typer.Exit(code=2) from error

    settings = Settings()
    if current_revision(settings) is None:
        typer.echo(
            "数据库尚未初始化，请先运行 bigan db upgrade（make run 会自动执行） / "
            "the database is not initialised: run `bigan db upgrade` first",
            err=True,
        )
        raise typer.Exit(code=1)
    engine = make_engine(settings)
    holder = IndexHolder(IndexStore(index_root(settings)))
    holder.reload()
    result = compose(request, make_session_factory(engine), holder.get())
    engine.dispose()
    if fmt == "json":
        text: str | bytes = result.model_dump_json(indent=2)
    elif fmt == "docx":
        text = build_docx(result, settings.templates_dir, clean=clean)
    else:
        text = render_text(result, fmt, settings.templates_dir, clean=clean)
    if out is None:
        typer.echo(text)
        return
    temporary = out.with_name(out.name + ".tmp")
    if isinstance(text, bytes):
        temporary.write_bytes(text)
    else:
        temporary.write_text(text, encoding="utf-8")
    temporary.replace(out)  # a half-written draft never sits under the real name
    typer.echo(f"已写入 / wrote {out}（约 {result.minutes} 分钟 / about {result.minutes} min）")
