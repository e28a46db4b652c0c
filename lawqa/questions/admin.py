from django.contrib import admin

from . import services
from .models import Answer, AnswerRating, Category, FollowUp, Question, QuestionSupplement


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ("lawyer", "is_accepted", "is_hidden", "helpful_count", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "status", "answer_count", "is_hidden", "created_at")
    list_filter = ("status", "is_hidden", "category")
    search_fields = ("title", "source_id")
    raw_id_fields = ("asker",)
    readonly_fields = (
        "view_count",
        "answer_count",
        "follower_count",
        "same_question_count",
        "source_id",
        "created_at",
    )
    inlines = [AnswerInline]
    list_select_related = ("category",)

    # An edit here bypasses the services: keep the area counts (AreaCount) in step with it.
    def save_model(self, request, obj, form, change) -> None:
        before = services.stored_counted(obj.pk) if change else None
        super().save_model(request, obj, form, change)
        services.count_question_move(before=before, after=services.counted(obj))

    def delete_model(self, request, obj) -> None:
        before = services.stored_counted(obj.pk)
        super().delete_model(request, obj)
        services.count_question_move(before=before, after=None)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        services.recount_areas()


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "is_accepted", "is_hidden", "helpful_count", "created_at")
    list_filter = ("is_hidden", "is_accepted")
    raw_id_fields = ("question", "lawyer")
    readonly_fields = ("body_html",)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "is_hidden", "created_at")
    raw_id_fields = ("answer", "author")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed for moderators; changed only through the site's services (hide on the question page)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuestionSupplement)
class QuestionSupplementAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "question", "is_hidden", "created_at")
    list_filter = ("is_hidden",)
    raw_id_fields = ("question",)


@admin.register(AnswerRating)
class AnswerRatingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "answer", "score", "replied_at", "created_at")
    list_filter = ("score",)
    raw_id_fields = ("answer",)
