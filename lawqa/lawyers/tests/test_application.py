"""Lawyer applications: the form's checks, admin approval / rejection, and what the applicant sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lawqa.accounts.models import User
from lawqa.lawyers import services
from lawqa.lawyers.models import LawyerProfile
from lawqa.questions import services as question_services
from lawqa.questions.models import Category

LICENCE_MESSAGE = "执业证号应为17位数字，请对照律师执业证核对后重新填写"


def _form_data(**overrides) -> dict:
    data = {
        "real_name": "王明",
        "license_no": "11101201910000099",
        "firm": "北京市某某律师事务所",
        "province": "北京",
        "city": "北京",
        "areas": ["labor", "marriage-family"],
        "bio": "十年劳动争议办案经验。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def applicant_client(client, make_user):
    user = make_user()
    client.force_login(user)
    client.user = user
    return client


def _area_ids(*slugs: str) -> list[int]:
    return list(Category.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def _post(client, **overrides):
    data = _form_data(**overrides)
    data["areas"] = _area_ids(*data["areas"])
    return client.post(reverse("lawyers:apply"), data)


def test_apply_form_valid_creates_pending_profile(applicant_client):
    response = _post(applicant_client)

    assert response.status_code == 302
    profile = LawyerProfile.objects.get(user=applicant_client.user)
    assert (profile.status, profile.license_no, sorted(a.slug for a in profile.areas.all())) == (
        LawyerProfile.Status.PENDING,
        "11101201910000099",
        ["labor", "marriage-family"],
    )


@pytest.mark.parametrize(
    "licence",
    [
        pytest.param("1110120191000009", id="16-digits"),
        pytest.param("111012019100000999", id="18-digits"),
        pytest.param("1110120191000009X", id="letter"),
        pytest.param("١١١٠١٢٠١٩١٠٠٠٠٠٩٩", id="arabic-indic-digits"),
    ],
)
def test_apply_form_bad_licence_shows_chinese_message_once(applicant_client, licence):
    response = _post(applicant_client, license_no=licence)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(LICENCE_MESSAGE) == 1
    assert LawyerProfile.objects.count() == 0


def test_apply_form_licence_with_spaces_accepted(applicant_client):
    _post(applicant_client, license_no="11101 2019 1000 0099")

    assert LawyerProfile.objects.get().license_no == "11101201910000099"


def test_apply_form_fullwidth_licence_normalised(applicant_client):
    _post(applicant_client, license_no="１１１０１２０１９１００００９９９")

    assert LawyerProfile.objects.get().license_no == "11101201910000999"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"license_no": ""}, "请填写17位执业证号", id="no-licence"),
        pytest.param({"real_name": ""}, "请填写真实姓名", id="no-name"),
        pytest.param({"firm": ""}, "请填写执业机构（律师事务所）名称", id="no-firm"),
        pytest.param({"areas": []}, "请至少选择一个擅长领域", id="no-area"),
        pytest.param(
            {"areas": ["labor", "marriage-family", "traffic", "contract", "criminal", "company"]},
            "擅长领域最多选择5个",
            id="six-areas",
        ),
    ],
)
def test_apply_form_errors_in_chinese(applicant_client, overrides, message):
    response = _post(applicant_client, **overrides)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert LawyerProfile.objects.count() == 0


def test_apply_form_licence_taken_by_other_user(applicant_client, lawyer, profile_of):
    response = _post(applicant_client, license_no=profile_of(lawyer).license_no)

    assert "该执业证号已被其他账户使用，如有疑问请联系管理员" in response.content.decode()
    assert LawyerProfile.objects.filter(user=applicant_client.user).count() == 0


@pytest.mark.parametrize("licence", ["123", "1110120191000009a", ""])
def test_apply_service_bad_licence_raises_coded_error(make_user, area, licence):
    with pytest.raises(ValidationError) as caught:
        services.apply_as_lawyer(
            user=make_user(),
            real_name="王明",
            license_no=licence,
            firm="某所",
            province="北京",
            city="北京",
            areas=[area],
        )

    assert (caught.value.code, caught.value.message) == ("invalid_license_no", LICENCE_MESSAGE)
    assert LawyerProfile.objects.count() == 0


def test_apply_pending_shows_status_page(applicant_client):
    _post(applicant_client)

    response = applicant_client.get(reverse("lawyers:apply"))

    assert "正在等待管理员审核" in response.content.decode()


def test_admin_change_form_shows_approve_and_reject(client, admin_user, unverified_lawyer, profile_of):
    client.force_login(admin_user)
    profile = profile_of(unverified_lawyer)

    html = client.get(reverse("admin:lawyers_lawyerprofile_change", args=[profile.pk])).content.decode()

    assert "通过认证" in html
    assert reverse("admin:lawyers_reject", args=[profile.pk]) in html


def test_admin_approve_verifies_and_allows_answering(
    client, admin_user, unverified_lawyer, profile_of, question
):
    client.force_login(admin_user)
    profile = profile_of(unverified_lawyer)

    response = client.post(reverse("admin:lawyers_approve", args=[profile.pk]))

    assert response.status_code == 302
    profile.refresh_from_db()
    unverified_lawyer.refresh_from_db()
    assert (profile.status, profile.verified_by_id, unverified_lawyer.role) == (
        LawyerProfile.Status.VERIFIED,
        admin_user.pk,
        User.Role.LAWYER,
    )
    assert profile.verified_at is not None
    question_services.post_answer(
        question=question, lawyer=unverified_lawyer, body="可以申请劳动仲裁，要求支付工资。"
    )


def test_admin_bulk_approve_action(client, admin_user, make_lawyer, profile_of):
    pending = [profile_of(make_lawyer(verified=False)) for _ in range(2)]
    client.force_login(admin_user)

    client.post(
        reverse("admin:lawyers_lawyerprofile_changelist"),
        {"action": "approve_selected", "_selected_action": [p.pk for p in pending]},
    )

    assert LawyerProfile.objects.filter(status=LawyerProfile.Status.VERIFIED).count() == 2 + 0


def test_admin_reject_with_reason_shown_to_applicant(client, admin_user, unverified_lawyer, profile_of):
    profile = profile_of(unverified_lawyer)
    client.force_login(admin_user)

    form_page = client.get(reverse("admin:lawyers_reject", args=[profile.pk]))
    response = client.post(
        reverse("admin:lawyers_reject", args=[profile.pk]), {"reason": "执业证号与姓名不符，请核对"}
    )

    assert form_page.status_code == 200
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.rejection_reason) == (
        LawyerProfile.Status.REJECTED,
        "执业证号与姓名不符，请核对",
    )
    client.force_login(unverified_lawyer)
    html = client.get(reverse("lawyers:apply")).content.decode()
    assert "上次申请未通过：执业证号与姓名不符，请核对" in html


def test_admin_reject_without_reason_shows_error(client, admin_user, unverified_lawyer, profile_of):
    profile = profile_of(unverified_lawyer)
    client.force_login(admin_user)

    response = client.post(reverse("admin:lawyers_reject", args=[profile.pk]), {"reason": "  "})

    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.status == LawyerProfile.Status.PENDING


def test_reject_service_requires_reason(admin_user, unverified_lawyer, profile_of):
    with pytest.raises(ValidationError) as caught:
        services.reject_lawyer(profile=profile_of(unverified_lawyer), by=admin_user, reason=" ")

    assert [e.code for e in caught.value.error_dict["rejection_reason"]] == ["reason_required"]


def test_rejected_applicant_can_reapply(client, admin_user, unverified_lawyer, profile_of):
    profile = profile_of(unverified_lawyer)
    services.reject_lawyer(profile=profile, by=admin_user, reason="材料不全")
    client.force_login(unverified_lawyer)

    data = _form_data(license_no=profile.license_no)
    data["areas"] = _area_ids("labor")
    response = client.post(reverse("lawyers:apply"), data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.rejection_reason) == (LawyerProfile.Status.PENDING, "")


def test_verified_lawyer_cannot_apply_again(client, lawyer, profile_of):
    client.force_login(lawyer)

    response = client.post(reverse("lawyers:apply"), _form_data(license_no="11101201910009999", areas=[]))

    assert "您已通过认证" in response.content.decode()
    assert profile_of(lawyer).license_no != "11101201910009999"
