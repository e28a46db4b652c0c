"""legalai services: practice-area prediction, article suggestions, routing to lawyers.

The two models are trained by `manage.py train_legalai` (run by `make setup`) into
var/legalai/ and loaded once per process, on first use; a retrain is picked up when the file
changes. The model modules (numpy, scipy, scikit-learn) are imported lazily too, so importing
this module — which the URLconf does through views and the template tag — stays cheap.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from lawqa.embeddings.texts import digest
from lawqa.legalai.models import MutedArea, Routing, StoredSuggestions

if TYPE_CHECKING:
    from lawqa.legalai.classifier import AreaClassifier
    from lawqa.legalai.suggester import ArticleSuggester, Suggestion

logger = logging.getLogger(__name__)

CLASSIFIER_FILE = "classifier.pkl"
SUGGESTER_FILE = "suggester.pkl"


class ModelNotReady(RuntimeError):
    """The model file is missing or outdated: run `python manage.py train_legalai` (part of
    `make setup`)."""


def model_dir() -> Path:
    return Path(settings.LAWQA_LEGALAI_DIR)


_lock = threading.Lock()
_loaded: dict[str, tuple[float, object]] = {}


def _load(name: str, loader):
    path = model_dir() / name
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise ModelNotReady(f"{path} 不存在，请先运行 python manage.py train_legalai") from None
    cached = _loaded.get(str(path))
    if not (cached and cached[0] == mtime):
        with _lock:
            cached = _loaded.get(str(path))
            if not (cached and cached[0] == mtime):
                try:
                    model = loader(path)
                except ModelNotReady as exc:
                    model = exc  # an outdated file: not read again until it changes
                cached = _loaded[str(path)] = (mtime, model)
                _suggest_cached.cache_clear()
    if isinstance(cached[1], ModelNotReady):
        raise cached[1]
    return cached[1]


def _load_classifier(path: Path) -> AreaClassifier:
    from lawqa.legalai.classifier import AreaClassifier, OutdatedModel

    try:
        return AreaClassifier.load(path)
    except OutdatedModel as exc:
        raise ModelNotReady(str(exc)) from exc


def _load_suggester(path: Path) -> ArticleSuggester:
    from lawqa.legalai.suggester import ArticleSuggester, OutdatedModel
    from lawqa.legalai.training import attach_segmenter

    try:
        return attach_segmenter(ArticleSuggester.load(path))
    except OutdatedModel as exc:
        raise ModelNotReady(str(exc)) from exc


def classifier() -> AreaClassifier:
    return _load(CLASSIFIER_FILE, _load_classifier)


def suggester() -> ArticleSuggester:
    return _load(SUGGESTER_FILE, _load_suggester)


def query_vector(text: str, stamp: str | None):
    """The embedding of a question's text as a query (lawqa.embeddings), for a model trained on
    vectors of the model `stamp`; None when that model is not the installed one or cannot be
    loaded — the caller then works from the words alone (logged once per text)."""
    if stamp is None:
        return None
    from lawqa.legalai.vectors import query_text

    found = _query_vector(query_text(text))
    return found[1] if found is not None and found[0] == stamp else None


@functools.lru_cache(maxsize=256)
def _query_vector(text: str):
    """(model stamp, read-only vector) of `text`: one embedding serves the area and the
    suggestions of the same text (the ask-page assist asks for both)."""
    from lawqa.embeddings import model

    try:
        stamp = model.model_stamp()
        vector = model.embed_query(text)
    except model.ModelUnavailable as exc:
        logger.warning("legalai works from words only: %s", exc)
        return None
    vector.setflags(write=False)
    return stamp, vector


def predict_area(text: str, *, embed: bool = True) -> tuple[str, float]:
    """The practice area name (one of common.areas) for a question's text, with confidence 0–1.
    `embed` False: from the words alone, without embedding the text (a bulk import of
    thousands of questions, where 10–20 ms each would add minutes). Raises ModelNotReady
    before the first `train_legalai`."""
    model = classifier()
    vector = query_vector(text or "", model.vector_stamp) if embed else None
    p = model.predict(text or "", vector=vector)
    return p.area, p.confidence


def suggest_articles(text: str, k: int = 5, *, exclude: tuple[str, ...] = ()) -> list[Suggestion]:
    """The `k` statute articles most likely relevant to `text`, best first. `exclude`: ids of
    known (bundled) questions not to learn from — for evaluation on those very questions."""
    text = (text or "").strip()
    if not text:
        return []
    return list(_suggest_cached(text[:1000], k, exclude))


@functools.lru_cache(maxsize=2048)
def _suggest_cached(text: str, k: int, exclude: tuple[str, ...]) -> tuple[Suggestion, ...]:
    model = suggester()
    vector = query_vector(text, model.vector_stamp)
    return tuple(model.suggest(text, k, exclude=exclude, vector=vector))


def question_text(question) -> str:
    return f"{question.title}\n{question.detail}".strip()


@dataclass(frozen=True)
class LinkedSuggestion:
    """A suggestion with its article row (None when the article is not in the database)."""

    suggestion: Suggestion
    article: object | None

    @property
    def label(self) -> str:
        from lawqa.statutes.library import article_label

        return f"《{self.suggestion.law}》{article_label(self.suggestion.article, self.suggestion.sub)}"


#: Articles stored per question (the page shows 5, the answer-drafting help up to 5).
STORED_K = 5
#: Seconds during which a page view does not record the same ranking job again.
RANK_REQUEST_SECONDS = 600


def models_ready() -> bool:
    """Whether a suggester is trained (a job recorded before that would find nothing to do); a
    look at the file, so a web worker never loads the models just to ask."""
    return (model_dir() / SUGGESTER_FILE).is_file()


def store_suggestions(*, question_id: int) -> bool:
    """Rank the question's suggestions now and store them (replacing older ones): the background
    half of the 可能相关的法律规定 block. Idempotent; False when the question is gone or the
    models are not trained yet."""
    from lawqa.questions.models import Question

    question = Question.objects.filter(pk=question_id).only("pk", "title", "detail").first()
    if question is None:
        return False
    text = question_text(question)
    try:
        found = suggest_articles(text, STORED_K)
    except ModelNotReady:
        return False
    items = [[s.law, s.law_name, s.article, s.sub, round(float(s.score), 6)] for s in found]
    StoredSuggestions.objects.update_or_create(
        question_id=question.pk,
        defaults={"text_hash": digest(text), "items": items, "ranked_at": timezone.now()},
    )
    return True


def request_ranking(question_id: int) -> bool:
    """Record the job that stores a question's suggestions (at most once per
    RANK_REQUEST_SECONDS per question, across nodes through the shared cache). True if recorded."""
    from lawqa.common import taskqueue
    from lawqa.legalai.tasks import task_store_suggestions

    if not models_ready():
        return False
    try:
        if not cache.add(f"legalai:rank:{question_id}", 1, RANK_REQUEST_SECONDS):
            return False
        with transaction.atomic():
            taskqueue.enqueue(task_store_suggestions, question_id)
    except Exception:  # the cache or the task table away: the page goes on without the job
        logger.exception("could not record the ranking job of question %s", question_id)
        return False
    return True


def _stored_row(question) -> StoredSuggestions | None:
    try:
        return question.stored_suggestions  # loaded with the question on the question page
    except StoredSuggestions.DoesNotExist:
        return None


def question_suggestions(question, k: int = 5) -> list[LinkedSuggestion]:
    """The stored suggestions of a question with their article rows (one query, none while
    nothing is stored), for its page and the answer-drafting help. Never ranks: when none are
    stored, or they were ranked for an older text, the ranking job is recorded and the older
    ones (if any) are shown meanwhile."""
    from lawqa.legalai.suggester import Suggestion

    row = _stored_row(question)
    if row is None or row.text_hash != digest(question_text(question)):
        request_ranking(question.pk)
    if row is None:
        return []
    found = [
        Suggestion(law=law, law_name=name, article=number, sub=sub, score=score)
        for law, name, number, sub, score in row.items[:k]
    ]
    return _linked(found)


def forget_stored_suggestions() -> int:
    """Drop every stored ranking (after a retrain: each question is ranked again by the new
    models on its next page view). Returns how many were dropped."""
    return StoredSuggestions.objects.all().delete()[0]


def linked_suggestions(text: str, k: int = 5) -> list[LinkedSuggestion]:
    """Suggestions for a text being typed (the ask page's assist), ranked now — the one caller
    that cannot wait for a job — with their Article rows (one query)."""
    try:
        found = suggest_articles(text, k)
    except ModelNotReady:
        return []
    return _linked(found)


def _linked(found: list[Suggestion]) -> list[LinkedSuggestion]:
    if not found:
        return []
    from lawqa.statutes.models import Article

    cond = Q()
    for s in found:
        cond |= Q(law__name=s.law_name, number=s.article, sub=s.sub)
    rows = Article.objects.filter(cond, law__is_current=True).select_related("law")
    by_key = {(a.law.name, a.number, a.sub): a for a in rows}
    return [LinkedSuggestion(s, by_key.get((s.law_name, s.article, s.sub))) for s in found]


# ---------------------------------------------------------------------------------------------
# Routing


def _day_start() -> dt.datetime:
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def route_question(*, question) -> list[int]:
    """Notify verified lawyers whose practice areas include the question's area: those in the
    asker's province first, then the least-notified today; never the asker, never a lawyer who
    muted the area, never anyone twice for one question; at most
    LAWQA_ROUTING_MAX_PER_QUESTION lawyers per question (over all routings of it) and
    LAWQA_ROUTING_MAX_PER_LAWYER_PER_DAY notifications per lawyer per day.
    Creates Routing rows and notifications (in-site + e-mail). Returns the lawyers' user ids."""
    from lawqa.lawyers.models import LawyerProfile
    from lawqa.notifications.models import Notification
    from lawqa.notifications.services import notify
    from lawqa.questions.models import Question

    question = Question.objects.select_for_update().select_related("category").get(pk=question.pk)
    if question.is_hidden or question.status == Question.Status.CLOSED:
        return []
    per_question = settings.LAWQA_ROUTING_MAX_PER_QUESTION
    per_day = settings.LAWQA_ROUTING_MAX_PER_LAWYER_PER_DAY
    already = set(Routing.objects.filter(question=question).values_list("lawyer_id", flat=True))
    room = per_question - len(already)
    if room <= 0:
        return []
    local = (
        Case(When(province=question.province, then=Value(0)), default=Value(1), output_field=IntegerField())
        if question.province
        else Value(1, output_field=IntegerField())
    )
    muted = MutedArea.objects.filter(category_id=question.category_id).values("lawyer_id")
    candidates = (
        LawyerProfile.objects.filter(
            status=LawyerProfile.Status.VERIFIED, areas=question.category_id, user__is_active=True
        )
        .exclude(user_id=question.asker_id)
        .exclude(user_id__in=already)
        .exclude(user_id__in=muted)
        .annotate(
            today=Count("user__routings", filter=Q(user__routings__created_at__gte=_day_start())),
            local=local,
        )
        .filter(today__lt=per_day)
        .order_by("local", "today", "user_id")
        .values_list("user_id", flat=True)[:room]
    )
    chosen = list(candidates)
    if not chosen:
        return []
    Routing.objects.bulk_create([Routing(question=question, lawyer_id=uid) for uid in chosen])
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(chosen)
    for uid in chosen:
        notify(
            recipient=users[uid],
            kind=Notification.Kind.NEW_QUESTION,
            title=f"【{question.category.name}】新问题待解答：{question.title}",
            url=question.get_absolute_url(),
            question=question,
        )
    logger.info("routed question %s to %d lawyers", question.pk, len(chosen))
    return chosen


@transaction.atomic
def set_muted_areas(*, lawyer, category_ids: list[int]) -> None:
    """Replace `lawyer`'s muted practice areas with `category_ids` (only their own areas)."""
    profile = getattr(lawyer, "lawyer_profile", None)
    allowed = set(profile.areas.values_list("pk", flat=True)) if profile else set()
    wanted = {int(c) for c in category_ids} & allowed
    MutedArea.objects.filter(lawyer=lawyer).exclude(category_id__in=wanted).delete()
    have = set(MutedArea.objects.filter(lawyer=lawyer).values_list("category_id", flat=True))
    MutedArea.objects.bulk_create([MutedArea(lawyer=lawyer, category_id=c) for c in wanted - have])
