"""Table tests and properties of the pure masking module (no database)."""

import doctest
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from lawqa.privacy import masking
from lawqa.privacy.masking import KIND_LABELS, KIND_REASONS, mask_text

# (text, expected masked text, expected kinds in order)
FOUND = [
    # mobile numbers
    pytest.param(
        "我的电话是15012345678，请律师联系我",
        "我的电话是150****5678，请律师联系我",
        ["mobile"],
        id="mobile-plain",
    ),
    pytest.param("手机 138 0013 8000", "手机 138 **** 8000", ["mobile"], id="mobile-spaces"),
    pytest.param("手机138-0013-8000。", "手机138-****-8000。", ["mobile"], id="mobile-dashes"),
    pytest.param("+86 13800138000", "+86 138****8000", ["mobile"], id="mobile-plus86"),
    pytest.param("+86-138-0013-8000", "+86-138-****-8000", ["mobile"], id="mobile-plus86-dashes"),
    pytest.param("(+86)13800138000", "(+86)138****8000", ["mobile"], id="mobile-bracketed-86"),
    pytest.param("0086 13800138000", "0086 138****8000", ["mobile"], id="mobile-0086"),
    pytest.param("8613800138000", "86138****8000", ["mobile"], id="mobile-86-attached"),
    pytest.param(
        "电话：１３８００１３８０００", "电话：１３８****８０００", ["mobile"], id="mobile-fullwidth"
    ),
    pytest.param("Tel13800138000", "Tel138****8000", ["mobile"], id="mobile-after-letters"),
    pytest.param(
        "号码13800138000 15912345678",
        "号码138****8000 159****5678",
        ["mobile", "mobile"],
        id="mobile-two-in-a-row",
    ),
    pytest.param(
        "订单有问题请打13800138000", "订单有问题请打138****8000", ["mobile"], id="mobile-near-order-word"
    ),
    # landlines
    pytest.param("电话0755-83456789", "电话0755-****6789", ["landline"], id="landline-4-digit-area"),
    pytest.param("座机010-65529988", "座机010-****9988", ["landline"], id="landline-beijing"),
    pytest.param("(010)12345678", "(010)****5678", ["landline"], id="landline-bracketed"),
    pytest.param("（0755）8345 6789", "（0755）**** 6789", ["landline"], id="landline-fullwidth-brackets"),
    pytest.param("021 6234 5678", "021 **** 5678", ["landline"], id="landline-spaces"),
    pytest.param("075583456789", "0755****6789", ["landline"], id="landline-attached"),
    pytest.param("0571-8765432", "0571-***5432", ["landline"], id="landline-7-digit-local"),
    pytest.param("电话：83456789", "电话：****6789", ["landline"], id="landline-named-no-area-code"),
    # resident ID numbers
    pytest.param(
        "身份证号码：110101199003071233", "身份证号码：110101********1233", ["id_number"], id="id-plain"
    ),
    pytest.param("身份证11010519491231002X", "身份证110105********002X", ["id_number"], id="id-check-x"),
    # A wrong check digit (a typo, or a number made up by hand) still names a person.
    pytest.param("身份证110101199003071234", "身份证110101********1234", ["id_number"], id="id-bad-checksum"),
    pytest.param(
        "110105199001011234 能查征信吗",
        "110105********1234 能查征信吗",
        ["id_number"],
        id="id-bad-checksum-unnamed",
    ),
    pytest.param("身份证11010519491231002x", "身份证110105********002x", ["id_number"], id="id-lowercase-x"),
    pytest.param("110105 19491231 002X", "110105 ******** 002X", ["id_number"], id="id-spaced-6-8-4"),
    pytest.param("1101 0519 4912 3100 2X", "1101 05** **** **00 2X", ["id_number"], id="id-spaced-fours"),
    pytest.param(
        "身份证编号440306199001011236",
        "身份证编号440306********1236",
        ["id_number"],
        id="id-code-newer-than-birth",
    ),
    pytest.param(
        "居住证830000199307070851", "居住证830000********0851", ["id_number"], id="id-taiwan-permit"
    ),
    pytest.param(
        "身份证号：110105491231002", "身份证号：110105******002", ["id_number"], id="id-old-15-digits-named"
    ),
    pytest.param(
        "驾驶证号 110101199003071233",
        "驾驶证号 110101********1233",
        ["id_number"],
        id="id-as-driving-licence",
    ),
    pytest.param("会员号 13800138000", "会员号 138****8000", ["mobile"], id="mobile-as-member-number"),
    # bank cards
    pytest.param("卡号6228480402564890018", "卡号6228***********0018", ["bank_card"], id="card-19"),
    pytest.param("6222 0212 3456 7894", "6222 **** **** 7894", ["bank_card"], id="card-16-spaced"),
    pytest.param("4111111111111111", "4111********1111", ["bank_card"], id="card-visa-16"),
    # Named as a card or account number: masked even when the check digit is wrong.
    pytest.param(
        "我的银行卡号6222021234567890123被冻结",
        "我的银行卡号6222***********0123被冻结",
        ["bank_card"],
        id="card-named-bad-luhn",
    ),
    pytest.param(
        "工资卡 6222-0212-3456-7890", "工资卡 6222-****-****-7890", ["bank_card"], id="card-named-dashes"
    ),
    pytest.param(
        "账号：6222021234567890，余额一万",
        "账号：6222********7890，余额一万",
        ["bank_card"],
        id="account-named",
    ),
    pytest.param(
        "我的卡 6228 4804 0256 4890 018", "我的卡 6228 **** **** ***0 018", ["bank_card"], id="card-19-spaced"
    ),
    # e-mail
    pytest.param("邮箱 lisi_law@163.com", "邮箱 l*******@163.com", ["email"], id="email"),
    pytest.param("13800138000@qq.com", "1**********@qq.com", ["email"], id="email-phone-local-part"),
    pytest.param(
        "Zhang.San+law@mail.example.com.cn", "Z************@mail.example.com.cn", ["email"], id="email-dots"
    ),
    # QQ and WeChat, named
    pytest.param("QQ：123456789", "QQ：12*****89", ["qq"], id="qq-colon"),
    pytest.param("qq号 12345", "qq号 1***5", ["qq"], id="qq-short"),
    pytest.param("扣扣是 2233445566", "扣扣是 22******66", ["qq"], id="qq-koukou"),
    pytest.param("微信：zhang_san88", "微信：zh*******88", ["wechat"], id="wechat"),
    pytest.param("微信号 lawyer-2023", "微信号 la*******23", ["wechat"], id="wechat-hao"),
    pytest.param("加vx abc123", "加vx a****3", ["wechat"], id="wechat-vx"),
    pytest.param("VX:Abc_123456", "VX:Ab******56", ["wechat"], id="wechat-VX"),
    pytest.param("v信 wang888888", "v信 wa******88", ["wechat"], id="wechat-v-xin"),
    pytest.param("wxid_k2j3h4g5f6", "wx***********f6", ["wechat"], id="wechat-wxid"),
    pytest.param("微信 13800138000", "微信 138****8000", ["mobile"], id="wechat-is-phone"),
    # car plates
    pytest.param("车牌京A12345", "车牌京A***45", ["plate"], id="plate"),
    pytest.param("沪A·8B2C3被拖走", "沪A·***C3被拖走", ["plate"], id="plate-dot-letters"),
    pytest.param("粤b 12345", "粤b ***45", ["plate"], id="plate-lowercase-space"),
    pytest.param("京AD12345", "京A****45", ["plate"], id="plate-new-energy-small"),
    pytest.param("粤B12345F", "粤B****5F", ["plate"], id="plate-new-energy-large"),
    pytest.param("苏E1234学", "苏E***4学", ["plate"], id="plate-learner"),
    # street addresses down to the door number
    pytest.param("北京市朝阳区建国路88号", "北京市朝阳区建国路**号", ["address"], id="address-road"),
    pytest.param(
        "住在建国路88号院3号楼2单元501室", "住在建国路**号院*号楼*单元***室", ["address"], id="address-full"
    ),
    pytest.param("长宁区愚园路123弄45号", "长宁区愚园路***弄**号", ["address"], id="address-lane"),
    pytest.param("中关村大街27号", "中关村大街**号", ["address"], id="address-avenue"),
    pytest.param("高新南七道10号", "高新南七道**号", ["address"], id="address-dao"),
    pytest.param("阳光花园3栋2单元502室", "阳光花园*栋*单元***室", ["address"], id="address-estate"),
    pytest.param("幸福小区3-2-501", "幸福小区*-*-***", ["address"], id="address-estate-dashes"),
    pytest.param("王家村3组15号", "王家村*组**号", ["address"], id="address-village"),
    pytest.param("5号楼2单元1201", "*号楼*单元****", ["address"], id="address-building-only"),
    pytest.param("朝阳门北大街甲8号", "朝阳门北大街甲*号", ["address"], id="address-jia-number"),
    pytest.param("人民南路四段12号", "人民南路四段**号", ["address"], id="address-road-section"),
    pytest.param("华润大厦A座1502室", "华润大厦*座****室", ["address"], id="address-tower"),
]

