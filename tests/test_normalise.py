"""Normalisation on small constructed lines: each test names one kind of noise real web copies carry.

The parser trusts that numbering, punctuation and script look the same in every document; these
tests pin down the cleaning that makes that true, and that it never eats real text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aligner.normalise import (
    clean_line,
    collapse_spaces,
    fold_width,
    header_length,
    is_junk,
    looks_like_mojibake,
    normalise,
    strip_pinyin,
)

MOJIBAKE = "?。ㄒ唬嵤┬乱惠嗈r(nóng)業(yè)轉(zhuǎn)移人口市民化行動"


# --- pinyin readings -----------------------------------------------------------------------------


def test_tone_marked_readings_are_removed() -> None:
    assert clean_line("國(guó)務(wù)院") == "國務院"
    assert strip_pinyin("國(guó)務(wù)院") == "國務院"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("戶(hu)(hu)籍", "戶籍"), ("住(zhu)(zhu)(zhu)房", "住房"), ("戶( hu )( hu )籍", "戶籍")],
)
def test_repeated_toneless_readings_are_removed(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "職業院校(含技工院校)",
        "(一)推進戶籍制度改革",
        "第五代移動通信(5G)網絡",
        "政府和社會資本合作(PPP)",
        "《國家新型城鎮化規劃(2021—2035年)》",
        "加油(氣)站",
        "縣(市、區)",
    ],
)
def test_real_brackets_are_kept(text: str) -> None:
    assert clean_line(text) == text


# --- width, numbering punctuation, enclosed numbers ------------------------------------------------


def test_full_width_digits_letters_and_brackets_fold() -> None:
    assert clean_line("１２ＡＢ（一）") == "12AB(一)"
    assert fold_width("１２ＡＢ（一）") == "12AB(一)"


@pytest.mark.parametrize("raw", ["1﹒推進改革", "1．推進改革"])
def test_numbering_dots_become_ascii(raw: str) -> None:
    assert clean_line(raw) == "1.推進改革"


def test_circled_numbers_keep_their_look() -> None:
    """① is a numbering style of its own; folding it to 1 would merge two levels of a plan."""
    assert clean_line("①推進改革") == "①推進改革"


def test_full_width_question_mark_is_kept() -> None:
    assert fold_width("是否？") == "是否？"


# --- spaces -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("人 口", "人口"), ("( 一)推進", "(一)推進"), ("聯 系 人", "聯系人"), ("人\u3000口", "人口")],
)
def test_ocr_spaces_collapse(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_spaces_between_latin_words_are_kept() -> None:
    assert collapse_spaces("  Smart  City 建設 ") == "Smart City 建設"


# --- lost characters ------------------------------------------------------------------------------


def test_replacement_char_and_lost_question_marks_go() -> None:
    assert clean_line("城\ufffd鎮化") == "城鎮化"
    assert clean_line("人?口") == "人口"
    assert clean_line("人 ? 口") == "人口"


def test_question_mark_in_latin_text_is_kept() -> None:
    assert clean_line("why?") == "why?"


# --- junk ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "来源:甘肃省人民政府网站 责任编辑:高睿蔓 发布时间:2024-11-22",
        "字号:A A    颜色:",
        "评论前必须登录!",
        "評論前必須登錄!",
        "注册",
        "注冊",
        "欢迎访问庆阳政法网,今天是 2024年12月04日 星期三",
        "当前位置:首页 » 公告通知",
        "[GAP]",
        "[image]",
        "http://example.gov.cn/a/b.html",
        "<https://example.gov.cn/x>",
        "……",
    ],
)
def test_web_furniture_is_junk(line: str) -> None:
    assert is_junk(clean_line(line))


def test_junk_lines_are_dropped_and_plan_lines_keep_their_numbers() -> None:
    text = "欢迎访问某网站\n当前位置:首页 » 公告通知\n[GAP]\n一、總體要求\n注册\n"
    clean = normalise("x.txt", text)
    assert [(line.number, line.original) for line in clean.lines] == [(4, "一、總體要求")]


@pytest.mark.parametrize(
    "line",
    [
        "一、总体要求",
        "注册登记制度改革",
        "(一)来源于实践",
        "详见 https://example.gov.cn/x",
        "3.推进数字政府建设(平台地址:https://zwfw.example.gov.cn/),实现一网通办。",
        "[一]推进落户",
    ],
)
def test_plan_text_is_not_junk(line: str) -> None:
    assert not is_junk(clean_line(line))


def test_a_task_citing_a_web_address_keeps_its_text() -> None:
    clean = normalise("x.txt", "一、重点任务\n1.推进数字政府建设,详见https://www.example.gov.cn/zw。\nhttps://www.example.gov.cn/\n")
    assert [line.original for line in clean.lines] == ["一、重点任务", "1.推进数字政府建设,详见https://www.example.gov.cn/zw。"]


@pytest.mark.parametrize(
    "header",
    [
        "# source: http://example.gov.cn\n# title: 某省实施方案\n# completeness: partial\n",
        "Title: 某省实施方案\nURL: http://example.gov.cn/a.html\nDate: 2024-12-01\n",
        "---\ntitle: 某省实施方案\ntags: [城镇化]\n---\n",
        "\n\nfrom: someone@example.com\n",
    ],
)
def test_a_leading_metadata_header_is_not_plan_text(header: str) -> None:
    clean = normalise("x.txt", header + "某省实施方案\n一、總體要求\n")
    assert [line.original for line in clean.lines] == ["某省实施方案", "一、總體要求"]
    assert clean.lines[0].number == header.count("\n") + 1


def test_only_a_leading_header_is_metadata() -> None:
    """`name: value` lines later in a plan (or a Chinese field name) stay text."""
    assert header_length(["一、總體要求", "Note: 2030 targets"]) == 0
    assert header_length(["来源: 省政府", "一、總體要求"]) == 0
    text = "一、總體要求\nPPP: 推广政府和社会资本合作\n"
    # kept as text (the space between a colon and Chinese text goes, as after every punctuation mark)
    assert [line.original for line in normalise("x.txt", text).lines] == ["一、總體要求", "PPP:推广政府和社会资本合作"]


# --- mojibake -----------------------------------------------------------------------------------


def test_mojibake_line_is_reported_not_fatal() -> None:
    clean = normalise("hunan.txt", f"二、重點任務\n{MOJIBAKE}\n1.健全制度。")
    assert looks_like_mojibake(clean_line(MOJIBAKE))
    assert any(note.startswith("line 2:") and "mojibake" in note for note in clean.notes)
    assert [line.number for line in clean.lines] == [1, 3]
    assert all("ㄒ" not in line.original for line in clean.lines)


def test_mojibake_pieces_are_cut_readable_pieces_kept() -> None:
    clean = normalise("x.txt", "從責任壓實、監測評估4個方面提出具體要求,確?!秾嵤┓桨浮坟熑蚊魑?、落實有力。")
    assert clean.lines[0].original.startswith("從責任壓實、監測評估4個方面提出具體要求")
    assert "┓" not in clean.lines[0].original
    assert any("kept" in note for note in clean.notes)


def test_junk_header_quoting_mojibake_is_dropped_silently() -> None:
    """A provenance header that quotes the garbled text is furniture, not a garbled plan line."""
    clean = normalise("x.txt", f"# completeness: partial, one mojibake line ({MOJIBAKE[:8]}…)\n一、總體要求")
    assert clean.notes == ()
    assert [line.original for line in clean.lines] == ["一、總體要求"]


# --- scripts --------------------------------------------------------------------------------------


def test_simplified_for_parsing_original_kept_for_display() -> None:
    clean = normalise("x.txt", "國(guó)務(wù)院關(guān)于進一步深化戶籍制度改革")
    line = clean.lines[0]
    assert line.original == "國務院關于進一步深化戶籍制度改革"
    assert line.simplified == "国务院关于进一步深化户籍制度改革"


def test_markdown_headings_lose_their_marks() -> None:
    assert clean_line("## 一、总体要求") == "一、总体要求"
    assert clean_line("＃ 一、总体要求") == "一、总体要求"


# --- properties -----------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("人口國務院戶籍推進一二三十是")
    + list("()（）[]【】《》“”、，。：:；;!！?？.．﹒-—#＃")
    + list("abghinuzAPG5０１２ＡＢ①②")
    + list("ánǎìóù")
    + [" ", "\u3000", "\u00a0", "\t", "\ufffd", "\u200b", "ㄒ", "唬", "┬"]
)
_MIXED = st.text(alphabet=_ALPHABET, max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_MIXED, st.text(max_size=40)))
@example("# # 标题")  # one heading mark per pass before the fix
@example("＃ 标题")  # full-width heading mark, folded only after headings were stripped
@example("人\u3000?\u3000(hu)")  # the lost ? goes, then the reading sits right after 人
def test_clean_line_is_idempotent_and_total(text: str) -> None:
    once = clean_line(text)
    assert clean_line(once) == once


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_MIXED, st.just(MOJIBAKE), st.text(max_size=20)), max_size=8).map("\n".join))
def test_normalise_never_raises_and_keeps_lines_clean(text: str) -> None:
    clean = normalise("x.txt", text)
    numbers = [line.number for line in clean.lines]
    assert numbers == sorted(set(numbers))
    for line in clean.lines:
        assert line.original and not is_junk(line.original)
        assert clean_line(line.original) == line.original


def test_hard_wrapped_pdf_text_is_rejoined_and_page_footers_dropped() -> None:
    """Text layers of PDFs break lines at a fixed width and carry page numbers; clauses must not."""
    sentence = "推动同质低效产业园区整合升级,构建高水平专业化产业服务支撑平台," * 3 + "建立健全综合考核评价体系。"
    body = [sentence[i : i + 20] for i in range(0, len(sentence), 20)]
    text = "\n".join(
        ["一、实施潜力地区城镇化水平提升行动", "(一)促进产业园区提级扩能。", *body, "— 3 —", "(二)强化产业发展人才支撑。",
         *body, "第 4 页", "(三)增强城镇综合承载能力。", *body]
    )
    lines = normalise("wrapped.txt", text).lines
    assert [line.simplified for line in lines] == [
        "一、实施潜力地区城镇化水平提升行动",
        "(一)促进产业园区提级扩能。",
        sentence,
        "(二)强化产业发展人才支撑。",
        sentence,
        "(三)增强城镇综合承载能力。",
        sentence,
    ]


def test_hard_wrapped_lines_are_never_joined_across_a_blank_line() -> None:
    sentence = "推动同质低效产业园区整合升级,构建高水平专业化产业服务支撑平台," * 3 + "建立健全综合考核评价体系。"
    body = [sentence[i : i + 20] for i in range(0, len(sentence), 20)]
    heading = "(一)关于农业转移人口市民化行动落地实施的"  # full width, no sentence end
    text = "\n".join([*body, heading[:20], "", *body])
    lines = normalise("wrapped.txt", text).lines
    assert [line.simplified for line in lines] == [sentence, heading[:20], sentence]


def test_wrapped_lines_are_measured_as_the_source_wrote_them() -> None:
    """Web copies of 解读 carry pinyin readings (鎮(zhèn)): the source lines have one width, the
    cleaned ones do not, and the width must still be found."""
    sentence = "推动同质低效产业园区整合升级,构建高水平专业化城镇(zhèn)产业服务支撑平台," * 3 + "建立健全综合考核评价体系。"
    body = [sentence[i : i + 20] for i in range(0, len(sentence), 20)]
    text = "\n".join(["(一)促进产业园区提级扩能。", *body, "(二)强化产业发展人才支撑。", *body])
    lines = normalise("wrapped.txt", text).lines
    plain = sentence.replace("(zhèn)", "")
    assert [line.simplified for line in lines] == ["(一)促进产业园区提级扩能。", plain, "(二)强化产业发展人才支撑。", plain]


def test_a_short_line_ends_the_join_even_after_joined_lines() -> None:
    """A paragraph's last line is short (here it ends without punctuation, as headings do): the
    next line starts a paragraph of its own, however long the joined line before it has become."""
    sentence = "推动同质低效产业园区整合升级,构建高水平专业化产业服务支撑平台," * 3 + "建立健全综合考核评价体系"
    body = [sentence[i : i + 20] for i in range(0, len(sentence), 20)]
    assert len(body[-1]) < 19
    text = "\n".join([*body, *body, "推进。"])
    lines = normalise("wrapped.txt", text).lines
    assert [line.simplified for line in lines] == [sentence, sentence, "推进。"]


def test_a_reading_or_a_bracket_at_the_wrap_point_does_not_stop_the_join() -> None:
    """The wrap falls anywhere: inside a pinyin reading (城鎮(z | hèn)化), or right after a closing
    bracket (《实施方案》 | 已经印发), where no sentence ends."""
    sentence = "推动同质低效产业园区整合升级构建城鎮(zhèn)化产业服务支撑平台按《实施方案》已经省政府印发,现将有关要求解读如下,推动同质低效产业园区整合升级。"
    pieces = [sentence[i : i + 20] for i in range(0, len(sentence), 20)]
    assert pieces[0].endswith("(z") and pieces[1].endswith("》")
    lines = normalise("wrapped.txt", "\n".join(pieces * 3)).lines
    assert [line.original for line in lines] == [sentence.replace("(zhèn)", "")] * 3


def test_a_copy_of_page_source_or_markdown_reads_as_the_plain_text() -> None:
    """Character references (&nbsp; &ldquo;) and markdown's strong emphasis (**（一）……**) are how
    copies through a page's source or a markdown converter carry the same text."""
    plain = "（一）推进农业转移人口市民化，一是深化户籍制度改革；二是“放宽落户条件”。"
    copies = ["（一）推进农业转移人口市民化，&nbsp;一是深化户籍制度改革；二是&ldquo;放宽落户条件&rdquo;。",
              "**（一）推进农业转移人口市民化**，一是深化户籍制度改革；二是“放宽落户条件”。",
              "（一）推进农业转移人口市民化，&#160;一是深化户籍制度改革；二是&#x201C;放宽落户条件&#8221;。"]
    want = [line.simplified for line in normalise("x.txt", plain).lines]
    for copy in copies:
        assert [line.simplified for line in normalise("x.txt", copy).lines] == want, copy
    # an ampersand that is no reference, and single stars, stay
    assert clean_line("A&B 两地 * 备注") == "A&B 两地 * 备注"


