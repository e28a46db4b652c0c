"""Chinese word segmentation for search: one `segment()` used at index time and at query time.

Pure module (no Django). Built on rjieba (jieba-rs) with a legal user dictionary
(data/search/legal_terms.txt, data/search/law_names.txt) and a colloquial → legal synonym map
(data/search/synonyms.tsv) that is applied to queries only.

Compounds keep their parts searchable: every token longer than two characters is followed by
its parts as rjieba's own dictionary cuts them in search mode ("经济补偿金" → 经济补偿金, 经济,
补偿, 补偿金), so adding a compound to our dictionary never hides its parts, and index and query
produce the same tokens.

>>> segment("我被公司炒鱿鱼了，经济补偿金怎么算？")
['公司', '炒鱿鱼', '鱿鱼', '经济补偿金', '经济', '补偿', '补偿金', '算']
>>> [(t.term, t.weight) for t in analyze_query("老板不给社保").terms][:3]
[('老板', 1.0), ('社保', 1.0), ('用人单位', 0.8)]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import rjieba

from lawqa.common.numerals import CN_DIGITS, CN_UNITS

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "search"
#: Longest query text analysed; longer input is cut (search boxes are for a sentence or two).
MAX_QUERY_CHARS = 200
#: Weight of a synonym expansion relative to a term the user typed.
SYNONYM_WEIGHT = 0.8
#: Weight of digits for quantities typed in Chinese numerals (十八岁 → 18).
NUMBER_WEIGHT = 0.6
#: rjieba's HMM for words missing from its dictionary (off: see Segmenter).
HMM = False
#: Weight of a compound's parts in a query relative to the compound itself.
PART_WEIGHT = 0.5


@dataclass(frozen=True)
class WeightedTerm:
    """A search term with its weight (1.0 for what the user typed, less for synonyms)."""

    term: str
    weight: float


@dataclass(frozen=True)
class AnalyzedQuery:
    """A query after segmentation and synonym expansion."""

    text: str
    terms: tuple[WeightedTerm, ...]
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    #: Character bigrams of the query text: a recall fallback for words cut differently.
    grams: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.terms


def normalize(text: str) -> str:
    """NFKC (full-width → half-width) and lower case.

    >>> normalize("ＡＢＣ１２３，")
    'abc123,'
    """
    return unicodedata.normalize("NFKC", text).lower()


_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def prepare(text: str) -> str:
    """Cheap pre-segmentation normalization: NFKC only when full-width letters or digits occur
    (so ＡＢＣ１２３ segments like ABC123), then lower case. Tokens get full NFKC afterwards.

    >>> prepare("ＬＡＷ１２３号，律师")
    'law123号,律师'
    """
    if _FULLWIDTH_ALNUM.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


_CN_UNITS = {**CN_UNITS, "万": 10000}
_CN_NUMBER_RE = re.compile(
    "([零〇一二两三四五六七八九十百千万]+)(?=[岁年个月天日周号级次元块万人条平米套间倍层]|小时|公斤|平方)"
)


def _cn_to_int(numeral: str) -> int | None:
    """Chinese numeral → int for the everyday range (十八 → 18, 一千二百 → 1200, 两万 → 20000)."""
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in CN_DIGITS:
            if digit is not None:  # 二零二三-style digit strings are not quantities
                return None
            digit = CN_DIGITS[ch]
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + section + (digit or 0)


def arabic_numerals(text: str) -> str:
    """Quantities written in Chinese numerals rewritten in digits, as most askers type them.

    >>> arabic_numerals("不到十八岁，交了一千元定金，工伤十级，三个月")
    '不到18岁，交了1000元定金，工伤10级，3个月'
    >>> arabic_numerals("万一出事，一些人")
    '万一出事，一些人'
    """

    def repl(m: re.Match[str]) -> str:
        value = _cn_to_int(m.group(1))
        return m.group(1) if value is None else str(value)

    return _CN_NUMBER_RE.sub(repl, text)


def _is_word(token: str) -> bool:
    """True when the token has at least one letter or digit (drops punctuation, emoji, space)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def char_bigrams(text: str) -> list[str]:
    """Overlapping pairs of Chinese characters, run by run (no pair spans punctuation or a
    space). Indexed next to the words, they match when the asker's words are cut differently
    from the question's (罚钱 / 罚款 share nothing as words, 被查 is a pair in both).

    >>> char_bigrams("被查会罚钱吗？ok")
    ['被查', '查会', '会罚', '罚钱', '钱吗']
    """
    out = []
    for run in _CJK_RUN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def read_word_list(path: Path) -> list[str]:
    """Words from a one-per-line file; `#` comments and blank lines skipped."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


#: Function words and question fillers that carry no topic (data/search/stopwords.txt).
STOPWORDS: frozenset[str] = frozenset(read_word_list(DATA_DIR / "stopwords.txt"))


def read_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """`colloquial<TAB>legal1|legal2` lines → {colloquial: (legal1, legal2)} (normalized)."""
    pairs: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        colloquial, _, legal = line.partition("\t")
        targets = tuple(normalize(t.strip()) for t in legal.split("|") if t.strip())
        if colloquial.strip() and targets:
            pairs[normalize(colloquial.strip())] = targets
    return pairs


class _Memo(dict[str, tuple[str, ...]]):
    """token → its search tokens; a miss computes and stores (lookups stay in C)."""

    def __init__(self, expand, limit: int) -> None:
        super().__init__()
        self._expand = expand
        self._limit = limit

    def __missing__(self, token: str) -> tuple[str, ...]:
        parts = self._expand(token)
        if len(self) < self._limit:
            self[token] = parts
        return parts


class Segmenter:
    """Segments text into search tokens; one instance per configuration (cheap to call)."""

    #: Memo size bound: distinct tokens seen (a 1M-question corpus has a few hundred thousand).
    MEMO_LIMIT = 2_000_000

    def __init__(
        self,
        *,
        user_words: Iterable[str] = (),
        synonyms: dict[str, tuple[str, ...]] | None = None,
        stopwords: frozenset[str] = STOPWORDS,
        split_compounds: bool = True,
        hmm: bool = True,
    ) -> None:
        self._jieba = rjieba.Jieba()
        for word in user_words:
            self._jieba.add_word(normalize(word), None, None)
        # Parts of a compound come from jieba's own dictionary in search mode, so a compound
        # from our dictionary yields exactly the tokens a text without it would have produced.
        self._base = rjieba.Jieba() if split_compounds else None
        self.synonyms = dict(synonyms or {})
        # Longest first so 没签劳动合同 is seen before shorter keys inside it.
        self._synonym_keys = sorted(self.synonyms, key=len, reverse=True)
        self.stopwords = stopwords
        # rjieba's HMM guesses words missing from the dictionary, and in colloquial questions
        # mostly glues a function character onto a word (查会, 人能, 能分, 交了, 说值): a token
        # no other question shares. Without it such text falls apart into dictionary words
        # and single characters, the same way in every question.
        self._hmm = hmm
        self._memo = _Memo(self._expand, self.MEMO_LIMIT)

    def _expand(self, token: str) -> tuple[str, ...]:
        """What one jieba token contributes: nothing (stopword, punctuation), or itself + parts."""
        token = unicodedata.normalize("NFKC", token).strip()
        if token in self.stopwords or not _is_word(token):
            return ()
        if self._base is None or len(token) <= 2:
            return (token,)
        parts = [token]
        for part in self._base.cut_for_search(token, False):
            if len(part) > 1 and part not in parts and part not in self.stopwords and _is_word(part):
                parts.append(part)
        return tuple(parts)

    def segment(self, text: str) -> list[str]:
        """Search tokens of `text`: normalized, stopwords and punctuation dropped, parts added."""
        return list(
            chain.from_iterable(map(self._memo.__getitem__, self._jieba.cut(prepare(text), self._hmm)))
        )

    def _weigh(self, text: str, weight: float, weights: dict[str, float]) -> None:
        """Add the tokens of `text` to `weights`: words at `weight`, their parts lower, so a
        compound's parts do not outvote the words around it."""
        for token in self._jieba.cut(prepare(text), self._hmm):
            for i, part in enumerate(self._memo[token]):
                w = weight if i == 0 else weight * PART_WEIGHT
                if w > weights.get(part, 0.0):
                    weights[part] = w

    def analyze_query(self, text: str, *, max_chars: int = MAX_QUERY_CHARS) -> AnalyzedQuery:
        """Segment a user query (cut to `max_chars`) and add synonym expansions, deduplicated."""
        text = prepare(text[: max_chars * 2])[:max_chars]
        weights: dict[str, float] = {}
        self._weigh(text, 1.0, weights)
        used: list[tuple[str, tuple[str, ...]]] = []
        remaining = text
        digits = arabic_numerals(text)
        if digits != text:
            # 十八岁 also finds 18岁 (and the other way round: numbers typed in digits stay).
            self._weigh(digits, NUMBER_WEIGHT, weights)
        for key in self._synonym_keys:
            if key in remaining:
                # Blank the matched span so 被辞退 does not also fire 辞退.
                remaining = remaining.replace(key, " ")
                used.append((key, self.synonyms[key]))
                for legal in self.synonyms[key]:
                    self._weigh(legal, SYNONYM_WEIGHT, weights)
        terms = tuple(WeightedTerm(t, w) for t, w in weights.items())
        grams = tuple(dict.fromkeys(char_bigrams(text)))
        return AnalyzedQuery(text=text, terms=terms, synonyms=tuple(used), grams=grams)


