"""Two-node load test: two gunicorn nodes on one PostgreSQL, driven by locust (headless, loopback).

What it starts, as the README's production recipe does on one host (deploy/gunicorn.conf.py for
each web node; each node with its own LAWQA_NODE_NAME, LAWQA_INDEX_DIR and `run_indexer`; one
`run_worker`; Redis as the shared cache) — with the development settings and DEBUG off, because
the production settings' secure cookies need the TLS proxy in front, and bench_settings.py's
write rate limits lifted (one loopback address posting hundreds of writes is what production
refuses). All on 127.0.0.1; nothing listens elsewhere.

1. A fresh PostgreSQL database (dropped and created), migrated; the demo Q&A imported
   (`import_qa`, 9,054 questions) and --askers / --lawyers accounts with passwords.
2. Node 1 and node 2 (gunicorn gthread), one task worker, and — once the import is older than
   the change log's settle window — an indexer per node (its stdout time-stamped in its log);
   waits until both nodes' /healthz say ok with text and vector index lag 0 and no task waiting.
3. `locust --headless` for --run-time with --users users (half askers, half lawyers, spread over
   both nodes): 90 % page reads, 10 % writes (ask, answer, vote); see locustfile.py.
4. While it runs, a checker follows every acknowledged question and answer and asks both nodes'
   search (`/api/v1/search?q=<token>`) until it is found: the delay from the acknowledgement.
5. Afterwards: every acknowledged write is looked up in the database — each question and answer
   present exactly once, each vote present — and the figures are printed (and written to --out).
   The database is dropped (unless --keep-database) and the run's Redis keys deleted.

    .venv/bin/python bench/load/cluster.py --run-time 5m --users 10 --out bench/load/results-cluster.json
    .venv/bin/python bench/load/cluster.py --run-time 60s --users 8        # a quick check

Exit status 1 when a request got a 5xx, a write was lost or doubled, or a write was not
searchable on both nodes within --search-deadline seconds.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PASSWORD = "Load-Test-2024!"
PORTS = (18101, 18102)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lawqa_h12_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users (default 20)")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started per second")
    parser.add_argument("--run-time", default="5m", help="locust run time (default 5m)")
    parser.add_argument("--askers", type=int, default=40)
    parser.add_argument("--lawyers", type=int, default=40)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--web-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--search-deadline", type=float, default=5.0, help="seconds (the target)")
    parser.add_argument("--ports", default=",".join(map(str, PORTS)), help="the two nodes' loopback ports")
    parser.add_argument("--work", type=Path, help="keep logs and state here (default: a temp dir, deleted)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--keep-database", action="store_true", help="keep the database afterwards (default: dropped)"
    )
    return parser.parse_args()


class Site:
    """The processes of the two-node site and how to run manage.py in either node's environment."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work = args, work
        self.ports = [int(p) for p in args.ports.split(",")]
        self.processes: list[subprocess.Popen] = []
        self.run_id = f"{random.randrange(16**6):06x}"

    def env(self, node: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LAWQA_", "DATABASE_URL"))}
        env.update(
            DJANGO_SETTINGS_MODULE="bench_settings",
            PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT)]),
            DJANGO_DEBUG="0",
            DATABASE_URL=self.args.database_url,
            LAWQA_REDIS_URL=self.args.redis_url,
            LAWQA_CACHE_PREFIX=f"lawqa-load-{self.run_id}",
            LAWQA_VAR_DIR=str(self.work / "var"),
            LAWQA_NODE_NAME=f"node{node}",
            LAWQA_INDEX_DIR=str(self.work / f"node{node}" / "index"),
            LAWQA_BIND=f"127.0.0.1:{self.ports[node - 1]}",
            LAWQA_WEB_WORKERS=str(self.args.web_workers),
            LAWQA_WEB_THREADS=str(self.args.web_threads),
            LAWQA_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, node: int = 1) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env(node),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, name: str, command: list[str], node: int, *, stamp: bool = False) -> None:
        """Start a process logging to logs/<name>.log; with `stamp`, its stdout lines (the
        indexer's "indexed N change(s)") get the time they were written."""
        log = (self.work / "logs" / f"{name}.log").open("ab")
        stdout = subprocess.PIPE if stamp else log
        process = subprocess.Popen(command, env=self.env(node), cwd=ROOT, stdout=stdout, stderr=log)
        self.processes.append(process)
        if stamp:

            def copy() -> None:
                for line in process.stdout:
                    log.write(
                        datetime.datetime.now(datetime.UTC).strftime("%H:%M:%S.%f")[:-3].encode()
                        + b" "
                        + line
                    )
                    log.flush()

            threading.Thread(target=copy, daemon=True).start()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# --- setting up -----------------------------------------------------------------------------

