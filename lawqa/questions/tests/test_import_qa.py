"""import_qa: idempotency, bad lines, summary; the pure title / area helpers it uses."""

from __future__ import annotations

import doctest
import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from lawqa.accounts.models import User
from lawqa.lawyers.models import LawyerProfile
from lawqa.questions import importing
from lawqa.questions.models import Answer, Question
from lawqa.search.models import SearchOutbox
from lawqa.statutes import services as statute_services

ACCOUNTS = {
    "lawyers": [
        {
            "username": "demo_lawyer_01",
            "real_name": "王建国",
            "license_no": "11101201310090001",
            "firm": "京衡明理律师事务所（演示）",
            "province": "北京",
            "city": "北京",
            "areas": ["劳动纠纷", "综合咨询"],
        },
        {
            "username": "demo_lawyer_02",
            "real_name": "林雅婷",
            "license_no": "14401201310090002",
            "firm": "羊城正平律师事务所（演示）",
            "province": "广东",
            "city": "广州",
            "areas": ["婚姻家庭"],
        },
    ],
    "askers": [
        {"username": "demo_asker_001", "nickname": "王先生10", "province": "北京"},
        {"username": "demo_asker_002", "nickname": "赵女士47", "province": "四川"},
    ],
}

GOOD = [
    {
        "id": "t-1",
        "title": None,
        "body": "公司拖欠三个月工资不发，我想申请劳动仲裁，需要准备什么材料？",
        "answer": "回答:可以向用人单位所在地的劳动争议仲裁委员会申请仲裁，准备劳动合同、工资条和考勤记录。",
        "source": "test",
    },
    {
        "id": "t-2",
        "title": "离婚后孩子的抚养费怎么算",
        "body": "离婚时孩子两岁，判给了我，对方每月该给多少？",
    },
    {"id": "t-3", "title": None, "body": "居住权是什么？", "answer": None},
]