# Text that only looks like personal data: must come back unchanged.
KEPT = [
    pytest.param("赔偿经济损失36000元", id="money"),
    pytest.param("借了13800000000元", id="money-11-digits"),
    pytest.param("标的额￥6228480402564890018", id="money-yuan-sign-before"),
    pytest.param("转账 20000 元", id="money-spaced"),
    pytest.param("2024年1月15日入职", id="date-chinese"),
    pytest.param("2023-05-01 10:00 开庭", id="date-iso"),
    pytest.param("20230501", id="date-compact"),
    pytest.param("依据《民法典》第1165条", id="article"),
    pytest.param("第一千零三十八条", id="article-chinese-numerals"),
    pytest.param("第13800138000号", id="ordinal"),
    pytest.param("案号(2022)沪0115民初88888号", id="case-number"),
    pytest.param("（2023）京0105民初12345号判决", id="case-number-fullwidth"),
    pytest.param("(2021)粤03民终1234号", id="case-number-appeal"),
    pytest.param("年利率15.4%", id="percentage"),
    pytest.param("利率13800138000%", id="percentage-phone-shaped"),
    pytest.param("试用期6个月，工期180天", id="durations"),
    pytest.param("订单号：6228480402564890018", id="order-number-luhn"),
    pytest.param("订单编号 13800138000", id="order-number-phone-shaped"),
    pytest.param("流水号 202305011234567890", id="serial-number"),
    pytest.param("快递单号 75123456789012", id="waybill"),
    pytest.param("律师执业证号 11101200910123456", id="lawyer-licence"),
    pytest.param("统一社会信用代码 91110108MA01ABCD2X", id="credit-code"),
    pytest.param("110101199013071232", id="id-bad-month"),
    pytest.param("6228480402564890019", id="card-bad-luhn"),
    pytest.param("打卡1234567890123456次", id="clock-in-not-card"),
    pytest.param("充值卡 1234567890123456元", id="card-amount"),
    pytest.param("订单账号 6222021234567890123", id="order-account"),
    pytest.param("卡号12345678901234567890", id="card-twenty-digits"),
    pytest.param("2023050112345678", id="card-shaped-date-prefix"),
    pytest.param("400-800-8888", id="service-hotline"),
    pytest.param("12345678901", id="eleven-digits-not-mobile"),
    pytest.param("QQ群 123456789", id="qq-group"),
    pytest.param("微信转账20000元", id="wechat-payment-money"),
    pytest.param("微信同号", id="wechat-same-number"),
    pytest.param("北京A股上涨", id="not-a-plate"),
    pytest.param("最新A1234567", id="plate-too-long"),
    pytest.param("中山路派出所", id="road-without-number"),
    pytest.param("我知道3号开庭", id="zhidao-not-road"),
    pytest.param("人民法院第3号法庭", id="court-room"),
    pytest.param("乘地铁2号线", id="metro-line"),
    pytest.param("住501室", id="lone-room"),
    pytest.param("高速公路120公里处", id="road-distance"),
    pytest.param("1.5万元，3.14，1,380,000", id="decimals"),
    pytest.param("110105491231002", id="old-id-unnamed"),
    pytest.param("这一段12号之前要交", id="duan-not-road"),
    pytest.param("12348法律援助热线、12345市民热线、95588", id="hotlines"),
    pytest.param("京ICP备12345678号-1 京公网安备11010502030143号", id="icp-licence"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize(("text", "masked", "kinds"), FOUND)
def test_mask_text_masks_kind(text, masked, kinds):
    result = mask_text(text)

    assert result.text == masked
    assert [f.kind for f in result.findings] == kinds


@pytest.mark.parametrize("text", KEPT)
def test_mask_text_leaves_near_miss_alone(text):
    result = mask_text(text)

    assert (result.text, result.findings) == (text, [])


@pytest.mark.parametrize(("text", "masked", "kinds"), FOUND)
def test_mask_text_is_idempotent_on_table(text, masked, kinds):
    assert mask_text(masked).text == masked


def test_mask_text_spans_point_into_original():
    text = "电话13800138000，邮箱a.b@x.cn，车牌京A12345"

    result = mask_text(text)

    originals = [text[slice(*f.span)] for f in result.findings]
    assert originals == ["13800138000", "a.b@x.cn", "京A12345"]
    assert [f.masked for f in result.findings] == ["138****8000", "a**@x.cn", "京A***45"]
    assert [f.label for f in result.findings] == ["手机号", "电子邮箱", "车牌号"]


def test_mask_text_several_kinds_in_one_question():
    text = "我叫张三，身份证110101199003071233，手机13800138000，工资卡6228480402564890018，欠薪20000元。"

    result = mask_text(text)

    assert (
        result.text
        == "我叫张三，身份证110101********1233，手机138****8000，工资卡6228***********0018，欠薪20000元。"
    )


def test_kind_labels_and_reasons_cover_every_kind():
    assert set(KIND_LABELS) == set(KIND_REASONS)


def test_masking_doctests_pass():
    failures, _ = doctest.testmod(masking)
    assert failures == 0


# --- properties -----------------------------------------------------------------------------
REGIONS = ["110101", "110105", "310101", "440301", "440306", "510104", "330106", "420111"]


@st.composite
def resident_ids(draw):
    body = (
        draw(st.sampled_from(REGIONS))
        + f"{draw(st.integers(1930, 2015))}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
        + f"{draw(st.integers(0, 999)):03d}"
    )
    number = body + ric.calc_check_digit(body + "0")
    return number.lower() if draw(st.booleans()) else number


@st.composite
def bank_cards(draw):
    length = draw(st.integers(16, 19))
    body = draw(st.sampled_from(["62", "4", "5", "9"]))
    body += "".join(str(draw(st.integers(0, 9))) for _ in range(length - 1 - len(body)))
    return body + luhn.calc_check_digit(body)


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)
)
landlines = st.builds(
    lambda area, local: f"{area}-{local}",
    st.sampled_from(["010", "021", "0755", "0571", "0931"]),
    st.integers(2 * 10**7, 10**8 - 1).map(str),
)


