"""Readers: every encoding a text file arrives in, and every kind of bad input.

Format-specific readers are tested in ``test_readers_markup.py`` (html, markdown) and ``test_readers_office.py``
(docx, pdf); the sample texts and file builders they share live in ``tests/helpers/readers.py``
(``test_upload_api.py`` uses them too).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.ingest.errors import IngestError
from app.ingest.read.decode import decode_text
from app.ingest.read.formats import SUPPORTED_SUFFIXES, RawDoc, ReadLimits, read_bytes, read_path
from tests.helpers.readers import PDF_PAGES, SPEECH, assert_rejected, make_pdf, write

SPEECH_TRAD = (
    "在全市精神文明建設會議上的講話稿\n"
    "同志們：\n"
    "這次會議的主要任務是，深入學習貫徹黨的二十大精神，總結過去一年的工作，"
    "部署今年的重點任務，動員全市上下進一步統一思想、凝聚共識。\n"
)
# Short realistic lines: GBK bytes of these often also decode as Big5 (and vice versa)
SHORT_SIMPLIFIED = [
    "在全市经济工作会议上的讲话",
    "关于进一步加强安全生产工作的通知",
    "坚持以人民为中心的发展思想",
    "全面推进乡村振兴战略实施",
    "区政府办公室关于印发工作要点的通知",
    "持续优化营商环境，激发市场主体活力",
    "深入学习贯彻党的二十大精神",
    "切实抓好防汛抗旱各项工作",
]
SHORT_TRADITIONAL = [
    "精神文明建設會議上的講話稿",
    "關於進一步加強安全生產工作的通知",
    "堅持以人民為中心的發展思想",
    "全面推進鄉村振興戰略實施",
    "持續優化營商環境，激發市場主體活力",
    "深入學習貫徹黨的二十大精神",
]


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SPEECH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SPEECH.encode("utf-8"), "utf-8"),
        (b"\xff\xfe" + SPEECH.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + SPEECH.encode("utf-16-be"), "utf-16"),
        (SPEECH.encode("utf-16-le"), "utf-16-le"),
        (SPEECH.encode("utf-16-be"), "utf-16-be"),
        (SPEECH.encode("gbk"), "gbk"),
    ],
)
def test_txt_encodings_decode_exactly(tmp_path: Path, data: bytes, encoding: str) -> None:
    doc = read_path(write(tmp_path, "讲话.txt", data))
    assert doc == RawDoc(text=SPEECH, fmt="txt", encoding=encoding, filename="讲话.txt")


def test_bomless_utf16_without_any_ascii() -> None:
    text = "员、安全员“多员合一”的扁平化模式，通过成立房东协会"
    assert decode_text(text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode_text(text.encode("utf-16-be")) == (text, "utf-16-be")


def test_gb18030_with_characters_outside_gbk(tmp_path: Path) -> None:
    text = SPEECH + "㐀字和𠀀字都不在 GBK 里。\n"
    doc = read_path(write(tmp_path, "a.txt", text.encode("gb18030")))
    assert (doc.text, doc.encoding) == (text, "gb18030")


def test_big5_traditional_text_stays_traditional(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "講話.txt", SPEECH_TRAD.encode("big5")))
    assert (doc.text, doc.encoding) == (SPEECH_TRAD, "big5")


@pytest.mark.parametrize("text", SHORT_SIMPLIFIED)
def test_short_gbk_is_not_mistaken_for_big5(text: str) -> None:
    assert decode_text(text.encode("gbk")) == (text, "gbk")


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_big5_is_not_mistaken_for_gbk(text: str) -> None:
    assert decode_text(text.encode("big5")) == (text, "big5")


def test_long_texts_in_both_directions() -> None:
    long_simplified = SPEECH * 40
    long_traditional = SPEECH_TRAD * 40
    assert decode_text(long_simplified.encode("gbk")) == (long_simplified, "gbk")
    assert decode_text(long_traditional.encode("big5")) == (long_traditional, "big5")


@pytest.mark.parametrize(
    ("text", "encoding", "wrong"),
    [
        ("区政府办公室关于印发工作要点的通知", "gbk", "big5"),
        ("持续优化营商环境，激发市场主体活力", "gbk", "big5"),
        ("推进高质量发展", "gbk", "big5"),
        ("精神文明建設會議上的講話稿", "big5", "gb18030"),
        ("持續優化營商環境，激發市場主體活力", "big5", "gb18030"),
    ],
)
def test_bytes_valid_in_both_codecs_pick_the_right_one(text: str, encoding: str, wrong: str) -> None:
    data = text.encode(encoding)
    assert data.decode(wrong) != text  # the trap: the other codec decodes strictly, to junk
    assert decode_text(data) == (text, encoding)


def test_utf8_with_a_broken_byte_is_rejected_not_mojibake() -> None:
    data = SPEECH.encode("utf-8")
    broken = data[:10] + data[11:]
    with pytest.raises(IngestError) as exc:
        decode_text(broken)
    assert_rejected(exc, "undecodable")


def test_line_endings_are_normalised() -> None:
    data = "第一段内容在这里写好了。\r\n第二段内容在这里写好了。\r第三段。".encode()
    assert read_bytes(data, "a.txt").text == "第一段内容在这里写好了。\n第二段内容在这里写好了。\n第三段。"


def test_western_text_decodes_but_has_no_chinese() -> None:
    data = "Le café est très bon. Nous étions à Paris pour la réunion.".encode("cp1252")
    assert decode_text(data)[0].startswith("Le café")
    with pytest.raises(IngestError) as exc:
        read_bytes(data, "a.txt")
    assert_rejected(exc, "no_chinese")


# --- generic bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", b""),
        ("a.txt", b"  \r\n\t \n"),
        ("a.md", b"\n\n"),
        ("a.txt", "\u3000\u3000\n".encode()),
        ("a.txt", b"\xff\xfe" + " \n \n".encode("utf-16-le")),
        ("a.pdf", b""),
        ("a.docx", b""),
    ],
)
def test_empty_files(tmp_path: Path, name: str, data: bytes) -> None:
    with pytest.raises(IngestError) as exc:
        read_path(write(tmp_path, name, data))
    assert_rejected(exc, "empty")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(4).randbytes(5000),
        b"\x89PNG\r\n\x1a\n" + random.Random(5).randbytes(2000),
        b"\x7fELF\x02\x01\x01" + bytes(100),
        make_pdf(PDF_PAGES),
        bytes(range(1, 32)) * 50,
    ],
    ids=["random-with-nuls", "png", "elf", "pdf-named-txt", "control-chars"],
)
def test_binary_named_txt(data: bytes) -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(data, "a.txt")
    assert_rejected(exc, "binary")


def test_binary_reason_names_the_real_format() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(make_pdf(PDF_PAGES), "a.txt")
    assert "PDF" in exc.value.zh and "PDF" in exc.value.en


@pytest.mark.parametrize("name", ["setup.exe", "报表.xls", "演示.ppt", "README", "a.txt.zip"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    with pytest.raises(IngestError) as exc:
        read_path(write(tmp_path, name, SPEECH.encode()))
    assert_rejected(exc, "unsupported_type")


def test_supported_suffixes_are_case_insensitive() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps", ".odt", ".rtf"}
    assert read_bytes(SPEECH.encode(), "讲话.TXT").fmt == "txt"


def test_too_large_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.txt", SPEECH.encode() * 100)

    def must_not_read(self: Path) -> bytes:
        raise AssertionError("read the whole file before checking its size")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    with pytest.raises(IngestError) as exc:
        read_path(path, ReadLimits(max_bytes=1000))
    assert_rejected(exc, "too_large")
    assert "1000 B" in exc.value.zh


def test_too_large_upload() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(SPEECH.encode() * 100, "a.txt", ReadLimits(max_bytes=2048))
    assert_rejected(exc, "too_large")
    assert "2 KB" in exc.value.en


def test_default_size_limit_message_in_megabytes() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(b"x" * (20 * 1024 * 1024 + 1), "a.txt")
    assert "20 MB" in exc.value.zh and "20 MB" in exc.value.en


def test_english_only_text_is_rejected() -> None:
    data = b"Minutes of the annual meeting.\nAll members attended and the budget was approved.\n"
    with pytest.raises(IngestError) as exc:
        read_bytes(data, "minutes.txt")
    assert_rejected(exc, "no_chinese")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(IngestError) as exc:
        read_path(tmp_path / "folder.txt")
    assert_rejected(exc, "unreadable")
