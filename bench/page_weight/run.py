"""Page weight: the bytes a first visit to a question page downloads on a phone, measured in Chromium.

Serves the site the way production does — `manage.py collectstatic`, then gunicorn with `DEBUG` off,
static files from WhiteNoise — out of a copy of an existing set-up `var/` (so `var/` itself is never
written), opens one question page in headless Chromium (Playwright, Debian's /usr/bin/chromium) with an
empty cache at a 390 px phone viewport, and lists every response: what went over the wire (the encoded
body as Chromium received it, plus headers), the decoded size, the content encoding and the
Cache-Control header. Totals are by kind: HTML, CSS, JS, fonts, other.

It does this twice on the same data: "before" with `baseline_settings.py` (static files under plain
names, nothing compressed: the settings before issue 13) and "after" with the real settings.

    .venv/bin/python bench/page_weight/run.py [--var-dir DIR] [--question ID] [--only before|after]
                                              [--out results.json]

--var-dir: a set-up var/ to copy (default: ./var, after `make setup`). --question: the question to open
(default: the visible question with the most visible answers). Needs /usr/bin/chromium
(apt-get install chromium fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36"
)
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "fonts"}
# Which settings each measurement serves with (baseline_settings is importable from this folder).
CONFIGS = {"before": "baseline_settings", "after": "lawqa.settings"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var", help="set-up var/ to copy")
    parser.add_argument("--question", type=int, help="question id (default: the most-answered one)")
    parser.add_argument("--chromium", default=os.environ.get("LAWQA_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--only", choices=sorted(CONFIGS), help="measure one configuration only")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_var(source: Path) -> Path:
    """A private copy of the database, index and models: collectstatic and the page view write there."""
    if not (source / "lawqa.sqlite3").exists():
        sys.exit(f"{source} has no lawqa.sqlite3: run `make setup` first or pass --var-dir")
    work = Path(tempfile.mkdtemp(prefix="lawqa-bench-weight-"))
    shutil.copytree(source, work / "var", ignore=shutil.ignore_patterns("static", "*.lock"))
    return work / "var"


def pick_question(env: dict[str, str], question_id: int | None) -> str:
    """The question page's canonical path, asked of Django in a child process (same settings)."""
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Count, Q\n"
        "from lawqa.questions.models import Question\n"
        "qs = Question.objects.visible()\n"
        f"qid = {question_id!r}\n"
        "q = qs.get(pk=qid) if qid else qs.annotate(n=Count('answers', filter=Q(answers__is_hidden=False)))"
        ".order_by('-n', 'id').first()\n"
        "print(q.get_absolute_url())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited before serving")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {timeout:.0f} s")


def measure(url: str, chromium: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, headless=True, args=["--disable-gpu", "--disable-quic"]
        )
        context = browser.new_context(
            viewport=PHONE,
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            user_agent=PHONE_UA,
            locale="zh-CN",
        )
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        for response in responses:
            sizes = response.request.sizes()
            try:
                decoded = len(response.body())
            except Exception:  # noqa: BLE001 — redirects have no body to read
                decoded = 0
            headers = response.headers
            rows.append(
                {
                    "url": response.url.removeprefix(url.split("/questions/")[0]),
                    "kind": KINDS.get(response.request.resource_type, "other"),
                    "status": response.status,
                    "wire_bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    "body_bytes": sizes["responseBodySize"],
                    "decoded_bytes": decoded,
                    "encoding": headers.get("content-encoding", ""),
                    "cache_control": headers.get("cache-control", ""),
                }
            )
        browser.close()
    return rows


def report(rows: list[dict]) -> dict:
    print(
        f"{'kind':6} {'status':>6} {'wire B':>8} {'body B':>8} {'decoded B':>9} {'enc':5} cache-control  url"
    )
    for r in rows:
        print(
            f"{r['kind']:6} {r['status']:>6} {r['wire_bytes']:>8} {r['body_bytes']:>8} {r['decoded_bytes']:>9}"
            f" {r['encoding'] or '-':5} {r['cache_control'] or '-'}  {r['url'][:70]}"
        )
    totals: dict[str, dict[str, int]] = {}
    for r in rows:
        t = totals.setdefault(r["kind"], {"requests": 0, "wire_bytes": 0, "decoded_bytes": 0})
        t["requests"] += 1
        t["wire_bytes"] += r["wire_bytes"]
        t["decoded_bytes"] += r["decoded_bytes"]
    all_wire = sum(t["wire_bytes"] for t in totals.values())
    all_decoded = sum(t["decoded_bytes"] for t in totals.values())
    print("\n| kind | requests | over the wire (B) | decoded (B) |\n|---|---:|---:|---:|")
    for kind in ("HTML", "CSS", "JS", "fonts", "other"):
        t = totals.get(kind, {"requests": 0, "wire_bytes": 0, "decoded_bytes": 0})
        print(f"| {kind} | {t['requests']} | {t['wire_bytes']:,} | {t['decoded_bytes']:,} |")
    print(f"| total | {len(rows)} | {all_wire:,} | {all_decoded:,} |")
    return {"totals": totals, "wire_bytes": all_wire, "decoded_bytes": all_decoded}


def serve_and_measure(env: dict[str, str], question_id: int | None, chromium: str) -> dict:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    path = pick_question(env, question_id)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "lawqa.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/", server)
        print(f"question page {path} at 390 px (empty cache), settings {env['DJANGO_SETTINGS_MODULE']}\n")
        rows = measure(base + path, chromium)
        return {"page": path, "rows": rows, **report(rows)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    args = parse_args()
    if not Path(args.chromium).exists():
        sys.exit(f"{args.chromium} is not installed (apt-get install -y chromium fonts-wqy-microhei)")
    var = copy_var(args.var_dir)
    results = {}
    try:
        for name, settings_module in CONFIGS.items():
            if args.only and name != args.only:
                continue
            env = {
                **os.environ,
                "LAWQA_VAR_DIR": str(var),
                "DJANGO_DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": settings_module,
                "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), str(ROOT)])),
                "LAWQA_LOG_LEVEL": "WARNING",
            }
            env.pop("DATABASE_URL", None)
            print(f"\n== {name} ==")
            results[name] = serve_and_measure(env, args.question, args.chromium)
    finally:
        shutil.rmtree(var.parent, ignore_errors=True)
    if len(results) == 2:
        before, after = results["before"]["wire_bytes"], results["after"]["wire_bytes"]
        print(f"\nover the wire: before {before:,} B, after {after:,} B ({after / before:.0%})")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