ACCOUNTS_SCRIPT = """
from django.db import transaction
from django.utils import timezone
from lawqa.accounts.models import User
from lawqa.lawyers import services as lawyer_services
from lawqa.lawyers.models import LawyerProfile
from lawqa.questions.models import Category
areas = list(Category.objects.all())
with transaction.atomic():
    for i in range({askers}):
        User.objects.create_user(username=f"loadasker{{i}}", password={password!r})
    for i in range({lawyers}):
        user = User.objects.create_user(username=f"loadlawyer{{i}}", password={password!r}, role=User.Role.LAWYER)
        profile = LawyerProfile.objects.create(
            user=user, real_name=f"压测律师{{i}}", license_no=f"{{11101202400000000 + i}}", firm="压测律师事务所",
            province="北京", city="北京", status=LawyerProfile.Status.VERIFIED, verified_at=timezone.now())
        profile.areas.set(areas)
"""

TARGETS_SCRIPT = """
import json, random
from lawqa.questions.models import Answer, Category, Question
from lawqa.moderation import spam
from lawqa.questions.queries import area_question_count
rng = random.Random(7)
ids = list(Question.objects.visible().values_list("id", flat=True))
sample = Question.objects.filter(pk__in=rng.sample(ids, min(3000, len(ids)))).only("id", "title")
texts = list(Question.objects.visible().exclude(detail="").values_list("title", "detail")[:2000])
# Bodies the spam rules would hold (an invitation to phone, an outside link) are left out: a held
# answer is acknowledged but rightly never searchable, which the checker would count as missing.
answers = [b for b in Answer.objects.filter(is_hidden=False).values_list("body", flat=True)[:2000]
           if 60 < len(b) < 1500 and not spam.check_answer(b + "\\n\\n（编号 yc1042fa6e09）").held]
texts = [(t, d) for t, d in texts if not spam.check_text(f"{{t}}\\n{{d[:400]}}", kind="question").held]
if not answers or not texts:
    raise SystemExit("no demo question or answer text the spam rules let through")
areas = list(Category.objects.all())
smallest = min(area_question_count(a) for a in areas)
print(json.dumps({{
    "password": {password!r},
    "askers": [f"loadasker{{i}}" for i in range({askers})],
    "lawyers": [f"loadlawyer{{i}}" for i in range({lawyers})],
    "questions": [q.get_absolute_url() for q in sample],
    "answer_ids": rng.sample(list(Answer.objects.filter(is_hidden=False).values_list("id", flat=True)), 2000),
    "areas": [a.slug for a in areas],
    "deep_page": max(1, min(200, smallest // 20)),
    "texts": [[t, d[:400]] for t, d in texts],
    "answers": answers[:500],
}}, ensure_ascii=False))
"""


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        name = sql.Identifier(parts.path.lstrip("/"))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def drop_cache_keys(redis_url: str, prefix: str) -> None:
    """Remove this run's keys from the shared Redis (each run has its own cache prefix)."""
    try:
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    except Exception as exc:  # noqa: BLE001 - cleanup only
        print(f"could not remove the run's Redis keys: {exc}", file=sys.stderr)


def django_script(site: Site, code: str) -> str:
    return site.manage("shell", "-c", code)


def health(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read() or b"{}")
    except (OSError, ValueError):
        return {}


