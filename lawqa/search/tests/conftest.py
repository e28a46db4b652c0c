import pytest

from lawqa.questions import services as question_services
from lawqa.search import index, vectors


@pytest.fixture
def search_index(settings, tmp_path):
    """A fresh, empty index directory (text and vectors) for this test."""
    settings.LAWQA_INDEX_DIR = tmp_path / "index"
    index.reset_reader()
    vectors.reset_reader()
    yield settings.LAWQA_INDEX_DIR
    index.reset_reader()
    vectors.reset_reader()


@pytest.fixture
def ask(asker, area):
    def make(title: str, detail: str = "", category=None):
        return question_services.create_question(
            asker=asker, title=title, detail=detail, category=category or area
        )

    return make


@pytest.fixture
def indexed(search_index):
    """Apply the outbox so the index reflects the database."""

    def apply() -> int:
        n = index.apply_outbox()
        index.reset_reader()
        return n

    return apply
