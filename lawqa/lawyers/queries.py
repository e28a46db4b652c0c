from django.db.models import Prefetch, QuerySet

from lawqa.questions.models import Category

from .models import LawyerProfile


def verified_lawyers(
    *, province: str = "", city: str = "", area: Category | None = None
) -> QuerySet[LawyerProfile]:
    """The lawyer directory: verified lawyers, most helpful first, with their areas prefetched."""
    qs = LawyerProfile.objects.filter(status=LawyerProfile.Status.VERIFIED, user__is_active=True)
    if province:
        qs = qs.filter(province=province)
    if city:
        qs = qs.filter(city__startswith=city.removesuffix("市"))
    if area is not None:
        qs = qs.filter(areas=area)
    return (
        qs.select_related("user")
        .prefetch_related(Prefetch("areas", Category.objects.order_by("order")))
        .order_by("-helped_count", "-answer_count", "id")
    )


def profile_page(user_id: int) -> LawyerProfile:
    return (
        LawyerProfile.objects.select_related("user")
        .prefetch_related("areas")
        .get(user_id=user_id, status=LawyerProfile.Status.VERIFIED)
    )