def wait_healthy(site: Site, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = [health(port) for port in site.ports]
        if all(state.get("ok") for state in states):
            return
        if any(p.poll() is not None for p in site.processes):
            raise SystemExit(f"a process of the site exited; see {site.work / 'logs'}")
        time.sleep(2)
    raise SystemExit(f"the nodes did not become healthy in {timeout:.0f} s: {states}")


def replica_settle_seconds() -> float:
    """lawqa.search.replica.SETTLE, read from the source (this process does not set up Django)."""
    import re

    text = (ROOT / "lawqa" / "search" / "replica.py").read_text(encoding="utf-8")
    found = re.search(r"^SETTLE = dt\.timedelta\(seconds=(\d+)\)", text, re.M)
    return float(found.group(1)) if found else 60.0


def wait_caught_up(site: Site, timeout: float = 600) -> dict:
    """Wait until both nodes' text and vector indexes have applied the whole log and no task is
    waiting; returns what /healthz said then (recorded with the figures)."""
    deadline = time.monotonic() + timeout
    while True:
        states = {f"node{i + 1}": health(port) for i, port in enumerate(site.ports)}
        summary = {
            node: {
                name: {k: state.get("checks", {}).get(name, {}).get(k) for k in ("ok", "lag", "ready")}
                for name in ("index", "vectors", "tasks")
            }
            for node, state in states.items()
        }
        done = all(
            s["index"]["lag"] == 0 and s["vectors"]["lag"] in (0, None) and not s["tasks"]["ready"]
            for s in summary.values()
        )
        if done or time.monotonic() > deadline:
            if not done:
                print(f"not caught up after {timeout:.0f} s: {summary}", file=sys.stderr)
            time.sleep(3)  # one more indexer pass, so nothing is half-applied
            return summary
        time.sleep(2)


# --- checking searchability while the test runs ------------------------------------------------


class SearchChecker(threading.Thread):
    """Follows the acknowledgements file; for every question and answer, asks each node's search
    for its token until the question is among the results, and records the delay."""

    # Each pending write is asked of each node 0.5 s after its acknowledgement, then once a second
    # up to 8 s, then every 3 s: the delays are upper bounds to within about a second (plus the
    # search request's own time), and the checker's searches stay a bounded part of the load
    # (on a saturated machine, polling faster fed back into the delays it measures).
    FIRST, EVERY, SLOW_AFTER, SLOW_EVERY = 0.5, 1.0, 8.0, 3.0

    def __init__(self, acks: Path, ports: list[int], give_up: float = 60.0) -> None:
        super().__init__(daemon=True)
        self.acks, self.ports, self.give_up = acks, ports, give_up
        self.pending: list[dict] = []
        self.delays: dict[str, list[float]] = {f"node{i + 1}": [] for i in range(len(ports))}
        # when the search that found it was sent: the write was searchable between the two
        self.delays_sent: dict[str, list[float]] = {f"node{i + 1}": [] for i in range(len(ports))}
        self.missing: list[dict] = []
        self.checked = 0
        self.searches = 0
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=4)

    def found(self, port: int, entry: dict) -> float | None:
        """When the search that found the entry on this node was sent (None: not found)."""
        self.searches += 1
        sent = time.time()
        query = urllib.parse.urlencode({"q": entry["token"]})
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?{query}", timeout=10) as r:
                items = json.loads(r.read())["items"]
        except (OSError, ValueError, KeyError):
            return None
        return sent if any(item["question"]["id"] == entry["question"] for item in items) else None

    def run(self) -> None:
        position = 0
        while True:
            if self.acks.exists():
                with self.acks.open(encoding="utf-8") as f:
                    f.seek(position)
                    for line in f:
                        entry = json.loads(line)
                        if entry["kind"] in ("ask", "answer"):
                            entry["waiting"] = set(range(len(self.ports)))
                            entry["next"] = dict.fromkeys(entry["waiting"], entry["t"] + self.FIRST)
                            self.pending.append(entry)
                    position = f.tell()
            now = time.time()
            asks = [
                (entry, i)
                for entry in self.pending
                for i in sorted(entry["waiting"])
                if entry["next"][i] <= now
            ]
            for (entry, i), hit in zip(
                asks, self.pool.map(lambda job: self.found(self.ports[job[1]], job[0]), asks), strict=True
            ):
                if hit is not None:
                    entry["waiting"].discard(i)
                    self.delays[f"node{i + 1}"].append(time.time() - entry["t"])
                    self.delays_sent[f"node{i + 1}"].append(max(0.0, hit - entry["t"]))
                else:
                    age = time.time() - entry["t"]
                    entry["next"][i] = time.time() + (
                        self.EVERY if age < self.SLOW_AFTER else self.SLOW_EVERY
                    )
            for entry in list(self.pending):
                if not entry["waiting"]:
                    self.pending.remove(entry)
                    self.checked += 1
                elif now - entry["t"] > self.give_up:
                    self.pending.remove(entry)
                    self.missing.append({k: v for k, v in entry.items() if k not in ("waiting", "next")})
            if self.stopping.is_set() and not self.pending:
                return
            time.sleep(0.1)


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every 10 s while locust runs (the machine is shared)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(10):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict:
        if not self.samples:
            return {}
        return {
            "min": round(min(self.samples), 2),
            "mean": round(statistics.mean(self.samples), 2),
            "max": round(max(self.samples), 2),
        }


