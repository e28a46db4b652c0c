"""Issue 11, finding 10: schemathesis against the API's own OpenAPI schema, every operation,
anonymous and signed in, schema-valid and schema-invalid input (bounded examples): no server error,
every status declared, every body as the schema says, valid input accepted, invalid input refused."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from lawqa.questions import services as question_services
from lawqa.statutes import services as statute_services
from lawqa.statutes.tests.conftest import library_records

# Examples per operation and generation mode: enough to hit every declared status, small enough
# for the suite (2 users × 2 modes × every operation × this many requests, in-process).
MAX_EXAMPLES = 20


@pytest.fixture
def api_schema(db, settings, asker, lawyer, area):
    # Rate limits would turn most writes into 429s; the limits have their own tests.
    settings.LAWQA_RATE_LIMITS = dict.fromkeys(settings.LAWQA_RATE_LIMITS, (100_000, 3600))
    statute_services.reset_law_table()
    statute_services.import_library(records=library_records())
    question = question_services.create_question(
        asker=asker, title="公司拖欠三个月工资怎么办？", detail="依据《劳动合同法》第三十条。", category=area
    )
    question_services.post_answer(
        question=question, lawyer=lawyer, body="可以申请劳动仲裁，依据《劳动合同法》第三十条要求支付工资。"
    )
    # As django.test.Client does: the app must not close the test's transaction between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES
    )
    yield schema
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    statute_services.reset_law_table()


@pytest.fixture
def token_headers(make_token, make_user) -> dict[str, str]:
    """A program's credentials: a personal access token with the write scope. (Not the session
    cookie: schemathesis fills the cookie of the schema's SessionAuth scheme itself, so a session
    would be replaced by a made-up one; test_tokens checks the session + CSRF path.)"""
    return {"Authorization": f"Bearer {make_token(make_user(nickname='接口测试'))}"}


def _check_every_operation(schema, headers: dict[str, str]) -> tuple[list[str], set[int]]:
    """Run each operation × generation mode through hypothesis; return what was checked and the
    statuses seen."""
    checked, statuses = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis_settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call_and_validate(case):
                # The WSGI transport does not decompress: ask for the plain body.
                response = case.call_and_validate(headers={"Accept-Encoding": "identity", **headers})
                statuses.add(response.status_code)

            call_and_validate()
            checked.append(f"{operation.label} {mode.value}")
    return checked, statuses


# Operations that must be in the schema (others are checked as they are added).
CORE_OPERATIONS = {
    "GET /api/v1/questions",
    "POST /api/v1/questions",
    "GET /api/v1/questions/{question_id}",
    "GET /api/v1/questions/similar",
    "POST /api/v1/laws/check",
    "GET /api/v1/laws/{law}/{number}",
}


def _operations(checked: list[str]) -> set[str]:
    return {c.rsplit(" ", 1)[0] for c in checked}


def test_api_anonymous_conforms_to_its_schema(api_schema):
    checked, statuses = _check_every_operation(api_schema, {})

    assert _operations(checked) >= CORE_OPERATIONS
    assert len(checked) == 2 * len(_operations(checked))  # every operation, positive and negative
    assert {200, 422} <= statuses  # reads served, bad input refused
    assert statuses & {401, 403}  # writes refused (403 first: no CSRF token without a session page)


def test_api_signed_in_conforms_to_its_schema(api_schema, token_headers):
    checked, statuses = _check_every_operation(api_schema, token_headers)

    assert _operations(checked) >= CORE_OPERATIONS
    assert len(checked) == 2 * len(_operations(checked))
    assert 201 in statuses  # the token is accepted: writes get through
