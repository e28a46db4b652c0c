from django.urls import reverse

from lawqa.questions.models import Question


def test_ask_with_phone_number_shows_masked_preview_then_publishes_masked(client, asker):
    client.force_login(asker)
    data = {
        "title": "欠款不还怎么起诉对方？",
        "detail": "对方电话13812348000，欠我两万元。",
        "category": "debt",
    }

    preview = client.post(reverse("questions:ask"), data)

    html = preview.content.decode()
    assert preview.status_code == 200
    assert Question.objects.count() == 0
    assert "138****8000" in html
    assert "13812348000" not in html
    published = client.post(
        reverse("questions:ask"), {**data, "detail": "对方电话138****8000，欠我两万元。", "masking_seen": "1"}
    )
    assert published.status_code == 302
    assert Question.objects.get().detail == "对方电话138****8000，欠我两万元。"


def test_ask_resubmitting_raw_number_after_preview_still_stores_it_masked(client, asker):
    client.force_login(asker)
    data = {
        "title": "欠款不还怎么起诉对方？",
        "detail": "对方电话13812348000",
        "category": "debt",
        "masking_seen": "1",
    }

    client.post(reverse("questions:ask"), data)

    assert Question.objects.get().detail == "对方电话138****8000"


def test_followup_with_phone_number_shows_masked_preview_then_sends_masked(client, answer, asker):
    from lawqa.questions.models import FollowUp

    client.force_login(asker)
    url = reverse("questions:followup", args=[answer.pk])

    preview = client.post(url, {"body": "我的电话13812348000，方便联系我吗？"})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert FollowUp.objects.count() == 0
    assert "138****8000" in html
    assert "13812348000" not in html
    assert 'name="masking_seen" value="1"' in html
    sent = client.post(url, {"body": "我的电话138****8000，方便联系我吗？", "masking_seen": "1"})
    assert sent.status_code == 302
    assert sent["Location"] == answer.get_absolute_url()
    assert FollowUp.objects.get().body == "我的电话138****8000，方便联系我吗？"


def test_followup_without_personal_data_is_sent_at_once(client, answer, lawyer):
    from lawqa.questions.models import FollowUp

    client.force_login(lawyer)

    response = client.post(
        reverse("questions:followup", args=[answer.pk]), {"body": "请补充劳动合同的签订时间。"}
    )

    assert response.status_code == 302
    assert FollowUp.objects.get().body == "请补充劳动合同的签订时间。"
