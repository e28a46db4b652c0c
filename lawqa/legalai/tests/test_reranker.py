"""The learned re-ranker: compiled trees match scikit-learn, and evaluation stays leave-one-out."""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from lawqa.legalai.suggester import RERANK_DEPTH, TreeEnsemble, fit_reranker
from lawqa.legalai.tests.conftest import KNOWN


def test_tree_ensemble_matches_sklearn_probabilities():
    rng = np.random.default_rng(0)
    x = rng.random((200, 3))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0.8) ^ (rng.random(200) < 0.1)
    clf = HistGradientBoostingClassifier(
        max_iter=5, max_depth=RERANK_DEPTH, early_stopping=False, random_state=0
    ).fit(x, y)
    probe = rng.random((50, 3))
    assert np.allclose(TreeEnsemble(clf).predict(probe), clf.predict_proba(probe)[:, 1])


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
