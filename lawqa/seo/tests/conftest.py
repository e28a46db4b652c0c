"""A small statute library and a handful of questions in every state the SEO pages care about."""

import pytest

from lawqa.moderation import services as moderation_services
from lawqa.questions import services as question_services
from lawqa.statutes import services as statute_services
from lawqa.statutes.models import Law


def _law(rid: str, name: str, body: str | None, *, publish: str, status: str = "现行有效", **extra) -> dict:
    """One record in the form of data/laws.jsonl.gz (scripts/bundle_laws.py)."""
    current = status == "现行有效"
    return {
        "id": rid,
        "name": name,
        "title": f"中华人民共和国{name}",
        "subtitle": None,
        "level": "法律",
        "category": "测试",
        "folder": None,
        "file": None,
        "publish": publish,
        "valid_from": publish,
        "expired": not current,
        "ver": 1,
        "header": [f"{publish} 通过"],
        "body": body,
        "repealed_on": None,
        "repealed_by": None,
        "successor": None,
        "status": status,
        "is_current": current,
        **extra,
    }


CIVIL_CODE = """
# 第四编 人格权
## 第六章 隐私权和个人信息保护
第一千零三十八条 信息处理者不得泄露或者篡改其收集、存储的个人信息。

信息处理者应当采取技术措施。

第一千零三十九条 国家机关应当对个人信息予以保密。
"""


@pytest.fixture
def laws(db) -> dict[str, Law]:
    """民法典 (in force, two articles), 公司法 2018 (revised) and 2023, 婚姻法 (repealed, no text)."""
    statute_services.reset_law_table()
    statute_services.import_library(
        records=[
            _law("civil", "民法典", CIVIL_CODE, publish="2020-05-28"),
            _law(
                "company-2018",
                "公司法",
                "第一条 旧版。\n第二条 旧版第二条。",
                publish="2018-10-26",
                status="已修订",
                successor="公司法",
            ),
            _law("company-2023", "公司法", "第一条 新版。", publish="2023-12-29"),
            _law(
                "marriage",
                "婚姻法",
                None,
                publish="2001-04-28",
                status="已废止",
                repealed_on="2021-01-01",
                repealed_by="《中华人民共和国民法典》第一千二百六十条",
                successor="民法典",
            ),
        ]
    )
    yield {law.source_id: law for law in Law.objects.all()}
    statute_services.reset_law_table()


@pytest.fixture
def site(laws, asker, lawyer, make_lawyer, make_user, moderator, area):
    """Questions in every state: answered (two answers, one accepted), anonymous and unanswered,
    hidden; lawyers verified and not."""
    second = make_lawyer()
    answered = question_services.create_question(
        asker=asker,
        title="公司拖欠三个月工资怎么办？",
        detail="入职两年，公司连续三个月没有发工资。老板说资金周转困难，让我再等等。",
        category=area,
    )
    accepted = question_services.post_answer(
        question=answered,
        lawyer=lawyer,
        body="可以先向劳动监察大队投诉，也可以申请劳动仲裁。依据《中华人民共和国民法典》第一千零三十八条。",
    )
    other = question_services.post_answer(
        question=answered, lawyer=second, body="建议保留工资条和考勤记录，作为仲裁证据。"
    )
    question_services.vote_helpful(answer=other, user=make_user())
    question_services.accept_answer(answer=accepted, by=asker)
    anonymous = question_services.create_question(
        asker=asker,
        title="离婚后孩子的抚养费怎么算？",
        detail="我的电话是13812345678，请律师联系我。孩子五岁，跟我生活。",
        category=area,
        is_anonymous=True,
    )
    unanswered = question_services.create_question(
        asker=make_user(nickname="老李"),
        title="邻居占用楼道堆放杂物怎么办",
        detail="",
        category=area,
    )
    hidden = question_services.create_question(
        asker=make_user(), title="这条问题已经被版主隐藏了", detail="违规内容。", category=area
    )
    moderation_services.set_question_hidden(question=hidden, hidden=True, by=moderator)
    for q in (answered, anonymous, unanswered, hidden):
        q.refresh_from_db()
    return {
        "answered": answered,
        "accepted_answer": accepted,
        "other_answer": other,
        "anonymous": anonymous,
        "unanswered": unanswered,
        "hidden": hidden,
        "lawyer": lawyer,
        "second_lawyer": second,
    }
