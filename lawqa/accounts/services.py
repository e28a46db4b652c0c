"""Account writes: registration."""

from django.db import transaction

from .models import User


@transaction.atomic
def register_user(
    *, username: str, password: str, nickname: str = "", email: str = "", province: str = ""
) -> User:
    """Create an asker account (passwords are hashed with argon2)."""
    return User.objects.create_user(
        username=username,
        password=password,
        nickname=nickname,
        email=email,
        province=province,
        role=User.Role.ASKER,
    )
