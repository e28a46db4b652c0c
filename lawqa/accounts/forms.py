from django import forms
from django.contrib.auth.forms import UserCreationForm

from lawqa.common.regions import PROVINCES

from .models import User


class RegisterForm(UserCreationForm):
    """Sign-up: username, optional nickname and province, password twice."""

    nickname = forms.CharField(label="昵称（选填）", max_length=30, required=False)
    province = forms.ChoiceField(
        label="所在省份（选填，用于匹配本地律师）",
        choices=[("", "不填写"), *[(p, p) for p in PROVINCES]],
        required=False,
    )
    email = forms.EmailField(label="电子邮箱（选填，用于找回密码）", required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "nickname", "email", "province")
        labels = {"username": "用户名"}
        help_texts = {"username": "4–30 个字符，可用字母、数字、汉字和 @ . + - _"}

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if len(name) < 4:
            raise forms.ValidationError("用户名至少需要4个字符", code="username_too_short")
        return name
