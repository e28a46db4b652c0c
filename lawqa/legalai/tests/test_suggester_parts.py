"""The section, neighbour and best-citer evidence of the article suggester."""

import numpy as np

from lawqa.legalai.suggester import PARTS, ArticleDoc, KnownQuestion, build_suggester
from lawqa.legalai.training import attach_segmenter

LAW = "中华人民共和国刑法"
CHAPTER = ("第二编 分则", "第五章 侵犯财产罪")
ARTICLES = [
    ArticleDoc(LAW, 25, 0, "共同犯罪是指二人以上共同故意犯罪。", ("第一编 总则", "第三节 共同犯罪"), "刑法"),
    ArticleDoc(
        LAW, 26, 0, "组织、领导犯罪集团进行犯罪活动的，是主犯。", ("第一编 总则", "第三节 共同犯罪"), "刑法"
    ),
    ArticleDoc(
        LAW, 27, 0, "在共同犯罪中起次要或者辅助作用的，是从犯。", ("第一编 总则", "第三节 共同犯罪"), "刑法"
    ),
    ArticleDoc(
        LAW,
        28,
        0,
        "对于被胁迫参加犯罪的，应当按照他的犯罪情节减轻处罚或者免除处罚。",
        ("第一编 总则", "第三节 共同犯罪"),
        "刑法",
    ),
    ArticleDoc(
        LAW, 263, 0, "以暴力、胁迫或者其他方法抢劫公私财物的，处三年以上十年以下有期徒刑。", CHAPTER, "刑法"
    ),
    ArticleDoc(
        LAW,
        264,
        0,
        "盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃的，处三年以下有期徒刑。",
        CHAPTER,
        "刑法",
    ),
    ArticleDoc(LAW, 266, 0, "诈骗公私财物，数额较大的，处三年以下有期徒刑、拘役或者管制。", CHAPTER, "刑法"),
    ArticleDoc(
        "中华人民共和国劳动合同法",
        30,
        0,
        "用人单位应当按照劳动合同约定向劳动者及时足额支付劳动报酬。",
        (),
        "劳动合同法",
    ),
]
KNOWN = [
    KnownQuestion("k-theft", "偷了同事的手机会判刑吗", {(LAW, 264, 0): 1.0}),
    KnownQuestion("k-fraud", "网上被人骗了钱，骗子会判几年", {(LAW, 266, 0): 1.0}),
    KnownQuestion("k-wage", "老板拖欠工资不发怎么办", {("中华人民共和国劳动合同法", 30, 0): 1.0}),
]


def _model():
    from lawqa.search.segmentation import analyze_query, segment

    model = build_suggester(
        ARTICLES,
        KNOWN,
        segment=segment,
        analyze=lambda text: [(t.term, t.weight) for t in analyze_query(text).terms],
    )
    return attach_segmenter(model)


def _parts(model, text, exclude=()):
    c = model.components(text, exclude)
    assert set(c) == set(PARTS)
    return c, {ref: i for i, ref in enumerate(model.refs)}


def test_uncited_article_in_the_cited_chapter_gets_section_prior():
    model = _model()
    c, pos = _parts(model, "偷东西被抓了会判刑吗")
    robbery, wage = pos[(LAW, 263, 0)], pos[("中华人民共和国劳动合同法", 30, 0)]
    # Nobody cited 第二百六十三条, but its chapter is where the similar questions' articles are.
    assert c["known"][robbery] == 0
    assert c["section_prior"][robbery] > 0
    assert c["section_prior"][robbery] > c["section_prior"][wage]
    assert model.section_of[robbery] == model.section_of[pos[(LAW, 264, 0)]]


def test_neighbouring_article_lends_its_evidence_within_the_same_law_only():
    model = _model()
    c, pos = _parts(model, "在共同犯罪中起辅助作用算从犯吗")
    # 第二十七条 matches 从犯; 第二十六条 and 第二十八条 sit next to it.
    assert c["words"][pos[(LAW, 27, 0)]] > 0
    assert c["adjacent"][pos[(LAW, 26, 0)]] > 0
    assert c["adjacent"][pos[(LAW, 28, 0)]] > 0
    assert model.next_article[pos[(LAW, 266, 0)]] == -1  # the next row is another law
    assert model.prev_article[pos[("中华人民共和国劳动合同法", 30, 0)]] == -1


def test_best_citer_similarity_respects_exclusion():
    model = _model()
    c, pos = _parts(model, "偷了同事的手机会判刑吗")
    theft = pos[(LAW, 264, 0)]
    assert c["known_best"][theft] > 0.9  # the same text is a known question citing it
    assert np.all(c["top_similarity"][c["words"] + c["chars"] > 0] > 0.9)
    c, _ = _parts(model, "偷了同事的手机会判刑吗", exclude=("k-theft",))
    assert c["known_best"][theft] == 0
    assert c["known"][theft] == 0


def test_suggestions_still_rank_the_matching_article_first():
    model = _model()
    top = model.suggest("骗子在网上骗了我的钱", 3)
    assert (top[0].law, top[0].article) == (LAW, 266)
