"""The 404 and 500 pages are the site's own, in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/no-such-page/", id="unknown-url"),
        pytest.param("/questions/999999/", id="missing-question"),
        pytest.param("/areas/no-such-area/", id="missing-area"),
        pytest.param("/lawyers/999999/", id="missing-lawyer"),
    ],
)
def test_404_page_in_site_style(client, db, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 404
    assert "抱歉，您访问的页面不存在" in html
    assert 'class="site-header"' in html  # the site's layout, not Django's bare page
    assert reverse("questions:ask") in html


@pytest.mark.urls("lawqa.questions.tests.urls_boom")
def test_500_page_rendered_by_custom_handler(db):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "抱歉，服务器出了点问题" in html
    assert 'class="site-header"' in html


def test_500_handler_needs_no_database(db, rf, django_assert_num_queries):
    from lawqa.common.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "回到首页" in response.content.decode()


def test_403_page_in_site_style_with_reason(client, question, unverified_lawyer):
    client.force_login(unverified_lawyer)

    response = client.post(
        reverse("questions:answer", args=[question.pk]), {"body": "可以申请劳动仲裁，要求支付拖欠的工资。"}
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "抱歉，您没有权限执行这个操作" in html
    assert "只有通过认证的执业律师才能回答问题" in html
    assert 'class="site-header"' in html
