from django import forms

from lawqa.notifications.models import NotificationSettings


class NotificationSettingsForm(forms.Form):
    """The account's e-mail choice for notifications."""

    email_mode = forms.ChoiceField(
        label="邮件通知方式",
        choices=NotificationSettings.EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择一种邮件通知方式", "invalid_choice": "请选择一种邮件通知方式"},
    )
