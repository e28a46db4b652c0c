"""The tantivy layer without Django: documents, safe query building, filters, deletes, related."""

import multiprocessing as mp
import time

import pytest

from lawqa.search import engine
from lawqa.search.segmentation import analyze_query

DOCS = [
    engine.IndexDoc(
        1, "被公司辞退有经济补偿金吗", "工作三年被辞退，公司不给补偿。", "可以要求经济补偿。", "labor", True
    ),
    engine.IndexDoc(2, "离婚后孩子抚养权归谁", "孩子两岁，男方要抚养权。", "", "family", False),
    engine.IndexDoc(
        3,
        "公司拖欠工资怎么办",
        "老板三个月没发工资。",
        "可申请劳动仲裁。《劳动合同法》第三十条",
        "labor",
        True,
    ),
    engine.IndexDoc(4, "交通事故对方全责怎么赔", "被车撞了，对方全责。", "", "traffic", False),
    engine.IndexDoc(5, "公司违法解除劳动合同的赔偿", "没有理由把我辞退了。", "", "labor", False),
]


def _build_index(path, docs):
    idx = engine.open_index(path)
    with engine.writer_lock(path), engine.index_writer(idx) as writer:
        engine.apply_changes(writer, upserts=docs, deletes=[])
        writer.commit()
    idx.reload()
    return idx


@pytest.fixture
def index(tmp_path):
    return _build_index(tmp_path / "index", DOCS)


def ids(page):
    return [h.question_id for h in page.hits]


def test_search_colloquial_query_finds_legal_wording(index):
    page = engine.search(index.searcher(), analyze_query("被炒鱿鱼了能拿多少钱"))
    assert ids(page)[:2] == [1, 5] or set(ids(page)[:2]) == {1, 5}


def test_search_filters_by_area_and_answered(index):
    searcher = index.searcher()
    assert ids(engine.search(searcher, analyze_query("公司"), area="labor", answered=True)) == [1, 3] or set(
        ids(engine.search(searcher, analyze_query("公司"), area="labor", answered=True))
    ) == {1, 3}
    assert ids(engine.search(searcher, analyze_query("孩子"), area="labor")) == []


def test_search_cited_laws_are_searchable(index):
    assert ids(engine.search(index.searcher(), analyze_query("劳动合同法")))[0] in {3, 5}


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"公司',
        "(",
        "AND OR NOT",
        "title:公司",
        "公司 AND (辞退 OR",
        "😀😀😀",
        "*",
        "\\",
        "公司" * 5000,
        "",
        "   ",
    ],
)
def test_search_odd_input_never_raises(index, query):
    page = engine.search(index.searcher(), analyze_query(query))
    assert page.total >= 0


def test_apply_changes_replaces_and_deletes(index, tmp_path):
    path = tmp_path / "index"
    changed = engine.IndexDoc(2, "继承房产怎么分", "父母去世留下房子。", "", "family", False)
    with engine.writer_lock(path), engine.index_writer(index) as writer:
        engine.apply_changes(writer, upserts=[changed], deletes=[4])
        writer.commit()
    index.reload()
    searcher = index.searcher()
    assert ids(engine.search(searcher, analyze_query("抚养权"))) == []
    assert ids(engine.search(searcher, analyze_query("继承房产"))) == [2]
    assert ids(engine.search(searcher, analyze_query("交通事故"))) == []
    assert searcher.num_docs == 4


def test_related_excludes_itself_and_prefers_content(index):
    hits = engine.related(
        index.searcher(), question_id=1, title=DOCS[0].title, detail=DOCS[0].detail, limit=3
    )
    assert 1 not in [h.question_id for h in hits]
    assert hits[0].question_id == 5


WAGES = engine.IndexDoc(10, "上个月工资没发", "公司拖欠上个月3000元工资，也没签合同。", "", "labor", False)
RELATED_DOCS = [
    WAGES,
    engine.IndexDoc(11, "上个月和媳妇离婚了", "上个月离婚，孩子归谁抚养。", "", "family", False),
    engine.IndexDoc(12, "老板不发工资怎么办", "干了半年，工资一直拖着不发。", "", "labor", False),
    engine.IndexDoc(13, "遵义的一个问题", "遵义这边，去年的事情。", "", "general", False),
]


@pytest.fixture
def related_index(tmp_path):
    return _build_index(tmp_path / "related", RELATED_DOCS)


def test_related_terms_skip_numbers_and_time_words(related_index):
    terms = [
        t.term for t in engine.related_terms(related_index.searcher(), title=WAGES.title, detail=WAGES.detail)
    ]
    assert "工资" in terms
    assert not {"上个月", "上个", "3000", "3000元"} & set(terms)
    hits = engine.related(related_index.searcher(), question_id=10, title=WAGES.title, detail=WAGES.detail)
    assert [h.question_id for h in hits][0] == 12  # the other wage question, not the one from last month


