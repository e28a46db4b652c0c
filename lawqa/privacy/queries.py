"""Reads for the rights of 个人信息保护法 第四十五条 (查阅、复制): every row that names a user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

# Fields never exported: secrets, not personal information the user gave us.
SECRET_FIELDS = {"password", "session_hash", "token_hash"}

# Foreign keys that record the user acting on someone else's row (an admin who verified a lawyer, a
# moderator who handled a report). The row holds other people's data, so only the fact is exported.
ACTOR_FIELDS = {
    ("lawyers", "lawyerprofile", "verified_by"),
    ("moderation", "report", "handled_by"),
    ("moderation", "moderationlog", "actor"),
}

# django-axes keeps login attempts by username, not by foreign key.
LOGIN_RECORD_MODELS = ("axes.AccessLog", "axes.AccessAttempt", "axes.AccessFailureLog")


def user_relations() -> Iterator[tuple[type[models.Model], models.Field]]:
    """(model, field) for every foreign key, one-to-one or many-to-many pointing at the user model."""
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                yield model, field


def is_actor_field(model: type[models.Model], field: models.Field) -> bool:
    return (model._meta.app_label, model._meta.model_name, field.name) in ACTOR_FIELDS


def serialize_row(obj: models.Model) -> dict[str, Any]:
    """All concrete fields of `obj` (foreign keys as ids) and many-to-many values as their names."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name not in SECRET_FIELDS:
            row[field.attname] = field.value_from_object(obj)
    for field in obj._meta.many_to_many:
        row[field.name] = [str(related) for related in getattr(obj, field.name).all()]
    return row


def _actor_row(obj: models.Model, field: models.Field) -> dict[str, Any]:
    row: dict[str, Any] = {"id": obj.pk, "role": field.verbose_name}
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.DateTimeField):
            row[f.attname] = f.value_from_object(obj)
    return row


# A failed attempt is made by whoever typed the username, not necessarily the account holder: its
# address and browser may be a stranger's, so only when and where it happened are exported.
FAILED_LOGIN_FIELDS = ("attempt_time", "path_info", "failures_since_start", "locked_out")


def login_records(username: str, *, since=None) -> Iterator[tuple[str, models.Model]]:
    """django-axes rows recorded under `username` (from `since` on, when given)."""
    for label in LOGIN_RECORD_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        rows = model.objects.filter(username=username)
        if since is not None:
            rows = rows.filter(attempt_time__gte=since)
        for obj in rows.order_by("pk"):
            yield label, obj


def _login_row(label: str, obj: models.Model) -> dict[str, Any]:
    row = serialize_row(obj)
    if label == "axes.AccessLog":  # a successful sign-in: the account holder's own
        return row
    return {key: value for key, value in row.items() if key in ("id", *FAILED_LOGIN_FIELDS)}


def user_data_export(user: models.Model) -> dict[str, Any]:
    """Everything stored about `user`, as plain data ready for JSON (DjangoJSONEncoder).

    `records` maps "app.Model.field" to the rows whose `field` names the user; the user's own
    row is `account`; login attempts recorded by username are `login_records`.
    """
    records: dict[str, list[dict[str, Any]]] = {}
    for model, field in user_relations():
        rows = model._default_manager.filter(**{field.name: user}).order_by("pk")
        key = f"{model._meta.label}.{field.name}"
        if is_actor_field(model, field):
            records[key] = [_actor_row(obj, field) for obj in rows]
        else:
            records[key] = [serialize_row(obj) for obj in rows]
    # What the user wrote that hangs off their questions rather than off the user row.
    for label, lookup in (
        ("questions.QuestionSupplement", "question__asker"),
        ("questions.AnswerRating", "answer__question__asker"),
    ):
        model = apps.get_model(label)
        rows = model._default_manager.filter(**{lookup: user}).order_by("pk")
        records[f"{label}.{lookup}"] = [serialize_row(obj) for obj in rows]
    logins: dict[str, list[dict[str, Any]]] = {}
    # Records from before the account existed are about someone else who typed the same name.
    for label, obj in login_records(user.get_username(), since=user.date_joined):
        logins.setdefault(label, []).append(_login_row(label, obj))
    return {
        "format": "lawqa-personal-data/1",
        "exported_at": timezone.now(),
        "note": (
            "这是法问保存的与您有关的全部数据：账户信息、您的提问、回答、追问、投票、举报、通知和登录记录。"
            "公开内容中的手机号、身份证号等已在发布前打码，原文从未保存。"
        ),
        "account": serialize_row(user),
        "records": {key: rows for key, rows in records.items() if rows},
        "login_records": logins,
    }