@functools.lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The product's segmenter: legal dictionary + law short names + synonyms."""
    words = read_word_list(DATA_DIR / "legal_terms.txt") + read_word_list(DATA_DIR / "law_names.txt")
    return Segmenter(user_words=words, synonyms=read_synonyms(DATA_DIR / "synonyms.tsv"), hmm=HMM)


@functools.lru_cache(maxsize=1)
def plain_segmenter() -> Segmenter:
    """Baseline for measurements: rjieba's own dictionary, no compounds split, no synonyms."""
    return Segmenter(split_compounds=False)


def segment(text: str) -> list[str]:
    """Search tokens of `text` with the product's segmenter (index and query side alike)."""
    return default_segmenter().segment(text)


def segment_text(text: str) -> str:
    """Tokens joined by spaces: the form stored in the index's whitespace-tokenized fields."""
    return " ".join(segment(text))


def analyze_query(text: str) -> AnalyzedQuery:
    """Query terms (segmented + colloquial → legal synonyms) for `text`."""
    return default_segmenter().analyze_query(text)


def matched_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) spans of `terms` in the original `text` (for highlighting).

    Matching is on the NFKC/lower-cased form, whose length equals the original for CJK and
    ASCII; if normalization changes the length, matching falls back to the raw text.

    >>> matched_spans("经济补偿金怎么算", ["补偿金", "经济补偿金"])
    [(0, 5)]
    """
    haystack = normalize(text)
    if len(haystack) != len(text):
        haystack = text.lower()
    spans: list[tuple[int, int]] = []
    taken = [False] * len(text)
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = haystack.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append((start, end))
                for i in range(start, end):
                    taken[i] = True
            start = haystack.find(term, end)
    return sorted(spans)
