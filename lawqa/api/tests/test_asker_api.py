"""The asker actions in the JSON API (关注 / 同问, supplements, ratings and the lawyer's reply): the
same services and rules as the site, session auth with CSRF, errors in the API's one shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lawqa.questions import services
from lawqa.questions.models import AnswerRating, QuestionFollow, QuestionSupplement
from lawqa.questions.tests.helpers import db_state


def _client_for(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, client.cookies["csrftoken"].value


def _send(client: Client, token: str, method: str, url: str, payload: dict | None = None):
    # Question operations live under /questions, answer operations (ratings) under /answers.
    prefix = "/api/v1" if url.startswith("/answers/") else "/api/v1/questions"
    return getattr(client, method)(
        f"{prefix}{url}",
        json.dumps(payload or {}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )


def test_api_follow_and_same_question_return_counts(question, make_user):
    client, token = _client_for(make_user())

    followed = _send(client, token, "post", f"/{question.pk}/follow")
    same = _send(client, token, "post", f"/{question.pk}/same")
    unfollowed = _send(client, token, "delete", f"/{question.pk}/follow")

    assert followed.status_code == 200
    assert followed.json() == {
        "following": True,
        "same_question": False,
        "follower_count": 1,
        "same_question_count": 0,
    }
    assert same.json() == {
        "following": True,
        "same_question": True,
        "follower_count": 1,
        "same_question_count": 1,
    }
    assert unfollowed.json() == {
        "following": False,
        "same_question": True,
        "follower_count": 0,
        "same_question_count": 1,
    }


def test_api_follow_own_question_403_nothing_changes(question, asker):
    client, token = _client_for(asker)
    before = db_state()

    response = _send(client, token, "post", f"/{question.pk}/same")

    assert response.status_code == 403
    assert response.json()["detail"] == "这是您自己的问题，有新回答时我们会直接通知您"
    assert db_state() == before


def test_api_follow_without_login_401(question, db):
    client = Client(enforce_csrf_checks=True)
    client.get("/")

    response = _send(client, client.cookies["csrftoken"].value, "post", f"/{question.pk}/follow")

    assert response.status_code == 401
    assert QuestionFollow.objects.count() == 0


def test_api_follow_without_csrf_403(question, make_user):
    client, _ = _client_for(make_user())

    response = client.post(f"/api/v1/questions/{question.pk}/follow", "{}", content_type="application/json")

    assert response.status_code == 403
    assert QuestionFollow.objects.count() == 0


def test_api_follow_unknown_question_404(db, make_user):
    client, token = _client_for(make_user())

    assert _send(client, token, "post", "/999999/follow").status_code == 404


def test_api_supplement_by_asker_masked_and_in_question_detail(client, question, asker):
    api, token = _client_for(asker)

    response = _send(
        api, token, "post", f"/{question.pk}/supplements", {"body": "补充：老板电话13812345678。"}
    )

    assert response.status_code == 201
    assert "13812345678" not in response.json()["body"]
    detail = client.get(f"/api/v1/questions/{question.pk}").json()
    assert [s["body"] for s in detail["supplements"]] == [QuestionSupplement.objects.get().body]


def test_api_supplement_by_someone_else_403(question, make_user):
    client, token = _client_for(make_user())
    before = db_state()

    response = _send(client, token, "post", f"/{question.pk}/supplements", {"body": "我替提问人补充一下。"})

    assert response.status_code == 403
    assert db_state() == before


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        pytest.param({"body": "补充"}, 422, "body", id="short"),
        pytest.param({}, 422, "body", id="missing"),
        pytest.param({"body": "补充\u0000一些情况说明"}, 422, "body", id="nul"),
    ],
)
def test_api_supplement_bad_body_refused(question, asker, payload, status, field):
    client, token = _client_for(asker)
    before = db_state()

    response = _send(client, token, "post", f"/{question.pk}/supplements", payload)

    assert response.status_code == status
    assert field in response.json()["errors"]
    assert db_state() == before


def test_api_rate_and_lawyer_reply(answer, asker, lawyer, client):
    asker_api, asker_token = _client_for(asker)
    lawyer_api, lawyer_token = _client_for(lawyer)

    rated = _send(
        asker_api,
        asker_token,
        "post",
        f"/answers/{answer.pk}/rating",
        {"score": "neutral", "comment": "还行"},
    )
    replied = _send(
        lawyer_api, lawyer_token, "post", f"/answers/{answer.pk}/rating/reply", {"body": "谢谢反馈"}
    )
    again = _send(
        lawyer_api, lawyer_token, "post", f"/answers/{answer.pk}/rating/reply", {"body": "再回复一次"}
    )

    assert rated.status_code == 201
    assert (rated.json()["score"], rated.json()["score_label"]) == ("neutral", "一般")
    assert replied.status_code == 200
    assert replied.json()["reply"] == "谢谢反馈"
    assert again.status_code == 409  # a rule about the state, not the input
    assert again.json() == {
        "detail": "每条评价只能回复一次，您已经回复过了",
        "errors": {"__all__": ["每条评价只能回复一次，您已经回复过了"]},
    }
    detail = client.get(f"/api/v1/questions/{answer.question_id}").json()
    assert detail["answers"][0]["rating"]["reply"] == "谢谢反馈"


def test_api_rate_unknown_score_422(answer, asker):
    client, token = _client_for(asker)

    response = _send(client, token, "post", f"/answers/{answer.pk}/rating", {"score": "great"})

    assert response.status_code == 422
    assert AnswerRating.objects.count() == 0


def test_api_rate_by_other_user_403(answer, make_user):
    client, token = _client_for(make_user())
    before = db_state()

    response = _send(client, token, "post", f"/answers/{answer.pk}/rating", {"score": "satisfied"})

    assert response.status_code == 403
    assert db_state() == before


def test_api_question_detail_counts(client, question, make_user):
    services.set_follow(question=question, user=make_user(), same_question=True)

    body = client.get(f"/api/v1/questions/{question.pk}").json()

    assert (body["follower_count"], body["same_question_count"], body["supplements"]) == (1, 1, [])
