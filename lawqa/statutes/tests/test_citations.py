"""Table tests for the citation parser (every form in issue 3) and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawqa.statutes.citations import (
    NOT_FOUND,
    OK,
    REPEALED,
    UNKNOWN_LAW,
    LawInfo,
    LawTable,
    check_text,
    find_citations,
    generated_aliases,
    normalize_name,
)


def _arts(*numbers: int, subs: tuple[tuple[int, int], ...] = ()) -> frozenset[tuple[int, int]]:
    return frozenset({(n, 0) for n in numbers} | set(subs))


TABLE = LawTable.build(
    [
        LawInfo("民法典", "中华人民共和国民法典", _arts(*range(1, 1261))),
        LawInfo("劳动合同法", "中华人民共和国劳动合同法", _arts(*range(1, 99))),
        LawInfo("刑法", "中华人民共和国刑法", _arts(*range(1, 453), subs=((133, 1), (284, 1), (120, 2)))),
        LawInfo("个人信息保护法", "中华人民共和国个人信息保护法", _arts(*range(1, 75))),
        LawInfo("工伤保险条例", "工伤保险条例", _arts(*range(1, 68))),
        LawInfo("道路交通安全法", "中华人民共和国道路交通安全法", _arts(*range(1, 125))),
        LawInfo("劳动法", "中华人民共和国劳动法", _arts(*range(1, 108))),
        LawInfo(
            "最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
            "最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
            _arts(*range(1, 32)),
        ),
        LawInfo(
            "最高人民法院关于适用《民法典》婚姻家庭编的解释（一）",
            "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）",
            _arts(*range(1, 92)),
        ),
        LawInfo(
            "婚姻法",
            "中华人民共和国婚姻法",
            repealed=True,
            repealed_on="2021-01-01",
            repealed_by="《中华人民共和国民法典》第一千二百六十条",
            successor="民法典",
        ),
        LawInfo(
            "合同法", "中华人民共和国合同法", repealed=True, repealed_on="2021-01-01", successor="民法典"
        ),
        LawInfo(
            "物权法", "中华人民共和国物权法", repealed=True, repealed_on="2021-01-01", successor="民法典"
        ),
    ]
)


def found(text: str) -> list[tuple[str, int, int]]:
    return [(c.law, c.article, c.sub) for c in find_citations(text, TABLE)]


FORMS = [
    pytest.param("《中华人民共和国民法典》第一千零三十八条规定", [("民法典", 1038, 0)], id="full-title"),
    pytest.param("依据《民法典》第1062条", [("民法典", 1062, 0)], id="short-title-arabic"),
    pytest.param("民法典第一千零七十九条", [("民法典", 1079, 0)], id="unbracketed"),
    pytest.param("根据劳动合同法第八十二条", [("劳动合同法", 82, 0)], id="unbracketed-law"),
    pytest.param("《个保法》第十三条", [("个人信息保护法", 13, 0)], id="abbreviation"),
    pytest.param("《民法典》第一千零五条", [("民法典", 1005, 0)], id="numeral-with-zero"),
    pytest.param("《民法典》第１０７９条", [("民法典", 1079, 0)], id="full-width-digits"),
    pytest.param("《民法典》第 1079 条", [("民法典", 1079, 0)], id="spaces-inside"),
    pytest.param("《民法典》第一千零七十九 条", [("民法典", 1079, 0)], id="space-before-tiao"),
    pytest.param(
        "《劳动合同法》第三十九条、第四十条", [("劳动合同法", 39, 0), ("劳动合同法", 40, 0)], id="list-dunhao"
    ),
    pytest.param(
        "《劳动合同法》第三十八条和第四十六条", [("劳动合同法", 38, 0), ("劳动合同法", 46, 0)], id="list-he"
    ),
    pytest.param(
        "《劳动合同法》第三十八条及第四十六条", [("劳动合同法", 38, 0), ("劳动合同法", 46, 0)], id="list-ji"
    ),
    pytest.param(
        "《劳动合同法》第三十八条以及第四十六条",
        [("劳动合同法", 38, 0), ("劳动合同法", 46, 0)],
        id="list-yiji",
    ),
    pytest.param(
        "《民法典》第五百七十七条、五百八十四条", [("民法典", 577, 0), ("民法典", 584, 0)], id="list-no-di"
    ),
    pytest.param(
        "《民法典》第二十二条至第二十四条",
        [("民法典", 22, 0), ("民法典", 23, 0), ("民法典", 24, 0)],
        id="range",
    ),
    pytest.param(
        "《民法典》第二十二至二十四条",
        [("民法典", 22, 0), ("民法典", 23, 0), ("民法典", 24, 0)],
        id="range-short",
    ),
    pytest.param("《刑法》第一百三十三条之一", [("刑法", 133, 1)], id="zhi-yi"),
    pytest.param("《刑法》第二百八十四条之一处罚", [("刑法", 284, 1)], id="zhi-yi-arabic-free"),
    pytest.param("《刑法》第二百六十六条之规定", [("刑法", 266, 0)], id="zhi-guiding-not-sub"),
    pytest.param("《个人信息保护法》第十三条第一款第（一）项", [("个人信息保护法", 13, 0)], id="kuan-xiang"),
    pytest.param(
        "《劳动合同法》第十条规定书面合同，该法第八十二条规定二倍工资",
        [("劳动合同法", 10, 0), ("劳动合同法", 82, 0)],
        id="anaphora-gaifa",
    ),
    pytest.param(
        "《劳动合同法》第十条，本法第八十二条",
        [("劳动合同法", 10, 0), ("劳动合同法", 82, 0)],
        id="anaphora-benfa",
    ),
    pytest.param(
        "《道路交通安全法》第七十六条与《民法典》第一千二百零八条，同法第一千二百一十三条",
        [("道路交通安全法", 76, 0), ("民法典", 1208, 0), ("民法典", 1213, 0)],
        id="anaphora-tongfa",
    ),
    pytest.param(
        "《劳动法》第四十四条规定了加班费，上述法律第九十一条规定了赔偿。",
        [("劳动法", 44, 0), ("劳动法", 91, 0)],
        id="anaphora-shangshu",
    ),
    pytest.param(
        "《劳动合同法》第四十六条规定：“（一）劳动者依照本法第三十八条规定解除劳动合同的；”",
        [("劳动合同法", 46, 0), ("劳动合同法", 38, 0)],
        id="benfa-in-quote",
    ),
    pytest.param(
        "《民法典》第一千零七十九条规定：“依照《劳动法》第五条……本法第一千零八十条”",
        [("民法典", 1079, 0), ("劳动法", 5, 0), ("民法典", 1080, 0)],
        id="benfa-in-quote-is-quoted-law",
    ),
    pytest.param(
        "《工伤保险条例》第十四条规定了工伤，第十五条规定了视同工伤。",
        [("工伤保险条例", 14, 0), ("工伤保险条例", 15, 0)],
        id="bare-ref-in-scope",
    ),
    pytest.param(
        "根据《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条",
        [("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 25, 0)],
        id="judicial-interpretation-full-title",
    ),
    pytest.param(
        "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第七十八条",
        [("最高人民法院关于适用《民法典》婚姻家庭编的解释（一）", 78, 0)],
        id="judicial-interpretation-inner-brackets",
    ),
    pytest.param(
        "最高人民法院《关于审理民间借贷案件适用法律若干问题的规定》第二十六条",
        [("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 26, 0)],
        id="judicial-interpretation-court-outside",
    ),
    pytest.param(
        "《民间借贷司法解释》第二十六条",
        [("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 26, 0)],
        id="judicial-interpretation-short-name",
    ),
    pytest.param("《婚姻法》第三十二条", [("婚姻法", 32, 0)], id="repealed-law"),
    pytest.param("原合同法第五十二条", [("合同法", 52, 0)], id="repealed-unbracketed"),
    pytest.param("《民法典》婚姻家庭编第一千零七十九条", [("民法典", 1079, 0)], id="bian-between"),
    pytest.param("《公司法》（2018年修正）第二十条", [("公司法", 20, 0)], id="version-between-unknown"),
    pytest.param("《瑞士民法》第896条", [("瑞士民法", 896, 0)], id="unknown-law"),
    pytest.param("<span>《民法典》</span>第一千零六十四条", [("民法典", 1064, 0)], id="html-between"),
    pytest.param("<<民法典>>第1079条", [("民法典", 1079, 0)], id="ascii-title-marks"),
    pytest.param("〈劳动合同法〉第三十八条", [("劳动合同法", 38, 0)], id="single-angle-title-marks"),
    pytest.param(
        "《民法典》第一条，根据“劳动合同法”第三十八条",
        [("民法典", 1, 0), ("劳动合同法", 38, 0)],
        id="quoted-law-name",
    ),
    pytest.param(
        "《劳动合同法》第三十九、四十条", [("劳动合同法", 39, 0), ("劳动合同法", 40, 0)], id="numbers-list"
    ),
    pytest.param(
        "《民法典》第五百八十五条规定：“当事人可以约定……”第五百八十六条",
        [("民法典", 585, 0), ("民法典", 586, 0)],
        id="after-quotation-back-to-quoted-law",
    ),
    pytest.param("根据上海市劳动合同法第十条", [], id="not-local-regulation-as-national"),
    pytest.param("合同第五条约定了违约金，第七条约定了管辖法院。", [], id="not-contract-clause"),
    pytest.param("这是我工作的第三年。", [], id="not-third-year"),
    pytest.param("第十条规定了这个。", [], id="not-bare-without-law"),
    pytest.param("我看了民法典，但不知道哪一条适用。", [], id="not-law-without-article"),
    pytest.param("《劳动合同》第五条约定试用期", [], id="not-bracketed-contract"),
    pytest.param("《公司章程》第十条", [], id="not-articles-of-association"),
    pytest.param(
        "根据《民法典》第五百八十五条，合同第五条约定的违约金过高，第七条约定了管辖。",
        [("民法典", 585, 0)],
        id="not-contract-clause-after-law",
    ),
    pytest.param("《最高人民法院关于适用刑法第十二条几个问题的解释》", [], id="not-inside-title"),
    pytest.param("我走第二条路", [], id="not-measure-word"),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_find_citations_form(text, expected):
    assert found(text) == expected


STATUSES = [
    pytest.param("《民法典》第一千零四十二条", OK, id="ok"),
    pytest.param("《物权法》第三十九条", REPEALED, id="repealed"),
    pytest.param("《民法典》第一千三百条", NOT_FOUND, id="not-found"),
    pytest.param("《刑法》第一百三十三条之二", NOT_FOUND, id="not-found-sub"),
    pytest.param("《瑞士民法》第896条", UNKNOWN_LAW, id="unknown-law"),
]


@pytest.mark.parametrize(("text", "status"), STATUSES)
def test_check_text_status(text, status):
    assert [r.status for r in check_text(text, TABLE)] == [status]


def test_check_text_repealed_note_names_successor():
    (result,) = check_text("《婚姻法》第三十二条", TABLE)
    assert (
        result.note
        == "《中华人民共和国婚姻法》已于2021年1月1日废止（《中华人民共和国民法典》第一千二百六十条），相关规定现见《民法典》。"
    )


def test_find_citations_paragraph_and_item():
    (c,) = find_citations("《民法典》第一千零七十九条第三款第（五）项", TABLE)
    assert (c.article, c.paragraph, c.item, c.raw) == (1079, 3, 5, "第一千零七十九条第三款第（五）项")


def test_find_citations_range_interior_is_implied():
    cites = find_citations("《民法典》第二十二条至第二十四条", TABLE)
    assert [c.implied for c in cites] == [False, True, False]
    assert cites[1].raw == "第二十二条至第二十四条"


def test_normalize_name_drops_brackets_prefix_version():
    assert normalize_name("《中华人民共和国公司法（2018年修正）》") == "公司法"


def test_generated_aliases_judicial_interpretation():
    aliases = generated_aliases("最高人民法院关于审理民间借贷案件适用法律若干问题的规定")
    assert {"民间借贷司法解释", "民间借贷规定", "民间借贷解释"} <= aliases


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "第条之款项一二三四五六七八九十百千零0123456789１《》〈〉“”、和至民法典劳动合同刑本该 ()（）"
            )
        )
        | st.characters(),
        max_size=80,
    )
)
def test_find_citations_never_raises_and_spans_slice_back(text):
    for c in find_citations(text, TABLE):
        assert text[c.span[0] : c.span[1]] == c.raw
        assert c.article > 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_check_text_never_raises_on_any_text(text):
    for r in check_text(text, TABLE):
        assert r.status in {OK, REPEALED, NOT_FOUND, UNKNOWN_LAW}
