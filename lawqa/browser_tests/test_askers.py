"""The askers' journeys in a real browser (Chromium):

1. a visitor writes a question (the ask form's autosave survives a reload, with the restore
   notice and a way to discard it), registers, and the question is published;
2. a follower gets the e-mail for a new answer and unsubscribes from the link in it, without
   logging in;
3. the asker supplements the question, accepts an answer and rates it.

Screenshots at desktop width and on a 390 px phone go to test-artifacts/askers-*.png; axe-core
finds no serious or critical violation on the pages these journeys add."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from lawqa.notifications.models import NotificationSettings
from lawqa.questions.models import AnswerRating, Question, QuestionSupplement

from .pages import desktop_context, log_in, phone_screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "试用期被公司辞退有没有补偿？"
DETAIL = "入职两个月，还在试用期，公司说我不符合录用条件，让我明天不用来了，也没有书面通知。"
ANSWER = (
    "试用期内解除劳动合同，公司需要证明您不符合录用条件：\n\n"
    "1. 要求公司出具书面解除通知；\n"
    "2. 公司无法证明的，属于违法解除，可以主张赔偿金；\n"
    "3. 可以向当地劳动争议仲裁委员会申请仲裁。"
)
PASSWORD = "Wang-Xiao-2024!"


def test_visitor_asks_registers_and_question_is_published(live_server, browser, artifacts_dir):
    ctx = desktop_context(browser)
    page = ctx.new_page()
    ask_url = f"{live_server.url}/questions/ask/"

    # 1. A visitor types a question; the browser "crashes" (the tab is closed) before submitting.
    page.goto(ask_url)
    assert page.get_by_text("无需先注册").is_visible()
    page.fill("#id_title", TITLE)
    page.fill("#id_detail", DETAIL)
    page.select_option("#id_category", "labor")
    page.wait_for_function("() => localStorage.getItem('lawqa:ask-draft') !== null")
    page.close()

    # 2. Back on the ask page: the draft is restored, with a notice and a way to discard it.
    page = ctx.new_page()
    page.goto(ask_url)
    notice = page.locator("#draft-restored")
    assert notice.is_visible()
    assert notice.inner_text().startswith("已恢复您上次未提交的草稿")
    assert (page.input_value("#id_title"), page.input_value("#id_detail")) == (TITLE, DETAIL)
    assert page.input_value("#id_category") == "labor"
    page.screenshot(path=artifacts_dir / "askers-ask-restored-desktop.png", full_page=True)
    page.get_by_role("button", name="放弃草稿，清空表单").click()
    assert page.input_value("#id_title") == ""
    assert not notice.is_visible()
    assert page.evaluate("localStorage.getItem('lawqa:ask-draft')") is None
    page.reload()
    assert not page.locator("#draft-restored").is_visible()

    # 3. The visitor writes it again and submits: the question waits while they register.
    page.fill("#id_title", TITLE)
    page.fill("#id_detail", DETAIL)
    page.select_option("#id_category", "labor")
    page.locator("#ask-form").get_by_role("button", name="发布问题").click()
    page.wait_for_url(re.compile(r"/account/register/"))
    assert Question.objects.count() == 0
    banner = page.locator("#ask-draft-banner")
    assert f"「{TITLE}」" in banner.inner_text()
    page.screenshot(path=artifacts_dir / "askers-register-with-draft-desktop.png", full_page=True)
    phone_screenshot(browser, ctx, page.url, artifacts_dir / "askers-register-with-draft-phone.png")
    assert serious_violations(page) == []

    # 4. Registering publishes it, with a clear confirmation; the browser copy is gone.
    page.fill("#id_username", "shiyongqi")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/questions/\d+-[^/]+/$"))
    question = Question.objects.get()
    assert (question.title, question.asker.username, question.category.slug) == (TITLE, "shiyongqi", "labor")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.get_by_text("您之前填写的问题已发布，律师会尽快为您解答。").is_visible()
    assert page.evaluate("localStorage.getItem('lawqa:ask-draft')") is None
    page.screenshot(path=artifacts_dir / "askers-published-desktop.png", full_page=True)
    phone_screenshot(browser, ctx, page.url, artifacts_dir / "askers-published-phone.png")

    # 5. A fresh ask page offers nothing to restore.
    page.goto(ask_url)
    assert not page.locator("#draft-restored").is_visible()
    assert page.input_value("#id_title") == ""
    ctx.close()


def test_follower_gets_answer_email_and_unsubscribes(
    live_server, browser, settings, question, make_user, make_lawyer, lawyer, artifacts_dir
):
    from lawqa.questions import services

    settings.LAWQA_SITE_URL = live_server.url
    follower = make_user(email="follower@example.com", nickname="小李")
    ctx = desktop_context(browser)
    page = ctx.new_page()

    # 1. The follower signs in and follows the question (htmx swaps the buttons in place).
    log_in(page, live_server.url, follower.username, question.get_absolute_url())
    page.get_by_role("button", name="关注问题").click()
    page.get_by_role("button", name="已关注").wait_for()
    assert page.get_by_text("已关注。有新的律师解答或补充时，我们会通知您。").is_visible()
    page.get_by_role("button", name=re.compile("^同问")).click()
    page.get_by_role("button", name="同问 · 1").wait_for()
    assert page.get_by_text("1 人同问 · 1 人关注").is_visible()
    page.screenshot(path=artifacts_dir / "askers-follow-desktop.png")

    # 2. A lawyer answers; the follower's notice and e-mail come from the background tasks.
    answer = services.post_answer(question=question, lawyer=lawyer, body=ANSWER)
    message = next(m for m in mail.outbox if m.to == [follower.email])
    assert message.subject == f"法问：您关注的问题「{question.title}」有了新的律师解答"
    links = re.findall(r"https?://\S+", message.body)
    answer_link = next(link for link in links if "#answer-" in link)
    unsubscribe_link = next(link for link in links if "/unsubscribe/" in link)
    assert answer_link == f"{live_server.url}{answer.get_absolute_url()}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_link}>"

    # 3. The in-site notice is there too; the mail's link opens the answer.
    page.goto(f"{live_server.url}/notifications/")
    assert page.get_by_text(f"您关注的问题「{question.title}」有了新的律师解答").is_visible()
    page.goto(answer_link)
    assert page.locator(f"#answer-{answer.pk} .answer-body li").count() == 3

    # 4. From the mail, without being signed in: a confirmation button, then unsubscribed.
    visitor_ctx = desktop_context(browser)
    visitor = visitor_ctx.new_page()
    visitor.goto(unsubscribe_link)
    assert visitor.get_by_role("heading", level=1).inner_text() == "退订邮件通知"
    assert not NotificationSettings.objects.filter(user=follower).exists()  # GET changes nothing
    visitor.screenshot(path=artifacts_dir / "askers-unsubscribe-desktop.png", full_page=True)
    phone_screenshot(browser, visitor_ctx, unsubscribe_link, artifacts_dir / "askers-unsubscribe-phone.png")
    assert serious_violations(visitor) == []
    visitor.get_by_role("button", name="确认退订").click()
    visitor.get_by_role("heading", name="已退订").wait_for()
    assert NotificationSettings.objects.get(user=follower).email_mode == NotificationSettings.EmailMode.OFF

    # 5. The account's notification settings show the choice; the next answer sends no mail.
    page.goto(f"{live_server.url}/notifications/settings/")
    assert page.get_by_label("不发邮件：只在站内通知").is_checked()
    page.screenshot(path=artifacts_dir / "askers-notification-settings-desktop.png", full_page=True)
    sent = len(mail.outbox)
    services.post_answer(question=question, lawyer=make_lawyer(), body=ANSWER)
    assert [m for m in mail.outbox[sent:] if m.to == [follower.email]] == []
    for c in (ctx, visitor_ctx):
        c.close()


def test_asker_supplements_accepts_and_rates(live_server, browser, question, asker, lawyer, artifacts_dir):
    from lawqa.questions import services

    answer = services.post_answer(question=question, lawyer=lawyer, body=ANSWER)
    ctx = desktop_context(browser)
    page = ctx.new_page()
    url = f"{live_server.url}{question.get_absolute_url()}"
    log_in(page, live_server.url, asker.username, question.get_absolute_url())

    # 1. 补充问题: shown under the question with its time.
    page.locator("summary", has_text="补充问题").click()
    page.fill("#supplement-body", "补充一下：公司一直没有给我签书面劳动合同。")
    page.get_by_role("button", name="发布补充").click()
    page.wait_for_url(re.compile(r"#supplement-\d+$"))
    assert page.get_by_text("补充内容已发布，回答过的律师和关注者会收到通知。").is_visible()
    supplement = QuestionSupplement.objects.get(question=question)
    block = page.locator(f"#supplement-{supplement.pk}")
    assert "公司一直没有给我签书面劳动合同" in block.inner_text()
    assert "补充于" in block.inner_text()

    # 2. Accept the answer; the rating form opens under it.
    page.locator(f"#answer-{answer.pk}").get_by_role("button", name="采纳这条回答").click()
    page.wait_for_load_state()
    assert page.get_by_text("已采纳该回答，感谢您的反馈。").is_visible()
    card = page.locator(f"#answer-{answer.pk}")
    assert card.get_by_text("您对这条回答满意吗？").is_visible()

    # 3. Rate it 满意 with a short comment.
    card.get_by_label("满意", exact=True).check()
    card.get_by_label("评价内容（选填，最多200字）").fill("解答很具体，谢谢律师")
    card.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    assert page.get_by_text("评价已提交，感谢您的反馈。").is_visible()
    rating = AnswerRating.objects.get(answer=answer)
    assert (rating.score, rating.comment) == ("satisfied", "解答很具体，谢谢律师")
    card = page.locator(f"#answer-{answer.pk}")
    assert "提问人评价：满意 解答很具体，谢谢律师" in card.locator(".rating").inner_text()
    assert card.get_by_role("button", name="提交评价").count() == 0

    page.goto(url)
    page.screenshot(path=artifacts_dir / "askers-question-desktop.png", full_page=True)
    phone_screenshot(browser, ctx, url, artifacts_dir / "askers-question-phone.png")
    assert serious_violations(page) == []

    # 4. 我的提问 lists it; the page passes axe as well.
    page.goto(f"{live_server.url}/account/questions/")
    assert page.get_by_role("link", name=question.title).is_visible()
    assert serious_violations(page) == []
    ctx.close()
