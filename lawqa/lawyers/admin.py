from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from . import services
from .models import LawyerProfile


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="未通过原因（申请人可见）", max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(LawyerProfile)
class LawyerProfileAdmin(admin.ModelAdmin):
    list_display = (
        "real_name",
        "license_no",
        "firm",
        "province",
        "city",
        "status",
        "helped_count",
        "is_demo",
        "applied_at",
    )
    list_filter = ("status", "is_demo", "province", "areas")
    search_fields = ("real_name", "license_no", "firm", "user__username")
    readonly_fields = (
        "verified_by",
        "verified_at",
        "applied_at",
        "helped_count",
        "answer_count",
        "accepted_count",
    )
    filter_horizontal = ("areas",)
    actions = ("approve_selected",)
    change_form_template = "admin/lawyers/lawyerprofile/change_form.html"

    @admin.action(description="通过所选律师的认证")
    def approve_selected(self, request, queryset):
        for profile in queryset.select_related("user"):
            services.approve_lawyer(profile=profile, by=request.user)
        self.message_user(request, f"已通过 {queryset.count()} 位律师的认证", messages.SUCCESS)

    def get_urls(self):
        return [
            path("<id:pk>/approve/", self.admin_site.admin_view(self.approve_view), name="lawyers_approve"),
            path("<id:pk>/reject/", self.admin_site.admin_view(self.reject_view), name="lawyers_reject"),
            *super().get_urls(),
        ]

    def approve_view(self, request, pk: int):
        profile = get_object_or_404(LawyerProfile.objects.select_related("user"), pk=pk)
        if request.method == "POST":
            services.approve_lawyer(profile=profile, by=request.user)
            self.message_user(request, f"已通过 {profile.real_name} 的律师认证", messages.SUCCESS)
        return redirect(reverse("admin:lawyers_lawyerprofile_change", args=[pk]))

    def reject_view(self, request, pk: int):
        profile = get_object_or_404(LawyerProfile.objects.select_related("user"), pk=pk)
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reject_lawyer(profile=profile, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error("reason", error.messages)
            else:
                self.message_user(request, f"已驳回 {profile.real_name} 的申请", messages.WARNING)
                return redirect(reverse("admin:lawyers_lawyerprofile_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "profile": profile,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/lawyers/reject.html", context)
