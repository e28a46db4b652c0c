"""The spam and advertising rules (moderation.spam): table tests of what is held and what is not,
properties, and the false-positive rate on the bundled demo data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawqa.moderation import spam

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo_qa.jsonl.gz"

LONG = "您好，根据劳动合同法的规定，用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同并要求支付经济补偿金，也可以向劳动监察部门投诉。"

HELD_ANSWERS = [
    pytest.param("可以起诉，详情加我微信 lawyer_wang88", ("wechat", "invite"), id="wechat-id-and-invite"),
    pytest.param("需要帮助的话：微信号：zhanglvshi2024", ("wechat",), id="wechat-id"),
    pytest.param("可以起诉。薇信 abc_123456", ("wechat",), id="wechat-homophone"),
    pytest.param("具体情况 VX：Law-Help_01 聊", ("wechat",), id="wechat-vx"),
    pytest.param("手机13812345678，微信同号", ("phone", "wechat", "invite"), id="wechat-same-as-phone"),
    pytest.param("有问题可以加扣扣 123456789 咨询", ("qq",), id="qq-homophone"),
    pytest.param("QQ：2345678901", ("qq",), id="qq-number"),
    pytest.param("详情请致电 138-1234-5678", ("phone",), id="phone-with-dashes"),
    pytest.param("电话：幺三八一二三四五六七八", ("phone",), id="phone-in-chinese-numerals"),
    pytest.param("律所电话 010-88886666", ("phone",), id="landline"),
    pytest.param("咨询热线 4008123456", ("phone",), id="400-number"),
    pytest.param("建议来电详谈，[手机号已隐去]", ("phone", "invite"), id="imported-placeholder"),
    pytest.param("建议来电详谈，138****8000", ("phone", "invite"), id="masked-number-from-lawyer"),
    pytest.param("来信请发 wang.law@example.com", ("email",), id="email"),
    pytest.param("如需帮助来电咨询", ("invite",), id="invite-call"),
    pytest.param("如有疑问欢迎来电或当面详询。", ("invite",), id="invite-welcome-call"),
    pytest.param("具体情况您可以随时打电话咨询我。", ("invite",), id="invite-call-me"),
    pytest.param("有需要私信我", ("invite",), id="invite-private-message"),
    pytest.param("扫描下方二维码添加我的微信", ("invite", "qr_code"), id="qr-below"),
    pytest.param("长按识别二维码关注，免费咨询", ("qr_code",), id="qr-long-press"),
    pytest.param("关注我的公众号获取更多案例", ("qr_code",), id="official-account"),
    pytest.param("![二维码](https://img.example.com/qr.png)", ("qr_code", "link"), id="markdown-image"),
    pytest.param("更多案例见 www.example-law.com", ("link",), id="www-link"),
    pytest.param("详见 https://t.cn/abc123", ("link",), id="short-link"),
    pytest.param("见 lvshi-wang.top", ("link",), id="bare-domain"),
    pytest.param("a.com b.net c.cn 都可以看", ("link_spam",), id="three-links"),
]


@pytest.mark.parametrize(("text", "rules"), HELD_ANSWERS)
def test_check_text_answer_with_contact_or_link_held(text, rules):
    verdict = spam.check_text(text, kind="answer")

    assert verdict.held
    assert verdict.rules == rules


PUBLISHED_ANSWERS = [
    pytest.param("建议先协商，协商不成可以申请劳动仲裁。", id="plain-advice"),
    pytest.param("可以拨打12348法律援助热线，或者12333劳动保障热线。", id="public-hotlines"),
    pytest.param("依据《民法典》第1165条，赔偿36000元。", id="article-and-money"),
    pytest.param("案号(2022)沪0115民初88888号的判决可以参考。", id="case-number"),
    pytest.param("2023-12-01 到 2024-03-15 期间的工资都应支付。", id="dates"),
    pytest.param("微信聊天记录、转账记录都可以作为证据。", id="wechat-as-evidence"),
    pytest.param("对方只有微信和qq的话，追回是有点困难的。", id="wechat-qq-mentioned"),
    pytest.param("条文见 http://www.npc.gov.cn/npc/c30834/202006/t20200602.shtml", id="gov-link"),
    pytest.param("参见 https://www.pkulaw.com/pfnl/95b2ca8d", id="pkulaw-link"),
    pytest.param("可以到 wenshu.court.gov.cn 查询类似判决", id="judgments-site"),
    pytest.param("建议携带相关材料与律师面谈。", id="meet-a-lawyer"),
    pytest.param("可以致电当地劳动局咨询。", id="call-the-bureau"),
    pytest.param("身份证号码是18位。", id="id-number-word"),
]


@pytest.mark.parametrize("text", PUBLISHED_ANSWERS)
def test_check_text_ordinary_answer_published(text):
    assert spam.check_text(text, kind="answer").hits == ()


PUBLISHED_QUESTIONS = [
    pytest.param("我的电话13812345678，公司拖欠工资怎么办？", id="own-phone"),
    pytest.param("律师请加我微信 abc123456 详谈，离婚财产怎么分", id="own-wechat-without-ads"),
    pytest.param("对方加我微信后让我转账，钱还能要回来吗？", id="wechat-story"),
    pytest.param("骗子QQ：12345678，说能解除限制登录，被骗500元", id="scammer-qq"),
    pytest.param("对方让我扫码付款，被骗了2000元怎么办", id="scan-to-pay"),
    pytest.param("扫码添加好友后被拉进群骗钱", id="scan-to-add-story"),
    pytest.param("我们网站www.bangdaishi.com 被人抄袭了：http://www.dxsexd.com", id="two-links-story"),
]


@pytest.mark.parametrize("text", PUBLISHED_QUESTIONS)
def test_check_text_askers_own_details_and_stories_published(text):
    assert spam.check_text(text, kind="question").hits == ()


HELD_QUESTIONS = [
    pytest.param("专业代办离婚，有意者请加微信 lawyer_wang88", ("wechat",), id="ad-wechat"),
    pytest.param("专业讨债，电话13812345678，24小时服务", ("phone",), id="ad-phone"),
    pytest.param("贷款办理，欢迎咨询，详见 www.daikuan-example.com", ("link",), id="ad-link"),
    pytest.param("看这里 a.com b.net c.cn d.top", ("link_spam",), id="link-spam"),
    pytest.param("扫描下方二维码，了解更多", ("qr_code",), id="qr-below"),
]


@pytest.mark.parametrize(("text", "rules"), HELD_QUESTIONS)
def test_check_text_advertising_question_held(text, rules):
    assert spam.check_text(text, kind="question").rules == rules


def test_check_text_site_links_allowed():
    text = "参见 https://lawqa.example.cn/questions/12/ 的回答"

    assert spam.check_text(text, kind="answer", allowed_hosts=["lawqa.example.cn"]).hits == ()
    assert spam.check_text(text, kind="answer").rules == ("link",)


def test_check_answer_quoting_askers_own_number_published():
    question = "借款人手机138****8000，借了我五万元一直不还"

    assert spam.check_answer("您提到的13812348000不要公开。", question_text=question).hits == ()
    assert spam.check_answer("请打我电话13912348000。", question_text=question).rules == ("phone",)


def test_check_answer_third_copy_held():
    assert not spam.check_answer(LONG, earlier_answers=[LONG]).held
    assert spam.check_answer(LONG, earlier_answers=[LONG, LONG.replace("您好", "你好")]).rules == (
        "duplicate",
    )


def test_near_duplicate_count_different_answers_not_counted():
    other = "您好，离婚时夫妻共同财产一般平均分割，但应照顾子女、女方和无过错方的权益，可以协商也可以起诉。"

    assert spam.near_duplicate_count(LONG, [other, other]) == 0


@given(st.text(max_size=400))
def test_check_text_never_raises(text):
    for kind in ("question", "answer"):
        verdict = spam.check_text(text, kind=kind)
        assert verdict.held == bool(verdict.hits)


@given(st.text(min_size=40, max_size=200))
def test_similarity_of_text_with_itself_is_one(text):
    assert spam.similarity(text, text) == 1.0


def _demo_records():
    with gzip.open(DEMO, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.skipif(not DEMO.exists(), reason="the demo bundle is not in this checkout")
def test_demo_data_false_positive_rate_low():
    """The 9,054 demo questions and 2,059 answers are real consultations: almost nothing may be
    held. What is held in the answers is mostly genuine advertising ("如需帮助来电咨询", a
    lawyer's number); `manage.py spam_report --bundle` lists every hit for review."""
    records = _demo_records()
    questions = [r["body"] for r in records]
    answers = [r["answer"] for r in records if r.get("answer")]

    held_questions = sum(spam.check_text(t, kind="question").held for t in questions)
    held_answers = sum(spam.check_text(t, kind="answer").held for t in answers)

    assert len(questions) == 9054 and len(answers) == 2059
    assert held_questions / len(questions) <= 0.001
    assert held_answers / len(answers) <= 0.01
