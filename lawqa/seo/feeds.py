"""RSS 2.0 and Atom 1.0 feeds (django.contrib.syndication): newest questions, newest questions of a
practice area, newest lawyers' answers, and one lawyer's answers.

Items carry the stored public text, which is masked when it is written (privacy.masking); an
anonymous asker is 匿名用户 here as on the page. Every feed is one query.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks

from lawqa.lawyers.models import LawyerProfile
from lawqa.questions.models import Answer, Category, Question

from . import queries

SITE = "法问"


def _html(text: str) -> str:
    """Plain stored text as the escaped HTML a feed reader shows (paragraphs and line breaks)."""
    return linebreaks(text, autoescape=True)


def lawyer_name(answer: Answer) -> str:
    profile = getattr(answer.lawyer, "lawyer_profile", None)
    return profile.real_name if profile else answer.lawyer.display_name


class QuestionItems:
    """Item fields of a feed of questions."""

    language = "zh-CN"

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        return _html(item.detail or item.title)

    def item_link(self, item: Question) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Question):
        return item.created_at

    def item_updateddate(self, item: Question):
        return item.updated_at

    def item_author_name(self, item: Question) -> str:
        return item.asker_display

    def item_categories(self, item: Question) -> list[str]:
        return [item.category.name]


class AnswerItems:
    """Item fields of a feed of answers: the question's title, the answer's text."""

    language = "zh-CN"

    def item_title(self, item: Answer) -> str:
        return f"{lawyer_name(item)}律师回答：{item.question.title}"

    def item_description(self, item: Answer) -> str:
        return _html(item.body)

    def item_link(self, item: Answer) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Answer):
        return item.created_at

    def item_updateddate(self, item: Answer):
        return item.updated_at

    def item_author_name(self, item: Answer) -> str:
        return lawyer_name(item)

    def item_categories(self, item: Answer) -> list[str]:
        return [item.question.category.name]


class LatestQuestionsFeed(QuestionItems, Feed):
    feed_type = Rss201rev2Feed
    title = f"{SITE}：最新法律问题"
    description = subtitle = "网友最新提出的法律问题，执业律师在线解答。"

    def link(self) -> str:
        return reverse("home")

    def items(self) -> list[Question]:
        return queries.latest_questions()


class LatestQuestionsAtomFeed(LatestQuestionsFeed):
    feed_type = Atom1Feed


class AreaQuestionsFeed(QuestionItems, Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug)

    def title(self, obj: Category) -> str:
        return f"{SITE}：{obj.name}最新问题"

    def description(self, obj: Category) -> str:
        return f"{obj.name}领域网友最新提出的法律问题。{obj.description}"

    subtitle = description

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Category) -> list[Question]:
        return queries.area_latest_questions(obj)


class AreaQuestionsAtomFeed(AreaQuestionsFeed):
    feed_type = Atom1Feed


class LatestAnswersFeed(AnswerItems, Feed):
    """Newly answered: the newest published answers, each linking to its place on the question page."""

    feed_type = Rss201rev2Feed
    title = f"{SITE}：最新律师解答"
    description = subtitle = "执业律师最新发布的解答。"

    def link(self) -> str:
        return reverse("home")

    def items(self) -> list[Answer]:
        return queries.latest_answers()


class LatestAnswersAtomFeed(LatestAnswersFeed):
    feed_type = Atom1Feed


class LawyerAnswersFeed(AnswerItems, Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, user_id: int) -> LawyerProfile:
        try:
            return queries.feed_lawyer(user_id)
        except LawyerProfile.DoesNotExist:
            raise Http404("该律师不存在或尚未通过认证") from None

    def title(self, obj: LawyerProfile) -> str:
        return f"{SITE}：{obj.real_name}律师的解答"

    def description(self, obj: LawyerProfile) -> str:
        return f"{obj.firm}{obj.real_name}律师在{SITE}发布的最新解答。"

    subtitle = description

    def link(self, obj: LawyerProfile) -> str:
        return obj.get_absolute_url()

    def items(self, obj: LawyerProfile) -> list[Answer]:
        return queries.lawyer_latest_answers(obj.user_id)


class LawyerAnswersAtomFeed(LawyerAnswersFeed):
    feed_type = Atom1Feed
