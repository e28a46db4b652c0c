"""lawqa.settings for the load test: the same, with the write rate limits lifted.

One loopback address posting 1,000 questions in a minute is what production refuses (and the
rate-limit tests check that); the load test measures the write path behind the limiter.
"""

from lawqa.settings import *  # noqa: F403 - the real settings with one override

LAWQA_RATE_LIMITS = dict.fromkeys(LAWQA_RATE_LIMITS, (1000000, 3600))  # noqa: F405

# The load tests sign their users in once each; a deliberately slow password hash (what protects
# real accounts) would only add a burst of CPU at the start that is not what they measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
