"""The matcher's notes on a link, in the reader's language.

The matcher writes its notes in English, with the clause names it quotes in 「」 (aligner/match.py,
aligner/passages.py); JSON keeps them so. A Chinese report shows each in Chinese: a note this table
does not know is shown as written, so a new note is never lost, only untranslated.
"""

from __future__ import annotations

import re

_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"^in the corresponding national action$", "位于对应的国家行动中"),
        (r"^in the corresponding national chapter$", "位于对应的国家章节中"),
        (r"^in an action with no national counterpart$", "所在行动在国家方案中无对应"),
        (r"^best paragraph pair$", "最相近的段落"),
        (r"^the title's part 「(?P<a>.*)」 names this task$", "标题中的「\\g<a>」指向该任务"),
        (r"^the action's name 「(?P<a>.*)」 names this national task$", "行动名称「\\g<a>」指向该国家任务"),
        (r"^the item's name 「(?P<a>.*)」 names this national action$", "该项名称「\\g<a>」指向该国家行动"),
        (r"^part of the provincial action 「(?P<a>.*)」, which carries this national task$",
         "属于承接该国家任务的省级行动「\\g<a>」"),
        (r"^(?P<a>\d+) of its (?P<b>\d+) tasks find their best counterpart in this national action$",
         "其\\g<b>项任务中有\\g<a>项的最佳对应在该国家行动中"),
        (r"^thesaurus: (?P<a>.*)$", "同义词表：\\g<a>"),
    )
)


def note_text(note: str, zh: bool) -> str:
    """One note as a reader of `zh` (Chinese) or English reads it."""
    if not zh:
        return note
    for pattern, template in _ZH:
        match = pattern.match(note)
        if match:
            return match.expand(template)
    return note
