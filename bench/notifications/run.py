"""Notifications at scale: one answer fanned out to N followers, and the daily digest of N users,
both through the real background tasks (database task backend) in a throwaway database.

1. **Fan-out.** N users (each with an e-mail address, instant mail) follow one question. A lawyer
   answers through `questions.services.post_answer` — what the answer request runs — and the
   request's own work is timed and its SQL counted (it must not grow with N: it only records one
   task). Then a worker loop runs the queued tasks one by one, oldest first, as `run_worker`
   would: the notice task plans one `task_notify_followers_batch` per LAWQA_NOTIFY_BATCH_SIZE
   followers (one transaction each: the notices are bulk-inserted), each batch records one
   `task_send_notification_mails` that mails its followers over one connection.
2. **Digest.** The same N users switch to the daily digest and get `--notices` waiting notices
   each; `plan_digests` records one `task_send_digest_batch` per LAWQA_DIGEST_BATCH_SIZE users,
   and the loop runs them.

Mail goes to Django's in-memory backend, so the figures are our own cost (queries, building and
handing over the messages), not a mail server's; with SMTP the mail server's time adds per mail,
spread over the batches (one connection each).

    .venv/bin/python bench/notifications/run.py [--n 10000] [--notices 3]
                                                [--database-url postgres://…] [--out results.json]

Nothing here touches var/: the SQLite database lives in a temporary LAWQA_VAR_DIR, deleted after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="followers / digest users (default 10000)")
    parser.add_argument("--notices", type=int, default=3, help="waiting notices per digest user (default 3)")
    parser.add_argument(
        "--database-url", help="benchmark another (empty, throwaway) database, e.g. PostgreSQL"
    )
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> Path:
    work = Path(tempfile.mkdtemp(prefix="lawqa-bench-notifications-"))
    os.environ["LAWQA_VAR_DIR"] = str(work)
    os.environ.pop("LAWQA_INDEX_DIR", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["LAWQA_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("LAWQA_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lawqa.settings"
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # A deployed node has its search index (the routing task's 类似问题 lookup reads it, and
    # raises IndexUnavailable without one): build the empty one, text only.
    from lawqa.search import index

    index.apply_outbox(vectors=False)
    mail.outbox = []
    return work


class Timer:
    """Wall-clock and process CPU milliseconds of a block. On a shared machine the CPU figure is
    what the work costs; for PostgreSQL it leaves out the database server's own CPU."""

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall_ms = (time.perf_counter() - self._wall) * 1000
        self.cpu_ms = (time.process_time() - self._cpu) * 1000


def summary(timers: list[Timer]) -> dict[str, float]:
    walls, cpus = [t.wall_ms for t in timers], [t.cpu_ms for t in timers]
    return {
        "p50_ms": round(statistics.median(walls), 1),
        "max_ms": round(max(walls), 1),
        "cpu_p50_ms": round(statistics.median(cpus), 1),
        "cpu_max_ms": round(max(cpus), 1),
    }


def run_queue() -> dict[str, list[Timer]]:
    """Run the READY task rows, oldest first, each as a worker would; returns the timings per task
    name. (The tasks' own transactions are inside them, as under `run_worker`.)"""
    from django.utils.module_loading import import_string
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    times: dict[str, list[Timer]] = defaultdict(list)
    while True:
        row = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at", "id").first()
        if row is None:
            return times
        DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.RUNNING)
        task = import_string(row.task_path)
        with Timer() as timer:
            task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        times[row.task_path.rsplit(".", 1)[-1]].append(timer)
        DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.SUCCESSFUL)


def make_people(n: int):
    from django.contrib.auth.hashers import make_password

    from lawqa.accounts.models import User
    from lawqa.lawyers import services as lawyer_services
    from lawqa.questions.models import Category

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(username=f"bench{i:06d}", email=f"bench{i:06d}@example.com", password=password)
            for i in range(n)
        ],
        batch_size=2000,
    )
    admin = User.objects.create_user(username="bench-admin", role=User.Role.ADMIN, is_superuser=True)
    asker = User.objects.create_user(username="bench-asker")
    lawyer = User.objects.create_user(username="bench-lawyer")
    area = Category.objects.get(slug="labor")
    profile = lawyer_services.apply_as_lawyer(
        user=lawyer,
        real_name="张律师",
        license_no="11101201910000001",
        firm="北京市某律师事务所",
        province="北京",
        city="北京",
        areas=[area],
    )
    lawyer_services.approve_lawyer(profile=profile, by=admin)
    lawyer.refresh_from_db()
    return (
        list(User.objects.filter(username__startswith="bench0").values_list("pk", flat=True)),
        asker,
        lawyer,
        area,
    )


