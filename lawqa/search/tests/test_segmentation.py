"""Segmentation: legal dictionary, compound parts, stopwords, synonyms (every pair checked)."""

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawqa.search import engine, segmentation
from lawqa.search.segmentation import (
    DATA_DIR,
    analyze_query,
    char_bigrams,
    matched_spans,
    read_synonyms,
    read_word_list,
    segment,
)

SYNONYMS = read_synonyms(DATA_DIR / "synonyms.tsv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("经济补偿金", ["经济补偿金", "经济", "补偿", "补偿金"], id="compound-keeps-parts"),
        pytest.param("竞业限制", ["竞业限制", "限制"], id="dictionary-word"),
        pytest.param("夫妻共同债务", ["夫妻共同债务", "夫妻", "共同", "债务"], id="long-compound"),
        pytest.param("申请劳动仲裁", ["申请", "劳动仲裁", "劳动", "仲裁"], id="arbitration"),
        pytest.param("工伤认定", ["工伤认定", "工伤", "认定"], id="work-injury"),
        pytest.param("我的，了吗？！", [], id="only-stopwords-and-punctuation"),
        pytest.param("ＡＢＣ１２３", ["abc123"], id="full-width-normalized"),
        pytest.param('😀🙂"()AND', ["and"], id="emoji-and-operators"),
    ],
)
def test_segment_table(text, expected):
    assert segment(text) == expected


def test_segment_part_of_compound_matches_text_without_compound():
    # A query for 劳动合同 must find a text that says 解除劳动合同 (compound in our dictionary).
    assert "劳动合同" in segment("公司违法解除劳动合同")
    assert "补偿金" in segment("经济补偿金")


def test_segment_same_tokens_for_index_and_query_side():
    text = "老板拖欠工资三个月，能申请劳动仲裁要经济补偿金吗"
    terms = {t.term: t.weight for t in analyze_query(text).terms}
    words = segment(text)
    assert set(words) <= set(terms)
    assert {t for t, w in terms.items() if w == 1.0} <= set(words)


def test_legal_dictionary_words_are_kept_whole():
    for word in [
        "经济补偿金",
        "竞业限制",
        "劳动仲裁",
        "工伤认定",
        "伤残等级",
        "征地补偿",
        "抚养权",
        "彩礼",
        "夫妻共同债务",
    ]:
        assert segment(word)[0] == word, word


def test_law_short_names_are_words():
    names = read_word_list(DATA_DIR / "law_names.txt")
    assert "劳动合同法" in names
    assert segment("劳动合同法")[0] == "劳动合同法"


def test_synonym_file_has_enough_pairs():
    pairs = sum(len(v) for v in SYNONYMS.values())
    assert len(SYNONYMS) >= 150
    assert pairs >= 150


@pytest.mark.parametrize(("colloquial", "legal"), sorted(SYNONYMS.items()), ids=sorted(SYNONYMS))
def test_synonym_pair_both_sides_meaningful(colloquial, legal):
    # The colloquial side must leave a token after stopwords, and each legal term must segment
    # to something with at least one multi-character word (so the expansion can match).
    assert segment(colloquial), colloquial
    for term in legal:
        tokens = segment(term)
        assert tokens, term
        assert any(len(t) >= 2 for t in tokens), (term, tokens)
        assert term != colloquial


def test_analyze_query_expands_colloquial_terms():
    analyzed = analyze_query("被公司炒鱿鱼了，老板不给社保")
    terms = {t.term: t.weight for t in analyzed.terms}
    assert terms["炒鱿鱼"] == 1.0
    assert terms["解除劳动合同"] == segmentation.SYNONYM_WEIGHT
    assert terms["用人单位"] == segmentation.SYNONYM_WEIGHT
    assert terms["社会保险"] == segmentation.SYNONYM_WEIGHT


def test_analyze_query_longest_synonym_wins():
    analyzed = analyze_query("没签劳动合同")
    assert [key for key, _ in analyzed.synonyms] == ["没签劳动合同"]


def test_analyze_query_cuts_long_input():
    analyzed = analyze_query("工资" * 5000)
    assert len(analyzed.text) == segmentation.MAX_QUERY_CHARS


def test_matched_spans_prefers_longest_and_does_not_overlap():
    assert matched_spans("经济补偿金怎么算，补偿", ["补偿", "经济补偿金"]) == [(0, 5), (9, 11)]


@given(st.text(max_size=300))
def test_segment_never_raises_and_yields_clean_tokens(text):
    tokens = segment(text)
    assert all(t and t == t.strip() for t in tokens)
    assert all(t not in segmentation.STOPWORDS for t in tokens)
    analyze_query(text)


@given(st.text(alphabet="老板拖欠工资经济补偿金劳动仲裁的了吗，。 ", max_size=60))
def test_segment_is_stable_on_its_own_output(text):
    # Re-segmenting the space-joined tokens never invents new words (index text is stable).
    tokens = segment(text)
    again = segment(" ".join(tokens))
    assert set(again) <= set(tokens) | {p for t in tokens for p in segment(t)}


@pytest.mark.parametrize("module", [segmentation, engine], ids=["segmentation", "engine"])
def test_doctests_pass(module):
    result = doctest.testmod(module)
    assert (result.failed, result.attempted > 0) == (0, True)


def test_segment_does_not_glue_function_characters_into_new_words():
    # rjieba's HMM would make 查会 / 人能 / 交了 out of these: words no other question has.
    assert "查会" not in segment("饭店被查会罚款吗")
    assert "人能" not in segment("业委会的人能不能承包物业")
    assert "罚款" in segment("饭店被查会罚款吗")


def test_char_bigrams_stay_within_runs_of_chinese():
    assert char_bigrams("离婚，孩子 ok") == ["离婚", "孩子"]
    assert char_bigrams("a") == []
