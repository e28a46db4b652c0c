"""Recompute every lawyer's public record and 推荐分 (lawyers.services.refresh_lawyer_stats).

The services keep them current on every write; this is for a database whose rows changed
outside them (an old database after a new statistic was added, a bulk import). `make setup`
runs it once per lawyers.services.STATS_VERSION."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from lawqa.lawyers import services
from lawqa.lawyers.models import LawyerProfile


class Command(BaseCommand):
    help = "重新计算所有律师的回答数、采纳率、回答用时、评价和推荐分。"

    def handle(self, *args, **options):
        ids = list(LawyerProfile.objects.order_by("user_id").values_list("user_id", flat=True))
        for start in range(0, len(ids), 200):
            with transaction.atomic():
                for lawyer_id in ids[start : start + 200]:
                    services.refresh_lawyer_stats(lawyer_id=lawyer_id)
        self.stdout.write(f"已更新 {len(ids)} 位律师的统计数据。")
