"""The reader's and parser's remarks, the input errors and the matcher's evidence notes, in Chinese.

The stages write these in English (the library's, the tests' and the logs' language); a report
in Chinese shows them through this table: each English sentence shape, once, and its Chinese.
A sentence with no entry yet keeps its English after a Chinese label, so nothing is lost.
`Catalogue.problem` / `Catalogue.note` / `note_text` are the way in; JSON keeps the English.
"""

from __future__ import annotations

import re

from aligner.lazy_re import lazy

# (English sentence shape, Chinese with {1}, {2} … for its groups); matched from the start
_NOTES: tuple[tuple[str, str], ...] = (
    (r"line (\d+): garbled text \(mojibake\) cut, kept 「(.*)」", "第{1}行：乱码已删去，保留「{2}」"),
    (r"line (\d+): garbled text \(mojibake\) skipped", "第{1}行：乱码，整行跳过"),
    (r"hard-wrapped text \(as extracted from a PDF\): (\d+) line breaks joined",
     "文本有硬换行（如从 PDF 提取）：已合并{1}处换行"),
    (r"line (\d+): a list declares (\d+) items, (\d+) were found", "第{1}行：列举称有{2}项，实际识别{3}项"),
    (r"line (\d+): 「(.*)」 declares (\d+) tasks, (\d+) were found", "第{1}行：「{2}」称有{3}项任务，实际识别{4}项"),
)

_PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"file not found \(a parent in the path is not a directory\)", "找不到文件（路径中的上级不是文件夹）"),
    (r"file not found", "找不到文件"),
    (r"cannot be read \(permission denied\)", "无法读取（没有权限）"),
    (r"cannot be read \((.*)\)", "无法读取（{1}）"),
    (r"is not a valid file name", "不是有效的文件名"),
    (r"is a directory, not a file", "是文件夹，不是文件"),
    (r"is not a regular file", "不是普通文件"),
    (r"is empty \(0 bytes\)", "是空文件（0字节）"),
    (r"is empty \(only whitespace\)", "是空文件（只有空白）"),
    (r"contains no text", "不含文字"),
    (r"is (.+), over the (.+) limit(.*)", "大小为{1}，超过{2}的上限（可用 --max-size 放宽，单位MB）"),
    (r"is over the (.+) limit(.*)", "超过{1}的上限（可用 --max-size 放宽，单位MB）"),
    (r"contains NUL bytes; looks like a binary file, not text", "含有 NUL 字节，像是二进制文件，不是文本"),
    (r"cannot decode as UTF-8, GB18030 or Big5", "无法按 UTF-8、GB18030 或 Big5 解码"),
    (r"mixes encodings: (.*)", "混用了多种编码：{1}"),
    (r"looks like binary data, not text", "像是二进制数据，不是文本"),
    (r"looks like a Word \.docx file, not text \(rename it to \.docx\?\)",
     "像是 Word .docx 文件，不是文本（请把扩展名改为 .docx）"),
    (r"looks like a ZIP archive, not text", "像是 ZIP 压缩包，不是文本"),
    (r"is password-protected or an old \.doc \(save it as an unprotected \.docx\)",
     "有密码保护或是旧版 .doc（请在 Word/WPS 中另存为不加密的 .docx）"),
    (r"is not a valid \.docx \(corrupt or not a Word file\)", "不是有效的 .docx（文件损坏或不是 Word 文件）"),
    (r"is not valid (.*) text \(its byte-order mark says it is\)", "不是有效的{1}文本（但其字节顺序标记如此声明）"),
    (r"is not a valid PDF", "不是有效的 PDF 文件"),
    (r"is not valid HTML", "不是有效的 HTML 文件"),
    (r"has no text layer \(scanned image\?\); run OCR first", "没有文字层（扫描图片？），请先做文字识别（OCR）"),
    (r"is encrypted with AES; install the 'cryptography' package to read it",
     "使用 AES 加密，需安装 cryptography 软件包才能读取"),
    (r"is password-protected", "有密码保护"),
    (r"has a line of ([\d,]+) characters, over the ([\d,]+) limit(.*)", "有一行长达{1}个字符，超过{2}的上限"),
    (r"holds more than ([\d,]+) characters of text(.*)", "文字超过{1}个字符"),
    (r"holds ([\d,]+) files, over the ([\d,]+) limit(.*)", "包含{1}个文件，超过{2}个的上限"),
    (r"line (\d+): expected 'A => B' or 'A \+= B', got (.*)", "第{1}行：应为“A => B”或“A += B”，实为 {2}"),
    (r"no task clauses found in (.*): is it a plan\?", "{1} 中未找到任务条款：这是方案文件吗？"),
    (r"no task clauses found in (.*): its paragraph breaks appear lost \((\d+) numbered parts run together in line (\d+)\); "
     r"use a copy that keeps them",
     "{1} 中未找到任务条款：文本的分段似已丢失（第{3}行中{2}个编号连在一起），请使用保留分段的文本"),
    (r"no key tasks found in the national plan", "国家方案中未识别出重点任务"),
    (r"is the national plan itself; give a provincial plan to compare", "就是国家方案本身，请给出要对照的省级方案"),
    (r"cannot list the folder \((.*)\)", "无法列出文件夹内容（{1}）"),
    (r"folder holds no provincial plan documents (.*)", "文件夹中没有省级方案文件{1}"),
    (r"thesaurus is over 5 MB; is it the right file\?", "同义词表超过 5 MB，文件是否选错？"),
    (r"cannot read thesaurus: it is not UTF-8 text", "无法读取同义词表：不是 UTF-8 文本"),
    (r"cannot read thesaurus \((.*)\)", "无法读取同义词表（{1}）"),
    (r"could not be processed \((.*)\)", "处理失败（{1}）"),
)

