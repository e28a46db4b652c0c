"""Locust users of the two-node load test (bench/load/cluster.py starts everything; see README).

Each simulated user signs in as an asker or a verified lawyer on one of the nodes (users are
spread over the nodes) and then, with no think time beyond a short random pause, does 90 % page
reads — question pages, home, practice-area pages (first and deep pages), the lawyer directory,
search — and 10 % writes: an asker asks a question or votes an answer 有帮助, a lawyer answers a
question or votes. Writes are single POSTs with the form's CSRF token, as a browser sends them,
never retried; a write counts as acknowledged when the site answers with its redirect (302) to
the new question or answer (a write answered otherwise is logged as "unacknowledged", with its
status, and counted). Every acknowledged write is appended to LOAD_ACKS (JSON lines) with
the moment it was acknowledged and, for questions and answers, the unique token its text
carries; cluster.py checks them against the database and both nodes' search afterwards.

Configured by cluster.py through the environment: LOAD_NODES (comma-separated base URLs),
LOAD_TARGETS (JSON: accounts, question paths, answer ids, area slugs, texts), LOAD_ACKS,
LOAD_STATUS (where the count of responses per status code is written at the end).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import threading
import time
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

NODES = os.environ["LOAD_NODES"].split(",")
TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text(encoding="utf-8"))
ACKS = open(os.environ["LOAD_ACKS"], "a", encoding="utf-8")  # noqa: SIM115 - appended to until locust exits
STATUS: Counter[str] = Counter()
ANSWER_RE = re.compile(r"#answer-(\d+)$")
QUESTION_RE = re.compile(r"/questions/(\d+)-")
SEARCH_WORDS = [
    "拖欠工资",
    "离婚财产分割",
    "交通事故赔偿",
    "借条",
    "劳动仲裁",
    "租房押金",
    "工伤认定",
    "抚养费",
]

_next_account = itertools.count()
_lock = threading.Lock()
questions = list(TARGETS["questions"])  # grows with the questions asked during the run


def ack(kind: str, **fields) -> None:
    with _lock:
        ACKS.write(json.dumps({"kind": kind, "t": time.time(), **fields}, ensure_ascii=False) + "\n")
        ACKS.flush()


@events.request.add_listener
def _count_status(response=None, **_kwargs) -> None:
    STATUS[str(getattr(response, "status_code", 0) or "no response")] += 1


@events.quitting.add_listener
def _write_status(**_kwargs) -> None:
    with open(os.environ["LOAD_STATUS"], "w", encoding="utf-8") as out:
        json.dump(dict(STATUS), out)


class SiteUser(HttpUser):
    """An asker or a lawyer (alternately) signed in on one node."""

    host = NODES[0]
    wait_time = between(0.05, 0.3)

    def on_start(self) -> None:
        n = next(_next_account)
        self.client.base_url = NODES[n % len(NODES)]
        self.node = self.client.base_url
        self.is_lawyer = n % 2 == 1
        pool = TARGETS["lawyers"] if self.is_lawyer else TARGETS["askers"]
        self.username = pool[(n // 2) % len(pool)]
        self.voted: set[int] = set()
        self.answered: set[int] = set()
        page = self.client.get("/account/login/", name="login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.client.post(
            "/account/login/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": TARGETS["password"]},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {self.username} on {self.node}: HTTP {response.status_code}")

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    # --- reads (90 %) ---------------------------------------------------------------------------

    @task(45)
    def question_page(self) -> None:
        self.client.get(random.choice(questions), name="question page")

    @task(10)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(10)
    def area_page(self) -> None:
        self.client.get(f"/areas/{random.choice(TARGETS['areas'])}/", name="area page 1")

    @task(5)
    def area_deep_page(self) -> None:
        self.client.get(
            f"/areas/{random.choice(TARGETS['areas'])}/?page={TARGETS['deep_page']}", name="area deep page"
        )

    @task(10)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(SEARCH_WORDS)}, name="search")

    @task(10)
    def directory(self) -> None:
        self.client.get("/lawyers/", name="lawyer directory")

    # --- writes (10 %) --------------------------------------------------------------------------

    @task(10)
    def write(self) -> None:
        roll = random.random()
        if roll < 0.6:
            self.answer() if self.is_lawyer else self.ask()
        else:
            self.vote()

    def ask(self) -> None:
        token = "yc" + secrets.token_hex(5)
        title, detail = random.choice(TARGETS["texts"])
        form = {
            "csrfmiddlewaretoken": self._csrf(),
            "title": f"{title[:36]} {token}",
            "detail": detail,
            "category": random.choice(TARGETS["areas"]),
            "province": "",
            "masking_seen": "1",
        }
        response = self.client.post("/questions/ask/", form, name="ask (POST)", allow_redirects=False)
        found = (
            QUESTION_RE.search(response.headers.get("Location", "")) if response.status_code == 302 else None
        )
        if found:
            ack("ask", token=token, question=int(found.group(1)), node=self.node)
            questions.append(response.headers["Location"])
        else:
            ack("unacknowledged", write="ask", status=response.status_code, token=token, node=self.node)

    def answer(self) -> None:
        path = random.choice(questions)
        found = QUESTION_RE.search(path)
        if not found or int(found.group(1)) in self.answered:
            return
        question_id = int(found.group(1))
        self.answered.add(question_id)
        token = "yc" + secrets.token_hex(5)
        body = f"{random.choice(TARGETS['answers'])}\n\n（编号 {token}）"
        response = self.client.post(
            f"/questions/{question_id}/answer/",
            {"csrfmiddlewaretoken": self._csrf(), "body": body, "masking_seen": "1"},
            name="answer (POST)",
            allow_redirects=False,
        )
        location = response.headers.get("Location", "") if response.status_code == 302 else ""
        got = ANSWER_RE.search(location)
        if got:
            ack("answer", token=token, question=question_id, answer=int(got.group(1)), node=self.node)
        else:
            ack("unacknowledged", write="answer", status=response.status_code, token=token, node=self.node)

    def vote(self) -> None:
        answer_id = random.choice(TARGETS["answer_ids"])
        if answer_id in self.voted:
            return
        self.voted.add(answer_id)
        response = self.client.post(
            f"/answers/{answer_id}/vote/",
            {"csrfmiddlewaretoken": self._csrf()},
            name="vote (POST)",
            allow_redirects=False,
        )
        if response.status_code == 302:
            ack("vote", answer=answer_id, user=self.username, node=self.node)
        else:
            ack("unacknowledged", write="vote", status=response.status_code, answer=answer_id, node=self.node)
