"""Issue 11, findings 3 (server errors on bad input), 4 (NUL bytes) and 5 (invisible and spoofing
text): each request answers 4xx with a Chinese message and stores nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from lawqa.questions.models import Question
from lawqa.questions.tests.helpers import db_state

ASK = "/api/v1/questions"
HUGE = "99999999999999999999"
THREE_MB = 3 * 1024 * 1024


def _ask(client, title: str, detail: str = ""):
    payload = {"title": title, "detail": detail, "area": "labor"}
    return client.post(ASK, json.dumps(payload), content_type="application/json")


@pytest.fixture
def signed_in(client, asker):
    client.force_login(asker)
    return client


# --- 3: server errors reachable without logging in ------------------------------------------------


def test_api_list_huge_page_number_is_422(client, db):
    response = client.get(f"{ASK}?page={HUGE}")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数有误，请按提示修改",
        "errors": {"page": ["不能大于1000000"]},
    }


@pytest.mark.parametrize(
    "path",
    [f"/lawyers/{HUGE}/", f"/questions/{HUGE}/", f"/notifications/{HUGE}/", f"/api/v1/questions/{HUGE}"],
)
def test_huge_id_in_path_is_404(client, db, path):
    assert client.get(path).status_code == 404


def test_api_huge_id_is_json_404(client, db):
    response = client.get(f"{ASK}/{HUGE}")

    assert response.json() == {"detail": "没有找到", "errors": {}}


def test_api_oversized_body_is_413(client, db):
    body = json.dumps({"text": "《民法典》第一千零三十八条" * (THREE_MB // 10)})

    response = client.post("/api/v1/laws/check", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["detail"] == "请求内容过大（最多2.5MB）"


def test_form_oversized_body_is_chinese_400(client, db):
    response = client.post(reverse("accounts:register"), {"nickname": "x" * THREE_MB})

    assert response.status_code == 400
    assert "这个请求无法处理" in response.content.decode()


def test_api_ask_lone_surrogate_is_422_and_stores_nothing(signed_in):
    before = db_state()

    response = signed_in.post(
        ASK, '{"title": "标题里有\\ud800残缺字符的问题", "area": "labor"}', content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "title": ["标题里有无法显示的控制字符（如空字符）或残缺的字符，请删除后重新输入"]
    }
    assert db_state() == before


def test_admin_approve_missing_profile_is_404(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/admin/lawyers/lawyerprofile/99999/approve/")

    assert response.status_code == 404


# --- 4: NUL bytes -------------------------------------------------------------------------------------


def test_api_ask_nul_in_title_is_422_and_stores_nothing(signed_in):
    before = db_state()

    response = _ask(signed_in, "标题里有\x00空字符的问题")

    assert response.status_code == 422
    assert db_state() == before


def test_ask_form_nul_in_detail_is_refused(signed_in):
    before = db_state()

    response = signed_in.post(
        reverse("questions:ask"),
        {"title": "公司拖欠工资怎么办", "detail": "有\x00空字符", "category": "labor"},
    )

    assert response.status_code == 200  # the form again, with the error
    assert db_state() == before


@pytest.mark.parametrize("url", ["/search/?q=%00", "/api/v1/questions?area=%00", "/laws/%00/", "/?page=%00"])
def test_nul_in_url_is_400(client, db, url):
    assert client.get(url).status_code == 400


# --- 5: invisible and spoofing text ---------------------------------------------------------------


def test_api_ask_title_of_zero_width_spaces_is_refused(signed_in):
    before = db_state()

    response = _ask(signed_in, "\u200b" * 6)

    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["请填写问题标题，用一句话概括您的问题"]}
    assert db_state() == before


def test_ask_form_title_of_zero_width_spaces_is_refused(signed_in):
    before = db_state()

    response = signed_in.post(reverse("questions:ask"), {"title": "\u200b" * 6, "category": "labor"})

    assert "请填写问题标题，用一句话概括您的问题" in response.content.decode()
    assert db_state() == before


def test_api_ask_bidi_override_is_stripped_before_storing(signed_in):
    response = _ask(signed_in, "公司拖欠\u202e资工\u202c怎么办", detail="详情\u2066隔离\u2069\u200b")

    assert response.status_code == 201
    question = Question.objects.get()
    assert (question.title, question.detail) == ("公司拖欠资工怎么办", "详情隔离")