# The matcher's notes on a link (aligner/match.py, aligner/passages.py), quoting clause names in 「」.
_EVIDENCE: tuple[tuple[str, str], ...] = (
    (r"in the corresponding national action", "位于对应的国家行动中"),
    (r"in the corresponding national chapter", "位于对应的国家章节中"),
    (r"in an action with no national counterpart", "所在行动在国家方案中无对应"),
    (r"best paragraph pair", "最相近的段落"),
    (r"the title's part 「(.*)」 names this task", "标题中的「{1}」指向该任务"),
    (r"the body's phrase 「(.*)」 restates this task", "正文中的「{1}」与该任务相应"),
    (r"the action's name 「(.*)」 names this national task", "行动名称「{1}」指向该国家任务"),
    (r"the action's name merges this national action with others", "该行动名称合并了该国家行动与其他行动"),
    (r"the item's name 「(.*)」 names this national action", "该项名称「{1}」指向该国家行动"),
    (r"part of the provincial action 「(.*)」, which carries this national task", "属于承接该国家任务的省级行动「{1}」"),
    (r"(\d+) of its (\d+) tasks find their best counterpart in this national action",
     "其{2}项任务中有{1}项的最佳对应在该国家行动中"),
    (r"the only national task its title resembles: ([\d.]+) against at most ([\d.]+) for any other",
     "标题只与该国家任务相近（{1}，其余均不超过{2}），无正文可核对"),
    (r"thesaurus: (.*)", "同义词表：{1}"),
)

_COMPILED = {name: tuple((lazy(p + r"\Z", re.S), zh) for p, zh in table)
             for name, table in (("note", _NOTES), ("problem", _PROBLEMS), ("evidence", _EVIDENCE))}


def in_chinese(text: str, table: str) -> str | None:
    """`text` (an English remark of the `note` or `problem` table) in Chinese, or None when unknown."""
    for pattern, zh in _COMPILED[table]:
        match = pattern.match(text)
        if match:
            return zh.format(None, *match.groups())
    return None


def note_text(note: str, zh: bool) -> str:
    """One of the matcher's notes on a link as a reader of Chinese (`zh`) or English reads it; a
    note with no entry is shown as written, so a new note is never lost, only untranslated."""
    return (in_chinese(note, "evidence") or note) if zh else note
