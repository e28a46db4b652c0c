from django import forms

from lawqa.common.regions import PROVINCES
from lawqa.questions.models import Category

from . import services
from .models import LawyerProfile


class LicenceNumberField(forms.CharField):
    """The 17-digit 执业证号; spaces and full-width digits are normalised before it is checked, so a
    wrong number gets exactly one clear message."""

    def to_python(self, value):
        return services.normalize_license_no(super().to_python(value))


class LawyerApplicationForm(forms.ModelForm):
    """A lawyer's application for verification."""

    license_no = LicenceNumberField(
        label="执业证号",
        help_text="律师执业证上的17位执业证号，管理员会据此核验",
        validators=[services.validate_license_no],
        error_messages={"required": "请填写17位执业证号"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    province = forms.ChoiceField(label="执业省份", choices=[("", "请选择"), *[(p, p) for p in PROVINCES]])
    areas = forms.ModelMultipleChoiceField(
        label="擅长领域（最多5个）",
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个擅长领域"},
    )

    class Meta:
        model = LawyerProfile
        fields = ("real_name", "license_no", "firm", "province", "city", "areas", "bio")
        help_texts = {
            "bio": "执业经历、擅长处理的案件类型等，会显示在您的律师主页上",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "real_name": {"required": "请填写真实姓名"},
            "firm": {"required": "请填写执业机构（律师事务所）名称"},
            "city": {"required": "请填写执业城市"},
        }

    def clean_license_no(self) -> str:
        value = self.cleaned_data.get("license_no") or ""
        if LawyerProfile.objects.filter(license_no=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "该执业证号已被其他账户使用，如有疑问请联系管理员", code="license_taken"
            )
        return value

    def clean_areas(self):
        areas = self.cleaned_data["areas"]
        if len(areas) > 5:
            raise forms.ValidationError("擅长领域最多选择5个", code="too_many_areas")
        return areas

    def validate_unique(self) -> None:
        # Uniqueness of the licence number is checked above with our own message.
        pass


class DirectoryFilterForm(forms.Form):
    province = forms.ChoiceField(
        label="省份", required=False, choices=[("", "全部省份"), *[(p, p) for p in PROVINCES]]
    )
    city = forms.CharField(label="城市", required=False, max_length=20)
    area = forms.ModelChoiceField(
        label="擅长领域",
        required=False,
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label="全部领域",
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[("", "帮助人数最多"), ("rank", "综合推荐")],
    )


class WorkspaceFilterForm(forms.Form):
    """The 律师工作台 filters: whose questions, which of my areas, answered or not, order."""

    scope = forms.ChoiceField(label="范围", required=False, choices=[])
    area = forms.TypedChoiceField(label="领域", required=False, coerce=int, empty_value=None, choices=[])
    status = forms.ChoiceField(label="状态", required=False, choices=[])
    sort = forms.ChoiceField(label="排序", required=False, choices=[])

    def __init__(self, *args, areas: list[Category], **kwargs) -> None:
        from .queries import WORKSPACE_SCOPES, WORKSPACE_SORTS, WORKSPACE_STATUSES

        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(WORKSPACE_SCOPES.items())
        self.fields["area"].choices = [("", "我的全部领域"), *[(a.pk, a.name) for a in areas]]
        self.fields["status"].choices = list(WORKSPACE_STATUSES.items())
        self.fields["sort"].choices = list(WORKSPACE_SORTS.items())
