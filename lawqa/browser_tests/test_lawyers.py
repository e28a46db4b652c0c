"""The lawyers' journeys and spam control in a real browser (Chromium):

1. a lawyer opens a question from the 律师工作台, inserts a suggested citation with one click from
   the 写作助手, publishes, edits the answer, and the public revision history shows the diff;
2. a lawyer's answer carrying a WeChat ID lands in the moderation queue, not on the page: the
   lawyer is told why, visitors do not see it, a moderator finds it in the admin queue.

Screenshots at desktop width and on a 390 px phone go to test-artifacts/lawyers-*.png; axe-core
finds no serious or critical violation on the workspace, the answer form and the history."""

from __future__ import annotations

import re

import pytest

from lawqa.moderation.models import HeldPost
from lawqa.questions.models import Answer, AnswerRevision

from .pages import desktop_context, log_in, phone_screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "公司拖欠三个月工资，我能不能直接辞职？"
FIRST = "可以。公司未及时足额支付劳动报酬的，您可以解除劳动合同，依据是"
ADDED = "同时可以要求公司支付经济补偿。"


@pytest.fixture
def library():
    from lawqa.statutes import services as statute_services
    from lawqa.statutes.tests.conftest import library_records

    statute_services.reset_law_table()
    statute_services.import_library(records=library_records())
    yield
    statute_services.reset_law_table()


@pytest.fixture
def suggestions(monkeypatch):
    """The live server runs in this process: pin legalai's suggestions (no trained model here)."""
    from lawqa.legalai import services as legalai_services
    from lawqa.legalai.suggester import Suggestion

    fixed = [
        Suggestion(law="中华人民共和国劳动合同法", article=38, sub=0, score=0.9, law_name="劳动合同法"),
        Suggestion(law="中华人民共和国劳动合同法", article=46, sub=0, score=0.5, law_name="劳动合同法"),
    ]
    monkeypatch.setattr(legalai_services, "suggest_articles", lambda text, k=5, **kw: fixed[:k])


