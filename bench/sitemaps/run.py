"""Sitemap benchmark: the sitemap index and full sitemap pages with N questions (default 1,000,000).

Fills a throwaway database (SQLite in its own LAWQA_VAR_DIR, or --database-url for PostgreSQL) with N
questions — real titles from data/demo_qa.jsonl.gz cycled, a paragraph of detail each, 1 % hidden —
inserted in one executemany per 50,000 rows with the column list taken from the model (so the fill
follows the schema), plus the bundled statute library (`import_laws`: 1,510 laws, 64,547
articles). Then it times, in-process through Django's test Client (all middleware, `DEBUG` off),
with the sitemap cache cleared before each request:

- the sitemap index `/sitemap.xml` (one grouped query per section: pages and their lastmod);
- one full question sitemap `/sitemap-questions-1.xml` (50,000 ids, 49,500 visible questions);
- the last question sitemap (the newest ids) and one full article sitemap;
- and, for comparison, the same first and last question pages built the way Django's
  GenericSitemap does it (COUNT + OFFSET pagination, model instances, reverse() per URL).

For each: median and max wall time, process CPU time, response bytes (gzip-compressed as crawlers
get them, and uncompressed), URLs, and the peak Python memory allocated during the request (tracemalloc).

    .venv/bin/python bench/sitemaps/run.py [--n 1000000] [--repeat 5] [--keep DIR]
                                           [--database-url postgres://…] [--no-laws] [--out results.json]

With --keep DIR an existing filled database in DIR is reused (same N).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="questions (default 1000000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per measurement")
    parser.add_argument("--batch", type=int, default=50_000, help="rows per executemany")
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the database in this directory")
    parser.add_argument("--database-url", help="benchmark another database (a throwaway PostgreSQL)")
    parser.add_argument("--no-laws", action="store_true", help="skip importing the statute library")
    parser.add_argument("--no-compare", action="store_true", help="skip the GenericSitemap comparison")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> Path:
    work = args.keep or Path(tempfile.mkdtemp(prefix="lawqa-bench-sitemaps-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["LAWQA_VAR_DIR"] = str(work)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("LAWQA_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lawqa.settings"
    import django

    django.setup()
    return work


def load_texts() -> tuple[list[str], list[str]]:
    from lawqa.questions import importing

    titles, details = [], []
    with gzip.open(ROOT / "data" / "demo_qa.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = importing.parse_record(line)
            titles.append(rec.title[:50])
            details.append(rec.detail[:300])
    return titles, details


def fill(args: argparse.Namespace) -> dict:
    """N question rows, inserted with executemany in batches; column values for the fields this
    benchmark does not care about are the model's defaults."""
    from django.db import connection, transaction
    from django.utils import timezone

    from lawqa.accounts.models import User
    from lawqa.questions.models import Category, Question

    t0 = time.perf_counter()
    titles, details = load_texts()
    asker = User.objects.create_user(username="bench-asker", password=None)
    categories = list(Category.objects.values_list("pk", flat=True))
    fields = [f for f in Question._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(Question._meta.db_table)} ({columns}) VALUES ({placeholders})"
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    start = timezone.now() - dt.timedelta(days=3 * 365)
    step = dt.timedelta(days=3 * 365) / args.n
    rng = random.Random(20261130)

    def row(i: int) -> list:
        created = start + step * i
        values = {
            **defaults,
            "title": titles[i % len(titles)],
            "detail": details[i % len(details)],
            "category_id": categories[i % len(categories)],
            "asker_id": asker.pk,
            "is_hidden": i % 100 == 99,
            "status": "answered" if rng.random() < 0.35 else "open",
            "created_at": created,
            "updated_at": created + dt.timedelta(hours=rng.randrange(0, 72)),
            "source_id": None,
        }
        return [
            f.get_db_prep_save(values[f.attname], connection)
            if f.attname in ("created_at", "updated_at")
            else values[f.attname]
            for f in fields
        ]

    for low in range(0, args.n, args.batch):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, [row(i) for i in range(low, min(low + args.batch, args.n))])
        print(f"  {min(low + args.batch, args.n):,} questions", file=sys.stderr, end="\r")
    rows_s = time.perf_counter() - t0
    laws_s = None
    if not args.no_laws:
        from django.core.management import call_command

        t1 = time.perf_counter()
        call_command("import_laws", verbosity=0)
        laws_s = time.perf_counter() - t1
    return {"questions": args.n, "fill_s": round(rows_s, 1), "import_laws_s": laws_s and round(laws_s, 1)}


