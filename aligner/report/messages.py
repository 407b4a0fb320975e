"""The message catalogue: every word a reader sees, in Chinese (the default) and English.

One table, so a term is translated once and every format says the same thing: 覆盖 / 部分覆盖 /
未覆盖（缺口） / 省级新增 for statuses, 相同 / 调整 / 部分 for relations, 国家任务 / 重点任务 / 政策措施
for what is counted. `message(lang, key, **params)` fills `{name}` placeholders with str.format.
JSON is data and never goes through here: its keys and values stay English.
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# key: (zh, en)
_TABLE: dict[str, tuple[str, str]] = {
    # statuses, relations, kinds
    "status.covered": ("覆盖", "covered"),
    "status.partial": ("部分覆盖", "partial"),
    "status.gap": ("未覆盖（缺口）", "gap"),
    "status.missing": ("无结果", "missing"),
    "status.error": ("处理失败", "failed"),
    "addition": ("省级新增", "provincial addition"),
    "relation.same": ("相同", "same"),
    "relation.adapted": ("调整", "adapted"),
    "relation.partial": ("部分", "partial"),
    "kind.action": ("行动", "action"),
    "kind.section": ("部分", "section"),
    "kind.task": ("重点任务", "task"),
    "kind.measure": ("政策措施", "measure"),
    "kind.other": ("其他", "other"),
    "kind.?": ("？", "?"),
    # report headings and labels
    "report.title": ("对照分析报告：{name}", "Alignment report: {name}"),
    "province": ("省份", "Province"),
    "plan": ("实施方案", "Plan"),
    "plan_file": ("方案文件", "Plan file"),
    "national_plan": ("国家方案", "National plan"),
    "national_plan_file": ("国家方案文件", "National plan file"),
    "national_tasks": ("国家重点任务", "National tasks"),
    "national_measures": ("国家政策措施", "National measures"),
    "additions": ("省级新增", "Provincial additions"),
    "legend": ("图例", "Legend"),
    # the one key to relations and the two numbers shown with every link (every format renders it)
    "score.label": ("{score}（标题{title}）", "{score} (title {title})"),
    "score.label_article": ("{score}（全文{title}）", "{score} (text {title})"),
    "legend.relations": ("关系：相同＝标题基本一致；调整＝同一任务，表述或内容有所调整；部分＝只涉及国家任务的部分内容。",
                         "Relation: same = nearly identical titles; adapted = the same task, reworded or localised; "
                         "partial = takes up part of the national task."),
    "legend.score": ("匹配度（0–1）：标题与正文综合比对的得分，最高为1.00；达到“调整”阈值计为覆盖，达到“关联”阈值计为部分覆盖；"
                     "依据中注明“正文中的「…」与该任务相应”的部分覆盖，以所引短语为据，匹配度可低于“关联”阈值。",
                     "Score (0–1): titles and texts compared together, at most 1.00; from the adapted threshold a "
                     "task counts as covered, from the link threshold as partly covered; a partial link whose "
                     "evidence says a phrase of the body restates the task rests on that phrase, and its score "
                     "may be below the link threshold."),
    "legend.title": ("标题相似度（0–1，括号内）：两条标题逐字比对的相似程度（按原文和同义词统一后各比一次，取高者）；达到“相同”阈值且匹配度达到“调整”阈值的为相同。"
                     "匹配度同为1.00时，标题相似度区分相同与调整。条例逐条对照时，括号内为两条条文全文逐字比对的相似程度。",
                     "Title similarity (0–1, in brackets): the two titles compared character by character (as "
                     "written and after the thesaurus, the higher of the two); same needs it at the same threshold and the score at the adapted threshold. Where two "
                     "links both score 1.00, it tells same from adapted. For regulations compared article by "
                     "article it is the whole texts of the two articles compared character by character."),
    "label.line": ("（第{line}行）", " (line {line})"),
    "label.item": ("第{n}项", " item {n}"),
    "short.measures": ("国家政策措施", "Measures"),
    "short.additions": ("省级新增", "Additions"),
    "short.hint": ("表中过长的标题已截短（…），加 --explain 显示全文。", "Long titles in the tables are shortened (…); --explain shows them in full."),
    "xl.province": ("省份", "province"),
    "xl.plan": ("实施方案", "plan title"),
    "xl.plan_file": ("方案文件", "plan file"),
    "xl.national_plan": ("国家方案", "national plan"),
    "xl.national_tasks": ("国家重点任务", "national tasks"),
    "xl.national_measures": ("国家政策措施", "national measures"),
    "xl.additions": ("省级新增", "provincial additions"),
    "warnings": ("提示", "Warnings"),
    "summary": ("概述", "Summary"),
    "definitions": ("口径说明", "How coverage is counted"),
    "coverage_of_tasks": ("国家重点任务覆盖情况", "Coverage of national tasks"),
    "aligned": ("逐条对照", "Clause by clause"),
    "other_links": ("其他对应关系", "Other links"),
    "policy_measures": ("国家政策措施", "National policy measures"),
    "gaps": ("未覆盖的国家任务（缺口）", "Gaps"),
    "targets": ("量化指标", "Quantitative targets"),
    "other_tasks": ("其他任务", "Other tasks"),
    "outside_action": ("不属于任何行动", "Outside any action"),
    "untitled": ("（无标题）", "(untitled)"),
    "unnamed": ("（未命名）", "(unnamed)"),
    "missing": ("（缺失）", "(missing)"),
    "none": ("无。", "None."),
    "no_gaps": ("无：每项国家任务和政策措施均有省级对应条款。", "None: every national task and measure has a provincial counterpart."),
    "no_counterpart": ("— 无对应条款", "— no counterpart"),
    "no_targets": ("未发现量化指标。", "No quantitative targets found."),
    "evidence": ("依据", "evidence"),
    "provenance": ("生成信息", "Provenance"),
    # table headers
    "col.number": ("编号", "#"),
    "col.national_task": ("国家任务", "national task"),
    "col.national_measure": ("国家政策措施", "national measure"),
    "col.status": ("情况", "status"),
    "col.counterparts": ("省级对应条款", "provincial counterpart(s)"),
    "col.score": ("匹配度", "score"),
    "col.title_similarity": ("标题相似度", "title similarity"),
    "col.relation": ("关系", "relation"),
    "col.evidence": ("依据", "evidence"),
    "col.terminal_counterparts": ("省级对应：编号 标题 · 匹配度 关系", "province: id title · score relation"),
    "col.national_clause": ("国家条款", "national clause"),
    "col.province_clause": ("省级对应条款", "provincial clause"),
    "no_match": ("未见对应", "no counterpart found"),
    "col.indicator": ("指标", "indicator"),
    "col.national": ("国家", "national"),
    "col.line": ("行", "line"),
    "col.matrix_row": ("国家任务 / 政策措施", "national task / measure"),
    "col.coverage": ("覆盖率", "coverage"),
    "measure_suffix": ("（政策措施）", " (measure)"),
    "matrix.title": ("覆盖矩阵：{title}", "Coverage matrix: {title}"),
    "matrix.part": ("（第{start}–{end}个省份，共{total}个）", " (provinces {start}–{end} of {total})"),
    "matrix.other": ("其他", "other"),
    "matrix.failed": ("处理失败的省份", "Failed provinces"),
    "matrix.error": ("失败", "error"),
    "matrix.unreliable": ("不可靠：{why}", "unreliable: {why}"),
    "matrix.unreliable_mark": ("†", "†"),
    "matrix.footnote": ("† {name}：{why}，该列的“未覆盖”可能是原文缺失，不代表缺口。",
                        "† {name}: {why}; its gaps may be missing text, not missing tasks."),
    # summary lines
    "line.tasks": ("{covered}/{tasks}项覆盖，{partial}项部分覆盖，{gap}项未覆盖", "{covered}/{tasks} covered, {partial} partial, {gap} gap"),
    "line.percent": ("（覆盖率{percent}）", " ({percent})"),
    "line.unreliable": ("（覆盖率不可靠：{why}，不能作为缺口率）", " (coverage unreliable: {why}; not a gap rate)"),
    "line.measures": ("{covered}/{total}项覆盖", "{covered}/{total} covered"),
    "line.measures_partial": ("，{partial}项部分覆盖", ", {partial} partial"),
    "line.measures_gap": ("，{gap}项未覆盖", ", {gap} gap"),
    "line.batch": ("{name}：{line}", "{name}: {line}"),
    # why coverage is unreliable
    "why.truncated": ("文本不完整（疑似截断）", "truncated"),
    "why.not-an-implementation": ("不像该国家文件的实施方案", "not-an-implementation"),
    "why.partial-listing": ("摘要或报道只列出部分任务", "a summary listing only part of the tasks"),
    "why.lost-line-breaks": ("文本分段丢失，结构未能读出", "lost-line-breaks"),
    # warnings
    "notice.truncated": ("文本不完整", "truncated"),
    "notice.declared-count-mismatch": ("数量不符", "declared-count-mismatch"),
    "notice.garbled-text": ("乱码", "garbled-text"),
    "notice.not-an-implementation": ("非实施方案", "not-an-implementation"),
    "notice.arguments-swapped": ("参数顺序", "arguments-swapped"),
    "notice.partial-listing": ("摘要", "partial-listing"),
    "notice.lost-line-breaks": ("分段丢失", "lost-line-breaks"),
    "notice.note": ("说明", "note"),
    "notice.line": ("第{line}行：", "line {line}: "),
    # definitions of the figures
    "def.tasks": ("覆盖率 =（覆盖项数 + 0.5 × 部分覆盖项数）÷ 国家重点任务总数；只计国家重点任务。",
                  "Coverage = (covered + 0.5 × partial) ÷ national key tasks; key tasks only."),
    "def.status": ("覆盖：省级方案有相同或调整后的对应条款（匹配度达到“调整”阈值）；部分覆盖：只涉及其部分内容"
                   "（匹配度达到“关联”阈值）；未覆盖：未见对应条款。",
                   "Covered: the province has the same or an adapted counterpart (score at least the adapted "
                   "threshold); partial: it takes up part of it (at least the link threshold); gap: no counterpart."),
    "def.measures": ("国家政策措施单独统计，不计入覆盖率。", "National policy measures are counted separately, not in the percentage."),
    # the summary paragraph
    "para.intro": ("《{title}》共部署{parts}", "《{title}》 sets out {parts}"),
    "para.actions": ("{n}项行动", "{n} actions"),
    "para.tasks": ("{n}项任务", "{n} tasks"),
    "para.join": ("、", " and "),
    "para.coverage": ("，覆盖国家《{national}》{tasks}项重点任务中的{covered}项（其中部分覆盖{partial}项），覆盖率{percent}",
                      "; of the {tasks} key tasks of 《{national}》 it covers {covered} ({partial} of them partly), "
                      "coverage {percent}"),
    "para.coverage_unreliable": ("，与国家《{national}》{tasks}项重点任务对照，{covered}项有对应条款（其中部分覆盖{partial}项）；"
                                 "因{why}，覆盖率不可靠，不据此计算缺口率",
                                 "; of the {tasks} key tasks of 《{national}》, {covered} have a counterpart ({partial} "
                                 "of them partly); the coverage is unreliable ({why}), so no gap rate is given"),
    "para.gaps": ("；未见对应的有：{items}", "; no counterpart was found for: {items}"),
    "para.no_gaps": ("；国家重点任务均有对应", "; every national key task has a counterpart"),
    "para.more": ("等{n}项", " and {rest} more"),
    "para.measures": ("；国家政策措施{total}项中覆盖{covered}项", "; of {total} national policy measures it covers {covered}"),
    "para.additions": ("；新增{n}项省级任务：{items}", "; it adds {n} provincial tasks: {items}"),
    "para.no_additions": ("；无省级新增任务", "; it adds no provincial tasks"),
    "para.end": ("。", "."),
    "para.decisions": ("；经人工复核，其中人工确认{accepted}条、人工新增{added}条、人工否决{rejected}条对应关系",
                       "; after an analyst's review, {accepted} links confirmed, {added} added and {rejected} rejected"),
    "decision.accept": ("（人工确认）", " (confirmed)"),
    "decision.add": ("（人工新增）", " (added by analyst)"),
    "decision.reject": ("（人工否决）", " (rejected by analyst)"),
    # the review sheet (-f review): its header words, which aligner.decisions also reads back
    "review.province": ("省份", "province"),
    "review.provincial": ("省级条款", "provincial"),
    "review.provincial_title": ("省级标题", "provincial_title"),
    "review.national": ("国家条款", "national"),
    "review.national_title": ("国家标题", "national_title"),
    "review.relation": ("关系", "relation"),
    "review.score": ("匹配度", "score"),
    "review.evidence": ("依据", "evidence"),
    "review.decision": ("决定", "decision"),
    "review.note": ("备注", "note"),
    # The decision words the sheet writes back (aligner.decisions.DECISION_WORDS reads them).
    "review.decided.accept": ("采纳", "accept"),
    "review.decided.add": ("新增", "add"),
    "review.decided.reject": ("否决", "reject"),
    "review.addition": ("省级新增：如对应某项国家任务，填写国家条款并选“新增”",
                        "provincial addition: to link it, fill in the national clause and decide add"),
    "review.sheet": ("人工复核", "review"),
    "review.hint": ("“决定”一栏填写：采纳 / 否决 / 新增（或 accept / reject / add），然后用 --decisions 传回本文件",
                    "fill in the decision column: accept / reject / add, then pass this file back with --decisions"),
    "para.list_sep": ("、", ", "),
    # document metadata
    "meta.number": ("文号", "Document number"),
    "meta.issuer": ("发文机关", "Issued by"),
    "meta.date": ("成文日期", "Date"),
    "meta.plan": ("方案信息", "Plan details"),
    "meta.national": ("国家方案信息", "National plan details"),
    # provenance
    "prov.tool": ("生成工具：aligner {version}", "Tool: aligner {version}"),
    "prov.date": ("生成日期：{date}", "Date: {date}"),
    "prov.inputs": ("输入文件：{files}", "Input: {files}"),
    "prov.sha": ("　sha256校验值：{sha}", "  sha256: {sha}"),
    "prov.thesaurus": ("词表：{thesaurus}", "Thesaurus: {thesaurus}"),
    "prov.builtin": ("内置词表", "built-in"),
    "prov.extra": ("，附加 {file}（校验值 sha256：{sha}）", " + {file} (sha256 {sha})"),
    "prov.thresholds": ("阈值：相同 {same}，调整 {adapted}，关联 {link}", "Thresholds: same {same}, adapted {adapted}, link {link}"),
    # spreadsheets
    "sheet.summary": ("概况", "summary"),
    "sheet.coverage": ("国家任务覆盖", "national coverage"),
    "sheet.tasks": ("省级任务", "provincial tasks"),
    "sheet.links": ("对应关系", "links"),
    "sheet.matrix": ("覆盖矩阵", "matrix"),
    "sheet.item": ("项目", "item"),
    "sheet.value": ("内容", "value"),
    "sheet.yes": ("是", "yes"),
    "sheet.no": ("否", "no"),
    "sheet.percent": ("覆盖率（%）", "coverage percent"),
    "sheet.covered": ("覆盖", "covered"),
    "sheet.partial": ("部分覆盖", "partial"),
    "sheet.gap": ("未覆盖", "gap"),
    "sheet.measures_covered": ("政策措施覆盖", "measures covered"),
    "sheet.measures_partial": ("政策措施部分覆盖", "measures partial"),
    "sheet.warning": ("提示", "warning"),
    "field.province": ("省份", "province"),
    "field.national_id": ("国家条款编号", "national_id"),
    "field.national_number": ("国家条款序号", "national_number"),
    "field.national_line": ("国家条款行号", "national_line"),
    "field.national_kind": ("国家条款类型", "national_kind"),
    "field.national_action": ("国家行动", "national_action"),
    "field.national_title": ("国家任务", "national_title"),
    "field.status": ("覆盖情况", "status"),
    "field.province_id": ("省级条款编号", "province_id"),
    "field.province_number": ("省级条款序号", "province_number"),
    "field.province_line": ("省级条款行号", "province_line"),
    "field.province_title": ("省级条款", "province_title"),
    "field.score": ("匹配度", "score"),
    "field.title_similarity": ("标题相似度", "title_similarity"),
    "field.relation": ("关系", "relation"),
    "field.shared_terms": ("共有关键词", "shared_terms"),
    "field.responsible_units": ("责任单位", "responsible_units"),
    "field.kind": ("类型", "kind"),
    "field.action": ("所属行动", "action"),
    "field.title": ("标题", "title"),
    "field.linked_national_ids": ("对应国家条款", "linked_national_ids"),
    "field.addition": ("省级新增", "addition"),
    "field.province_sentence": ("省级句子", "province_sentence"),
    "field.national_sentence": ("国家句子", "national_sentence"),
    "field.sentence_score": ("句子相似度", "sentence_score"),
    "field.notes": ("备注", "notes"),
    "field.coverage_percent": ("覆盖率（%）", "coverage_percent"),
    # evidence
    "ev.shared": ("共有关键词：{terms}", "shared terms: {terms}"),
    "ev.pair": ("最相近的句子（{score}）：「{province}」 ↔ 「{national}」", "best sentence pair ({score}): 「{province}」 ↔ 「{national}」"),
    # the terminal and the batch
    "batch.wrote": ("已写出{n}份省级报告和覆盖矩阵，位于 {folder}/", "wrote {n} province reports and the matrix to {folder}/"),
    "batch.skipped": ("已跳过 {name}：{why}", "skipped {name}: {why}"),
    "skip.doc": ("Word 97-2003 格式（.doc）无法读取，请在 Word 或 WPS 中“另存为” .docx 或 .txt 后再试",
                 "Word 97-2003 (.doc) cannot be read: save it as .docx or .txt in Word or WPS"),
    "skip.wps": ("WPS 格式（.wps）无法读取，请在 WPS 中“另存为” .docx 或 .txt 后再试",
                 "WPS (.wps) cannot be read: save it as .docx or .txt in WPS"),
    "skip.ofd": ("OFD 版式文件无法读取，请用数科阅读器等导出为 PDF（带文字层）或 .txt 后再试",
                 "OFD cannot be read: export it to PDF (with a text layer) or .txt in an OFD reader"),
    "skip.other": ("不是可读取的方案格式（.txt、.docx、.pdf、.html、.md）", "not a plan format read here (.txt, .docx, .pdf, .html, .md)"),
    "wrote": ("已写出 {path}", "wrote {path}"),
    "warning": ("提示", "warning"),
    "error": ("错误", "error"),
    "error.line": ("错误：{text}", "error: {text}"),
    "error.input": ("{path}：{problem}", "{path}: {problem}"),
    "progress": ("对照中", "aligning"),
}


def message(lang: str, key: str, **params: object) -> str:
    """The text for `key` in `lang` (zh or en), placeholders filled."""
    zh, en = _TABLE[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


class Catalogue:
    """`msg = Catalogue("zh"); msg("gaps")`: the table bound to one language."""

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, **params: object) -> str:
        return message(self.lang, key, **params)

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    def status(self, value: str) -> str:
        return self(f"status.{value}")

    def relation(self, value: str) -> str:
        return self(f"relation.{value}") if value else ""

    def kind(self, value: str) -> str:
        return self(f"kind.{value}") if f"kind.{value}" in _TABLE else value

    def note(self, text: str) -> str:
        """A reader's or parser's remark (written in English) in this language."""
        return self._translated(text, "note", "notice.note")

    def problem(self, text: str) -> str:
        """Why an input cannot be used (written in English) in this language."""
        return self._translated(text, "problem", "")

    def input_error(self, path: str, problem: str) -> str:
        """`路径：问题` — an unusable input as the reader is told."""
        return self("error.input", path=path, problem=self.problem(problem))

    def _translated(self, text: str, table: str, label: str) -> str:
        if not self.zh:
            return text
        from aligner.report.problems import in_chinese

        zh = in_chinese(text, table)
        return zh if zh is not None else (f"{self(label)}：{text}" if label else text)


# --help texts (the CLI reads them in the default language: typer builds help before options are parsed)
HELP: dict[str, tuple[str, str]] = {
    "app": ("将省级实施方案与其落实的国家方案逐项对照：覆盖、缺口和省级新增。\n\n"
            "  align 国家方案 省级方案 [省级方案…]   覆盖、缺口和省级新增\n\n"
            "  align outline 文件                   一份方案解析出的条款结构",
            "Align provincial implementation plans with the national plan they implement.\n\n"
            "  align NATIONAL PROVINCE [PROVINCE…]   coverage, gaps and provincial additions\n\n"
            "  align outline FILE                    the parsed clause tree of one plan"),
    "compare": ("对照省级方案与国家方案：覆盖、缺口和省级新增。一个省份输出完整报告；多个省份（或文件夹）"
                "每省一行并输出“国家任务 × 省份”覆盖矩阵。",
                "Compare provincial plans with the national plan: coverage, gaps and provincial additions. One "
                "province prints a full report; several (or a folder) print one line each and a matrix."),
    "national": ("国家方案（任意中文编码的 .txt、.docx、.pdf、.html）。",
                 "The national plan (.txt in any Chinese encoding, .docx, .pdf, .html)."),
    "provinces": ("一个或多个省级方案，或存放方案的文件夹。", "One or more provincial plans, or folders of them."),
    "format": ("报告格式。json 和 csv 未指定 -o 时输出到标准输出；md、xlsx、html、docx 写入 reports/<省份>.<扩展名>。",
               "Report format. json and csv go to standard output unless -o is given; md, xlsx, html and docx go "
               "to reports/<province>.<ext>."),
    "output": ("报告文件（一个省份，扩展名决定格式）或文件夹（多个省份）。",
               "Report file (one province; its extension sets the format) or folder (several provinces)."),
    "explain": ("列出每项对应的依据，并显示完整标题。", "Show the evidence for each match, and titles in full."),
    "script": ("输出文字：简体（默认）、繁体或保持原文。", "Script of the text shown: simplified (default), traditional or as written (original)."),
    "lang": ("报告语言：zh（中文，默认）或 en（英文）。", "Report language: zh (Chinese, the default) or en (English)."),
    "thesaurus": ("附加词表（每行 'A => B' 或 'A += B'），叠加在内置词表之上。",
                  "Extra thesaurus (lines 'A => B' or 'A += B') on top of the built-in one."),
    "link": ("计为（部分）对应的最低匹配度（0–1）。低于它的对应只有两种，依据中都注明理由：正文某句与国家任务相应；"
             "无正文的条目只与一项国家任务相近。",
             "Lowest score (0–1) that counts as a (partial) link. Only two kinds of link fall below it, each "
             "with its reason in the evidence: a body phrase that restates a national task, and a bodiless "
             "item that resembles one national task only."),
    "adapted": ("计为覆盖的最低匹配度（0–1）。", "Score (0–1) from which a national task counts as covered."),
    "fail_under": ("任一省份覆盖率（%）低于该值时以状态 1 退出。", "Exit 1 if any province's coverage (%) is below this."),
    "jobs": ("批量处理的并行进程数（不超过 CPU 核数）。", "Parallel processes for batches (at most the number of cores)."),
    "decisions": ("人工复核表（.csv 或 .xlsx，-f review 生成；批量时含“省份”列，或每省一个文件的文件夹）。",
                  "An analyst's decisions (.csv or .xlsx from -f review; for a batch with a province column, or a "
                  "folder with one file per province)."),
    "max_size": ("可接受的最大输入文件（MB）。", "Largest input file accepted, in MB."),
    "version": ("显示版本号并退出。", "Print the version and exit."),
    "outline": ("显示一份方案解析出的条款结构（用于检查解析结果）。", "Print the parsed clause tree of one plan (to check what the parser found)."),
    "file": ("一份方案文件。", "A plan document."),
    "json": ("以 JSON 输出条款。", "Print the clauses as JSON instead of a tree."),
}


def help_text(key: str, lang: str = DEFAULT_LANG) -> str:
    """A --help text; both languages when asked in zh, so an English reader is not lost."""
    zh, en = HELP[key]
    return en if lang == "en" else zh
