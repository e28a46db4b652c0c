"""Load test: C concurrent clients each post Q questions through the ask form of a real server.

By default the script starts its own server on loopback: a throwaway SQLite database (WAL) in a
temporary LAWQA_VAR_DIR, migrated, with C users; then gunicorn (gthread workers) with
bench/load/bench_settings.py, which is lawqa.settings with the write rate limits lifted (one IP
posting 1,000 questions an hour is exactly what production refuses, and tests check that).
Each client logs in through the login form, then all start together and post their questions
one after another through /questions/ask/ with the CSRF token, as a browser does; no retries, so a
lost or doubled write would show. Afterwards the database is read back: every question must be
stored exactly once, and no response may be a 5xx.

    .venv/bin/python bench/load/run.py [--clients 20] [--per-client 50] [--workers 4] [--threads 4]
                                       [--url http://127.0.0.1:8000 --var-dir DIR] [--out results.json]

With --url the script uses a server you started yourself (with DJANGO_SETTINGS_MODULE=bench_settings
and PYTHONPATH=bench/load, and LAWQA_VAR_DIR=DIR so it can create users and count rows).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PASSWORD = "Load-Test-2024!"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DETAILS = [
    "入职两年，公司连续三个月没有发工资，老板说资金紧张让再等等。",
    "试用期第二个月被通知不用来了，没有任何书面说明，也没有补偿。",
    "朋友借了五万元，写了借条，约定半年还，现在已经过去一年了。",
    "租房合同还有四个月到期，房东要卖房让我们提前搬走，押金不退。",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--per-client", type=int, default=50, help="questions each client posts (default 50)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--var-dir", type=Path, help="LAWQA_VAR_DIR of the server (kept when given)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    return parser.parse_args()


# --- the server -----------------------------------------------------------------------------
def server_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LAWQA_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT)]),
        LAWQA_VAR_DIR=str(var_dir),
        LAWQA_LOG_LEVEL="WARNING",
    )
    return env


def manage(var_dir: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=server_env(var_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(var_dir: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "lawqa.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=server_env(var_dir), cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/account/login/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("server did not come up within 60 s")


# --- one client -----------------------------------------------------------------------------
class Browser:
    """Just enough of a browser: cookies and the CSRF token. One connection per request and no
    retries, so that a request is sent exactly once and a lost or doubled write shows."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), text

    def login(self, username: str) -> None:
        _, _, html = self.request("GET", "/account/login/")
        token = CSRF_RE.search(html).group(1)
        status, _, _ = self.request(
            "POST",
            "/account/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        if status != 302:
            raise SystemExit(f"login of {username} failed with HTTP {status}")

    def register(self, username: str) -> None:
        _, _, html = self.request("GET", "/account/register/")
        token = CSRF_RE.search(html).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        status, _, _ = self.request("POST", "/account/register/", form)
        if status != 302:
            raise SystemExit(f"registration of {username} failed with HTTP {status}")


def client_run(n: int, args, run_id: str, host: str, port: int, start: threading.Barrier, out: list) -> None:
    browser = Browser(host, port)
    username = f"load{run_id}c{n:02d}"
    if args.url:
        browser.register(username)
    else:
        browser.login(username)
    start.wait()
    for q in range(args.per_client):
        form = {
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "title": f"压测{run_id}-c{n:02d}-q{q:02d}：被拖欠工资可以申请劳动仲裁吗",
            "detail": DETAILS[q % len(DETAILS)],
            "category": "labor",
            "province": "",
            "masking_seen": "1",
        }
        began = time.perf_counter()
        try:
            status, headers, _ = browser.request("POST", "/questions/ask/", form)
        except OSError as error:
            out.append({"client": n, "q": q, "status": None, "error": repr(error), "seconds": None})
            continue
        out.append({"client": n, "q": q, "status": status, "seconds": time.perf_counter() - began,
                    "location": headers.get("Location", "")})  # fmt: skip


# --- reading back ---------------------------------------------------------------------------
COUNT_SCRIPT = """
import collections, json, re, django
django.setup()
from django.db import connection
from lawqa.questions.models import Question
titles = list(Question.objects.filter(title__startswith="压测{run_id}-").values_list("title", flat=True))
keys = collections.Counter(re.match(r"压测{run_id}-(c\\d+-q\\d+)", t).group(1) for t in titles)
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode")
    mode = c.fetchone()[0]
print(json.dumps({{"rows": len(titles), "distinct": len(keys), "duplicates": sum(v - 1 for v in keys.values()),
                  "journal_mode": mode}}))
"""


def stored(var_dir: Path, run_id: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_SCRIPT.format(run_id=run_id)],
        env=server_env(var_dir), cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    args = parse_args()
    run_id = secrets.token_hex(3)
    owned_dir = args.var_dir is None
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="lawqa-load-"))
    server = None
    try:
        if args.url:
            parsed = urllib.parse.urlparse(args.url)
            host, port = parsed.hostname, parsed.port or 80
        else:
            print(f"preparing database in {var_dir} …", file=sys.stderr)
            manage(var_dir, "migrate", "--no-input")
            users = [f"load{run_id}c{n:02d}" for n in range(args.clients)]
            manage(var_dir, "shell", "-c", (
                "from lawqa.accounts.models import User\n"
                f"for name in {users!r}: User.objects.create_user(username=name, password={PASSWORD!r})"
            ))  # fmt: skip
            host, port = "127.0.0.1", free_port()
            server = start_server(var_dir, port, args.workers, args.threads)
        results: list[dict] = []
        start = threading.Barrier(args.clients + 1)
        threads = [
            threading.Thread(target=client_run, args=(n, args, run_id, host, port, start, results))
            for n in range(args.clients)
        ]
        for t in threads:
            t.start()
        start.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
        statuses: dict[str, int] = {}
        for r in results:
            statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
        ok = [r["seconds"] for r in results if r["status"] == 302 and "/questions/" in r["location"]]
        db = stored(var_dir, run_id)
        expected = args.clients * args.per_client
        figures = {
            "clients": args.clients,
            "questions_per_client": args.per_client,
            "server": "external" if args.url else f"gunicorn gthread {args.workers}x{args.threads}",
            "requests": len(results),
            "statuses": statuses,
            "server_errors_5xx": sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500),
            "transport_errors": statuses.get("None", 0),
            "stored_rows": db["rows"],
            "stored_distinct": db["distinct"],
            "duplicates": db["duplicates"],
            "journal_mode": db["journal_mode"],
            "all_stored_exactly_once": db["rows"] == db["distinct"] == expected,
            "wall_seconds": round(wall, 2),
            "throughput_per_second": round(len(ok) / wall, 1),
            "latency_ms": {
                "p50": round(statistics.median(ok) * 1000, 1) if ok else None,
                "p95": round(percentile(ok, 95) * 1000, 1) if ok else None,
                "p99": round(percentile(ok, 99) * 1000, 1) if ok else None,
                "max": round(max(ok) * 1000, 1) if ok else None,
            },
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
        }
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        if args.out:
            args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if (
            not figures["all_stored_exactly_once"]
            or figures["server_errors_5xx"]
            or figures["transport_errors"]
        ):
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if owned_dir:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
