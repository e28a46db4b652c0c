"""Import cost of the URLconf (models load on first use) and the confidence calibration."""

import subprocess
import sys
from pathlib import Path

import numpy as np

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
