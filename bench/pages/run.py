"""Page benchmark: server time of the question page, the home page and the practice-area page
with N synthetic questions in a throwaway SQLite database.

The questions are made of fragments (clauses) of the real demo questions in data/demo_qa.jsonl.gz;
a share of them get 1–3 answers whose bodies are real lawyers' answers from the same bundle,
attributed to the demo lawyers. The search index is built too, so 相关问题 on the question page
comes from tantivy as in production. Requests go through Django's test Client in-process (full
middleware, templates, DEBUG off), after a warm-up; each question-page request hits a different
random question (cold 相关问题 cache, like crawler traffic).

    .venv/bin/python bench/pages/run.py [--n 100000] [--requests 300] [--answered 0.35]
                                        [--keep DIR] [--database-url postgres://…] [--out results.json]

Nothing here touches var/: the database and index live in a temporary directory (LAWQA_VAR_DIR)
that is deleted afterwards unless --keep is given. With --keep DIR an existing filled database in DIR
is reused (same N), so page timings can be repeated without refilling.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CLAUSE_RE = re.compile(r"[^。！？!?；;，,\n\s]{4,40}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="synthetic questions (default 100000)")
    parser.add_argument("--answered", type=float, default=0.35, help="share of questions with answers")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page kind")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page kind first")
    parser.add_argument("--batch", type=int, default=5000, help="bulk_create batch size")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the database and index in this directory")
    parser.add_argument("--database-url", help="benchmark another database (e.g. a throwaway PostgreSQL)")
    parser.add_argument("--no-index", action="store_true", help="skip building the search index")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> Path:
    work = args.keep or Path(tempfile.mkdtemp(prefix="lawqa-bench-pages-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["LAWQA_VAR_DIR"] = str(work)
    os.environ.pop("LAWQA_INDEX_DIR", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"  # production-like: cached templates, no query log
    os.environ.setdefault("LAWQA_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lawqa.settings"
    import django

    django.setup()
    return work


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


def fill(args: argparse.Namespace) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from lawqa.lawyers import services as lawyer_services
    from lawqa.questions import importing
    from lawqa.questions.management.commands.import_qa import ensure_demo_accounts
    from lawqa.questions.models import Answer, Category, Question
    from lawqa.statutes import services as statute_services

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    titles, clauses, answer_texts = load_fragments()
    accounts = json.loads((ROOT / "data" / "demo_accounts.json").read_text(encoding="utf-8"))
    lawyers_by_area, askers = ensure_demo_accounts(accounts)
    all_lawyers = sorted({pk for ids in lawyers_by_area.values() for pk in ids})
    categories = list(Category.objects.all())
    # Rendering answers is not what this measures: render a pool once and reuse it.
    pool = [(body, statute_services.render_answer_html(body)) for body in rng.sample(answer_texts, 400)]
    now = timezone.now()
    span = 3 * 365 * 86400

    def title() -> str:
        head = rng.choice(titles)
        text = f"{head.rstrip('？?')}，{rng.choice(clauses)}" if rng.random() < 0.5 else head
        return importing.derive_title(text + ("？" if rng.random() < 0.6 else ""))[: importing.TITLE_MAX]

    def detail() -> str:
        parts = rng.sample(clauses, rng.randint(2, 8))
        return "，".join(parts) + rng.choice("。？")

    made = n_answers = 0
    while made < args.n:
        size = min(args.batch, args.n - made)
        questions, plans = [], []
        for i in range(size):
            asker = askers[rng.randrange(len(askers))]
            area = categories[rng.randrange(len(categories))]
            created = now - dt.timedelta(seconds=rng.randrange(3600, span))
            k = 0
            if rng.random() < args.answered:
                k = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
            accepted = k > 0 and rng.random() < 0.4
            questions.append(
                Question(
                    title=title(),
                    detail=detail(),
                    category=area,
                    asker=asker,
                    is_anonymous=rng.random() < 0.25,
                    province=asker.province,
                    status=(
                        Question.Status.OPEN
                        if k == 0
                        else Question.Status.ACCEPTED
                        if accepted
                        else Question.Status.ANSWERED
                    ),
                    answer_count=k,
                    view_count=rng.randrange(5, 3000),
                    source_id=f"bench-{made + i}",
                    created_at=created,
                )
            )
            plans.append((k, accepted, area.name, created))
        with transaction.atomic():
            Question.objects.bulk_create(questions)
            answers = []
            for q, (k, accepted, area_name, created) in zip(questions, plans, strict=True):
                lawyers = lawyers_by_area.get(area_name) or all_lawyers
                for j in range(k):
                    body, html = pool[rng.randrange(len(pool))]
                    answers.append(
                        Answer(
                            question=q,
                            lawyer_id=lawyers[(q.pk + j) % len(lawyers)],
                            body=body,
                            body_html=html,
                            is_accepted=accepted and j == 0,
                            helpful_count=rng.randrange(0, 20),
                            created_at=created + dt.timedelta(minutes=rng.randrange(20, 4000)),
                        )
                    )
            Answer.objects.bulk_create(answers)
        made += size
        n_answers += len(answers)
        print(f"\r  filled {made:>8,} questions, {n_answers:,} answers", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    fill_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    for lawyer_id in all_lawyers:
        lawyer_services.refresh_lawyer_stats(lawyer_id=lawyer_id)
    stats_s = time.perf_counter() - t1
    index_s = None
    if not args.no_index:
        from lawqa.search import index

        t2 = time.perf_counter()
        index.rebuild(recreate=True)
        index_s = time.perf_counter() - t2
    size_mb = None
    if connection.vendor == "sqlite":
        size_mb = Path(connection.settings_dict["NAME"]).stat().st_size / 1e6
    return {
        "questions": made,
        "answers": n_answers,
        "fill_seconds": round(fill_s, 1),
        "lawyer_stats_seconds": round(stats_s, 1),
        "index_seconds": round(index_s, 1) if index_s is not None else None,
        "db_mb": round(size_mb, 1) if size_mb else None,
    }


def ensure_index() -> None:
    """Rebuild a kept index that no longer opens (the index schema changed since it was built)."""
    from lawqa.search import index

    try:
        index.searcher()
    except (OSError, ValueError):
        print("  search index missing or outdated: rebuilding", file=sys.stderr)
        started = time.perf_counter()
        index.rebuild(recreate=True)
        index.reset_reader()
        print(f"  rebuilt in {time.perf_counter() - started:.0f} s", file=sys.stderr)


# ---------------------------------------------------------------- timing


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def measure(args: argparse.Namespace) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lawqa.questions.models import Category, Question

    rng = random.Random(args.seed + 1)
    ids = list(Question.objects.values_list("id", flat=True))
    slugs = list(Category.objects.values_list("slug", flat=True))
    kinds = {
        "question page": lambda: f"/questions/{rng.choice(ids)}/",
        "home": lambda: "/",
        "area page": lambda: f"/areas/{rng.choice(slugs)}/",
        "area 已解答 p.5": lambda: f"/areas/{rng.choice(slugs)}/?status=answered&page=5",
    }
    if not args.no_index:
        from lawqa.search.queries import related_questions

        sample = Question.objects.filter(pk__in=rng.sample(ids, 20))
        if not any(related_questions(q, limit=10) for q in sample):
            raise SystemExit("相关问题 are empty for 20 random questions: is the search index built?")
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
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    cpu: dict[str, list[float]] = {name: [] for name in kinds}
    schedule = [name for name in kinds for _ in range(args.requests)]
    rng.shuffle(schedule)
    for name in schedule:
        path = kinds[name]()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        cpu[name].append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} for {path}")
        timings[name].append(elapsed)
    return [
        {
            "page": name,
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "max_ms": round(max(values), 1),
            "cpu_p50_ms": round(statistics.median(cpu[name]), 1),
            "cpu_p95_ms": round(percentile(cpu[name], 95), 1),
            "queries": queries[name],
        }
        for name, values in timings.items()
    ]


def main() -> None:
    args = parse_args()
    work = setup_django(args)
    from django.core.management import call_command
    from django.db import connection

    from lawqa.questions.models import Question

    try:
        print(f"database: {connection.vendor} in {work}", file=sys.stderr)
        call_command("migrate", verbosity=0)
        existing = Question.objects.count()
        if existing and existing != args.n:
            raise SystemExit(
                f"{work} already holds {existing} questions (asked for {args.n}); use another --keep"
            )
        built = fill(args) if not existing else {"questions": existing, "reused": True}
        if existing and not args.no_index:
            ensure_index()
        print(f"data: {json.dumps(built, ensure_ascii=False)}", file=sys.stderr)
        load_before = os.getloadavg()[0]
        rows = measure(args)
        load_after = os.getloadavg()[0]
    finally:
        connection.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nPage server time, {args.n:,} questions ({connection.vendor}), {args.requests} requests each"
        f" (load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores):"
    )
    head = ("page", "p50 ms", "p95 ms", "max ms", "CPU p50", "CPU p95", "SQL queries")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("-" * (len(h) + 2) for h in head) + "|")
    for r in rows:
        cells = (r["p50_ms"], r["p95_ms"], r["max_ms"], r["cpu_p50_ms"], r["cpu_p95_ms"], r["queries"])
        print(f"| {r['page']} | " + " | ".join(str(c) for c in cells) + " |")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "n": args.n,
                    "vendor": connection.vendor,
                    "load_average": [load_before, load_after],
                    "data": built,
                    "pages": rows,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
