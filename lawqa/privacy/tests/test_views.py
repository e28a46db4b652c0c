"""Privacy policy page, masking preview partial, mask_pii command, log filter."""

import io
import json
import logging

from django.core.management import call_command
from django.urls import reverse

from lawqa.privacy.log_filters import MaskPIIFilter


def test_privacy_policy_page_is_public_and_states_retention(client, settings):
    response = client.get(reverse("privacy:policy"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "隐私政策" in html
    assert f"登录安全记录：{settings.LAWQA_RETENTION_DAYS['login_records']} 天后自动删除" in html
    assert reverse("privacy:export") in html
    assert reverse("privacy:delete_account") in html


def test_footer_links_to_privacy_policy(client, db):
    html = client.get(reverse("home")).content.decode()

    assert 'href="/privacy/"' in html


def test_mask_preview_shows_masked_text_and_reason(client, asker):
    client.force_login(asker)

    response = client.post(
        reverse("privacy:mask_preview"),
        {"title": "欠款不还怎么办", "detail": "他的电话13812348000，身份证11010519491231002X"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<mark title="手机号">138****8000</mark>' in html
    assert "110105********002X" in html
    assert "防止被冒用" in html
    assert "13812348000" not in html
    assert "11010519491231002X" not in html


def test_mask_preview_without_personal_data_is_empty(client, asker):
    client.force_login(asker)

    response = client.post(reverse("privacy:mask_preview"), {"detail": "公司拖欠工资三个月，共36000元"})

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_mask_preview_escapes_markup(client, asker):
    client.force_login(asker)

    response = client.post(
        reverse("privacy:mask_preview"), {"body": "<script>alert(1)</script>电话13812348000"}
    )

    html = response.content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_mask_preview_requires_login(client):
    response = client.post(reverse("privacy:mask_preview"), {"detail": "电话13812348000"})

    assert response.status_code == 302


def test_mask_pii_command_follows_eval_contract(monkeypatch):
    rows = [
        {"id": "a", "text": "电话13812348000"},
        {"id": "b", "text": "无个人信息"},
        {"id": "c", "text": 5},
        {"text": "no id"},
    ]
    stdin = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()

    call_command("mask_pii", stdout=out)

    got = [json.loads(line) for line in out.getvalue().splitlines()]
    assert got == [
        {"id": "a", "text": "电话138****8000", "findings": [{"kind": "mobile", "span": [2, 13]}]},
        {"id": "b", "text": "无个人信息", "findings": []},
        {"id": "c", "error": "text must be a string"},
        {"line": 4, "error": "missing id"},
        {"line": 5, "error": got[4]["error"]},
    ]


def test_log_filter_masks_message_args_and_traceback():
    record = logging.LogRecord(
        "lawqa", logging.ERROR, __file__, 1, "用户 %s 提交失败", ("13812348000",), None
    )
    try:
        raise ValueError("身份证 11010519491231002X")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()

    kept = MaskPIIFilter().filter(record)

    assert kept is True
    assert record.getMessage() == "用户 138****8000 提交失败"
    assert "110105********002X" in record.exc_text
    assert "11010519491231002X" not in record.exc_text


def test_configured_handlers_mask_personal_data():
    handlers = {*logging.getLogger().handlers, *logging.getLogger("django").handlers}
    streams = {h: h.setStream(io.StringIO()) for h in handlers if isinstance(h, logging.StreamHandler)}
    try:
        logging.getLogger("django.request").error("bad request from %s", "13812348000")
        logging.getLogger("lawqa.anything").warning("card 6228480402564890018")
        written = "".join(h.stream.getvalue() for h in streams)
    finally:
        for handler, stream in streams.items():
            handler.setStream(stream)

    assert "138****8000" in written
    assert "6228***********0018" in written
    assert "13812348000" not in written
    assert "6228480402564890018" not in written
