from django import forms

from lawqa.common.regions import PROVINCES

from . import services
from .models import AnswerRating, Category


class AskForm(forms.Form):
    """The ask page: a short title, the details, the practice area, anonymity."""

    title = forms.CharField(
        label="问题标题",
        min_length=services.TITLE_MIN,
        max_length=services.TITLE_MAX,
        help_text="用一句话概括您的问题，5–50个字，例如：公司拖欠三个月工资怎么办？",
        error_messages={
            "required": "请填写问题标题，用一句话概括您的问题",
            "min_length": "标题至少需要5个字，请具体描述您的问题",
            "max_length": "标题最多50个字，详细情况请写在问题描述里",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": services.TITLE_MAX}),
    )
    detail = forms.CharField(
        label="问题描述",
        required=False,
        max_length=services.DETAIL_MAX,
        help_text="写清事情经过、时间、金额和您的诉求，律师才能给出准确的意见。请勿填写手机号、身份证号等个人信息。",
        error_messages={"max_length": "问题描述最多3000字，请删减后再提交"},
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": services.DETAIL_MAX}),
    )
    category = forms.ModelChoiceField(
        label="专业领域",
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label="请选择专业领域",
        error_messages={"required": "请选择一个专业领域", "invalid_choice": "请从列表中选择一个专业领域"},
    )
    province = forms.ChoiceField(
        label="所在省份（选填，便于匹配本地律师）",
        required=False,
        choices=[("", "不填写"), *[(p, p) for p in PROVINCES]],
    )
    is_anonymous = forms.BooleanField(label="匿名提问（页面上显示为“匿名用户”）", required=False)

    def clean(self):
        data = super().clean()
        if "title" in data:
            data["title"], data["detail"] = services.validate_question_text(
                title=data["title"], detail=data.get("detail", "")
            )
        return data


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="您的回答",
        min_length=services.ANSWER_MIN,
        max_length=services.ANSWER_MAX,
        help_text="支持 Markdown（列表、加粗）。引用法条请写明法律名称和条号，如《民法典》第一千零八十七条。",
        error_messages={
            "required": "请填写回答内容",
            "min_length": "回答至少需要10个字，请给出具体的法律意见",
            "max_length": "回答最多10000字，请精简后再提交",
        },
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label="追问内容",
        max_length=services.FOLLOWUP_MAX,
        error_messages={"required": "请填写追问内容", "max_length": "追问最多1000字，请精简后再提交"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "全部"), ("answered", "已解答"), ("open", "待解答")]
    )


class SupplementForm(forms.Form):
    """补充问题 under the asker's own question."""

    body = forms.CharField(
        label="补充问题",
        max_length=services.SUPPLEMENT_RULE.max_chars,
        help_text="补充新的情况、证据或想问的问题，5–1000字；补充内容会公开显示在问题下方，回答过的律师会收到通知。",
        error_messages={"required": "请填写补充内容", "max_length": "补充内容最多1000字，请精简后再提交"},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.SUPPLEMENT_RULE.max_chars}),
    )


class RatingForm(forms.Form):
    """评价: 满意 / 一般 / 不满意 and an optional short comment (also part of the accept form)."""

    score = forms.ChoiceField(
        label="评价这条回答",
        choices=AnswerRating.Score.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择评价：满意、一般或不满意",
            "invalid_choice": "请选择评价：满意、一般或不满意",
        },
    )
    comment = forms.CharField(
        label="评价内容（选填）",
        required=False,
        max_length=services.RATING_COMMENT_RULE.max_chars,
        error_messages={"max_length": "评价内容最多200字，请精简后再提交"},
        widget=forms.TextInput(attrs={"maxlength": services.RATING_COMMENT_RULE.max_chars}),
    )


class RatingReplyForm(forms.Form):
    """The lawyer's one reply to the asker's 评价."""

    body = forms.CharField(
        label="回复提问人的评价",
        max_length=services.RATING_REPLY_RULE.max_chars,
        error_messages={"required": "请填写回复内容", "max_length": "回复最多500字，请精简后再提交"},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": services.RATING_REPLY_RULE.max_chars}),
    )
