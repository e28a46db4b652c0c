"""The 推荐律师 order: one score per lawyer from what askers experienced, never from payment.

Pure module: no Django, typed, deterministic. `lawyers.services.refresh_lawyer_stats` stores the
score on the profile whenever its inputs change, so lists order by a column.

The score (0–1) weighs:

- 45 % 被采纳率: accepted answers / answers, as the lower bound of its 95 % Wilson interval, so
  that 1 of 1 does not outrank 80 of 100;
- 30 % 满意度: (满意 + ½ 一般) / ratings, Wilson lower bound as well (0 without ratings);
- 15 % 回答数量: log-scaled, full at `FULL_VOLUME` answers;
- 10 % 回答速度: the median time from a question to the lawyer's answer, full within an hour,
  nothing from three days on (log-scaled in between).

>>> rank_score(answers=0, accepted=0, satisfied=0, neutral=0, unsatisfied=0, median_minutes=None)
0.0
>>> few = rank_score(answers=1, accepted=1, satisfied=1, neutral=0, unsatisfied=0, median_minutes=30)
>>> many = rank_score(answers=100, accepted=80, satisfied=40, neutral=5, unsatisfied=5, median_minutes=240)
>>> few < many
True
"""

from __future__ import annotations

import math

__all__ = ["FULL_VOLUME", "RANKING_RULE", "WEIGHTS", "rank_score", "speed_share", "wilson_lower_bound"]

WEIGHTS = {"accepted": 0.45, "satisfaction": 0.30, "volume": 0.15, "speed": 0.10}
# Answers at which the volume part is full.
FULL_VOLUME = 100
FAST_MINUTES, SLOW_MINUTES = 60, 3 * 24 * 60

# Shown under every 推荐律师 list (keep it in step with the weights above).
RANKING_RULE = (
    "推荐顺序只看回答质量：被采纳比例（回答越多越可信）占45%，提问人评价占30%，"
    "回答数量占15%，回答速度占10%。排名与付费无关，律师无法购买推荐位置。"
)


def wilson_lower_bound(successes: float, n: int, z: float = 1.96) -> float:
    """Lower bound of the Wilson score interval for a share of `successes` out of `n`.

    >>> wilson_lower_bound(0, 0)
    0.0
    >>> round(wilson_lower_bound(1, 1), 3), round(wilson_lower_bound(80, 100), 3)
    (0.207, 0.711)
    """
    if n <= 0:
        return 0.0
    p = min(max(successes / n, 0.0), 1.0)
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return max(0.0, (centre - spread) / (1 + z * z / n))


def speed_share(median_minutes: int | None) -> float:
    """1 within an hour, 0 from three days on, log-scaled in between; 0 when unknown.

    >>> speed_share(30), speed_share(None), speed_share(10_000)
    (1.0, 0.0, 0.0)
    >>> 0 < speed_share(600) < 1
    True
    """
    if median_minutes is None or median_minutes >= SLOW_MINUTES:
        return 0.0
    if median_minutes <= FAST_MINUTES:
        return 1.0
    return 1 - math.log(median_minutes / FAST_MINUTES) / math.log(SLOW_MINUTES / FAST_MINUTES)


def rank_score(
    *,
    answers: int,
    accepted: int,
    satisfied: int,
    neutral: int,
    unsatisfied: int,
    median_minutes: int | None,
) -> float:
    """The lawyer's 推荐分 (0–1), rounded to 6 places so that equal inputs compare equal."""
    if answers <= 0:
        return 0.0
    ratings = satisfied + neutral + unsatisfied
    score = (
        WEIGHTS["accepted"] * wilson_lower_bound(accepted, answers)
        + WEIGHTS["satisfaction"] * wilson_lower_bound(satisfied + 0.5 * neutral, ratings)
        + WEIGHTS["volume"] * min(1.0, math.log1p(answers) / math.log1p(FULL_VOLUME))
        + WEIGHTS["speed"] * speed_share(median_minutes)
    )
    return round(score, 6)
