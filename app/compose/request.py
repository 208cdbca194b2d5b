"""The one input schema of a draft, shared by ``POST /draft``, ``bigan draft`` and the web form."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.text.dates import Date

DocType = Literal["speech", "report"]
Detail = Literal["paragraphs", "outline", "outline+passages"]
MeetingType = Literal["mobilization", "progress", "commendation", "summary", "symposium", "special"]
# The names a writer uses for each meeting type (the web form and macros may send these).
MEETING_TYPE_NAMES: dict[str, str] = {
    "mobilization": "动员部署",
    "progress": "推进（调度）",
    "commendation": "表彰",
    "summary": "总结",
    "symposium": "座谈（交流）",
    "special": "专题部署",
}
_MEETING_TYPE_ALIASES = {
    **{name: key for key, name in MEETING_TYPE_NAMES.items()},
    "动员": "mobilization", "动员会": "mobilization", "推进": "progress", "调度": "progress", "推进会": "progress",
    "表彰会": "commendation", "表彰大会": "commendation", "总结会": "summary", "座谈": "symposium",
    "交流": "symposium", "座谈会": "symposium", "专题": "special", "部署": "special", "部署会": "special",
}  # fmt: skip
Script = Literal["simplified", "traditional"]
OutputFormat = Literal["json", "markdown", "text", "html", "docx"]

MAX_TOPICS = 8
MAX_FIELDS = 32  # twice the request's fields: room for a client's extras to be named, not thousands
MAX_TOPIC_CHARS = 30
# What may arrive before blanks and repeats are dropped: room for a form's stray separators and a tag list's
# repeats, while a body of a million topics is refused before each one is tidied.
MAX_RAW_TOPICS = 4 * MAX_TOPICS
MAX_TOPICS_TEXT = 1000
_TOO_MANY_TOPICS = f"最多 {MAX_TOPICS} 个议题 / at most {MAX_TOPICS} topics"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def _tidy(value: str) -> str:
    """Strip, drop control characters and collapse runs of whitespace: fields are one-line labels."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip()


class DraftRequest(BaseModel):
    """What the writer asks for. Same request + same ``seed`` → the same draft."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    doc_type: DocType = Field(default="speech", description="speech 讲话稿 | report 会议报道")
    meeting: str = Field(
        min_length=2,
        max_length=80,
        description="会议名称, e.g. 全市精神文明建设工作推进会",
        examples=["全市精神文明建设工作推进会"],
    )
    place: str = Field(default="", max_length=40, description="地名, e.g. 大连市 / 滨湖区")
    speaker: str = Field(default="", max_length=60, description="讲话人姓名和/或职务, e.g. 市委副书记 张三")
    date: Date | None = Field(default=None, description="会议日期 YYYY-MM-DD")
    theme: str = Field(default="", max_length=60, description="主题, e.g. 争创全国文明典范城市")
    topics: list[str] = Field(
        default_factory=list,
        max_length=MAX_TOPICS,
        description="重点议题, e.g. 未成年人思想道德建设, 志愿服务, 城中村治理",
    )
    parts: int = Field(default=3, ge=2, le=6, description="一级标题（一、二、三、）的个数 / report: 会议强调 points")
    detail: Detail = Field(
        default="paragraphs",
        description="paragraphs: drafted prose under every heading (default) | outline: headings and stock "
        "wording only | outline+passages: the outline plus retrieved passages",
    )
    meeting_type: MeetingType | None = Field(
        default=None,
        description="会议类型 mobilization 动员部署 | progress 推进（调度） | commendation 表彰 | summary 总结 | "
        "symposium 座谈（交流） | special 专题部署; inferred from the meeting name when absent",
    )
    points: bool = Field(default=False, description="二级标题下分“一要、二要”要点 / 一要、二要 points under level-2")
    script: Script = Field(default="simplified", description="simplified 简体 | traditional 繁體")
    target_minutes: int | None = Field(default=None, ge=1, le=180, description="目标讲话时长（分钟）")
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="变化种子：同样的输入和种子得到同样的稿子")

    @model_validator(mode="before")
    @classmethod
    def _few_fields(cls, data: object) -> object:
        # One error for a body of thousands of unknown keys: listing each (extra="forbid") took ~0.8 s of the
        # event loop for 62 000 keys, during which the server answered nothing else.
        if isinstance(data, dict) and len(data) > MAX_FIELDS:
            raise ValueError(f"字段过多（{len(data)} 个）/ too many fields ({len(data)}, at most {MAX_FIELDS})")
        return data

    @field_validator("meeting", "place", "speaker", "theme", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        return _tidy(value) if isinstance(value, str) else value

    @field_validator("parts", "target_minutes", "seed", mode="before")
    @classmethod
    def _not_a_bool(cls, value: object) -> object:
        # JSON true would count as 1 (one part, a one-minute speech); digits from a form still parse.
        if isinstance(value, bool):
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        return value

    @field_validator("meeting_type", mode="before")
    @classmethod
    def _meeting_type_name(cls, value: object) -> object:
        # Accept the Chinese names (表彰, 动员部署 …) as well as the keys; "" means "infer it".
        if isinstance(value, str):
            value = value.strip()
            return _MEETING_TYPE_ALIASES.get(value, value) or None
        return value

    @field_validator("topics", mode="before")
    @classmethod
    def _split_topics(cls, value: object) -> object:
        # Forms and macros send "志愿服务，城中村治理" as one string; accept it as a list.
        if isinstance(value, str):
            if len(value) > MAX_TOPICS_TEXT:
                raise ValueError(
                    f"重点议题合计超过 {MAX_TOPICS_TEXT} 字 / topics longer than {MAX_TOPICS_TEXT} characters in all"
                )
            value = re.split(r"[,，、;；\n]+", value)
        if not isinstance(value, list):
            return value
        if len(value) > MAX_RAW_TOPICS:
            raise ValueError(_TOO_MANY_TOPICS)
        if not all(isinstance(v, str) for v in value):
            # A list or object among the topics cannot be deduplicated (it is unhashable); left as sent,
            # pydantic refuses it by position: topics.0: Input should be a valid string.
            return value
        return list(dict.fromkeys(tidy for tidy in map(_tidy, value) if tidy != ""))

    @field_validator("topics")
    @classmethod
    def _topic_length(cls, topics: list[str]) -> list[str]:
        for topic in topics:
            if len(topic) > MAX_TOPIC_CHARS:
                raise ValueError(
                    f"议题“{topic[:12]}…”超过 {MAX_TOPIC_CHARS} 字 / topic longer than {MAX_TOPIC_CHARS} characters"
                )
        return topics

    @model_validator(mode="after")
    def _meeting_has_text(self) -> DraftRequest:
        if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", self.meeting):
            raise ValueError("会议名称需包含文字 / meeting must contain words")
        return self

    @property
    def passages(self) -> bool:
        return self.detail == "outline+passages"

    @property
    def paragraphs(self) -> bool:
        return self.detail == "paragraphs"
