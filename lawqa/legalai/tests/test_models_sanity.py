"""Classifier and suggester sanity: small models trained from a handful of examples."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawqa.legalai import services
from lawqa.legalai.areas import AREAS, best_keyword_area, keyword_scores, law_area
from lawqa.legalai.classifier import train_classifier
from lawqa.legalai.tests.conftest import LABELLED
from lawqa.legalai.training import QARecord, cited_articles, parse_gold, weak_label


@pytest.mark.parametrize(
    ("law", "article", "expected"),
    [
        pytest.param("中华人民共和国民法典", 1079, "婚姻家庭", id="civil-code-marriage"),
        pytest.param("中华人民共和国民法典", 1213, "交通事故", id="civil-code-traffic"),
        pytest.param("中华人民共和国民法典", 1222, "医疗纠纷", id="civil-code-medical"),
        pytest.param("中华人民共和国民法典", 679, "债权债务", id="civil-code-loan"),
        pytest.param("中华人民共和国民法典", 410, "抵押担保", id="civil-code-mortgage"),
        pytest.param("劳动合同法", 47, "劳动纠纷", id="labour-contract-law"),
        pytest.param("中华人民共和国商标法", 57, "知识产权", id="trademark"),
        pytest.param(
            "最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 25, "债权债务", id="private-lending"
        ),
        pytest.param("中华人民共和国宪法", 1, None, id="constitution-none"),
    ],
)
def test_law_area_maps_statutes(law, article, expected):
    assert law_area(law, article) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("老公出轨了我要离婚，孩子抚养权归谁", "婚姻家庭", id="divorce"),
        pytest.param("被车撞了，交警出了责任认定书", "交通事故", id="traffic"),
        pytest.param("你好", None, id="nothing"),
    ],
)
def test_best_keyword_area_clear_cases(text, expected):
    assert best_keyword_area(text) == expected


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_keyword_scores_never_raises(text):
    assert set(keyword_scores(text)) <= set(AREAS)


def test_parse_gold_and_cited_articles():
    assert parse_gold("中华人民共和国民法典第五十四条") == ("中华人民共和国民法典", 54, 0)
    assert parse_gold("刑法第一百三十三条之一") == ("刑法", 133, 1)
    assert cited_articles("《劳动合同法》第四十七条、《民法典》第1079条") == [
        ("劳动合同法", 47, 0),
        ("民法典", 1079, 0),
    ]


def test_weak_label_from_gold_articles():
    record = QARecord("x", "这种情况怎么处理？", ("中华人民共和国民法典第一千零七十九条",))

    assert weak_label(record) == "婚姻家庭"


def test_classifier_predicts_training_areas(small_models):
    area, confidence = services.predict_area("我想离婚，孩子归谁抚养")

    assert area == "婚姻家庭"
    assert 0.0 < confidence <= 1.0


def test_classifier_is_reproducible():
    a = train_classifier(LABELLED)
    b = train_classifier(LABELLED)
    texts = ["工资拖欠", "离婚财产", "交通事故赔偿", ""]

    assert [a.predict(t) for t in texts] == [b.predict(t) for t in texts]


def test_predict_area_without_model_raises(settings, tmp_path):
    settings.LAWQA_LEGALAI_DIR = tmp_path / "missing"

    with pytest.raises(services.ModelNotReady):
        services.predict_area("公司拖欠工资")


def test_suggester_finds_article_by_text(suggester):
    found = suggester.suggest("离婚以后孩子抚养怎么办", 3)

    assert (found[0].law, found[0].article) in {
        ("中华人民共和国民法典", 1084),
        ("中华人民共和国民法典", 1079),
    }


def test_suggester_uses_similar_known_questions(suggester):
    found = suggester.suggest("楼上的空调外机掉下来了砸到人", 1)

    assert (found[0].law, found[0].article) == ("中华人民共和国民法典", 1253)


def test_suggester_excluded_question_does_not_help_itself(suggester):
    with_self = suggester.scores("老板一直不发工资怎么办")
    without = suggester.scores("老板一直不发工资怎么办", exclude=["known-2"])
    wage = suggester.refs.index(("中华人民共和国劳动合同法", 30, 0))

    assert without[wage] < with_self[wage]


def test_suggester_feedback_terms_come_from_neighbours_answers(suggester):
    _scores, _best, sims = suggester._knowledge("空调外机掉下来砸坏车", ())
    terms = {t for t, j in suggester.vocab.items() if j in suggester._feedback_terms(sims)}

    assert {"悬挂", "脱落"} <= terms


def test_suggester_empty_text_gives_nothing(suggester):
    assert suggester.suggest("   ", 5) == []
    assert services.suggest_articles("", 5) == []