def timed(client, path: str, repeat: int) -> dict:
    from django.core.cache import cache

    walls, cpus = [], []
    response = None
    for _ in range(repeat):
        cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        assert response.status_code == 200, (path, response.status_code)
    cache.clear()
    peak = peak_memory(lambda: client.get(path, HTTP_ACCEPT_ENCODING="gzip"))
    body = response.content
    xml = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    t0 = time.perf_counter()
    cached = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    cached_ms = (time.perf_counter() - t0) * 1000
    assert gzip.decompress(cached.content) == xml  # served from the cache (the gzip padding is random)
    return {
        "path": path,
        "p50_ms": round(statistics.median(walls) * 1000, 1),
        "max_ms": round(max(walls) * 1000, 1),
        "cpu_p50_ms": round(statistics.median(cpus) * 1000, 1),
        "cached_ms": round(cached_ms, 1),
        "entries": xml.count(b"<loc>"),
        "bytes_gzip": len(body),
        "bytes_xml": len(xml),
        "peak_mib": peak,
    }


def peak_memory(call) -> float:
    """Peak Python memory (MiB) allocated while `call` runs, in a separate untimed run: tracemalloc
    slows allocation several times over."""
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def timed_generic(page: int, repeat: int) -> dict:
    """The same page the way django.contrib.sitemaps' GenericSitemap builds it."""
    from django.contrib.sitemaps import GenericSitemap
    from django.contrib.sites.requests import RequestSite
    from django.test import RequestFactory

    from lawqa.questions.models import Question

    site = RequestSite(RequestFactory().get("/"))

    def urls() -> list[dict]:
        sitemap = GenericSitemap(
            {"queryset": Question.objects.visible().order_by("pk"), "date_field": "updated_at"}
        )
        return sitemap.get_urls(page=page, site=site, protocol="https")

    walls, cpus, n = [], [], 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        n = len(urls())
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return {
        "path": f"GenericSitemap page {page} (URL list only, no XML)",
        "p50_ms": round(statistics.median(walls) * 1000, 1),
        "max_ms": round(max(walls) * 1000, 1),
        "cpu_p50_ms": round(statistics.median(cpus) * 1000, 1),
        "entries": n,
        "peak_mib": peak_memory(urls),
    }


def main() -> None:
    args = parse_args()
    work = setup_django(args)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from lawqa.questions.models import Question
    from lawqa.statutes.models import Article

    try:
        print(f"database: {connection.vendor} in {work}", file=sys.stderr)
        call_command("migrate", verbosity=0)
        existing = Question.objects.count()
        if existing and existing != args.n:
            raise SystemExit(
                f"{work} already holds {existing} questions (asked for {args.n}); use another --keep"
            )
        built = fill(args) if not existing else {"questions": existing, "reused": True}
        print(f"\nfill: {built}", file=sys.stderr)
        client = Client()
        client.get("/robots.txt")  # import the URLconf and views before timing
        last_page = (Question.objects.order_by("-pk").values_list("pk", flat=True).first() - 1) // 50_000 + 1
        paths = ["/sitemap.xml", "/sitemap-questions-1.xml"]
        if last_page > 1:
            paths.append(f"/sitemap-questions-{last_page}.xml")
        if Article.objects.exists():
            paths.append("/sitemap-articles-1.xml")
        results = []
        for path in paths:
            results.append(timed(client, path, args.repeat))
            print(results[-1], file=sys.stderr)
        if not args.no_compare:
            pages = sorted({1, last_page})
            results += [timed_generic(page, max(1, args.repeat // 2)) for page in pages]
        load = os.getloadavg()
        print(
            f"\n{connection.vendor}, {built['questions']:,} questions; load average {load[0]:.1f} {load[1]:.1f}\n"
        )
        print(
            "| request | p50 ms | max ms | CPU p50 ms | cached ms | URLs | gzip bytes | XML bytes | peak MiB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            print(
                f"| {r['path']} | {r['p50_ms']} | {r['max_ms']} | {r.get('cpu_p50_ms', '–')} | {r.get('cached_ms', '–')}"
                f" | {r['entries']:,} | {r.get('bytes_gzip', 0):,} | {r.get('bytes_xml', 0):,} | {r['peak_mib']} |"
            )
        if args.out:
            payload = {"database": connection.vendor, "fill": built, "load_average": load, "results": results}
            args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    finally:
        if not args.keep:
            connection.close()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
