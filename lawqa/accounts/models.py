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