def test_related_terms_skip_rare_terms_on_a_large_index(related_index, monkeypatch):
    doc = engine.IndexDoc(14, "遵义的工资问题", "遵义的公司不发工资", "", "labor", False)
    searcher = related_index.searcher()
    assert "遵义" in [t.term for t in engine.related_terms(searcher, title=doc.title, detail=doc.detail)]
    monkeypatch.setattr(engine, "RELATED_MIN_DOC_FREQ_FROM", 1)
    monkeypatch.setattr(engine, "RELATED_MIN_DOC_FREQ", 2)
    terms = [t.term for t in engine.related_terms(searcher, title=doc.title, detail=doc.detail)]
    assert "遵义" not in terms  # in one question only
    assert "工资" in terms


def test_cited_laws_extracts_book_title_marks():
    assert engine.cited_laws("依据《劳动合同法》第四十七条") == ["劳动合同法"]


def test_writer_lock_times_out_when_held(tmp_path):
    path = tmp_path / "index"
    with engine.writer_lock(path) as held:
        assert held
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        p = ctx.Process(target=_try_lock, args=(path, q))
        p.start()
        p.join(5)
        assert q.get(timeout=1) is False


def _try_lock(path, q):
    with engine.writer_lock(path, timeout=0.2) as held:
        q.put(held)


def _searcher_loop(path, seconds, q):
    idx = engine.open_index(path)
    errors, n = 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            idx.reload()
            engine.search(idx.searcher(), analyze_query("公司辞退补偿"))
            n += 1
        except Exception:  # noqa: BLE001 - the test counts any failure
            errors += 1
    q.put((n, errors))


def _writer_batches(path, batches, q):
    idx = engine.open_index(path)
    errors = 0
    for b in range(batches):
        docs = [
            engine.IndexDoc(1000 + b * 50 + i, f"公司辞退补偿问题{b}-{i}", "老板辞退我") for i in range(50)
        ]
        try:
            with engine.writer_lock(path, timeout=10) as held:
                assert held
                with engine.index_writer(idx) as writer:
                    engine.apply_changes(writer, upserts=docs, deletes=[])
                    writer.commit()
        except Exception:  # noqa: BLE001
            errors += 1
    q.put(errors)


def test_concurrent_writers_and_searchers_no_lock_errors(index, tmp_path):
    # Two indexer processes write batches (they queue on the lock) while two processes search.
    path = tmp_path / "index"
    ctx = mp.get_context("fork")
    q_search, q_write = ctx.Queue(), ctx.Queue()
    searchers = [ctx.Process(target=_searcher_loop, args=(path, 2.0, q_search)) for _ in range(2)]
    writers = [ctx.Process(target=_writer_batches, args=(path, 4, q_write)) for _ in range(2)]
    for p in searchers + writers:
        p.start()
    for p in searchers + writers:
        p.join(20)
    search_results = [q_search.get(timeout=1) for _ in searchers]
    write_errors = [q_write.get(timeout=1) for _ in writers]
    assert write_errors == [0, 0]
    assert all(errors == 0 and n > 0 for n, errors in search_results)
    index.reload()
    assert index.searcher().num_docs == len(DOCS) + 2 * 4 * 50 - 4 * 50  # second writer replaces same ids


def test_search_chinese_and_arabic_numerals_find_each_other(tmp_path):
    path = tmp_path / "index"
    idx = engine.open_index(path)
    docs = [
        engine.IndexDoc(1, "未满18岁少女怀孕能取保候审吗"),
        engine.IndexDoc(2, "工伤十级赔偿都包含哪些项目"),
    ]
    with engine.writer_lock(path), engine.index_writer(idx) as writer:
        engine.apply_changes(writer, upserts=docs, deletes=[])
        writer.commit()
    idx.reload()
    searcher = idx.searcher()
    assert ids(engine.search(searcher, analyze_query("不到十八岁")))[:1] == [1]
    assert ids(engine.search(searcher, analyze_query("工伤10级")))[:1] == [2]


def test_search_character_bigrams_prefer_the_words_as_typed(tmp_path):
    path = tmp_path / "index"
    idx = engine.open_index(path)
    docs = [
        engine.IndexDoc(1, "买房首付能退吗", "男方不同意退"),
        engine.IndexDoc(2, "婚前男方首付买的房子离婚怎么分"),
    ]
    with engine.writer_lock(path), engine.index_writer(idx) as writer:
        engine.apply_changes(writer, upserts=docs, deletes=[])
        writer.commit()
    idx.reload()
    searcher = idx.searcher()
    query = analyze_query("男方首付")
    assert "方首" in query.grams
    with_grams = engine.search(searcher, query)
    assert ids(with_grams)[:1] == [2]
    # The bigrams only add to the words' score: no gram weight, same questions found.
    assert set(ids(engine.search(searcher, query, gram_weight=0))) == set(ids(with_grams))


def test_search_bigrams_without_searcher_are_skipped():
    query = analyze_query("男方首付")
    assert engine.build_search_query(query) is not None
