"""robots.txt, sitemaps and feeds, mounted at the site root by lawqa/urls.py."""

from django.conf import settings
from django.urls import path
from django.views.decorators.cache import cache_page

from . import feeds, views

app_name = "seo"


def _feed(feed_class):
    return cache_page(settings.LAWQA_FEED_CACHE_SECONDS, key_prefix="feed")(feed_class())


urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>-<id:page>.xml", views.sitemap, name="sitemap"),
    path("feeds/questions/", _feed(feeds.LatestQuestionsFeed), name="feed_questions"),
    path("feeds/questions/atom/", _feed(feeds.LatestQuestionsAtomFeed), name="feed_questions_atom"),
    path("feeds/answers/", _feed(feeds.LatestAnswersFeed), name="feed_answers"),
    path("feeds/answers/atom/", _feed(feeds.LatestAnswersAtomFeed), name="feed_answers_atom"),
    path("feeds/areas/<slug:slug>/", _feed(feeds.AreaQuestionsFeed), name="feed_area"),
    path("feeds/areas/<slug:slug>/atom/", _feed(feeds.AreaQuestionsAtomFeed), name="feed_area_atom"),
    path("feeds/lawyers/<id:user_id>/", _feed(feeds.LawyerAnswersFeed), name="feed_lawyer"),
    path("feeds/lawyers/<id:user_id>/atom/", _feed(feeds.LawyerAnswersAtomFeed), name="feed_lawyer_atom"),
]
