"""Recount the per-area question counts (AreaCount) from the questions.

    manage.py recount_areas

The services keep the counts in step with every write; run this after loading questions outside
them (a bulk fill, a restore from an old dump) or to check them. Safe while the site runs.
"""

from django.core.management.base import BaseCommand

from lawqa.questions import services


class Command(BaseCommand):
    help = "按问题重新统计各专业领域的问题数（首页和领域页显示的数字）；网站运行时也可执行。"

    def handle(self, *args, **options):
        wrong = services.recount_areas()
        self.stdout.write(f"领域问题数已核对：{wrong} 项有误并已更正。")
