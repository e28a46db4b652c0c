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


class AccessTokenForm(forms.Form):
    """The account page's 创建令牌 form: a name, read or write, how long it lives."""

    name = forms.CharField(
        label="令牌名称",
        max_length=40,
        help_text="用途，便于日后辨认，例如“数据分析脚本”",
        error_messages={"required": "请给令牌起个名字，例如“数据分析脚本”，便于日后辨认"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 40}),
    )
    scope = forms.ChoiceField(
        label="权限",
        choices=[
            ("read", "只读：查询问题、法规、律师和我的通知"),
            ("write", "读写：还可以提问、回答、追问、采纳、投票、举报等"),
        ],
        initial="read",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择令牌权限", "invalid_choice": "请选择令牌权限"},
    )
    expires_in_days = forms.TypedChoiceField(
        label="有效期",
        choices=[("7", "7天"), ("30", "30天"), ("90", "90天"), ("365", "1年"), ("", "永不过期（直到撤销）")],
        coerce=int,
        empty_value=None,
        initial="90",
        required=False,
        error_messages={"invalid_choice": "请选择令牌有效期"},
    )
