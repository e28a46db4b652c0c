"""Import cost of the URLconf (models load on first use), outdated model files, and the
confidence calibration."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lawqa.legalai import services
from lawqa.legalai.classifier import calibration, fit_temperature, softmax

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "lawqa.test_settings"
import django
django.setup()
import lawqa.legalai.urls, lawqa.legalai.templatetags.legalai  # noqa: E401,F401
heavy = [m for m in ("sklearn", "scipy", "numpy", "lawqa.legalai.suggester") if m in sys.modules]
print(",".join(heavy))
"""


def test_urlconf_import_does_not_load_models_or_numeric_libraries():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip().splitlines()[-1:] in ([], [""])


def test_fit_temperature_softens_overconfident_margins():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, 400)
    margins = rng.normal(0, 1, (400, 4))
    right = rng.random(400) < 0.6  # the top class is right 60 % of the time
    margins[np.arange(400), np.where(right, gold, (gold + 1) % 4)] += 3.0
    correct = (margins.argmax(1) == gold).tolist()
    before = calibration(softmax(margins, 0.3).max(1).tolist(), correct)  # the old fixed temperature
    after = calibration(softmax(margins, fit_temperature(margins, gold)).max(1).tolist(), correct)
    assert before["mean_confidence"] > 0.95
    assert abs(after["mean_confidence"] - after["accuracy"]) < 0.1
    assert after["ece"] < before["ece"] / 2


def test_outdated_suggester_file_is_not_ready_and_not_reread(small_models, monkeypatch):
    """A model saved by an older layout degrades to "no suggestions" instead of failing pages,
    and the file is not read again on every request."""
    import pickle

    from lawqa.legalai import suggester as suggester_module

    path = services.model_dir() / services.SUGGESTER_FILE
    model = pickle.loads(path.read_bytes())
    del model.format_version  # as written before the version existed
    path.write_bytes(pickle.dumps(model))
    services._loaded.clear()
    reads = []
    real_load = suggester_module.ArticleSuggester.load
    monkeypatch.setattr(
        suggester_module.ArticleSuggester, "load", staticmethod(lambda p: reads.append(p) or real_load(p))
    )

    for _ in range(2):
        with pytest.raises(services.ModelNotReady, match="旧版本"):
            services.suggester()
    assert services.linked_suggestions("离婚后孩子归谁抚养") == []
    assert len(reads) == 1


def test_outdated_classifier_file_is_not_ready(small_models):
    """A classifier saved before the embedded head existed is refused, not half-used."""
    import pickle

    path = services.model_dir() / services.CLASSIFIER_FILE
    model = pickle.loads(path.read_bytes())
    del model.format_version
    path.write_bytes(pickle.dumps(model))
    services._loaded.clear()
    with pytest.raises(services.ModelNotReady, match="旧版本"):
        services.predict_area("老公出轨了我要离婚")
