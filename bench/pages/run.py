"""Page benchmark: server time of the pages that grow with the site — the question page, the home
page, a practice-area page (page 1 and a deep page), the lawyer directory — with N synthetic
questions, on SQLite and (with --postgres) on PostgreSQL side by side in one run.

The questions are made of fragments (clauses) of the real demo questions in data/demo_qa.jsonl.gz;
a share of them get 1–3 answers whose bodies are real lawyers' answers from the same bundle,
attributed to the demo lawyers and --lawyers more verified lawyers; 1 % are hidden. Rows go in
with executemany (SQLite) or COPY (PostgreSQL) in batches, one transaction per batch, so an
interrupted fill resumes where it stopped when run again with the same --keep. Then the per-area
counts are recounted (questions.services.recount_areas), the lawyers' counters refreshed and the
tantivy index built (text only: 1M vectors would need hours of embedding; pages without vectors
fall back to words alone), so 相关问题 come from the index as in production.

Requests go through Django's test Client in-process (all middleware, cached templates, DEBUG off),
after a warm-up, in random order. Each is timed in wall-clock and process CPU time; CPU time is
what a request costs on an idle core, and the figure that survives a busy machine. Per page it
also reports the SQL queries, the share of CPU spent rendering templates (the top-level render,
minus the SQL run inside it) and the SQL's own client-side CPU.

    .venv/bin/python bench/pages/run.py --n 1000000 --keep /tmp/pages1m \\
        --postgres postgres://postgres@127.0.0.1:5432/lawqa_pages   # both, side by side
    .venv/bin/python bench/pages/run.py [--n 100000] [--requests 300] [--database-url URL] [--out FILE]

Nothing here touches var/: each database's LAWQA_VAR_DIR (SQLite file, index) is a directory of
its own (under --keep, else temporary and deleted afterwards). With --keep an existing filled
database is reused (the same N), so timings can be repeated without refilling; the PostgreSQL
database of --postgres is created when missing and kept.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CLAUSE_RE = re.compile(r"[^。！？!?；;，,\n\s]{4,40}")
DEEP_PAGE = 200


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="synthetic questions (default 100000)")
    parser.add_argument("--answered", type=float, default=0.35, help="share of questions with answers")
    parser.add_argument("--lawyers", type=int, default=2000, help="verified lawyers besides the demo ones")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page kind")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page kind first")
    parser.add_argument("--batch", type=int, default=20_000, help="questions per insert transaction")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--keep", type=Path, help="keep (or reuse) the databases and indexes under this directory"
    )
    parser.add_argument("--postgres", help="also run on this PostgreSQL database, side by side with SQLite")
    parser.add_argument("--database-url", help="run on this database only (e.g. a throwaway PostgreSQL)")
    parser.add_argument("--legalai-dir", type=Path, help="trained legalai models (可能相关的法律规定 block)")
    parser.add_argument("--no-index", action="store_true", help="skip building the search index")
    parser.add_argument("--fill-only", action="store_true", help="fill (or finish filling) and stop")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--child-json", type=Path, help=argparse.SUPPRESS)  # one database, for the parent
    return parser.parse_args(argv)


# ---------------------------------------------------------------- one database per process


def setup_django(args: argparse.Namespace, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    os.environ["LAWQA_VAR_DIR"] = str(work)
    os.environ.pop("LAWQA_INDEX_DIR", None)
    os.environ.pop("LAWQA_REDIS_URL", None)  # the process-memory cache of development: no network
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        ensure_postgres_database(args.database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    if args.legalai_dir:
        os.environ["LAWQA_LEGALAI_DIR"] = str(args.legalai_dir.resolve())
    os.environ["DJANGO_DEBUG"] = "0"  # production-like: cached templates, no query log
    os.environ.setdefault("LAWQA_LOG_LEVEL", "ERROR")  # no "vector index missing" warnings
    os.environ["DJANGO_SETTINGS_MODULE"] = "lawqa.settings"
    import django

    django.setup()


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it does not exist (needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# ---------------------------------------------------------------- synthetic data


def load_fragments():
    from lawqa.questions import importing

    titles, clauses, answers = [], [], []
    with gzip.open(ROOT / "data" / "demo_qa.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = importing.parse_record(line)
            titles.append(rec.title)
            clauses.extend(CLAUSE_RE.findall(f"{rec.title}，{rec.detail}"))
            if rec.answer:
                answers.append(rec.answer)
    return titles, clauses, answers


class RowWriter:
    """Inserts rows given as {attname: value} into a model's table: COPY on PostgreSQL,
    executemany on SQLite. Columns not given take the model field's default."""

    def __init__(self, model, *, with_pk: bool) -> None:
        from django.db import connection

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.datetimes = {f.attname for f in self.fields if f.get_internal_type() == "DateTimeField"}
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)

    def write(self, rows: list[dict]) -> None:
        conn = self.connection
        names = [f.attname for f in self.fields]
        if conn.vendor == "postgresql":
            with (
                conn.cursor() as cursor,
                cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row([row.get(n, self.defaults[n]) for n in names])
            return
        adapt = conn.ops.adapt_datetimefield_value
        values = [
            [adapt(row.get(n)) if n in self.datetimes else row.get(n, self.defaults[n]) for n in names]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(names))
        with conn.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})", values)