def spaced(number: str, draw) -> str:
    """Maybe write `number` in groups of four separated by spaces."""
    if draw(st.booleans()):
        return number
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


FILLER = st.text(alphabet="的我是在了他欠钱工资元年月日号第条，。：、 abcXYZ", max_size=12)
NOISE = st.text(
    alphabet=st.sampled_from(list("0123456789 -+()@._xX*号路栋室元年第QQ微信京A:：，。abc")), max_size=60
)


@st.composite
def texts_with_pii(draw):
    kind = draw(st.sampled_from(["id", "card", "mobile", "landline"]))
    number = {
        "id": lambda: spaced(draw(resident_ids()), draw),
        "card": lambda: spaced(draw(bank_cards()), draw),
        "mobile": lambda: draw(mobiles),
        "landline": lambda: draw(landlines),
    }[kind]()
    return draw(FILLER) + "：" + number + "，" + draw(FILLER), number


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_mask_text_never_raises_and_is_idempotent_on_any_text(text):
    once = mask_text(text)

    assert len(once.text) == len(text)
    assert mask_text(once.text).text == once.text


@settings(max_examples=100, deadline=None)
@given(NOISE)
def test_mask_text_is_idempotent_on_digit_noise(text):
    once = mask_text(text)

    assert mask_text(once.text) == type(once)(once.text, [])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_pii())
def test_mask_text_hides_every_generated_number(case):
    text, number = case

    result = mask_text(text)

    flat = re.sub(r"[\s\-+]", "", result.text)
    core = re.sub(r"[\s\-+]", "", number).upper()
    assert core not in flat.upper()
    assert result.findings


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_pii(), NOISE)
def test_mask_text_leaves_no_eight_digit_run_of_a_finding(case, noise):
    text = case[0] + noise

    result = mask_text(text)

    for finding in result.findings:
        shown = re.sub(r"[\s\-+()]", "", result.text[slice(*finding.span)])
        assert not re.search(r"[0-9]{8,}", shown), (finding, shown)
