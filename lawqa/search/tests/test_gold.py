"""Gold colloquial queries (data/search/gold_queries.jsonl) over the bundled demo data.

Each query was written in everyday words from one of the open questions; the question must be
in the top 5. The index is built in memory from data/demo_qa.jsonl.gz with the import's own
title derivation, so the test needs no database. Queries marked known_miss are measured, not
asserted (they document where the ranking still fails)."""

import gzip
import json

import pytest
import tantivy

from lawqa.questions.importing import parse_record
from lawqa.search import engine
from lawqa.search.segmentation import DATA_DIR, analyze_query

DEMO = DATA_DIR.parent / "demo_qa.jsonl.gz"
GOLD = [json.loads(line) for line in (DATA_DIR / "gold_queries.jsonl").open(encoding="utf-8")]


@pytest.fixture(scope="module")
def demo_index():
    index = tantivy.Index(engine.SCHEMA)
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    source_ids = []
    with gzip.open(DEMO, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            rec = parse_record(line)
            source_ids.append(rec.source_id)
            doc = engine.IndexDoc(n, rec.title, rec.detail, rec.answer, "", bool(rec.answer))
            writer.add_document(engine.to_tantivy_doc(doc))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index.searcher(), source_ids


def top5(demo_index, query: str) -> list[str]:
    searcher, source_ids = demo_index
    return [
        source_ids[h.question_id - 1] for h in engine.search(searcher, analyze_query(query), limit=5).hits
    ]


def test_gold_file_has_enough_queries():
    assert len(GOLD) >= 40
    assert len({g["id"] for g in GOLD}) == len(GOLD)


@pytest.mark.parametrize("gold", [g for g in GOLD if not g.get("known_miss")], ids=lambda g: g["id"])
def test_gold_query_finds_its_question_in_top5(demo_index, gold):
    assert set(top5(demo_index, gold["query"])) & set(gold["relevant"]), gold["query"]


def test_gold_success_at_5_overall(demo_index):
    hits = sum(bool(set(top5(demo_index, g["query"])) & set(g["relevant"])) for g in GOLD)
    assert hits / len(GOLD) >= 0.95
