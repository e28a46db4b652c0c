"""Shared fixtures: users in every role, a verified lawyer, questions and answers."""

import importlib

import pytest
from django.core.cache import cache

from lawqa.accounts.models import User
from lawqa.lawyers import services as lawyer_services
from lawqa.lawyers.models import LawyerProfile
from lawqa.questions import services as question_services
from lawqa.questions.models import Category


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def area(db) -> Category:
    return Category.objects.get(slug="labor")


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(role: str = User.Role.ASKER, **extra) -> User:
        n = next(counter)
        return User.objects.create_user(username=f"user{n:04d}", password="pw-Secret-123", role=role, **extra)

    return make


@pytest.fixture
def asker(make_user) -> User:
    return make_user(nickname="小王")


@pytest.fixture
def admin_user(make_user) -> User:
    return make_user(role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def moderator(make_user) -> User:
    return make_user(role=User.Role.MODERATOR)


@pytest.fixture
def make_lawyer(make_user, admin_user, area):
    counter = iter(range(1, 10_000))

    def make(*, verified: bool = True, areas=None, province: str = "北京", city: str = "北京") -> User:
        user = make_user()
        n = next(counter)
        profile = lawyer_services.apply_as_lawyer(
            user=user,
            real_name=f"张律师{n}",
            license_no=f"{11101201910000000 + n}",
            firm="北京市某某律师事务所",
            province=province,
            city=city,
            areas=areas or [area],
        )
        if verified:
            lawyer_services.approve_lawyer(profile=profile, by=admin_user)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def lawyer(make_lawyer) -> User:
    return make_lawyer()


@pytest.fixture
def unverified_lawyer(make_lawyer) -> User:
    return make_lawyer(verified=False)


@pytest.fixture
def question(asker, area):
    return question_services.create_question(
        asker=asker,
        title="公司拖欠三个月工资怎么办？",
        detail="入职两年，公司连续三个月没有发工资。",
        category=area,
    )


@pytest.fixture
def answer(question, lawyer):
    return question_services.post_answer(
        question=question,
        lawyer=lawyer,
        body="可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。",
    )


@pytest.fixture
def profile_of():
    def get(user: User) -> LawyerProfile:
        return LawyerProfile.objects.get(user=user)

    return get


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live_server, `transaction=True`) ends with a flush that also deletes
    the 20 practice areas the migrations created; put them back once its fixtures are torn down,
    so the tests that run after it in this process (in any order) find them."""
    result = yield
    if nextitem is None:
        return result  # the last test: the session's teardown has dropped the test database
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if ({"transactional_db", "live_server"} & fixtures) or (marker and marker.kwargs.get("transaction")):
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        areas = importlib.import_module("lawqa.questions.migrations.0002_practice_areas")
        with item.config.stash[blocking_manager_key].unblock():
            areas.create_areas(apps, None)
    return result