# --- after the run -------------------------------------------------------------------------

VERIFY_SCRIPT = """
import json
from collections import Counter
from lawqa.accounts.models import User
from lawqa.questions.models import Answer, AnswerVote, Question
acks = [json.loads(line) for line in open({acks!r}, encoding="utf-8")]
asks = [a for a in acks if a["kind"] == "ask"]
answers = [a for a in acks if a["kind"] == "answer"]
votes = [a for a in acks if a["kind"] == "vote"]
unacknowledged = [a for a in acks if a["kind"] == "unacknowledged"]
q_tokens = Counter()
for title in Question.objects.filter(title__contains="yc").values_list("title", flat=True):
    q_tokens.update(w for w in title.split() if w.startswith("yc"))
bad_questions = [a for a in asks if q_tokens[a["token"]] != 1 or not Question.objects.filter(pk=a["question"], title__endswith=a["token"]).exists()]
bad_answers = [a for a in answers if Answer.objects.filter(body__contains=a["token"]).count() != 1
               or not Answer.objects.filter(pk=a["answer"], question_id=a["question"], body__contains=a["token"]).exists()]
users = dict(User.objects.filter(username__startswith="load").values_list("username", "id"))
voted = set(AnswerVote.objects.filter(user_id__in=users.values()).values_list("user_id", "answer_id"))
bad_votes = [v for v in votes if (users[v["user"]], v["answer"]) not in voted]
from lawqa.moderation.models import HeldPost
held = [a for a in asks if Question.objects.filter(pk=a["question"], is_hidden=True).exists()]
held += [a for a in answers if Answer.objects.filter(pk=a["answer"], is_hidden=True).exists()]
rules = Counter(HeldPost.objects.filter(author__username__startswith="load").values_list("rules", flat=True))
print(json.dumps({{
    "held_for_moderation": len(held), "held_examples": held[:5], "held_rules": dict(rules),
    "held_tokens": [a["token"] for a in held],
    "questions_acknowledged": len(asks), "questions_not_exactly_once": len(bad_questions),
    "answers_acknowledged": len(answers), "answers_not_exactly_once": len(bad_answers),
    "votes_acknowledged": len(votes), "votes_missing": len(bad_votes),
    "posts_not_acknowledged": len(unacknowledged),
    "unacknowledged_statuses": dict(Counter(str(a["status"]) for a in unacknowledged)),
    "examples": (bad_questions + bad_answers + bad_votes)[:5],
}}))
"""


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:  # "N/A" for a request kind that never ran
        return 0.0


def locust_figures(prefix: Path, status_file: Path, wall: float) -> dict:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8")))
    by_name = {}
    for row in rows:
        by_name[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(_number(row["Requests/s"]), 1),
            "p50_ms": _number(row["50%"]),
            "p95_ms": _number(row["95%"]),
            "p99_ms": _number(row["99%"]),
            "max_ms": round(_number(row["Max Response Time"]), 1),
        }
    statuses = json.loads(status_file.read_text()) if status_file.exists() else {}
    total = by_name.pop("Aggregated")
    return {
        "total": total,
        "by_request": by_name,
        "statuses": statuses,
        "server_errors_5xx": sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500),
        "wall_seconds": round(wall, 1),
    }


