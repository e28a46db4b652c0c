"""Small models trained in a second from a handful of examples, saved where services look."""

import pytest

from lawqa.legalai import services
from lawqa.legalai.classifier import train_classifier
from lawqa.legalai.suggester import ArticleDoc, KnownQuestion, build_suggester
from lawqa.legalai.training import attach_segmenter

LABELLED = [
    ("老公出轨了我要离婚，孩子抚养权归谁", "婚姻家庭"),
    ("离婚时彩礼要不要退", "婚姻家庭"),
    ("结婚三年想离婚，房子怎么分", "婚姻家庭"),
    ("公司拖欠三个月工资怎么办", "劳动纠纷"),
    ("试用期被辞退有没有经济补偿", "劳动纠纷"),
    ("上班路上摔伤算不算工伤", "劳动纠纷"),
    ("被车撞了对方全责，误工费怎么算", "交通事故"),
    ("酒驾撞人要负什么责任", "交通事故"),
    ("交警出的事故责任认定书不服怎么办", "交通事故"),
]

ARTICLES = [
    ArticleDoc(
        "中华人民共和国民法典",
        1079,
        0,
        "夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。",
        ("婚姻家庭编",),
        "民法典",
    ),
    ArticleDoc(
        "中华人民共和国民法典",
        1084,
        0,
        "父母与子女间的关系，不因父母离婚而消除。离婚后，子女无论由父或者母直接抚养，仍是父母双方的子女。",
        (),
        "民法典",
    ),
    ArticleDoc(
        "中华人民共和国劳动合同法",
        30,
        0,
        "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。",
        (),
        "劳动合同法",
    ),
    ArticleDoc(
        "中华人民共和国劳动合同法",
        46,
        0,
        "有下列情形之一的，用人单位应当向劳动者支付经济补偿。",
        (),
        "劳动合同法",
    ),
    ArticleDoc(
        "中华人民共和国道路交通安全法",
        76,
        0,
        "机动车发生交通事故造成人身伤亡、财产损失的，由保险公司在机动车第三者责任强制保险责任限额范围内予以赔偿。",
        (),
        "道路交通安全法",
    ),
    ArticleDoc(
        "中华人民共和国民法典",
        1253,
        0,
        "建筑物、构筑物或者其他设施及其搁置物、悬挂物发生脱落、坠落造成他人损害的，所有人、管理人或者使用人不能证明自己没有过错的，应当承担侵权责任。",
        (),
        "民法典",
    ),
]

KNOWN = [
    KnownQuestion(
        "known-1",
        "楼上空调外机掉下来砸坏了我的车",
        {("中华人民共和国民法典", 1253, 0): 1.0},
        "悬挂物脱落造成他人损害的，所有人不能证明自己没有过错的，应当承担侵权责任。",
    ),
    KnownQuestion("known-2", "老板一直不发工资怎么办", {("中华人民共和国劳动合同法", 30, 0): 1.0}),
]


@pytest.fixture
def small_models(tmp_path, settings):
    """Train the two small models into a temporary LAWQA_LEGALAI_DIR."""
    from lawqa.search.segmentation import analyze_query, segment

    settings.LAWQA_LEGALAI_DIR = tmp_path
    train_classifier(LABELLED).save(tmp_path / services.CLASSIFIER_FILE)
    model = build_suggester(
        ARTICLES,
        KNOWN,
        segment=segment,
        analyze=lambda t: [(x.term, x.weight) for x in analyze_query(t).terms],
    )
    model.save(tmp_path / services.SUGGESTER_FILE)
    services._suggest_cached.cache_clear()
    yield tmp_path
    services._suggest_cached.cache_clear()


@pytest.fixture
def suggester(small_models):
    return attach_segmenter(services.suggester())
