"""Is this character a Chinese character? Range comparisons instead of a regular expression.

A regex class such as `[\u3400-\u9fff\uf900-\ufaff]` costs 2-3 ms to compile (`re` fills a 64 K
table in Python), more than all the tests below cost in a run; where a pattern only asks "is there
a CJK character" or "how many", these functions answer the same.

HAN: the unified ideographs with extension A (U+3400–U+9FFF) and the compatibility ideographs
(U+F900–U+FAFF), as the cleaning and checking stages define them.
"""

from __future__ import annotations


def is_han(ch: str) -> bool:
    """`ch` (one character) matches [\u3400-\u9fff\uf900-\ufaff]."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def has_han(text: str) -> bool:
    """`re.search(r"[\u3400-\u9fff\uf900-\ufaff]", text)` is not None."""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def han_count(text: str) -> int:
    """`len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", text))`."""
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def has_han_or_alnum(text: str, compatibility: bool = True) -> bool:
    """`re.search(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]", text)` is not None; without the
    compatibility ideographs when `compatibility` is False (`[\u3400-\u9fffA-Za-z0-9]`)."""
    for ch in text:
        if "\u3400" <= ch <= "\u9fff" or ("0" <= ch <= "9" or "A" <= ch <= "Z" or "a" <= ch <= "z"):
            return True
        if compatibility and "\uf900" <= ch <= "\ufaff":
            return True
    return False
