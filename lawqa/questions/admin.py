from django.contrib import admin

from .models import Answer, Category, FollowUp, Question


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
    readonly_fields = ("view_count", "answer_count", "source_id", "created_at")
    inlines = [AnswerInline]
    list_select_related = ("category",)


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