def fan_out(n: int) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from lawqa.notifications.models import Notification
    from lawqa.questions import services
    from lawqa.questions.models import Question, QuestionFollow

    user_ids, asker, lawyer, area = make_people(n)
    body = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"
    question, baseline_question = (
        services.create_question(
            asker=asker, title=title, detail="入职两年，公司连续三个月没有发工资。", category=area
        )
        for title in ("公司拖欠三个月工资怎么办？", "公司拖欠两个月工资怎么办？")
    )
    run_queue()  # the questions' routing tasks, not measured
    # The same request on a question nobody follows, for comparison.
    with CaptureQueriesContext(connection) as queries, Timer() as baseline:
        services.post_answer(question=baseline_question, lawyer=lawyer, body=body)
    baseline_queries = len(queries)
    run_queue()
    t0 = time.perf_counter()
    QuestionFollow.objects.bulk_create(
        [QuestionFollow(question=question, user_id=uid, notify=True) for uid in user_ids], batch_size=2000
    )
    Question.objects.filter(pk=question.pk).update(follower_count=n)
    fill_s = time.perf_counter() - t0
    DBTaskResult.objects.all().delete()
    mail.outbox = []

    with CaptureQueriesContext(connection) as queries, Timer() as request:
        services.post_answer(question=question, lawyer=lawyer, body=body)
    tasks_after_request = DBTaskResult.objects.count()

    with Timer() as total:
        times = run_queue()
    notices = Notification.objects.filter(kind=Notification.Kind.FOLLOWED_ANSWER).count()
    return {
        "followers": n,
        "fill_followers_s": round(fill_s, 1),
        "request_ms_no_followers": round(baseline.wall_ms, 1),
        "request_cpu_ms_no_followers": round(baseline.cpu_ms, 1),
        "request_queries_no_followers": baseline_queries,
        "request_ms": round(request.wall_ms, 1),
        "request_cpu_ms": round(request.cpu_ms, 1),
        "request_queries": len(queries),
        "tasks_recorded_by_request": tasks_after_request,
        "tasks": {name: len(ts) for name, ts in times.items()},
        "task_ms": {name: summary(ts) for name, ts in times.items()},
        "total_s": round(total.wall_ms / 1000, 2),
        "total_cpu_s": round(total.cpu_ms / 1000, 2),
        "notices": notices,
        "mails": Counter("followed" if "关注" in m.subject else "other" for m in mail.outbox),
    }


def digest(n_notices: int) -> dict:
    from django.core import mail
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from lawqa.accounts.models import User
    from lawqa.notifications import services
    from lawqa.notifications.models import Notification, NotificationSettings

    user_ids = list(User.objects.filter(username__startswith="bench0").values_list("pk", flat=True))
    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    mail.outbox = []
    t0 = time.perf_counter()
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user_id=uid) for uid in user_ids], batch_size=2000, ignore_conflicts=True
    )
    NotificationSettings.objects.update(email_mode=NotificationSettings.EmailMode.DAILY)
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=uid,
                kind=Notification.Kind.FOLLOWED_ANSWER,
                title=f"您关注的问题「公司拖欠三个月工资怎么办？第{k}个」有了新的律师解答",
                url=f"/questions/{k + 1}-bench/#answer-{k + 1}",
                event_key=f"answer:{k + 1}",
                mail_due=True,
                created_at=now,
            )
            for uid in user_ids
            for k in range(n_notices)
        ],
        batch_size=5000,
    )
    fill_s = time.perf_counter() - t0

    with Timer() as plan:
        batches = services.plan_digests()
    with Timer() as total:
        times = run_queue()
    ts = times.get("task_send_digest_batch", [])
    return {
        "users": len(user_ids),
        "notices": len(user_ids) * n_notices,
        "fill_s": round(fill_s, 1),
        "plan_ms": round(plan.wall_ms, 1),
        "batches": batches,
        "batch_ms": summary(ts) if ts else {},
        "total_s": round(total.wall_ms / 1000, 2),
        "total_cpu_s": round(total.cpu_ms / 1000, 2),
        "mails": len(mail.outbox),
        "still_due": Notification.objects.filter(mail_due=True).count(),
    }


def main() -> None:
    args = parse_args()
    work = setup_django(args)
    try:
        from django.conf import settings
        from django.db import connection

        print(
            f"database: {connection.vendor}; followers/users: {args.n}; "
            f"LAWQA_NOTIFY_BATCH_SIZE={settings.LAWQA_NOTIFY_BATCH_SIZE}, "
            f"LAWQA_DIGEST_BATCH_SIZE={settings.LAWQA_DIGEST_BATCH_SIZE}",
            flush=True,
        )
        fan = fan_out(args.n)
        print("\nfan-out of one answer to the question's followers")
        print(
            f"  answer request (post_answer), 0 followers: {fan['request_ms_no_followers']} ms "
            f"(CPU {fan['request_cpu_ms_no_followers']} ms), {fan['request_queries_no_followers']} SQL queries"
        )
        print(
            f"  answer request (post_answer), {args.n} followers: {fan['request_ms']} ms "
            f"(CPU {fan['request_cpu_ms']} ms), {fan['request_queries']} SQL queries, "
            f"{fan['tasks_recorded_by_request']} task recorded"
        )
        for name, count in fan["tasks"].items():
            ms = fan["task_ms"][name]
            print(
                f"  {name}: {count} task(s), p50 {ms['p50_ms']} ms (CPU {ms['cpu_p50_ms']}), "
                f"max {ms['max_ms']} ms (CPU {ms['cpu_max_ms']})"
            )
        print(
            f"  all tasks: {fan['total_s']} s (CPU {fan['total_cpu_s']} s); notices {fan['notices']}; "
            f"mails {dict(fan['mails'])}"
        )
        dig = digest(args.notices)
        print("\ndaily digest")
        print(
            f"  {dig['users']} users, {dig['notices']} waiting notices; plan {dig['plan_ms']} ms, "
            f"{dig['batches']} batch task(s), p50 {dig['batch_ms'].get('p50_ms')} ms "
            f"(CPU {dig['batch_ms'].get('cpu_p50_ms')}), max {dig['batch_ms'].get('max_ms')} ms "
            f"(CPU {dig['batch_ms'].get('cpu_max_ms')})"
        )
        print(
            f"  all batches: {dig['total_s']} s (CPU {dig['total_cpu_s']} s); mails {dig['mails']}; "
            f"notices still waiting {dig['still_due']}"
        )
        if args.out:
            args.out.write_text(
                json.dumps({"fan_out": fan, "digest": dig}, ensure_ascii=False, indent=2, default=dict)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
