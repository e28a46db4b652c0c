"""Delete records kept only for a while (expired sessions, old login records, old task results).

Run daily (cron / systemd timer); the privacy policy promises these retention periods.
"""

from django.core.management.base import BaseCommand

from lawqa.privacy.services import purge_expired_records


class Command(BaseCommand):
    help = "按隐私政策的保存期限删除过期记录：过期会话、登录安全记录、后台任务记录。"

    def handle(self, *args, **options):
        for name, count in purge_expired_records().items():
            self.stdout.write(f"{name}: {count}")
