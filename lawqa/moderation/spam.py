"""Spam and advertising rules for questions and answers: the one place that decides what is held
for a moderator instead of being published.

Pure module: no Django, fully typed, deterministic. The services pass the raw text the author
typed (before privacy masking, so a pasted number is still visible here) and, for answers, the
same lawyer's earlier answers; they hold the post when `Verdict.held` is true.

What is held, by kind of post:

- **answers** (written by lawyers): any contact detail or invitation meant to take the asker off
  the site — a phone number (masked or not), a WeChat / QQ handle, an e-mail address, "加我微信",
  "欢迎来电", "私信我", a QR code or official account to scan or follow — and any link outside the
  trusted legal and government sites; and the same text pasted again and again: an answer that is
  near-identical to `DUPLICATE_COPIES` or more of the lawyer's earlier answers.
- **questions** (written by askers, who often paste their own number, and tell stories full of
  WeChat transfers and QQ chats): contact details only together with advertising words (代办,
  有意者, 欢迎咨询, 联系我们 …), a QR code to scan to add or follow, links together with
  advertising words, and link spam (`LINK_SPAM_COUNT` or more outside links). A phone number the
  asker pasted is masked by privacy masking and is not spam.

>>> check_text("建议先协商，协商不成申请劳动仲裁。", kind="answer").held
False
>>> v = check_text("可以起诉。需要帮助请加我微信 lawyer_wang88 详谈", kind="answer")
>>> v.held, v.summary
(True, '含微信联系方式、引导站外联系')
>>> check_text("对方加我微信后让我转账，钱还能要回来吗？", kind="question").held
False
>>> check_text("专业代办离婚，有意者请加微信 lawyer_wang88", kind="question").summary
'含微信联系方式'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DUPLICATE_COPIES",
    "DUPLICATE_MIN_CHARS",
    "DUPLICATE_SIMILARITY",
    "LINK_SPAM_COUNT",
    "RULE_LABELS",
    "TRUSTED_DOMAINS",
    "Hit",
    "Kind",
    "Verdict",
    "check_answer",
    "check_text",
    "near_duplicate_count",
    "similarity",
]

Kind = Literal["question", "answer"]

RULE_LABELS: dict[str, str] = {
    "phone": "含电话号码",
    "wechat": "含微信联系方式",
    "qq": "含QQ联系方式",
    "email": "含电子邮箱",
    "invite": "引导站外联系",
    "qr_code": "引导扫码或关注",
    "link": "含站外链接",
    "link_spam": "链接过多",
    "duplicate": "重复发布相同内容",
}

# Links to these sites (and their subdomains) are references, not advertising: the official
# statute and judgment databases, courts and government, and the two big legal databases.
TRUSTED_DOMAINS: tuple[str, ...] = (
    "gov.cn",
    "chinacourt.org",
    "pkulaw.com",
    "pkulaw.cn",
    "faxin.cn",
    "wkinfo.com.cn",
)
# This many outside links in one post is link spam whatever the words around them.
LINK_SPAM_COUNT = 3
# Two texts are near-identical from this character-trigram Jaccard similarity up …
DUPLICATE_SIMILARITY = 0.85
# … when both have at least this many letters (short answers look alike by nature) …
DUPLICATE_MIN_CHARS = 40
# … and an answer is held when this many earlier answers of the same lawyer are near-identical
# to it: reusing one's own answer once (the drafting help offers that) is fine, pasting it
# across questions is not.
DUPLICATE_COPIES = 2


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule that matched, with the text that made it match (shown to the moderator)."""

    rule: str
    evidence: str

    @property
    def label(self) -> str:
        """Chinese name of the rule, e.g. 含微信联系方式."""
        return RULE_LABELS[self.rule]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The rules that matched a post; it is held for moderation when any did."""

    hits: tuple[Hit, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.hits)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.rule for h in self.hits))

    @property
    def summary(self) -> str:
        """The matched rules' labels, in rule order, joined with 、."""
        return "、".join(RULE_LABELS[r] for r in RULE_LABELS if r in self.rules)

    def __add__(self, other: Verdict) -> Verdict:
        return Verdict(self.hits + other.hits)


