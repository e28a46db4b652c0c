"""Issue 13's API acceptance: every page-level action of the site, done once through the pages (a
browser's session) and once through the API with personal access tokens, leaves the same rows.

Two casts of the same four people (asker, lawyer, a second lawyer and a reader) act out the same
story on their own question: ask, answer, 补充问题, 关注, 同问, vote, 追问 and the lawyer's reply, an
answer edit, accept, 评价 and the lawyer's reply to it, report, notifications (one opened, then all
read), notification settings, close, and a token revoked. The site cast uses the pages; the API
cast gets its tokens from the account page and then uses only the API. After each act a snapshot
of everything the story touched (people named by role, no ids or times) must be equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lawqa.accounts.models import AccessToken, User
from lawqa.lawyers.models import LawyerProfile
from lawqa.moderation.models import Report
from lawqa.notifications.models import Notification, NotificationSettings
from lawqa.questions.models import (
    Answer,
    AnswerRating,
    AnswerVote,
    FollowUp,
    Question,
    QuestionFollow,
    QuestionSupplement,
)

from .conftest import TokenClient

TITLE = "公司拖欠三个月工资怎么办？"
DETAIL = "入职两年，公司连续三个月没有发工资，老板说资金紧张。"
ANSWER = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，依据《劳动合同法》第三十条要求支付工资。"
SECOND_ANSWER = "建议先保存考勤记录和工资条等证据，再与公司书面协商，协商不成申请仲裁。"
EDITED = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，依据《劳动合同法》第三十条、第三十八条要求支付工资和经济补偿。"
SUPPLEMENT = "补充：公司最近还在招人，看起来不像真的没钱。"
FOLLOWUP = "仲裁需要准备哪些材料？"
REPLY = "劳动合同、工资条、考勤记录和银行流水。"
RATING_COMMENT = "回答很及时"
RATING_REPLY = "谢谢您的评价，祝顺利。"
REPORT_DETAIL = "回答里有广告"
SECRET = re.compile(r'id="new-token"[^>]*value="(lqa_[A-Za-z0-9_-]{32})"')


class Cast:
    """One cast: the people of the story and how they act (pages or API)."""

    def __init__(self, names: dict[str, User]) -> None:
        self.people = names
        self.roles = {user.pk: role for role, user in names.items()}

    def role(self, user_id: int | None) -> str:
        return self.roles.get(user_id, "outsider")


def snapshot(cast: Cast) -> dict:
    """Everything the story may have touched, for this cast's question (people as roles)."""
    question = Question.objects.filter(asker=cast.people["asker"]).first()
    answers = list(Answer.objects.filter(question=question).order_by("created_at", "id"))
    answer_roles = {a.pk: cast.role(a.lawyer_id) for a in answers}
    people = list(cast.people.values())
    return {
        "question": question
        and {
            "title": question.title,
            "detail": question.detail,
            "area": question.category.slug,
            "province": question.province,
            "anonymous": question.is_anonymous,
            "status": question.status,
            "answer_count": question.answer_count,
            "follower_count": question.follower_count,
            "same_question_count": question.same_question_count,
            "hidden": question.is_hidden,
        },
        "answers": [
            {
                "lawyer": answer_roles[a.pk],
                "body": a.body,
                "body_html": a.body_html,
                "accepted": a.is_accepted,
                "helpful": a.helpful_count,
                "edited": a.edited_at is not None,
                "revisions": [r.body for r in a.revisions.order_by("number")],
                "citations": sorted((c.status, c.article_id) for c in a.citations.all()),
            }
            for a in answers
        ],
        "supplements": list(
            QuestionSupplement.objects.filter(question=question).values_list("body", flat=True)
        ),
        "followups": [
            (answer_roles[f.answer_id], f.kind, cast.role(f.author_id), f.body)
            for f in FollowUp.objects.filter(answer__question=question).order_by("created_at", "id")
        ],
        "votes": sorted(
            (answer_roles[v.answer_id], cast.role(v.user_id))
            for v in AnswerVote.objects.filter(answer__question=question)
        ),
        "follows": sorted(
            (cast.role(f.user_id), f.notify, f.same_question)
            for f in QuestionFollow.objects.filter(question=question)
        ),
        "ratings": [
            (answer_roles[r.answer_id], r.score, r.comment, r.reply)
            for r in AnswerRating.objects.filter(answer__question=question)
        ],
        "reports": sorted(
            (cast.role(r.reporter_id), "answer" if r.answer_id else "question", r.reason, r.detail, r.status)
            for r in Report.objects.filter(reporter__in=people)
        ),
        "notifications": sorted(
            (cast.role(n.recipient_id), n.kind, n.event_key.split(":")[0], n.read_at is not None)
            for n in Notification.objects.filter(recipient__in=people)
        ),
        "email_modes": sorted(
            (cast.role(s.user_id), s.email_mode) for s in NotificationSettings.objects.filter(user__in=people)
        ),
        "tokens": sorted(
            (cast.role(t.user_id), t.name, t.scope, t.revoked_at is not None)
            for t in AccessToken.objects.filter(user__in=people)
        ),
        "lawyers": sorted(
            (
                cast.role(p.user_id),
                p.helped_count,
                p.answer_count,
                p.accepted_count,
                p.rating_satisfied,
                p.rating_neutral,
                p.rating_unsatisfied,
            )
            for p in LawyerProfile.objects.filter(user__in=people)
        ),
    }