def test_lawyer_inserts_citation_edits_and_history_shows_diff(
    live_server, browser, artifacts_dir, library, suggestions, make_lawyer, make_user, area
):
    from lawqa.questions import services

    lawyer = make_lawyer(province="北京", city="北京")
    asker = make_user()
    question = services.create_question(
        asker=asker, title=TITLE, detail="入职两年，公司连续三个月没发工资。", category=area
    )
    earlier = services.create_question(
        asker=make_user(), title="公司拖欠两个月工资怎么办", detail="", category=area
    )
    services.post_answer(
        question=earlier, lawyer=lawyer, body="可以先协商，协商不成申请劳动仲裁，要求支付工资。"
    )
    base = live_server.url
    ctx = desktop_context(browser)
    page = ctx.new_page()

    # 1. The workspace lists the question; the lawyer opens it.
    log_in(page, base, lawyer.username, "/lawyers/workspace/")
    assert page.get_by_role("heading", level=1).inner_text() == "律师工作台"
    page.screenshot(path=artifacts_dir / "lawyers-workspace-desktop.png", full_page=True)
    assert serious_violations(page) == []
    phone_screenshot(
        browser, ctx, f"{base}/lawyers/workspace/", artifacts_dir / "lawyers-workspace-phone.png"
    )
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/questions/\d+"))

    # 2. The 写作助手 loads: suggested articles and the lawyer's similar earlier answer.
    help_panel = page.locator("#draft-help")
    # (Waits for the loaded panel: its placeholder "正在载入写作助手…" names the helper too.)
    help_panel.get_by_text("公司拖欠两个月工资怎么办").first.wait_for()
    assert "正在载入" not in help_panel.inner_text()
    page.fill("#id_body", FIRST)
    page.locator("#id_body").press("End")
    help_panel.get_by_role("button", name="把《劳动合同法》第三十八条插入回答").click()
    assert page.input_value("#id_body") == FIRST + "《劳动合同法》第三十八条"
    # The live citation check runs on the inserted text.
    page.locator("#citation-check").get_by_text("第三十八条").first.wait_for()
    page.screenshot(path=artifacts_dir / "lawyers-answer-form-desktop.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="发布回答").click()
    page.wait_for_url(re.compile(r"#answer-\d+$"))
    answer = Answer.objects.get(question=question, lawyer=lawyer)
    assert answer.body == FIRST + "《劳动合同法》第三十八条"
    assert page.locator(f"#answer-{answer.pk} .answer-body a.cite-ok").first.inner_text() == "第三十八条"

    # 3. The lawyer edits the answer: 已编辑 with the time, history with the diff.
    page.locator(f"#answer-{answer.pk}").get_by_role("link", name="修改回答").click()
    page.wait_for_url(re.compile(r"/answers/\d+/edit/$"))
    page.locator("#id_body").press("End")
    page.locator("#id_body").type(ADDED)
    page.get_by_role("button", name="保存修改").click()
    page.wait_for_url(re.compile(r"#answer-\d+$"))
    assert page.get_by_text("回答已修改，修改记录对所有人公开。").is_visible()
    edited = page.locator(f"#answer-{answer.pk} .edited-mark")
    assert edited.inner_text().startswith("已编辑")
    assert AnswerRevision.objects.filter(answer=answer).count() == 2

    # 4. Anyone opens the history: the added sentence is marked as inserted.
    visitor = desktop_context(browser).new_page()
    visitor.goto(f"{base}{question.get_absolute_url()}")
    visitor.locator(f"#answer-{answer.pk} .edited-mark").click()
    visitor.wait_for_url(re.compile(r"/answers/\d+/history/$"))
    assert visitor.locator(".revision").first.locator("ins").inner_text() == ADDED
    assert visitor.locator(".revision").count() == 2
    visitor.screenshot(path=artifacts_dir / "lawyers-history-desktop.png", full_page=True)
    assert serious_violations(visitor) == []
    phone_screenshot(browser, visitor.context, visitor.url, artifacts_dir / "lawyers-history-phone.png")
    phone_screenshot(
        browser, ctx, f"{base}{question.get_absolute_url()}", artifacts_dir / "lawyers-question-phone.png"
    )
    ctx.close()
    visitor.context.close()


def test_spam_answer_lands_in_queue_not_on_page(
    live_server, browser, artifacts_dir, make_lawyer, make_user, moderator, area
):
    from lawqa.questions import services

    lawyer = make_lawyer()
    question = services.create_question(asker=make_user(), title=TITLE, detail="", category=area)
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save(update_fields=["is_staff", "is_superuser"])
    base = live_server.url
    ctx = desktop_context(browser)
    page = ctx.new_page()

    # 1. The lawyer answers with a WeChat ID; the masking preview shows, then the answer is held.
    log_in(page, base, lawyer.username, question.get_absolute_url())
    page.fill("#id_body", "可以申请劳动仲裁。具体情况请加我微信 lawyer_wang88 详谈，24小时在线。")
    page.get_by_role("button", name="发布回答").click()
    page.get_by_role("button", name="发布回答").click()  # after the masking preview
    page.wait_for_url(re.compile(r"#answer-\d+$"))
    assert page.get_by_text(re.compile("您的回答已提交，但暂未公开")).is_visible()
    assert page.get_by_text("该回答正在等待版主审核，审核通过前只有您和版主能看到。").is_visible()
    held = HeldPost.objects.get()
    assert held.rules == "wechat,invite"
    page.screenshot(path=artifacts_dir / "lawyers-spam-held-desktop.png", full_page=True)
    phone_screenshot(
        browser, ctx, f"{base}{question.get_absolute_url()}", artifacts_dir / "lawyers-spam-held-phone.png"
    )

    # 2. A visitor does not see it.
    visitor_ctx = desktop_context(browser)
    visitor = visitor_ctx.new_page()
    visitor.goto(f"{base}{question.get_absolute_url()}")
    assert visitor.locator("article.answer").count() == 0
    assert "lawyer_wang88" not in visitor.content()
    phone_screenshot(browser, visitor_ctx, visitor.url, artifacts_dir / "lawyers-spam-public-phone.png")

    # 3. The moderator finds it in the queue with the reason.
    mod_ctx = desktop_context(browser)
    mod = mod_ctx.new_page()
    log_in(mod, base, moderator.username, "/admin/moderation/heldpost/")
    row = mod.locator("#result_list tbody tr").first
    assert "含微信联系方式" in row.inner_text()
    assert "待审核" in row.inner_text()
    mod.screenshot(path=artifacts_dir / "lawyers-spam-queue-desktop.png", full_page=True)
    for c in (ctx, visitor_ctx, mod_ctx):
        c.close()