# --- normalisation -------------------------------------------------------------------------
# Chinese and capital numerals that spammers use to write a number past a filter (幺三八…).
_CN_DIGITS = "〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖"
_DIGITS = str.maketrans(_CN_DIGITS, "001234567891123456789")
# Dots, dashes and spaces people put between digit groups (138-1234-5678, 138 1234 5678).
_DIGIT_GLUE = re.compile(r"(?<=[\d*])[\s\-—.·]{1,2}(?=[\d*])")


def _normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, and the masking placeholders
    of imported data ([手机号已隐去]) turned into a masked number."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\[(?:手机号|电话|电话号码|联系电话)已隐去\]", "138****0000", text)
    text = re.sub(r"\[qq号已隐去\]", "qq:1****9", text)
    return re.sub(r"\[微信号已隐去\]", "微信:w****x", text)


def _numberish(text: str) -> str:
    """Runs of 7+ Chinese numerals become digits, and digit groups are joined, so that
    "壹叁捌 1234 5678" reads as one number. Length changes, so use it only to find, not to slice."""

    def digits(m: re.Match[str]) -> str:
        return m.group(0).translate(_DIGITS)

    text = re.sub(f"[{_CN_DIGITS}]{{7,}}", digits, text)
    return _DIGIT_GLUE.sub("", text)


# --- the patterns ----------------------------------------------------------------------------
_WECHAT_WORD = r"(?:微信|薇信|威信|徽信|v信|vx|wx|weixin|wechat|vchat)"
_QQ_WORD = r"(?:qq|扣扣|企鹅号)"