def summarise(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {
        "n": len(values),
        "p50_s": round(statistics.median(ordered), 2),
        "p95_s": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "max_s": round(ordered[-1], 2),
    }


def main() -> None:
    args = parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="h12-load-"))
    (work / "logs").mkdir(parents=True, exist_ok=True)
    site = Site(args, work)
    started_setup = time.monotonic()
    try:
        print(f"preparing the database {args.database_url} and {work} …", file=sys.stderr)
        create_database(args.database_url)
        site.manage("migrate", "--no-input")
        site.manage("collectstatic", "--no-input")
        site.manage("import_qa", "--no-progress")
        imported = time.monotonic()
        django_script(
            site, ACCOUNTS_SCRIPT.format(askers=args.askers, lawyers=args.lawyers, password=PASSWORD)
        )
        targets = work / "targets.json"
        targets.write_text(
            django_script(
                site, TARGETS_SCRIPT.format(askers=args.askers, lawyers=args.lawyers, password=PASSWORD)
            )
            .strip()
            .splitlines()[-1],
            encoding="utf-8",
        )
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "lawqa.wsgi",
        ]
        manage = [sys.executable, str(ROOT / "manage.py")]
        for node in (1, 2):
            site.start(f"web{node}", gunicorn, node)
        site.start("worker", [*manage, "run_worker", "--worker-id", "load-node1-worker"], 1)
        # An index built from the database re-checks the log entries of the last SETTLE seconds
        # (transactions that may still have been open): started right after the import, each
        # indexer would spend the first minutes of the test re-applying the import. A site in
        # service has no such burst, so the indexers start once the import is older than that.
        settle = replica_settle_seconds() + 2 - (time.monotonic() - imported)
        if settle > 0:
            print(f"waiting {settle:.0f} s for the import to settle …", file=sys.stderr)
            time.sleep(settle)
        for node in (1, 2):
            site.start(f"indexer{node}", [*manage, "run_indexer"], node, stamp=True)
        print("waiting for both nodes' /healthz (each indexer builds its node's index) …", file=sys.stderr)
        wait_healthy(site)
        at_start = wait_caught_up(site)
        setup_seconds = time.monotonic() - started_setup

        acks, status_file, prefix = work / "acks.jsonl", work / "status.json", work / "locust"
        checker = SearchChecker(acks, site.ports)
        checker.start()
        env = dict(os.environ)
        env.update(
            LOAD_NODES=",".join(f"http://127.0.0.1:{p}" for p in site.ports),
            LOAD_TARGETS=str(targets),
            LOAD_ACKS=str(acks),
            LOAD_STATUS=str(status_file),
        )
        command = [
            sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
            "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
            "--stop-timeout", "30", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        print(f"locust: {args.users} users for {args.run_time} on ports {site.ports} …", file=sys.stderr)
        load_before = os.getloadavg()
        sampler = LoadSampler()
        sampler.start()
        began = time.monotonic()
        subprocess.run(command, env=env, cwd=ROOT, check=False)
        wall = time.monotonic() - began
        sampler.stopping.set()
        checker.stopping.set()
        checker.join(timeout=checker.give_up + 30)

        verified = json.loads(
            django_script(site, VERIFY_SCRIPT.format(acks=str(acks))).strip().splitlines()[-1]
        )
        held_tokens = set(verified.get("held_tokens", ()))
        held_missing = [m for m in checker.missing if m["token"] in held_tokens]
        lost = [m for m in checker.missing if m["token"] not in held_tokens]
        figures = {
            "users": args.users,
            "run_time": args.run_time,
            "nodes": f"2 × gunicorn gthread {args.web_workers}×{args.web_threads}",
            "database": "postgresql",
            "setup_seconds": round(setup_seconds, 1),
            "health_at_start": at_start,
            "load_average_before": load_before,
            **locust_figures(prefix, status_file, wall),
            "writes": verified,
            "searchable": {
                "checked": checker.checked,
                "not_found_in_60s": len(lost),
                "not_found_examples": lost[:5],
                "delay_by_node": {node: summarise(v) for node, v in checker.delays.items()},
                "delay_by_node_search_sent": {node: summarise(v) for node, v in checker.delays_sent.items()},
                "over_deadline_by_node": {
                    node: sum(d > args.search_deadline for d in v) for node, v in checker.delays.items()
                },
                "checker_searches": checker.searches,
                # A write the spam rules held is acknowledged but must not be searchable anywhere.
                "not_found_held_for_moderation": len(held_missing),
                "within_deadline": all(d <= args.search_deadline for v in checker.delays.values() for d in v)
                and not lost,
            },
            "load_average_during": sampler.summary(),
            "load_average_after": os.getloadavg(),
            "cpus": os.cpu_count(),
        }
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        if args.out:
            args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        w = figures["writes"]
        ok = (
            figures["server_errors_5xx"] == 0
            and w["questions_not_exactly_once"] == w["answers_not_exactly_once"] == w["votes_missing"] == 0
            and figures["searchable"]["within_deadline"]
        )
        if not ok:
            sys.exit(1)
    finally:
        site.stop()
        drop_cache_keys(args.redis_url, f"lawqa-load-{site.run_id}")
        if not args.keep_database:
            drop_database(args.database_url)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
