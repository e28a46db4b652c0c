from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from lawqa.common.links import site_url
from lawqa.common.regions import PROVINCES


class DeleteAccountForm(forms.Form):
    """Confirm account deletion with the current password."""

    password = forms.CharField(
        label="当前密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label="我已了解：注销后账户无法恢复，提问会匿名保留，个人信息会被删除", required=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("密码不正确，请重新输入", code="wrong_password")
        return password


class PersonalInfoForm(forms.Form):
    """The personal fields a user can correct themselves (更正权)."""

    nickname = forms.CharField(label="昵称", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱（用于找回密码）", required=False)
    province = forms.ChoiceField(
        label="所在省份", choices=[("", "不填写"), *[(p, p) for p in PROVINCES]], required=False
    )


class MaskPreviewForm(forms.Form):
    """The text fields of the ask / answer / follow-up forms, any of which may be sent."""

    title = forms.CharField(required=False, max_length=200)
    detail = forms.CharField(required=False, max_length=5000)
    body = forms.CharField(required=False, max_length=12000)


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, but the lookup and the mail happen in a background task.

    The page the visitor sees, and the time it takes, are the same for a registered and an
    unknown address: no account enumeration through password reset.
    """

    email = forms.EmailField(label="注册时填写的电子邮箱", max_length=254)

    def save(self, domain_override=None, use_https=False, request=None, **kwargs) -> None:
        from .tasks import task_send_password_reset

        task_send_password_reset.enqueue(self.cleaned_data["email"])

    def send_reset_mails(self) -> None:
        """Mail each account of the address a reset link on LAWQA_SITE_URL (never on the Host
        header of the request that asked: with a lax ALLOWED_HOSTS that names any site)."""
        site = urlsplit(site_url())
        PasswordResetForm.save(
            self,
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name="privacy/password_reset_subject.txt",
            email_template_name="privacy/password_reset_email.txt",
            extra_email_context={"site_name": "法问", "site_url": site_url()},
        )
