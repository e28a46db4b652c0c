"""The learned re-ranker: compiled trees match LightGBM's scores, and evaluation stays leave-one-out."""

import lightgbm
import numpy as np

from lawqa.legalai.suggester import TreeEnsemble, fit_reranker
from lawqa.legalai.tests.conftest import KNOWN


def test_tree_ensemble_matches_lightgbm_ranker():
    rng = np.random.default_rng(0)
    x = rng.random((400, 4))
    y = ((x[:, 0] + 0.5 * x[:, 1] > 0.9) ^ (rng.random(400) < 0.1)).astype(int)
    params = {"objective": "lambdarank", "num_leaves": 7, "min_data_in_leaf": 5, "verbose": -1, "seed": 0}
    booster = lightgbm.train(params, lightgbm.Dataset(x, y, group=[40] * 10), num_boost_round=20)
    probe = np.vstack([rng.random((50, 4)), x[:20]])  # unseen rows and rows on the training grid
    compiled = TreeEnsemble(booster)
    assert compiled.depth >= 2
    assert np.allclose(compiled.raw(probe), booster.predict(probe, raw_score=True))
    scores = compiled.predict(probe)
    assert ((scores > 0) & (scores < 1)).all()
    order = np.argsort(booster.predict(probe, raw_score=True), kind="stable")
    assert (np.diff(scores[order]) >= -1e-12).all()  # squashed, same order


class Reverse:
    """A stand-in re-ranker preferring the candidates the summed score ranks last."""

    def predict(self, x):
        return np.linspace(0.1, 0.9, len(x))


def test_reranker_reorders_and_excluded_question_gets_its_fold_model(suggester):
    plain = suggester.suggest("空调外机掉下来砸坏了车，工资也没发", 3)
    suggester.reranker, suggester.fold_rerankers = Reverse(), [Reverse(), None]
    suggester.rerank_fold = {"known-1": 0, "known-2": 1}
    reranked = suggester.suggest("空调外机掉下来砸坏了车，工资也没发", 3)
    assert len(plain) > 1
    assert reranked[0].article != plain[0].article
    assert suggester._reranker_for(("known-1",)) is suggester.fold_rerankers[0]
    assert suggester._reranker_for(("known-2",)) is None  # its fold model: never the full one
    assert suggester._reranker_for(("unknown",)) is suggester.reranker
    assert suggester._reranker_for(("known-1", "known-2")) is None


def test_fit_reranker_needs_enough_questions(suggester):
    assert fit_reranker(suggester, KNOWN) == 0
    assert suggester.reranker is None
