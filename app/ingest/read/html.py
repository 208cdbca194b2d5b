"""HTML to text: the page's main text, one block per line, its title first.

Pages wrap the article in site chrome — top bars, channel navigation, breadcrumbs, share and print bars,
related lists, footers. Semantic tags (``nav``, ``header``, ``footer``, ``aside``) are dropped outright; many
sites use plain ``div``/``ul`` elements instead, so an element whose class or id names a chrome part
(``hw-nav``, ``topbar``, ``crumb``, ``share``, ``footer`` …) is dropped too — unless it holds the page's
headline or a sizeable share of its text, which chrome never does. What is left still goes through the
line cleaner, which knows chrome by its wording.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

# fmt: off
_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template",
              "svg", "head"]
_BLOCK_TAGS = ["address", "article", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
               "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table",
               "tr", "ul"]
# fmt: on
_ASCII_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
# CSS Text 3 drops a source line break between two wide (CJK) characters instead of rendering a space
_CJK_BREAK_RE = re.compile(
    r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef])[ \t]*[\r\n][ \t\r\n]*"
    r"(?=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef])"
)
_TITLE_SPLIT_RE = re.compile(r"\s*[_|｜]\s*|\s+[-–—]\s+")
# Class/id words of site chrome. Distinctive words match inside a longer name (``topnav``, ``hw-crumb``,
# ``sharebar``); short, ambiguous ones only as a whole part of it (``hw-top`` but not ``stop``).
_CHROME_INSIDE_RE = re.compile(
    r"nav|menu|crumb|breadcrumb|share|toolbar|topbar|footer|header|login|passport|copyright|sidebar|related"
    r"|recommend|comment|banner|qrcode|weather|jiucuo|print",
    re.I,
)
_CHROME_PARTS = frozenset(
    [
        "top",
        "head",
        "foot",
        "bottom",
        "side",
        "tool",
        "tools",
        "ad",
        "ads",
        "gg",
        "hot",
        "rank",
        "search",
        "user",
        "links",
        "link",
        "friend",
        "channel",
        "logo",
    ]
)
_NAME_PARTS_RE = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
_CHROME_TAGS = ["div", "ul", "ol", "span", "p", "section", "table", "td", "dl", "li"]
_CHROME_TEXT_SHARE = 0.3  # an element with this share of the page's text is content, whatever its class says


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def html_to_text(markup: str) -> str:
    """Main text of a page, one block per line, title first:
    ``html_to_text("<title>通知</title><nav>首页</nav><p>各单位：</p>")`` → ``"通知\\n各单位："``.
    """
    soup = BeautifulSoup(markup, "lxml")
    title_el = soup.find("title")
    title = _ASCII_SPACE_RE.sub(" ", title_el.get_text()).strip() if title_el else ""
    for el in soup(_DROP_TAGS):
        el.decompose()
    h1 = soup.find("h1")
    heading = _ASCII_SPACE_RE.sub(" ", h1.get_text()).strip() if h1 else ""
    _drop_chrome_containers(soup, h1)
    for node in list(soup.find_all(string=True)):
        if type(node) is NavigableString and node.find_parent("pre") is None:
            node.replace_with(_ASCII_SPACE_RE.sub(" ", _CJK_BREAK_RE.sub("", str(node))))
    for el in soup.find_all("br"):
        el.replace_with("\n")
    for el in soup.find_all(["td", "th"]):
        el.insert_after("\t")
    for el in soup.find_all(_BLOCK_TAGS):
        el.insert_before("\n")
        el.insert_after("\n")
    lines = (re.sub(r"\t+", "\t", line).strip(" \t\f") for line in soup.get_text().split("\n"))
    return "\n".join(title_first(heading or title, [line for line in lines if line]))


def _is_chrome_name(el: Tag) -> bool:
    names = " ".join([*el.get("class", []), str(el.get("id", ""))])
    if not names.strip():
        return False
    if _CHROME_INSIDE_RE.search(names):
        return True
    return any(part.lower() in _CHROME_PARTS for part in _NAME_PARTS_RE.split(names) if part)


def _drop_chrome_containers(soup: BeautifulSoup, h1: Tag | None) -> None:
    """Remove elements whose class or id names a chrome part, unless they hold the headline or much of the text.

    Outermost first, so a dropped bar takes its children with it; the text share is measured on the page as
    it was, so dropping one bar never makes another element look like the content.
    """
    total = len(_squash(soup.get_text())) or 1
    for el in soup.find_all(_CHROME_TAGS):
        if el.decomposed or not _is_chrome_name(el):
            continue
        if h1 is not None and (el is h1 or h1 in el.descendants):
            continue
        if len(_squash(el.get_text())) / total >= _CHROME_TEXT_SHARE:
            continue
        el.decompose()


def title_first(title: str, body: list[str]) -> list[str]:
    """``title`` as the first line unless the body already has it: the metadata then weighs it with the other
    title candidates. ``"通知标题_某某市人民政府"``: the longest part is the document's own title."""
    core = max(_TITLE_SPLIT_RE.split(title), key=len)
    if title and _squash(core) not in _squash("".join(body)):
        return [title, *body]
    return body
