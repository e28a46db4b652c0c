"""The on-disk vector generation: exact and graph search, the delta over the base, damage."""

import numpy as np
import pytest

from lawqa.embeddings import store
from lawqa.search import vecstore


def unit(*hot: int) -> np.ndarray:
    v = np.zeros(vecstore.DIM, dtype=np.float32)
    for i in hot:
        v[i] = 1.0
    return v / np.linalg.norm(v)


def write(path, ids, vectors, *, ann_min=vecstore.ANN_MIN):
    q, s = store.quantize(np.stack(vectors))
    digests = np.array([b"%016d" % i for i in ids], dtype="S16")
    vecstore.write_generation(
        path,
        stamp="m1",
        ids=np.array(ids),
        vectors=q,
        scales=s,
        digests=digests,
        position=7,
        since="",
        ann_min=ann_min,
    )
    return vecstore.Generation(path)


@pytest.mark.parametrize("ann_min", [vecstore.ANN_MIN, 1], ids=["exact", "hnsw"])
def test_generation_search_best_first_with_exclude(tmp_path, ann_min):
    gen = write(tmp_path / "g", [30, 10, 20], [unit(0), unit(1), unit(0, 2)], ann_min=ann_min)

    assert [qid for qid, _ in gen.search(unit(0), k=2, exclude=set())] == [30, 20]
    assert [qid for qid, _ in gen.search(unit(0), k=2, exclude={30})] == [20, 10]
    assert gen.search(unit(0), k=1, exclude=set())[0][1] == pytest.approx(1.0, abs=2e-3)
    assert (gen.ann is not None) == (ann_min == 1)


def test_delta_replaces_and_deletes_base_rows(tmp_path):
    gen = write(tmp_path / "g", [10, 20, 30], [unit(0), unit(1), unit(2)])
    delta = gen.delta
    q, s = store.quantize(unit(5)[None, :])
    delta.upsert([(20, q[0], float(s[0]), b"new-digest-00000"), (40, q[0], float(s[0]), b"new-digest-00001")])
    delta.delete([10], in_base={10})
    delta.position = 9
    vecstore.save_delta(gen.directory, delta)

    reread = vecstore.Generation(gen.directory)
    assert [qid for qid, _ in reread.search(unit(5), k=2, exclude=set())] == [20, 40]
    assert 10 not in {qid for qid, _ in reread.search(unit(0), k=4, exclude=set())}
    assert (reread.count, reread.digest_of(20), reread.digest_of(10)) == (3, b"new-digest-00000", None)
    assert vecstore.read_delta_position(gen.directory) == (9, "")
    assert int(np.argmax(reread.vector(20))) == 5


def test_damaged_generation_is_reported(tmp_path):
    gen = write(tmp_path / "g", [1, 2], [unit(0), unit(1)])
    np.save(gen.directory / "ids.npy", np.array([1, 2, 3]))

    with pytest.raises(vecstore.CorruptVectorIndex):
        vecstore.Generation(gen.directory)


def test_updated_ann_matches_merged_rows(tmp_path):
    gen = write(tmp_path / "g", [10, 20, 30], [unit(0), unit(1), unit(2)], ann_min=1)
    q, s = store.quantize(np.stack([unit(3), unit(4)]))
    gen.delta.upsert([(20, q[0], float(s[0]), b"a" * 16), (40, q[1], float(s[1]), b"b" * 16)])
    gen.delta.delete([10], in_base={10})
    gen.set_delta(gen.delta)

    ann = vecstore.updated_ann(gen)

    assert sorted(int(k) for k in ann.keys) == [20, 30, 40]
    assert int(ann.search(unit(3), 1).keys[0]) == 20
