"""A rebuild killed half-way is continued by the next one: the text index from its last commit
(and it publishes a complete index that follows the log from where the first attempt started),
the vector index without embedding again what the killed one had embedded."""

from __future__ import annotations

import pytest

from lawqa.embeddings import model
from lawqa.moderation import services as moderation_services
from lawqa.search import index, indexer, replica, services, vectors
from lawqa.search.queries import search_questions


class Killed(Exception):
    """Stands for the process dying in the middle of the rebuild."""


@pytest.fixture
def killed_rebuild(search_index, ask, monkeypatch):
    """Seven questions; a rebuild (one question at a time, a commit every 2) that dies at the 6th;
    returns the questions and the counter of documents made after it is restored."""
    questions = [ask(f"公司拖欠工资第{i}个月怎么办") for i in range(7)]
    monkeypatch.setattr(index, "BUILD_COMMIT_EVERY", 2)
    monkeypatch.setattr(index, "BUILD_CHUNK", 1)
    real_to_doc = index.to_doc
    made: list[int] = []

    def dying(question):
        if question.pk == questions[5].pk:
            raise Killed
        return real_to_doc(question)

    monkeypatch.setattr(index, "to_doc", dying)
    with pytest.raises(Killed):
        indexer.rebuild_all(vectors=False)
    monkeypatch.setattr(index, "to_doc", lambda q: made.append(q.pk) or real_to_doc(q))
    return questions, made


def test_rebuild_killed_half_way_is_continued_from_its_last_commit(killed_rebuild, moderator):
    questions, made = killed_rebuild
    assert index.current_text() is None
    generation, _ = index.unfinished_build()
    moderation_services.set_question_hidden(question=questions[0], hidden=True, by=moderator)

    indexer.rebuild_all(vectors=False)
    rebuilt = list(made)
    index.apply_outbox(vectors=False)
    index.reset_reader()

    assert index.current_text() == generation
    # 0–3 were committed (a commit every 2); the 5th was added but not committed when it died.
    assert rebuilt == [q.pk for q in questions[4:]]
    found = {r.question.pk for r in search_questions("拖欠工资").results}
    assert found == {q.pk for q in questions[1:]}  # the hide, logged meanwhile, is applied
    assert index.unfinished_build() is None


def test_rebuild_killed_then_log_moved_on_starts_over(killed_rebuild, settings):
    questions, made = killed_rebuild
    generation, cursor = index.unfinished_build()
    # The node reported a position since (an indexer pass on another generation): the log after
    # the killed build's start may have been pruned, so its generation cannot be trusted.
    services.report_node(name=settings.LAWQA_NODE_NAME, position=cursor.position, since=cursor.since)

    indexer.rebuild_all(vectors=False)

    assert made == [q.pk for q in questions]
    assert not generation.exists()
    assert index.current_text() != generation


def test_vector_rebuild_killed_embeds_only_what_it_had_not_saved(search_index, ask, monkeypatch):
    questions = [ask(f"房东不退押金第{i}次怎么办", "合同到期搬走了，房东说墙面有污渍。") for i in range(3)]
    monkeypatch.setattr(vectors, "EMBED_BATCH", 1)
    real_embed = model.embed_passages
    calls: list[int] = []

    def dying(texts):
        calls.append(len(texts))
        if len(calls) == 3:
            raise Killed
        return real_embed(texts)

    monkeypatch.setattr(model, "embed_passages", dying)
    with pytest.raises(Killed):
        vectors.rebuild_vectors(replica.start_cursor())
    calls.clear()
    monkeypatch.setattr(model, "embed_passages", lambda texts: calls.append(len(texts)) or real_embed(texts))

    counts = vectors.rebuild_vectors(replica.start_cursor())

    assert counts == {"questions": 3, "stored": 0, "bundle": 0, "saved": 2, "embedded": 1}
    assert calls == [1]
    assert all(vectors.question_vector(q.pk) is not None for q in questions)
    assert not vectors.build_dir().exists()