def make_lawyers(count: int, rng: random.Random) -> None:
    """`count` verified lawyers (bench-lawyer-N) with one to three practice areas each."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from lawqa.accounts.models import User
    from lawqa.lawyers.models import LawyerProfile
    from lawqa.questions.models import Category

    have = User.objects.filter(username__startswith="bench-lawyer-").count()
    if have >= count:
        return
    areas = list(Category.objects.values_list("pk", flat=True))
    cities = [("北京", "北京"), ("上海", "上海"), ("广东", "广州"), ("广东", "深圳"), ("浙江", "杭州"),
              ("四川", "成都"), ("湖北", "武汉"), ("江苏", "南京"), ("山东", "济南"), ("河南", "郑州")]  # fmt: skip
    password = make_password(None)
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"bench-lawyer-{i}", password=password, role=User.Role.LAWYER, nickname=f"律师{i}")
            for i in range(have, count)
        )
        profiles = []
        for user in users:
            province, city = rng.choice(cities)
            profiles.append(
                LawyerProfile(
                    user=user,
                    real_name=f"律师{user.pk}",
                    license_no=f"{31_000_000_000_000_000 + user.pk:017d}"[-17:],
                    firm=f"{city}第{user.pk % 97 + 1}律师事务所",
                    province=province,
                    city=city,
                    status=LawyerProfile.Status.VERIFIED,
                    verified_at=now,
                )
            )
        LawyerProfile.objects.bulk_create(profiles)
        through = LawyerProfile.areas.through
        through.objects.bulk_create(
            through(lawyerprofile_id=profile.pk, category_id=area)
            for profile in profiles
            for area in rng.sample(areas, rng.randint(1, 3))
        )


def fill(args: argparse.Namespace) -> dict:
    """Fill (or finish filling) N questions; each batch is one transaction, so a killed fill
    resumes at the first missing batch."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from lawqa.lawyers.models import LawyerProfile
    from lawqa.questions.management.commands.import_qa import ensure_demo_accounts
    from lawqa.questions.models import Answer, Category, Question
    from lawqa.statutes import services as statute_services

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    titles, clauses, answer_texts = load_fragments()
    accounts = json.loads((ROOT / "data" / "demo_accounts.json").read_text(encoding="utf-8"))
    _, askers = ensure_demo_accounts(accounts)
    make_lawyers(args.lawyers, rng)
    lawyers_by_area: dict[int, list[int]] = {}
    for user_id, area_id in LawyerProfile.areas.through.objects.filter(
        lawyerprofile__status=LawyerProfile.Status.VERIFIED
    ).values_list("lawyerprofile__user_id", "category_id"):
        lawyers_by_area.setdefault(area_id, []).append(user_id)
    everyone = sorted({u for ids in lawyers_by_area.values() for u in ids})
    categories = list(Category.objects.values_list("pk", flat=True))
    # Rendering answers is not what this measures: render a pool once and reuse it.
    pool = [(body, statute_services.render_answer_html(body)) for body in rng.sample(answer_texts, 400)]
    now = timezone.now()
    span = 3 * 365 * 86400
    questions_out = RowWriter(Question, with_pk=True)
    answers_out = RowWriter(Answer, with_pk=False)
    done = Question.objects.aggregate(top=Max("id"))["top"] or 0
    n_answers = Answer.objects.count() if done else 0
    while done < args.n:
        size = min(args.batch, args.n - done)
        rng = random.Random(f"{args.seed}-{done}")  # a resumed fill makes the same rows
        questions, answers = [], []
        for pk in range(done + 1, done + size + 1):
            asker = askers[rng.randrange(len(askers))]
            area = categories[rng.randrange(len(categories))]
            created = now - dt.timedelta(seconds=rng.randrange(3600, span))
            k = rng.choices((1, 2, 3), weights=(70, 20, 10))[0] if rng.random() < args.answered else 0
            accepted = k > 0 and rng.random() < 0.4
            head = rng.choice(titles)
            text = f"{head.rstrip('？?')}，{rng.choice(clauses)}" if rng.random() < 0.5 else head
            title = text[:48] + ("？" if rng.random() < 0.6 else "")
            questions.append(
                {
                    "id": pk,
                    "title": title,
                    "detail": "，".join(rng.sample(clauses, rng.randint(2, 8))) + rng.choice("。？"),
                    "category_id": area,
                    "asker_id": asker.pk,
                    "is_anonymous": rng.random() < 0.25,
                    "province": asker.province,
                    "status": "open" if k == 0 else "accepted" if accepted else "answered",
                    "answer_count": k,
                    "view_count": rng.randrange(5, 3000),
                    "is_hidden": rng.random() < 0.01,
                    "source_id": f"bench-{pk}",
                    "created_at": created,
                    "updated_at": created,
                }
            )
            lawyers = lawyers_by_area.get(area) or everyone
            for j, lawyer_id in enumerate(rng.sample(lawyers, min(k, len(lawyers)))):
                body, html = pool[rng.randrange(len(pool))]
                answered = created + dt.timedelta(minutes=rng.randrange(20, 4000))
                answers.append(
                    {
                        "question_id": pk,
                        "lawyer_id": lawyer_id,
                        "body": body,
                        "body_html": html,
                        "is_accepted": accepted and j == 0,
                        "helpful_count": rng.randrange(0, 20),
                        "created_at": answered,
                        "updated_at": answered,
                    }
                )
        with transaction.atomic():
            questions_out.write(questions)
            answers_out.write(answers)
        done += size
        n_answers += len(answers)
        print(f"\r  filled {done:>9,} / {args.n:,} questions, {n_answers:,} answers", end="", file=sys.stderr)
    print(file=sys.stderr)
    fill_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Question, Answer]):
                cursor.execute(statement)
    return {"fill_seconds": round(fill_s, 1)}


