"""backup_database / restore_database: a site restored from a backup into an empty database, with
its search index rebuilt, serves the same pages as the original (on SQLite, or on PostgreSQL
when DATABASE_URL points there: pg_dump / pg_restore)."""

from __future__ import annotations

import difflib
import json
import re
import subprocess

import pytest

from lawqa.common.tests.faultsite import BASE_DIR, FaultSite, fault_site

SEED = """
import datetime as dt, json
from django.utils import timezone
from lawqa.accounts.models import User
from lawqa.lawyers import services as lawyer_services
from lawqa.questions import services as qs
from lawqa.questions.models import Answer, Category, Question

labor = Category.objects.get(slug="labor")
admin = User.objects.create_user(username="site-admin", password="x", role=User.Role.ADMIN, is_staff=True)
lawyer = User.objects.create_user(username="lawyer-wang", password="x")
profile = lawyer_services.apply_as_lawyer(
    user=lawyer, real_name="王律师", license_no="11101201910000002", firm="北京市某某律师事务所",
    province="北京", city="北京", areas=[labor],
)
lawyer_services.approve_lawyer(profile=profile, by=admin)
asker = User.objects.create_user(username="asker-li", password="x", nickname="小李")
q1 = qs.create_question(asker=asker, title="公司拖欠三个月工资怎么办？",
                        detail="入职两年，公司连续三个月没有发工资，老板说资金周转困难。", category=labor)
q2 = qs.create_question(asker=asker, title="试用期被辞退有没有经济补偿？",
                        detail="试用期第二个月被公司以不符合录用条件辞退。", category=labor)
answer = qs.post_answer(question=q1, lawyer=lawyer,
                        body="根据《劳动合同法》第三十条，用人单位应当按时足额支付劳动报酬。可以向劳动监察大队投诉，或者申请劳动仲裁。")
qs.accept_answer(answer=answer, by=asker)
# Dates far enough back that "N天前" reads the same when the restored copy is rendered.
then = timezone.make_aware(dt.datetime(2026, 1, 5, 9, 30))
Question.objects.update(created_at=then)
Answer.objects.update(created_at=then)
print(json.dumps([q1.get_absolute_url(), q2.get_absolute_url(), f"/lawyers/{lawyer.pk}/"]))
"""

RENDER = """
import json
from django.test import Client
client = Client()
pages = {{}}
for url in {urls!r}:
    response = client.get(url)
    pages[url] = [response.status_code, response.content.decode()]
print(json.dumps(pages))
"""

# Per-visitor CSRF tokens (form fields and htmx headers) are the one part meant to differ.
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _render(site: FaultSite, urls: list[str]) -> dict[str, list]:
    pages = json.loads(site.python(RENDER.format(urls=urls)).stdout)
    return {url: [status, CSRF.sub(r"\1…", html)] for url, (status, html) in pages.items()}


def _differences(before: dict[str, list], after: dict[str, list]) -> dict[str, str]:
    """Per page that differs, the changed lines (a readable failure instead of two whole pages)."""
    found = {}
    for url, (status, html) in before.items():
        if after[url] != [status, html]:
            lines = difflib.unified_diff(html.splitlines(), after[url][1].splitlines(), lineterm="", n=0)
            found[url] = f"status {status} → {after[url][0]}\n" + "\n".join(list(lines)[:20])
    return found


def _manage(site: FaultSite, *args: str) -> str:
    run = subprocess.run(
        site.manage(*args), cwd=BASE_DIR, env=site.env(), capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> FaultSite:
    with fault_site(tmp_path_factory.mktemp("original")) as site:
        yield site


@pytest.fixture
def restored(tmp_path) -> FaultSite:
    with fault_site(tmp_path / "restored", migrate=False) as site:
        yield site


def test_restored_database_with_rebuilt_index_serves_the_same_pages(original, restored, tmp_path):
    question, other, lawyer = json.loads(original.python(SEED).stdout)
    _manage(original, "rebuild_index")
    urls = ["/", question, other, "/areas/labor/", "/lawyers/", lawyer, "/search/?q=拖欠工资"]
    _manage(original, "backup_database", str(tmp_path / "backups"), "--keep", "2")
    [backup] = sorted((tmp_path / "backups").iterdir())
    # Rendered after the backup: a question page counts its own view, on both sides alike.
    before = _render(original, urls)

    _manage(restored, "restore_database", str(backup), "--no-input")
    _manage(restored, "rebuild_index")
    after = _render(restored, urls)

    assert {url: status for url, (status, _) in before.items()} == dict.fromkeys(urls, 200)
    assert "老板说资金周转困难" in before["/search/?q=拖欠工资"][1]
    assert "劳动监察大队" in before[question][1]
    assert _differences(before, after) == {}


def test_backup_database_keeps_only_the_newest(original, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    suffix = "dump" if original.database_url.startswith("postgres") else "sqlite3"
    for day in ("20260101-040000", "20260102-040000", "20260103-040000"):
        (folder / f"lawqa-{day}.{suffix}").write_bytes(b"old")

    _manage(original, "backup_database", str(folder), "--keep", "2")

    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2
    assert names[0] == f"lawqa-20260103-040000.{suffix}"
    assert (folder / names[1]).stat().st_size > 1000


def test_restore_database_refuses_a_backup_of_another_engine(original, tmp_path):
    wrong = tmp_path / ("lawqa-x.sqlite3" if original.database_url.startswith("postgres") else "lawqa-x.dump")
    wrong.write_bytes(b"not a backup")

    run = subprocess.run(
        original.manage("restore_database", str(wrong), "--no-input"),
        cwd=BASE_DIR,
        env=original.env(),
        capture_output=True,
        text=True,
    )

    assert run.returncode == 1
    assert "不是" in run.stderr
