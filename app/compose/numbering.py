"""Chinese outline numbering: 一、 / （一） / 1. — also registered as Jinja filters."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (outline counts never go past 99)."""
    if not 0 < n < 100:
        raise ValueError(f"outline numbers run 1–99, not {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def level1(n: int) -> str:
    """一、"""
    return f"{cn_number(n)}、"


def level2(n: int) -> str:
    """（一）"""
    return f"（{cn_number(n)}）"


def level3(n: int) -> str:
    """1."""
    if n < 1:
        raise ValueError(f"outline numbers start at 1, not {n}")
    return f"{n}."


def cn_date(value: object) -> str:
    """2026-12-02 → 2026年12月2日 (公文 dates drop leading zeros)."""
    year, month, day = (int(part) for part in str(value).split("-"))
    return f"{year}年{month}月{day}日"


def cn_month_day(value: object) -> str:
    """2026-12-02 → 12月2日, as news leads write it."""
    _, month, day = (int(part) for part in str(value).split("-"))
    return f"{month}月{day}日"