def finish(args: argparse.Namespace, built: dict) -> dict:
    """What a fill leaves to do: counts, lawyers' counters, statistics, the index."""
    from django.db import connection

    from lawqa.lawyers import services as lawyer_services
    from lawqa.lawyers.models import LawyerProfile
    from lawqa.questions import services as question_services
    from lawqa.questions.models import Answer, Question

    t = time.perf_counter()
    built["area_counts_fixed"] = question_services.recount_areas()
    built["recount_seconds"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    for lawyer_id in LawyerProfile.objects.values_list("user_id", flat=True):
        lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
    built["lawyer_stats_seconds"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does over time: statistics and the visibility map (index-only scans).
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    built["analyze_seconds"] = round(time.perf_counter() - t, 1)
    built["questions"] = Question.objects.count()
    built["answers"] = Answer.objects.count()
    if not args.no_index:
        built["index_seconds"] = ensure_index(force=True)
    if connection.vendor == "sqlite":
        built["db_mb"] = round(Path(connection.settings_dict["NAME"]).stat().st_size / 1e6, 1)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            built["db_mb"] = round(cursor.fetchone()[0] / 1e6, 1)
    return built


def ensure_index(force: bool = False) -> float | None:
    """Build the text index when asked or when it does not open (the schema changed since)."""
    from lawqa.search import index

    if not force:
        try:
            index.searcher()
            return None
        except (OSError, ValueError):
            print("  search index missing or outdated: rebuilding", file=sys.stderr)
    from tqdm import tqdm

    started = time.perf_counter()
    with tqdm(total=index.count_indexable(), unit="问", desc="  index", file=sys.stderr) as bar:
        index.rebuild(vectors=False, workers=2, progress=bar.update)
    index.reset_reader()
    return round(time.perf_counter() - started, 1)


#: What the background job stores for every question (可能相关的法律规定): five articles, so the
#: question page runs its query for their rows as in production, where every question viewed
#: once has them. The rows carry no text hash: without trained models no job is recorded.
STORED_ITEMS = [
    ["中华人民共和国劳动合同法", "劳动合同法", 30, 0, 0.9],
    ["中华人民共和国劳动合同法", "劳动合同法", 38, 0, 0.8],
    ["中华人民共和国劳动合同法", "劳动合同法", 46, 0, 0.7],
    ["中华人民共和国劳动争议调解仲裁法", "劳动争议调解仲裁法", 27, 0, 0.6],
    ["中华人民共和国民法典", "民法典", 577, 0, 0.5],
]


def ensure_stored_suggestions() -> float | None:
    """Give every question its stored suggestions (one INSERT … SELECT; idempotent)."""
    from django.db import connection, transaction

    from lawqa.legalai.models import StoredSuggestions
    from lawqa.questions.models import Question

    if not Question.objects.filter(stored_suggestions__isnull=True).exists():
        return None
    started = time.perf_counter()
    table, questions = StoredSuggestions._meta.db_table, Question._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (question_id, text_hash, items, ranked_at) "
            f"SELECT q.id, '', %s{'::jsonb' if connection.vendor == 'postgresql' else ''}, q.created_at"
            f" FROM {questions} q "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.question_id = q.id)",
            [json.dumps(STORED_ITEMS, ensure_ascii=False)],
        )
    return round(time.perf_counter() - started, 1)