def test_lines_of_a_normal_document_are_not_joined() -> None:
    text = (Path(__file__).resolve().parent.parent / "plans" / "national.txt").read_text(encoding="utf-8")
    clean = normalise("national.txt", text)
    assert not any("hard-wrapped" in note for note in clean.notes)


# Garbled forms of real sentences, made the ways web copies garble them; no character is named.
_SENTENCES = ("推进农业转移人口市民化，健全常住地提供基本公共服务制度。", "實施城市更新和安全韌性提升行動，加強城市洪澇治理。")


@pytest.mark.parametrize("sentence", _SENTENCES)
@pytest.mark.parametrize("codec", ["gb18030", "gbk", "cp1252"])
def test_utf8_read_with_another_codec_is_mojibake(sentence: str, codec: str) -> None:
    garbled = clean_line(sentence.encode("utf-8").decode(codec, "replace"))
    assert looks_like_mojibake(garbled)
    clean = normalise("x.txt", f"一、總體要求\n{garbled}\n")
    assert [line.number for line in clean.lines] == [1]
    assert any("line 2: garbled text" in note for note in clean.notes)


def test_a_garbled_piece_is_cut_and_the_readable_pieces_kept() -> None:
    garbled = "推进城市更新".encode("utf-8").decode("gb18030", "replace")
    clean = normalise("x.txt", f"完善住房保障体系,{garbled},加强城市洪涝治理。")
    assert clean.lines[0].original == "完善住房保障体系,加强城市洪涝治理。"


def test_box_drawing_and_rare_ideographs_mark_a_line() -> None:
    assert looks_like_mojibake("推进┓城市┬更新")  # two odd-class characters close together
    assert looks_like_mojibake("推进\u3400城\u4db5更新")  # Extension A: outside GB2312 and Big5
    assert not looks_like_mojibake("推进┓城市更新工作,全面提升城市品质┬")  # far apart


def test_real_plan_lines_in_both_scripts_are_not_mojibake() -> None:
    from pathlib import Path

    import opencc

    root = Path(__file__).resolve().parent.parent
    to_traditional = opencc.OpenCC("s2t")
    for path in [root / "plans" / "national.txt", *sorted((root / "tests" / "fixtures" / "provinces").glob("*.txt"))]:
        text = path.read_bytes().decode("utf-8", "replace") if path.name != "henan.txt" else path.read_text("gb18030")
        for line in text.splitlines():
            for variant in (line, to_traditional.convert(line)):
                assert not looks_like_mojibake(clean_line(variant)), variant
