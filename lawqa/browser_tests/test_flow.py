"""The core flow in a real browser: an asker registers and asks, a verified lawyer answers, the
asker accepts. Screenshots of the question page (desktop and a 390 px phone) go to
test-artifacts/, and axe-core finds no serious or critical accessibility violation there."""

from __future__ import annotations

import re

import pytest

from lawqa.questions.models import Answer, Question

from .pages import DESKTOP, phone_screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "公司拖欠三个月工资怎么办？"
DETAIL = "入职两年，公司连续三个月没有发工资，老板说资金周转困难，让我再等等。"
ANSWER = (
    "您可以按下面的步骤维权：\n\n"
    "1. 先向公司书面催要工资，保留聊天记录和工资流水；\n"
    "2. 向当地劳动保障监察大队投诉；\n"
    "3. 申请劳动仲裁，要求支付拖欠的工资和经济补偿。"
)
PASSWORD = "Wang-Xiao-2024!"


def _other_questions(asker) -> None:
    """A few questions so the side blocks (相关问题, 最新问题) have rows in the screenshots."""
    from lawqa.questions import services
    from lawqa.search import index

    for title in ("公司拖欠工资两个月怎么办", "离职后公司不发最后一个月工资"):
        services.create_question(asker=asker, title=title, detail="", category="labor")
    index.apply_outbox()
    index.reset_reader()


def test_ask_answer_accept_flow(live_server, browser, make_lawyer, make_user, profile_of, artifacts_dir):
    lawyer = make_lawyer(province="北京", city="北京")
    _other_questions(make_user())
    lawyer_name = profile_of(lawyer).real_name
    asker_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    lawyer_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    for ctx in (asker_ctx, lawyer_ctx):
        ctx.set_default_timeout(5000)
    asker_page, lawyer_page = asker_ctx.new_page(), lawyer_ctx.new_page()

    # 1. The asker registers (and is signed in) …
    asker_page.goto(f"{live_server.url}/account/register/")
    asker_page.fill("#id_username", "wangxiao")
    asker_page.fill("#id_nickname", "小王")
    asker_page.fill("#id_password1", PASSWORD)
    asker_page.fill("#id_password2", PASSWORD)
    asker_page.get_by_role("button", name="注册").click()
    asker_page.wait_for_url(f"{live_server.url}/")
    assert asker_page.get_by_text("注册成功，欢迎来到法问。").is_visible()

    # 2. … and asks.
    asker_page.get_by_role("link", name="免费提问").first.click()
    asker_page.fill("#id_title", TITLE)
    asker_page.fill("#id_detail", DETAIL)
    asker_page.select_option("#id_category", "labor")
    asker_page.locator("form").get_by_role("button", name=re.compile("提交|发布")).click()
    asker_page.wait_for_url(re.compile(r"/questions/\d+-[^/]+/$"))
    question = Question.objects.get(title=TITLE)
    assert asker_page.get_by_role("heading", level=1).inner_text() == TITLE
    assert asker_page.get_by_text("问题已发布，律师会尽快为您解答。").is_visible()

    # 3. A verified lawyer signs in and answers.
    lawyer_page.goto(f"{live_server.url}/account/login/?next={question.get_absolute_url()}")
    lawyer_page.fill("#id_username", lawyer.username)
    lawyer_page.fill("#id_password", "pw-Secret-123")
    lawyer_page.get_by_role("button", name="登录").click()
    lawyer_page.wait_for_url(f"{live_server.url}{question.get_absolute_url()}")
    lawyer_page.fill("#id_body", ANSWER)
    lawyer_page.get_by_role("button", name="发布回答").click()
    lawyer_page.wait_for_url(re.compile(r"#answer-\d+$"))
    assert lawyer_page.get_by_text("回答已发布。").is_visible()
    assert Answer.objects.filter(question=question, lawyer=lawyer).count() == 1

    # 4. The asker sees the answer with the lawyer card and accepts it.
    asker_page.reload()
    answer = asker_page.locator("article.answer").first
    assert answer.locator(".lawyer-name").inner_text() == lawyer_name
    assert answer.locator(".badge-verified").inner_text() == "执业律师"
    assert "已帮助 1 人解决法律问题" in answer.inner_text()
    assert answer.locator(".answer-body li").count() == 3
    answer.get_by_role("button", name="采纳这条回答").click()
    asker_page.wait_for_load_state()
    assert asker_page.get_by_text("已采纳该回答，感谢您的反馈。").is_visible()
    assert asker_page.locator(".accepted-mark").inner_text() == "✔ 提问人已采纳"
    assert asker_page.locator(".status").first.inner_text() == "已采纳"
    question.refresh_from_db()
    assert question.status == Question.Status.ACCEPTED

    # 5. Screenshots (desktop, then a 390 px phone with the same session) and accessibility.
    asker_page.screenshot(path=artifacts_dir / "question-desktop.png", full_page=True)
    # Nothing on the phone page may be wider than the viewport (no sideways scrolling).
    phone_screenshot(
        browser,
        asker_ctx,
        f"{live_server.url}{question.get_absolute_url()}",
        artifacts_dir / "question-phone.png",
    )

    # One axe run (the desktop page; the phone page has the same markup) keeps the test short.
    assert serious_violations(asker_page) == []

    for ctx in (asker_ctx, lawyer_ctx):
        ctx.close()
