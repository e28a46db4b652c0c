from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class User(AbstractUser):
    """A person with an account: asker, lawyer, moderator or admin."""

    class Role(models.TextChoices):
        ASKER = "asker", "咨询用户"
        LAWYER = "lawyer", "律师"
        MODERATOR = "moderator", "版主"
        ADMIN = "admin", "管理员"

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.ASKER)
    nickname = models.CharField("昵称", max_length=30, blank=True)
    province = models.CharField("所在省份", max_length=20, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.nickname or self.username

    @property
    def is_moderator(self) -> bool:
        return self.role in (self.Role.MODERATOR, self.Role.ADMIN) or self.is_superuser

    @property
    def is_site_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser


class AccessToken(models.Model):
    """A personal access token for the API: a program acts as its user with it (read or read + write).

    Only a SHA-256 of the token is stored (the token carries 192 random bits, so no salt or slow hash is
    needed); `prefix`, its first characters, tells the user which token a row is."""

    class Scope(models.TextChoices):
        READ = "read", "只读"
        WRITE = "write", "读写"

    user = models.ForeignKey(
        "accounts.User", verbose_name="用户", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField("名称", max_length=40)
    prefix = models.CharField("前缀", max_length=12)
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    scope = models.CharField("权限", max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 访问令牌"
        verbose_name_plural = "API 访问令牌"
        indexes = [models.Index(fields=["user", "revoked_at"], name="access_token_user")]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def is_expired(self, now) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