def _ok(response, *statuses: int):
    assert response.status_code in statuses, (response.status_code, response.content.decode()[:300])
    return response


class Site:
    """The story through the pages, each person signed in in their own browser."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.browsers: dict[str, Client] = {}
        for role, user in cast.people.items():
            browser = Client()
            browser.force_login(user)
            self.browsers[role] = browser

    def post(self, role: str, url: str, data: dict | None = None):
        return _ok(self.browsers[role].post(url, data or {}), 200, 302)

    def question(self) -> Question:
        return Question.objects.get(asker=self.cast.people["asker"])

    def answer_of(self, role: str) -> Answer:
        return Answer.objects.get(question=self.question(), lawyer=self.cast.people[role])

    def create_tokens(self) -> None:
        for role in self.cast.people:
            self.post(
                role,
                reverse("accounts:create_token"),
                {"name": "程序", "scope": "write", "expires_in_days": "30"},
            )

    def ask(self) -> None:
        self.post(
            "asker",
            reverse("questions:ask"),
            {"title": TITLE, "detail": DETAIL, "category": "labor", "province": "", "is_anonymous": ""},
        )

    def answer(self, role: str, body: str) -> None:
        self.post(role, reverse("questions:answer", args=[self.question().pk]), {"body": body})

    def supplement(self) -> None:
        self.post("asker", reverse("questions:supplement", args=[self.question().pk]), {"body": SUPPLEMENT})

    def follow(self, action: str) -> None:
        self.post("reader", reverse("questions:follow", args=[self.question().pk]), {"action": action})

    def vote(self, role: str, answerer: str) -> None:
        self.post(role, reverse("questions:vote", args=[self.answer_of(answerer).pk]))

    def followup(self, role: str, body: str) -> None:
        self.post(role, reverse("questions:followup", args=[self.answer_of("lawyer").pk]), {"body": body})

    def edit(self) -> None:
        self.post(
            "lawyer", reverse("questions:edit_answer", args=[self.answer_of("lawyer").pk]), {"body": EDITED}
        )

    def accept(self) -> None:
        self.post("asker", reverse("questions:accept", args=[self.answer_of("lawyer").pk]))

    def rate(self) -> None:
        self.post(
            "asker",
            reverse("questions:rate", args=[self.answer_of("lawyer").pk]),
            {"score": "satisfied", "comment": RATING_COMMENT},
        )

    def reply_to_rating(self) -> None:
        self.post(
            "lawyer",
            reverse("questions:rating_reply", args=[self.answer_of("lawyer").pk]),
            {"body": RATING_REPLY},
        )

    def report(self) -> None:
        self.post(
            "reader",
            reverse("moderation:report", args=["answer", self.answer_of("lawyer2").pk]),
            {"reason": "spam", "detail": REPORT_DETAIL},
        )

    def read_one_notification(self) -> None:
        note = (
            Notification.objects.filter(recipient=self.cast.people["asker"])
            .order_by("created_at", "id")
            .first()
        )
        _ok(self.browsers["asker"].get(reverse("notifications:open", args=[note.pk])), 302)

    def read_all_notifications(self) -> None:
        self.post("lawyer", reverse("notifications:read_all"))

    def email_mode(self) -> None:
        self.post("reader", reverse("notifications:settings"), {"email_mode": "daily"})

    def close(self) -> None:
        self.post("asker", reverse("questions:close", args=[self.question().pk]))

    def revoke_token(self) -> None:
        token = AccessToken.objects.get(user=self.cast.people["reader"])
        self.post("reader", reverse("accounts:revoke_token", args=[token.pk]))


class Api(Site):
    """The same story through the API, each person with the write token they made on the account
    page (the one page step: the secret is shown there once)."""

    def create_tokens(self) -> None:
        self.programs: dict[str, TokenClient] = {}
        for role in self.cast.people:
            page = self.post(
                role,
                reverse("accounts:create_token"),
                {"name": "程序", "scope": "write", "expires_in_days": "30"},
            )
            self.programs[role] = TokenClient(SECRET.search(page.content.decode()).group(1))

    def call(self, role: str, method: str, path: str, payload: dict | None = None):
        return _ok(self.programs[role].call(method, path, payload), 200, 201)

    def ask(self) -> None:
        self.call("asker", "post", "/questions", {"title": TITLE, "detail": DETAIL, "area": "labor"})

    def answer(self, role: str, body: str) -> None:
        self.call(role, "post", f"/questions/{self.question().pk}/answers", {"body": body})

    def supplement(self) -> None:
        self.call("asker", "post", f"/questions/{self.question().pk}/supplements", {"body": SUPPLEMENT})

    def follow(self, action: str) -> None:
        path = {"follow": "follow", "same": "same"}[action]
        self.call("reader", "post", f"/questions/{self.question().pk}/{path}")

    def vote(self, role: str, answerer: str) -> None:
        self.call(role, "post", f"/answers/{self.answer_of(answerer).pk}/vote")

    def followup(self, role: str, body: str) -> None:
        self.call(role, "post", f"/answers/{self.answer_of('lawyer').pk}/followups", {"body": body})

    def edit(self) -> None:
        self.call("lawyer", "patch", f"/answers/{self.answer_of('lawyer').pk}", {"body": EDITED})

    def accept(self) -> None:
        self.call("asker", "post", f"/answers/{self.answer_of('lawyer').pk}/accept", {})

    def rate(self) -> None:
        self.call(
            "asker",
            "post",
            f"/answers/{self.answer_of('lawyer').pk}/rating",
            {"score": "satisfied", "comment": RATING_COMMENT},
        )

    def reply_to_rating(self) -> None:
        self.call(
            "lawyer", "post", f"/answers/{self.answer_of('lawyer').pk}/rating/reply", {"body": RATING_REPLY}
        )

    def report(self) -> None:
        self.call(
            "reader",
            "post",
            "/reports",
            {
                "target": "answer",
                "id": self.answer_of("lawyer2").pk,
                "reason": "spam",
                "detail": REPORT_DETAIL,
            },
        )

    def read_one_notification(self) -> None:
        note = (
            Notification.objects.filter(recipient=self.cast.people["asker"])
            .order_by("created_at", "id")
            .first()
        )
        self.call("asker", "post", f"/notifications/{note.pk}/read")

    def read_all_notifications(self) -> None:
        self.call("lawyer", "post", "/notifications/read-all")

    def email_mode(self) -> None:
        self.call("reader", "put", "/notifications/settings", {"email_mode": "daily"})

    def close(self) -> None:
        self.call("asker", "post", f"/questions/{self.question().pk}/close")

    def revoke_token(self) -> None:
        token = AccessToken.objects.get(user=self.cast.people["reader"])
        self.call("reader", "delete", f"/me/tokens/{token.pk}")


# The story: (name of the act, what it does).
STORY: list[tuple[str, Callable[[Site], None]]] = [
    ("tokens", lambda s: s.create_tokens()),
    ("ask", lambda s: s.ask()),
    ("answer", lambda s: s.answer("lawyer", ANSWER)),
    ("second answer", lambda s: s.answer("lawyer2", SECOND_ANSWER)),
    ("supplement", lambda s: s.supplement()),
    ("follow", lambda s: s.follow("follow")),
    ("same question", lambda s: s.follow("same")),
    ("vote", lambda s: s.vote("reader", "lawyer")),
    ("vote by a lawyer", lambda s: s.vote("lawyer2", "lawyer")),
    ("vote withdrawn", lambda s: s.vote("lawyer2", "lawyer")),
    ("follow-up", lambda s: s.followup("asker", FOLLOWUP)),
    ("reply", lambda s: s.followup("lawyer", REPLY)),
    ("answer edit", lambda s: s.edit()),
    ("accept", lambda s: s.accept()),
    ("rate", lambda s: s.rate()),
    ("rating reply", lambda s: s.reply_to_rating()),
    ("report", lambda s: s.report()),
    ("notification read", lambda s: s.read_one_notification()),
    ("all notifications read", lambda s: s.read_all_notifications()),
    ("notification settings", lambda s: s.email_mode()),
    ("close", lambda s: s.close()),
    ("token revoke", lambda s: s.revoke_token()),
]


@pytest.fixture
def casts(settings, make_user, make_lawyer, statutes):
    settings.LAWQA_RATE_LIMITS = dict.fromkeys(settings.LAWQA_RATE_LIMITS, (1000, 3600))

    def cast(n: int) -> Cast:
        return Cast(
            {
                "asker": make_user(nickname=f"提问人{n}", province="浙江"),
                "lawyer": make_lawyer(),
                "lawyer2": make_lawyer(),
                "reader": make_user(nickname=f"读者{n}"),
            }
        )

    return cast(1), cast(2)


def test_every_page_action_has_the_same_effect_through_the_api(casts, django_capture_on_commit_callbacks):
    site_cast, api_cast = casts
    site, api = Site(site_cast), Api(api_cast)

    for act, do in STORY:
        for actors in (site, api):
            # Run the background tasks each act records (routing, notices), as after a commit.
            with django_capture_on_commit_callbacks(execute=True):
                do(actors)
        assert snapshot(api_cast) == snapshot(site_cast), act

    final = snapshot(api_cast)
    # The story really happened (the snapshots are not equal because nothing changed).
    assert final["question"]["status"] == "closed"
    assert final["answers"][0]["accepted"] and final["answers"][0]["revisions"] == [ANSWER, EDITED]
    assert final["followups"] == [
        ("lawyer", "question", "asker", FOLLOWUP),
        ("lawyer", "reply", "lawyer", REPLY),
    ]
    assert final["ratings"] == [("lawyer", "satisfied", RATING_COMMENT, RATING_REPLY)]
    assert final["votes"] == [("lawyer", "reader")]
    assert final["follows"] == [("reader", True, True)]
    assert final["reports"] == [("reader", "answer", "spam", REPORT_DETAIL, "open")]
    assert ("reader", "daily") in final["email_modes"]
    assert [t[3] for t in final["tokens"] if t[0] == "reader"] == [True]
    notices = final["notifications"]
    assert [(kind, read) for role, kind, _, read in notices if role == "asker"] == [
        ("new_answer", False),
        ("new_answer", True),
    ]
    assert {kind for role, kind, _, _ in notices if role == "lawyer"} == {
        "new_question",
        "supplement",
        "rating",
    }
    assert all(read for role, *_, read in notices if role == "lawyer")
    assert not any(read for role, *_, read in notices if role == "lawyer2")
