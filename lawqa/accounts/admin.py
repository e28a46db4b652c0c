from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import AccessToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "nickname", "role", "email", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, ("法问", {"fields": ("role", "nickname", "province")}))


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """API tokens: who holds which (never the secret, which is not stored); a leaked one is revoked here."""

    list_display = (
        "name",
        "prefix",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    search_fields = ("prefix", "user__username", "name")
    readonly_fields = [f.name for f in AccessToken._meta.fields if f.name not in ("id", "token_hash")]
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are made by their owner on the account page, where the secret is shown

    @admin.action(description="撤销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_access_token(token=token, by=request.user)
        self.message_user(request, f"已撤销 {queryset.count()} 个令牌。")