def write_jsonl(path, rows: list, *, compress: bool = False) -> str:
    text = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)
    if compress:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def accounts_file(tmp_path) -> str:
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps(ACCOUNTS, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run_import(path: str, accounts: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_qa", path, accounts=accounts, no_progress=True, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_qa_second_run_adds_nothing(db, tmp_path, accounts_file):
    path = write_jsonl(tmp_path / "qa.jsonl.gz", GOOD, compress=True)
    run_import(path, accounts_file)
    counts = (Question.objects.count(), Answer.objects.count(), User.objects.count())

    out, err = run_import(path, accounts_file)

    assert (Question.objects.count(), Answer.objects.count(), User.objects.count()) == counts == (3, 1, 4)
    assert "新增 0 个问题" in out
    assert "已存在跳过 3 个" in out
    assert err == ""


def test_import_qa_bad_lines_reported_with_line_number_and_not_written(db, tmp_path, accounts_file):
    rows = [
        GOOD[0],
        '{"id": "bad-json", "body": ',  # line 2: not JSON
        {"id": "bad-nobody", "title": "没有正文的问题", "answer": "这一行没有问题内容，应整行跳过。"},  # 3
        {
            "id": "bad-title",
            "title": "标" * 51,
            "body": "标题太长",
            "answer": "标题超过五十字，应整行跳过。",
        },  # 4
        {"id": "bad-answer", "body": "回答太长的问题", "answer": "长" * 10_001},  # 5
        GOOD[1],
    ]
    path = write_jsonl(tmp_path / "qa.jsonl", rows)

    out, err = run_import(path, accounts_file)

    assert [line.split("：")[0] for line in err.splitlines()] == ["第 2 行", "第 3 行", "第 4 行", "第 5 行"]
    assert "缺少问题内容" in err
    assert sorted(Question.objects.values_list("source_id", flat=True)) == ["t-1", "t-2"]
    assert Answer.objects.count() == 1
    assert "错误 4 行" in out


def test_import_qa_database_refusal_leaves_only_that_record_out(db, tmp_path, accounts_file, monkeypatch):
    real_record = statute_services.record_citations

    def refuse_one(*, answer):
        if "拒绝" in answer.body:
            raise IntegrityError("simulated constraint failure")
        return real_record(answer=answer)

    monkeypatch.setattr(statute_services, "record_citations", refuse_one)
    monkeypatch.delattr(statute_services, "record_citations_many", raising=False)
    rows = [
        GOOD[0],
        {"id": "t-refused", "body": "这条会被数据库拒绝吗？", "answer": "数据库拒绝写入这条回答的引用。"},
    ]
    path = write_jsonl(tmp_path / "qa.jsonl", rows)

    out, err = run_import(path, accounts_file)

    assert err.startswith("第 2 行：数据库拒绝写入")
    assert list(Question.objects.values_list("source_id", flat=True)) == ["t-1"]
    assert Answer.objects.count() == 1
    assert "新增 1 个问题" in out


def test_import_qa_summary_counts_added_skipped_and_bad(db, tmp_path, accounts_file):
    first = write_jsonl(tmp_path / "a.jsonl", GOOD[:2])
    run_import(first, accounts_file)
    second = write_jsonl(tmp_path / "b.jsonl", [*GOOD, "not json"])

    out, _ = run_import(second, accounts_file)

    assert out.startswith("导入完成：新增 1 个问题（其中 0 个附律师回答），已存在跳过 2 个，错误 1 行。")


def test_import_qa_answer_by_verified_demo_lawyer_of_the_area(db, tmp_path, accounts_file):
    path = write_jsonl(tmp_path / "qa.jsonl", GOOD)

    run_import(path, accounts_file)

    question = Question.objects.get(source_id="t-1")
    answer = question.answers.get()
    profile = LawyerProfile.objects.get(user=answer.lawyer)
    assert question.category in profile.areas.all()  # a demo lawyer of the question's area
    assert question.title == "公司拖欠三个月工资不发，我想申请劳动仲裁，需要准备什么材料？"
    assert question.detail == ""  # the whole text is the title
    assert question.status in (Question.Status.ANSWERED, Question.Status.ACCEPTED)
    assert answer.body.startswith("可以向用人单位")  # the source's "回答:" label is dropped
    assert answer.body_html.startswith("<p>")
    assert (profile.is_demo, profile.status, profile.real_name) == (True, "verified", "王建国")
    assert (profile.answer_count, profile.helped_count) == (1, 1)
    assert answer.created_at > question.created_at
    assert SearchOutbox.objects.filter(question_id=question.pk).exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("谁可以成为个体工商户？", "谁可以成为个体工商户？", id="one-question"),
        pytest.param(
            "我与妻子六年没有性生活，离婚怎么解决", "我与妻子六年没有性生活，离婚怎么解决", id="no-end-mark"
        ),
        pytest.param("被工商查处。要罚多少钱。", "被工商查处", id="first-sentence-full-stop-dropped"),
        pytest.param(
            "您好，我们两个在北京，咋样才能办离婚手续", "我们两个在北京，咋样才能办离婚手续", id="greeting"
        ),
        pytest.param("律师你好！公司不签劳动合同怎么办？", "公司不签劳动合同怎么办？", id="lawyer-greeting"),
        pytest.param("你好。请问？离婚要多久", "请问？离婚要多久", id="short-first-sentence-extended"),
        pytest.param(
            "工伤案件律师有做风险代理的吗？？？？？", "工伤案件律师有做风险代理的吗？", id="repeated-marks"
        ),
        pytest.param("?????? 本人于去年做出如下承诺。", "本人于去年做出如下承诺", id="leading-junk"),
        pytest.param("请问您知", "请问您知", id="too-short-kept-whole"),
        pytest.param(
            "我跟老公结婚五年了，我们是二次婚姻，对这个婚姻我特别珍惜，刚开始挺好，后来他经常夜不归宿，我想知道怎么办？",
            "我跟老公结婚五年了，我们是二次婚姻，对这个婚姻我特别珍惜，刚开始挺好，后来他经常夜不归宿",
            id="long-cut-at-last-comma-within-50",
        ),
        pytest.param(
            "因为当地风俗当时订婚付了一万一的彩礼钱 后来没愿意 女方不愿退还 时间过了一年了 是否能追回彩礼钱呢还有别的办法吗",
            "因为当地风俗当时订婚付了一万一的彩礼钱 后来没愿意 女方不愿退还 时间过了一年了",
            id="long-cut-at-space",
        ),
        pytest.param("字" * 60, "字" * 49 + "…", id="no-boundary-hard-cut"),
        pytest.param(
            "我是物业公司的，我公司通过招投标中标进入小区后是否要于每位业主再签服务合同进场后需要于每位业主再签吗？",
            "我是物业公司的，我公司通过招投标中标进入小区后是否要于每位业主再签服务合同进场后需要于每位业主再签…",
            id="only-short-clause-fits-hard-cut",
        ),
    ],
)
def test_derive_title_table(text, expected):
    title = importing.derive_title(text)

    assert title == expected
    assert len(title) <= importing.TITLE_MAX


@pytest.mark.parametrize(
    ("raw", "title", "detail"),
    [
        pytest.param({"id": 1, "title": "户口问题", "body": "外地户口几年可以迁进北京？"}, "外地户口几年可以迁进北京？", "", id="short-title-replaced"),
        pytest.param({"id": "a", "title": "合同有效吗，", "body": "没写期限的合同有效吗"}, "合同有效吗", "没写期限的合同有效吗", id="title-tail-comma"),
        pytest.param({"id": "b", "title": "问题描述太长了", "body": "这是一句话。" * 600}, "问题描述太长了", "这是一句话。" * 500, id="detail-truncated-at-sentence"),
        pytest.param({"id": "c", "title": "问题描述太长了", "body": "很" * 3100}, "问题描述太长了", "很" * 2999 + "…", id="detail-hard-cut"),
    ],
)  # fmt: skip
def test_parse_record_title_and_detail(raw, title, detail):
    record = importing.parse_record(json.dumps(raw, ensure_ascii=False))

    assert (record.title, record.detail) == (title, detail)


@pytest.mark.parametrize(
    ("text", "area"),
    [
        pytest.param("老公出轨了我要离婚，孩子抚养权归谁", "婚姻家庭", id="marriage"),
        pytest.param("被撞了对方逃逸，交警说要做事故认定", "交通事故", id="traffic"),
        pytest.param("朋友借钱不还，只有微信聊天记录没有借条", "债权债务", id="debt"),
        pytest.param("网购买到假货，商家不给退货", "消费权益", id="consumer"),
        pytest.param("今天天气很好", "综合咨询", id="default"),
    ],
)
def test_keyword_area_table(text, area):
    assert importing.keyword_area(text) == area


def test_importing_doctests_pass():
    result = doctest.testmod(importing)

    assert (result.failed, result.attempted > 5) == (0, True)