def calibrate() -> float:
    """Milliseconds of a fixed pure-Python workload (best of 5): the speed of this machine's
    core, to compare runs on different machines."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i % 7
        best = min(best, time.process_time() - started)
    return round(best * 1000, 1)


# ---------------------------------------------------------------- timing


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


@dataclasses.dataclass
class Meter:
    """CPU spent in the top-level template render and in SQL (inside and outside it)."""

    depth: int = 0
    template_cpu: float = 0.0
    sql_cpu: float = 0.0
    sql_in_template_cpu: float = 0.0
    sql_wall: float = 0.0

    def reset(self) -> None:
        self.template_cpu = self.sql_cpu = self.sql_in_template_cpu = self.sql_wall = 0.0

    def install(self) -> None:
        from django.db import connection
        from django.template.backends.django import Template

        meter = self
        original = Template.render

        def render(template, context=None, request=None):
            if meter.depth:
                return original(template, context, request)
            meter.depth += 1
            started = time.process_time()
            try:
                return original(template, context, request)
            finally:
                meter.template_cpu += time.process_time() - started
                meter.depth -= 1

        Template.render = render

        def sql(execute, statement, params, many, context):
            started, started_wall = time.process_time(), time.perf_counter()
            try:
                return execute(statement, params, many, context)
            finally:
                spent = time.process_time() - started
                meter.sql_cpu += spent
                meter.sql_wall += time.perf_counter() - started_wall
                if meter.depth:
                    meter.sql_in_template_cpu += spent

        connection.execute_wrappers.append(sql)


def page_kinds(rng: random.Random) -> dict:
    from lawqa.questions.models import Category, Question
    from lawqa.questions.queries import area_question_count

    top = Question.objects.order_by("-id").values_list("id", flat=True).first()
    sample = rng.sample(range(1, top + 1), min(top, 20_000))
    urls = [
        q.get_absolute_url() for q in Question.objects.visible().filter(pk__in=sample).only("id", "title")
    ]
    hot = urls[:5]  # viewed again and again: 相关问题 come from the cache
    areas = list(Category.objects.all())
    deep = [a.slug for a in areas if area_question_count(a) > DEEP_PAGE * 20] or [a.slug for a in areas]
    return {
        "question page": lambda: rng.choice(urls),
        "question page, 相关问题 cached": lambda: rng.choice(hot),
        "home": lambda: "/",
        "area page 1": lambda: f"/areas/{rng.choice(areas).slug}/",
        f"area page {DEEP_PAGE}": lambda: f"/areas/{rng.choice(deep)}/?page={DEEP_PAGE}",
        f"area 已解答 p.{DEEP_PAGE // 4}": lambda: (
            f"/areas/{rng.choice(deep)}/?status=answered&page={DEEP_PAGE // 4}"
        ),
        "lawyer directory": lambda: "/lawyers/",
        "lawyer directory p.20, 推荐排序": lambda: "/lawyers/?sort=rank&page=20",
    }


def measure(args: argparse.Namespace) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(args.seed + 1)
    kinds = page_kinds(rng)
    client = Client()
    queries: dict[str, int] = {}
    for name, url in kinds.items():
        for _ in range(args.warmup):
            response = client.get(url())
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code} for {response.request['PATH_INFO']}")
        with CaptureQueriesContext(connection) as ctx:
            client.get(url())
        queries[name] = len(ctx.captured_queries)
    meter = Meter()
    meter.install()
    samples: dict[str, list[tuple[float, ...]]] = {name: [] for name in kinds}
    schedule = [name for name in kinds for _ in range(args.requests)]
    rng.shuffle(schedule)
    for name in schedule:
        path = kinds[name]()
        meter.reset()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - started_cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} for {path}")
        render = (meter.template_cpu - meter.sql_in_template_cpu) * 1000
        samples[name].append((wall, cpu, render, meter.sql_cpu * 1000, meter.sql_wall * 1000))
    rows = []
    for name, values in samples.items():
        walls, cpus, renders, sql_cpus, sql_walls = (list(col) for col in zip(*values, strict=True))
        rows.append(
            {
                "page": name,
                "requests": len(values),
                "p50_ms": round(statistics.median(walls), 1),
                "p95_ms": round(percentile(walls, 95), 1),
                "max_ms": round(max(walls), 1),
                "cpu_p50_ms": round(statistics.median(cpus), 1),
                "cpu_p95_ms": round(percentile(cpus, 95), 1),
                "render_cpu_p50_ms": round(statistics.median(renders), 1),
                "render_share": round(sum(renders) / sum(cpus), 2),
                "sql_cpu_p50_ms": round(statistics.median(sql_cpus), 1),
                "sql_wall_p50_ms": round(statistics.median(sql_walls), 1),
                "queries": queries[name],
            }
        )
    return rows


def run_one(args: argparse.Namespace, work: Path) -> dict:
    """Fill (if needed) and measure one database in this process."""
    setup_django(args, work)
    from django.core.management import call_command
    from django.db import connection

    from lawqa.questions.models import Question

    vendor = connection.vendor
    print(f"database: {vendor} ({work})", file=sys.stderr)
    call_command("migrate", verbosity=0)
    # DEBUG is off: the hashed static names come from collectstatic's manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    top = Question.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if top > args.n:
        raise SystemExit(f"{work} already holds {top:,} questions (asked for {args.n:,}); use another --keep")
    complete = work / "filled.json"
    if top < args.n or not complete.exists():
        built = fill(args)
        built = finish(args, built)
        complete.write_text(json.dumps(built, ensure_ascii=False))
    else:
        built = {**json.loads(complete.read_text()), "reused": True}
        if not args.no_index:
            ensure_index()
    stored = ensure_stored_suggestions()
    if stored is not None:
        built["stored_suggestions_seconds"] = stored
    print(f"data: {json.dumps(built, ensure_ascii=False)}", file=sys.stderr)
    if args.fill_only:
        return {"vendor": vendor, "data": built, "pages": []}
    load_before = os.getloadavg()[0]
    calibration = calibrate()
    rows = measure(args)
    load_after = os.getloadavg()[0]
    connection.close()
    return {
        "vendor": vendor,
        "load_average": [load_before, load_after],
        "calibration_ms": calibration,
        "data": built,
        "pages": rows,
    }


# ---------------------------------------------------------------- report


def print_table(result: dict, args: argparse.Namespace) -> None:
    load = result.get("load_average", [0, 0])
    print(
        f"\nPage server time, {args.n:,} questions ({result['vendor']}), {args.requests} requests each"
        f" (load average {load[0]:.1f} → {load[1]:.1f} on {os.cpu_count()} cores;"
        f" calibration {result.get('calibration_ms', 0)} ms):"
    )
    head = ("page", "p50 ms", "p95 ms", "CPU p50", "CPU p95", "render CPU p50", "render share", "SQL CPU p50",
            "SQL wall p50", "queries")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("-" * (len(h) + 2) for h in head) + "|")
    for r in result["pages"]:
        cells = (r["p50_ms"], r["p95_ms"], r["cpu_p50_ms"], r["cpu_p95_ms"], r["render_cpu_p50_ms"],
                 f"{r['render_share']:.0%}", r["sql_cpu_p50_ms"], r["sql_wall_p50_ms"], r["queries"])  # fmt: skip
        print(f"| {r['page']} | " + " | ".join(str(c) for c in cells) + " |")


def print_side_by_side(results: list[dict], args: argparse.Namespace) -> None:
    if len(results) < 2:
        return
    print(f"\nSide by side, {args.n:,} questions — CPU p50 / p95 ms (wall p95 ms), queries:")
    head = ["page", *(r["vendor"] for r in results)]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("-" * (len(h) + 2) for h in head) + "|")
    by_vendor = [{p["page"]: p for p in r["pages"]} for r in results]
    for name in by_vendor[0]:
        cells = [
            f"{v[name]['cpu_p50_ms']} / {v[name]['cpu_p95_ms']} ({v[name]['p95_ms']}), {v[name]['queries']} q"
            for v in by_vendor
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    args = parse_args()
    if args.child_json:
        work = args.keep or Path(tempfile.mkdtemp(prefix="lawqa-bench-pages-"))
        result = run_one(args, work)
        args.child_json.write_text(json.dumps(result, ensure_ascii=False))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="lawqa-bench-pages-"))
    if args.database_url:
        runs = [("postgresql" if args.database_url.startswith("postgres") else "other", args.database_url)]
    else:
        runs = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    results = []
    try:
        for vendor, url in runs:
            # One process per database: Django's settings are made once per process.
            out = root / f"{vendor}.result.json"
            command = [sys.executable, __file__, *sys.argv[1:], "--child-json", str(out)]
            command = _without(command, ("--postgres", "--database-url", "--keep", "--out"))
            command += ["--keep", str(root / vendor)] + (["--database-url", url] if url else [])
            subprocess.run(command, check=True)
            results.append(json.loads(out.read_text()))
            print_table(results[-1], args)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print_side_by_side(results, args)
    if args.out:
        payload = {"n": args.n, "requests": args.requests, "cpus": os.cpu_count(), "runs": results}
        args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def _without(command: list[str], options: tuple[str, ...]) -> list[str]:
    """The command line without these options (and their values)."""
    out, skip = [], False
    for part in command:
        if skip:
            skip = False
            continue
        name = part.split("=", 1)[0]
        if name in options:
            skip = "=" not in part
            continue
        out.append(part)
    return out


if __name__ == "__main__":
    main()