_PHONE = re.compile(
    r"(?<![\d*])(?:"
    r"(?:\+?86)?1[3-9]\d[\d*]{4}\d{4}"  # mobile, also as masking leaves it: 138****8000
    r"|0\d{2,3}[\d*]{7,8}"  # landline with area code
    r"|[48]00\d{7}"  # 400 / 800 service numbers
    r")(?![\d*])"
)
_WECHAT_ID = re.compile(
    _WECHAT_WORD + r"\s*(?:号码|号|id)?\s*[:：是为]?\s*(?P<id>同号|[a-z][-_a-z0-9*]{5,19}|1[3-9][\d*]{9})"
)
_QQ_ID = re.compile(_QQ_WORD + r"\s*(?:号码|号|群)?\s*[:：是为]?\s*(?P<id>同号|[1-9][\d*]{4,11})(?!\d)")
_EMAIL = re.compile(r"[a-z0-9][-a-z0-9._]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
# An invitation to contact the writer elsewhere (first person, or the set phrases of ads).
_INVITE = re.compile(
    r"(?:加|添加|联系|私信|私聊|咨询|找)(?:一下)?(?:我|本人|本律师|本所|我们)(?:的)?"
    r"(?:" + _WECHAT_WORD + "|" + _QQ_WORD + r"|电话|手机)"
    r"|(?:" + _WECHAT_WORD + "|" + _QQ_WORD + r"|电话|手机)(?:同号|联系我|咨询我|找我)"
    r"|加(?:个)?" + _WECHAT_WORD + r"(?:详谈|详聊|咨询|沟通|联系)"
    r"|欢迎(?:来电|致电|来所|到所|加|私信|电话|联系我|联系本)"
    r"|(?:请|可|可以|建议|直接|随时)?(?:来电|致电)(?:我|本人|本律师|本所|咨询|详谈|详询|联系|面谈)"
    r"|(?:如需帮助|需要帮助|如有需要)[，,、\s]*(?:可|请|可以)?(?:来电|致电|私信|联系我|联系本)"
    r"|私信我|私聊我|联系本律师|联系本所"
)
# Scan a code to add / follow someone: an ad in an answer, a story in a question ("扫码添加好友后
# 被骗") unless advertising words come with it.
_QR_SCAN = re.compile(
    r"(?:扫|扫描|扫一扫|长按识别)[^。！？\n]{0,8}(?:二维码|码)[^。！？\n]{0,6}"
    r"(?:加|添加|关注|咨询|联系|进群|领取)"
    r"|(?:加|添加|关注|咨询|联系)[^。！？\n]{0,6}二维码"
    r"|关注(?:[^。！？\n]{0,4})(?:公众号|抖音号|快手号|头条号|视频号)"
)
# The writer's own code or account: an ad wherever it stands.
_QR_OWN = re.compile(
    r"(?:下方|上方|文末|图中|以下|下面的?)二维码"
    r"|关注(?:我的|本所的?|我们的?|本律师的?)(?:公众号|微信公众号|抖音号?|快手号?|头条号|视频号)"
    r"|!\[[^\]]*\]\([^)]*\)"  # a markdown image: the usual way a QR code is pasted
)
_URL_CHARS = r"[-a-z0-9._~:/?#@!$&*+,;=%]"
_URL = re.compile(
    r"(?:https?://|www\.)" + _URL_CHARS + "+"
    r"|(?<![a-z0-9@.\-])(?:[a-z0-9-]+\.)+(?:com|cn|net|org|cc|top|xyz|vip|info|me|io|co|tv|biz|club|site|"
    r"online|shop|ltd|link|wang|ink)(?![a-z0-9])(?:/" + _URL_CHARS + "*)?"
)
# Words that make a question an advertisement when it also carries a contact or a link.
_PROMO = re.compile(
    r"有意者|有需要的?(?:朋友|请|可|加|联系)|需要的(?:朋友|请|可|加|联系)|欢迎(?:咨询|来电|联系|加|合作)"
    r"|代办|代写|代理记账|承接|诚接|接单|业务联系|联系我们|免费咨询|咨询热线|服务热线|24小时|"
    r"价格优惠|收费合理|专业(?:讨债|追债|收债|代理|办理|律师团队)|刷单|兼职|贷款|套现|办证|加盟|招商"
)


def _host(url: str) -> str:
    host = re.sub(r"^(?:https?://)?", "", url).split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.")


def _trusted(url: str, allowed_hosts: Iterable[str]) -> bool:
    host = _host(url)
    for domain in (*TRUSTED_DOMAINS, *allowed_hosts):
        domain = domain.lower().removeprefix("www.")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def _identifier(m: re.Match[str]) -> str:
    return m.group("id") if "id" in m.re.groupindex else m.group(0)


def _in_context(identifier: str, context: str) -> bool:
    """Whether `identifier` (a number, handle or address) stands in `context`, also as privacy
    masking leaves it there (first and last characters kept, the middle as *).

    >>> _in_context("13812348000", "借款人手机138****8000")
    True
    >>> _in_context("13912348000", "借款人手机138****8000")
    False
    """
    if len(identifier) < 5 or identifier == "同号":
        return False
    middle = "".join(f"[{re.escape(c)}*]" for c in identifier[1:-2])
    pattern = re.escape(identifier[0]) + middle + re.escape(identifier[-2:])
    return re.search(pattern, context) is not None


def _contact(pattern: re.Pattern[str], context: str, *texts: str) -> str:
    """The first match of a contact pattern whose number or handle is not one the asker gave
    (`context`: the question, as stored)."""
    for text in texts:
        for m in pattern.finditer(text):
            if not _in_context(_identifier(m), context):
                return m.group(0)
    return ""


def _first(pattern: re.Pattern[str], *texts: str) -> str:
    for text in texts:
        m = pattern.search(text)
        if m:
            return m.group(0)
    return ""


def check_text(text: str, *, kind: Kind, allowed_hosts: Sequence[str] = (), context: str = "") -> Verdict:
    """The contact, QR-code and link rules for one post (`kind` "question" or "answer").
    `allowed_hosts`: the site's own host names, whose links are never spam. `context`: for an
    answer, the question it answers — a number or handle the asker gave there (masked or not) is
    the asker's, not the lawyer's advertisement.

    >>> check_text("我的电话13812345678，公司拖欠工资怎么办", kind="question").held
    False
    >>> check_text("详情请致电 138-1234-5678", kind="answer").summary
    '含电话号码'
    >>> check_text("依据见 http://www.npc.gov.cn/npc/c30834/ 的公告", kind="answer").held
    False
    >>> check_text("更多案例见 www.example-law.com", kind="answer").summary
    '含站外链接'
    >>> check_text("对方让我扫码付款，被骗了2000元怎么办", kind="question").held
    False
    """
    norm = _normalise(text or "")
    numeric = _numberish(norm)
    context = _numberish(_normalise(context))
    # In a lawyer's answer any contact detail is an ad; in a question only with ad words, since
    # askers paste their own number (masked later) and tell stories of WeChat and QQ.
    promo = kind == "answer" or bool(_PROMO.search(norm))
    hits: list[Hit] = []
    if promo:
        for rule, pattern in (("phone", _PHONE), ("wechat", _WECHAT_ID), ("qq", _QQ_ID), ("email", _EMAIL)):
            found = _contact(pattern, context, norm, numeric)
            if found:
                hits.append(Hit(rule, found))
        invite = _first(_INVITE, norm)
        if invite:
            hits.append(Hit("invite", invite))
    qr = _first(_QR_OWN, norm) or (_first(_QR_SCAN, norm) if promo else "")
    if qr:
        hits.append(Hit("qr_code", qr))
    links = [u for u in _URL.findall(_EMAIL.sub(" ", norm)) if not _trusted(u, allowed_hosts)]
    if len(links) >= LINK_SPAM_COUNT:
        hits.append(Hit("link_spam", "、".join(links[:LINK_SPAM_COUNT])))
    elif links and promo:
        hits.append(Hit("link", links[0]))
    return Verdict(tuple(hits))


# --- repeated answers ------------------------------------------------------------------------
_NOT_LETTER = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKC", text or "").lower())


def _trigrams(letters: str) -> frozenset[str]:
    return frozenset(letters[i : i + 3] for i in range(len(letters) - 2))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character trigrams, ignoring spaces, punctuation,
    case and full/half width: 1.0 for the same text however it is spaced.

    >>> similarity("您好，建议申请劳动仲裁。", "您好 建议申请劳动仲裁")
    1.0
    >>> similarity("建议申请劳动仲裁", "建议向法院起诉离婚") < 0.2
    True
    """
    ta, tb = _trigrams(_letters(a)), _trigrams(_letters(b))
    if not ta or not tb:
        return 1.0 if _letters(a) == _letters(b) else 0.0
    return len(ta & tb) / len(ta | tb)


def near_duplicate_count(text: str, earlier: Iterable[str]) -> int:
    """How many of `earlier` are near-identical to `text` (similarity ≥ DUPLICATE_SIMILARITY);
    0 for a text shorter than DUPLICATE_MIN_CHARS letters.

    >>> base = "您好，根据劳动合同法的规定，用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同并要求经济补偿。"
    >>> near_duplicate_count(base, [base + "谢谢", base.replace("您好", "你好"), "建议报警处理。"])
    2
    >>> near_duplicate_count("建议报警处理。", ["建议报警处理。"] * 5)
    0
    """
    letters = _letters(text)
    if len(letters) < DUPLICATE_MIN_CHARS:
        return 0
    mine = _trigrams(letters)
    count = 0
    for other in earlier:
        theirs = _trigrams(_letters(other))
        if theirs and len(mine & theirs) / len(mine | theirs) >= DUPLICATE_SIMILARITY:
            count += 1
    return count


def check_answer(
    text: str,
    *,
    earlier_answers: Iterable[str] = (),
    allowed_hosts: Sequence[str] = (),
    question_text: str = "",
) -> Verdict:
    """`check_text(kind="answer", context=question_text)` plus the repeated-answer rule over the
    same lawyer's earlier answers (to other questions).

    >>> body = "您好，公司拖欠工资的，可以先向劳动监察大队投诉，也可以直接申请劳动仲裁要求支付工资和经济补偿金。"
    >>> check_answer(body, earlier_answers=[body]).held
    False
    >>> check_answer(body, earlier_answers=[body, body]).summary
    '重复发布相同内容'
    """
    verdict = check_text(text, kind="answer", allowed_hosts=allowed_hosts, context=question_text)
    copies = near_duplicate_count(text, earlier_answers)
    if copies >= DUPLICATE_COPIES:
        verdict = verdict + Verdict((Hit("duplicate", f"与该律师此前{copies}条回答几乎相同"),))
    return verdict
