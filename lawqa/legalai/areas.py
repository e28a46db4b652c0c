"""The 20 practice areas and the hand-written rules that give weak labels.

Pure module: no Django import. Two honest sources of weak labels for training the
classifier on unlabelled questions:

* ``keyword_scores`` — keyword rules written by hand (colloquial words people use);
* ``law_area`` — the area a cited statute article belongs to (a 民法典 article by its
  part and chapter range, other laws by their name).

>>> AREAS[0], len(AREAS)
('婚姻家庭', 20)
>>> law_area("中华人民共和国民法典", 1079)
'婚姻家庭'
>>> law_area("劳动合同法", 39)
'劳动纠纷'
>>> best_keyword_area("老公出轨了我要离婚，孩子抚养权归谁")
'婚姻家庭'
"""

from __future__ import annotations

import re

from lawqa.common.areas import AREAS as _COMMON_AREAS

#: The 20 practice area names, in the order of lawqa/common/areas.py (the one definition).
AREAS: tuple[str, ...] = tuple(area.name for area in _COMMON_AREAS)


def _weighted(words: str, weight: int) -> dict[str, int]:
    return dict.fromkeys(words.split(), weight)


#: Hand-written colloquial keywords per area; weight 2 for words that nearly decide the
#: area on their own, 1 for words that only lean towards it.
KEYWORDS: dict[str, dict[str, int]] = {
    "婚姻家庭": _weighted(
        "离婚 结婚 彩礼 抚养权 抚养费 探视权 夫妻 复婚 分居 出轨 重婚 收养 前妻 前夫 家暴 "
        "婚前 婚后 领证 结婚证 离婚协议 赡养 遗产 遗嘱 继承 小三 嫁妆 共同财产 私生子 亲子鉴定",
        2,
    )
    | _weighted("老公 老婆 丈夫 妻子 孩子 儿子 女儿 父母 婆婆 岳父 媳妇 男朋友 女朋友 户口", 1),
    "劳动纠纷": _weighted(
        "劳动合同 辞退 开除 加班费 社保 试用期 工伤 经济补偿 劳动仲裁 用人单位 离职 年假 五险一金 "
        "拖欠工资 解除劳动 劳动关系 双倍工资 竞业 劳务派遣 最低工资 辞职 裁员 补缴",
        2,
    )
    | _weighted("工资 上班 员工 老板 公司 单位 入职 仲裁 加班 考勤 打卡 保险 退休 工作", 1),
    "交通事故": _weighted(
        "车祸 交通事故 肇事 酒驾 醉驾 驾照 驾驶证 追尾 责任认定书 交强险 逃逸 闯红灯 机动车 "
        "行驶证 交警 撞车 被撞 撞了 撞伤 商业险 交通",
        2,
    )
    | _weighted("电动车 摩托车 汽车 开车 司机 车主 车辆 违章 高速 骑车 撞", 1),
    "债权债务": _weighted(
        "借款 借条 欠条 欠钱 还钱 借钱 欠款 债务 债权 利息 高利贷 网贷 催收 还款 要债 讨债 逾期 "
        "借了 欠我 不还 民间借贷 借给",
        2,
    )
    | _weighted("转账 被骗 骗 钱 信用卡 花呗 起诉 执行", 1),
    "刑事辩护": _weighted(
        "判刑 判几年 坐牢 拘留 看守所 取保候审 缓刑 犯罪 刑事 盗窃 抢劫 诈骗罪 贩毒 毒品 赌博 "
        "逮捕 判多久 监狱 自首 检察院 谅解书 量刑 刑拘 罪 服刑 传销 吸毒 判决 死刑 有期徒刑",
        2,
    )
    | _weighted("公安 派出所 报警 警察 立案 诈骗 偷 抓 犯法 违法 判", 1),
    "合同纠纷": _weighted(
        "合同 违约 定金 违约金 解除合同 订金 协议书 签约 租赁合同 承包合同 买卖合同 合同纠纷 "
        "合同到期 签合同 补充协议",
        2,
    )
    | _weighted("协议 签订 约定 承包 租 退款 押金 加盟 培训", 1),
    "房产纠纷": _weighted(
        "房产 房屋 买房 卖房 购房 房产证 产权 二手房 开发商 过户 宅基地 租房 房东 不动产 商品房 "
        "房产纠纷 房本 交房 购房合同 首付 契税 小产权 房租 租客 租户 物业费",
        2,
    )
    | _weighted("房子 物业 楼 小区 中介 装修 漏水 业主", 1),
    "侵权": _weighted(
        "侵权 名誉 肖像权 隐私 诽谤 侮辱 损坏 邻居 狗咬 宠物 高空 坠物 漏水 人格权 名誉权 骂 造谣 侵犯 "
        "个人信息 信息泄露 泄露 隐私权 骚扰 人肉",
        2,
    )
    | _weighted("赔偿 责任 损失 物业 学校 村委会 照片", 1),
    "公司法": _weighted(
        "公司法 股东 股权 法人 注册公司 合伙 入股 退股 分红 董事 破产 清算 营业执照 法定代表人 "
        "注册资本 股份 合伙人 监事 公司章程 个体工商户 税务 发票",
        2,
    )
    | _weighted("公司 企业 投资 经营 生意 微商 代理", 1),
    "医疗纠纷": _weighted(
        "医院 医疗事故 医生 手术 误诊 护士 医疗纠纷 医疗损害 病历 医保 住院 治疗 门诊 看病 "
        "美容 整形 药 医疗费 医药费 伤残等级 十级伤残 九级伤残 工伤鉴定 法医",
        2,
    )
    | _weighted("病 伤残 鉴定 骨折 检查 怀孕 孕 工地 受伤 死亡", 1),
    "拆迁安置": _weighted(
        "拆迁 征收 征地 安置 拆除 强拆 违建 动迁 回迁 还迁 补偿款 拆迁款 占地 征用 土地补偿 "
        "安置房 拆迁户 违章建筑 青苗",
        2,
    )
    | _weighted("补偿 土地 村 村里 农村 宅基地 集体 村委 户口 承包地", 1),
    "行政诉讼": _weighted(
        "行政诉讼 行政处罚 城管 行政复议 国家赔偿 执法 罚款 工商局 处罚决定 信访 上访 政府 "
        "行政机关 行政 公安局 税务局 市场监管 吊销 开庭 上诉 再审 一审 二审 判决书 法院 冻结",
        2,
    )
    | _weighted("处罚 起诉 执行 部门 通知 扣", 1),
    "建设工程": _weighted(
        "工程 工地 包工头 施工 工程款 建筑 分包 转包 农民工 项目部 总包 结算 工期 竣工 "
        "建设工程 装修公司 施工队 挖掘机 水电工",
        2,
    )
    | _weighted("装修 干活 承包 工人 材料 瓷砖", 1),
    "知识产权": _weighted(
        "专利 商标 版权 著作权 抄袭 盗版 侵权 软件 作品 发明 商业秘密 知识产权 外观专利 "
        "注册商标 仿冒 山寨 署名 音乐 图片 照片 斗图 表情包 域名",
        2,
    )
    | _weighted("品牌 设计 加盟 平台 游戏 网络", 1),
    "综合咨询": _weighted("律师 咨询 法律 全文 下载 律师费 找律师 怎么办 法律援助", 1),
    "人身损害": _weighted(
        "打人 打伤 被打 轻伤 重伤 轻微伤 打架 殴打 故意伤害 寻衅滋事 人身损害 伤害 受伤 "
        "缝针 脑震荡 打了 砸 伤情鉴定 致残 死亡赔偿",
        2,
    )
    | _weighted("伤 骨折 医药费 赔偿 鉴定 误工费 营养费 赔", 1),
    "涉外法律": _weighted(
        "外国 国外 护照 签证 出境 入境 国籍 移民 外籍 中外合资 外资 外商 境外 海外 涉外 "
        "香港 台湾 澳门 出国 外国人 绿卡 华侨 日本 美国 越南 留学 跨境",
        2,
    )
    | _weighted("合资 国际 进口 出口", 1),
    "海事海商": _weighted(
        "货物 运输 物流 船 船舶 海运 货运 运费 集装箱 港口 码头 海关 提单 托运 承运 船员 "
        "海上 货车 拉货 运货 走私 船东 保税 报关",
        2,
    )
    | _weighted("快递 货 发货 司机 铁路 火车", 1),
    "消费权益": _weighted(
        "消费者 商家 退货 假货 质量问题 淘宝 网购 商品 三倍 售后 卖家 会员卡 健身房 12315 "
        "消费 欺诈 买到 退一赔三 退一赔十 保质期 过期 食品安全 维权 店家 京东 拼多多 快递 "
        "物业 漏水",
        2,
    )
    | _weighted("买了 退款 购买 质量 店 产品 收费 服务", 1),
    "抵押担保": _weighted(
        "抵押 担保 担保人 质押 贷款 保证人 车贷 房贷 解押 按揭 抵押贷款 连带责任 担保责任 "
        "保证责任 公积金贷款 银行贷款 垫资 过桥 质押物 典当",
        2,
    )
    | _weighted("银行 贷 利率 征信", 1),
}


def keyword_scores(text: str) -> dict[str, int]:
    """Sum of keyword weights per area for `text` (areas with no hit are left out).

    >>> keyword_scores("被撞了，交警出了责任认定书")["交通事故"]
    9
    """
    out: dict[str, int] = {}
    for area, words in KEYWORDS.items():
        score = sum(w for word, w in words.items() if word in text)
        if score:
            out[area] = score
    return out


def best_keyword_area(text: str, margin: int = 2) -> str | None:
    """The area whose keywords clearly win for `text`, or None when none or a tie.

    >>> best_keyword_area("你好") is None
    True
    """
    scores = sorted(keyword_scores(text).items(), key=lambda kv: -kv[1])
    if not scores:
        return None
    if len(scores) > 1 and scores[0][1] - scores[1][1] < margin:
        return None
    return scores[0][0]


# 民法典 article ranges → area (by part and chapter; the first matching range wins).
_CIVIL_CODE_RANGES: tuple[tuple[int, int, str], ...] = (
    (1208, 1217, "交通事故"),  # 机动车交通事故责任
    (1218, 1228, "医疗纠纷"),  # 医疗损害责任
    (1164, 1258, "侵权"),  # 侵权责任编
    (989, 1039, "侵权"),  # 人格权编
    (1040, 1163, "婚姻家庭"),  # 婚姻家庭编 + 继承编
    (667, 680, "债权债务"),  # 借款合同
    (681, 702, "抵押担保"),  # 保证合同
    (788, 808, "建设工程"),  # 建设工程合同
    (809, 842, "海事海商"),  # 运输合同
    (703, 734, "房产纠纷"),  # 租赁合同
    (937, 950, "房产纠纷"),  # 物业服务合同
    (545, 556, "债权债务"),  # 合同的变更和转让（债权转让）
    (463, 988, "合同纠纷"),  # 合同编
    (386, 462, "抵押担保"),  # 担保物权
    (205, 385, "房产纠纷"),  # 物权编
    (1, 204, "综合咨询"),  # 总则编
)

# Law name fragment → area; checked in order, so put specific names before general ones.
_LAW_RULES: tuple[tuple[str, str], ...] = (
    ("担保", "抵押担保"),
    ("民间借贷", "债权债务"),
    ("建设工程", "建设工程"),
    ("建筑", "建设工程"),
    ("招标投标", "建设工程"),
    ("劳动", "劳动纠纷"),
    ("工伤", "劳动纠纷"),
    ("社会保险", "劳动纠纷"),
    ("工资", "劳动纠纷"),
    ("职工", "劳动纠纷"),
    ("道路交通", "交通事故"),
    ("交通事故", "交通事故"),
    ("机动车", "交通事故"),
    ("医疗", "医疗纠纷"),
    ("医师", "医疗纠纷"),
    ("药品", "医疗纠纷"),
    ("精神损害", "人身损害"),
    ("人身损害", "人身损害"),
    ("治安管理", "人身损害"),
    ("刑事", "刑事辩护"),
    ("刑法", "刑事辩护"),
    ("盗窃", "刑事辩护"),
    ("诈骗", "刑事辩护"),
    ("毒品", "刑事辩护"),
    ("商标", "知识产权"),
    ("著作权", "知识产权"),
    ("专利", "知识产权"),
    ("计算机软件", "知识产权"),
    ("知识产权", "知识产权"),
    ("反不正当竞争", "知识产权"),
    ("海商", "海事海商"),
    ("海事", "海事海商"),
    ("海上", "海事海商"),
    ("船", "海事海商"),
    ("港口", "海事海商"),
    ("海关", "海事海商"),
    ("外商", "涉外法律"),
    ("外国", "涉外法律"),
    ("涉外", "涉外法律"),
    ("出境入境", "涉外法律"),
    ("护照", "涉外法律"),
    ("国籍", "涉外法律"),
    ("征收", "拆迁安置"),
    ("拆迁", "拆迁安置"),
    ("土地管理", "拆迁安置"),
    ("土地承包", "拆迁安置"),
    ("消费者", "消费权益"),
    ("产品质量", "消费权益"),
    ("食品安全", "消费权益"),
    ("旅游", "消费权益"),
    ("电子商务", "消费权益"),
    ("物业", "房产纠纷"),
    ("房屋", "房产纠纷"),
    ("房地产", "房产纠纷"),
    ("不动产", "房产纠纷"),
    ("婚姻", "婚姻家庭"),
    ("继承", "婚姻家庭"),
    ("收养", "婚姻家庭"),
    ("家庭", "婚姻家庭"),
    ("未成年人", "婚姻家庭"),
    ("公司", "公司法"),
    ("合伙企业", "公司法"),
    ("企业破产", "公司法"),
    ("证券", "公司法"),
    ("个人独资", "公司法"),
    ("个体工商户", "公司法"),
    ("行政", "行政诉讼"),
    ("政府信息", "行政诉讼"),
    ("国家赔偿", "行政诉讼"),
    ("信访", "行政诉讼"),
    ("保险", "合同纠纷"),
    ("合同", "合同纠纷"),
    ("民事诉讼", "综合咨询"),
)


def law_area(law: str, article: int | None = None) -> str | None:
    """The practice area a statute (and article, for 民法典) belongs to, or None.

    >>> law_area("中华人民共和国民法典", 1213)
    '交通事故'
    >>> law_area("最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释", 20)
    '抵押担保'
    >>> law_area("中华人民共和国宪法") is None
    True
    """
    name = re.sub(r"[《》〈〉<>\s]", "", law).removeprefix("中华人民共和国")
    if name.startswith("民法典") and article is not None and "解释" not in name:
        for lo, hi, area in _CIVIL_CODE_RANGES:
            if lo <= article <= hi:
                return area
        return None
    for fragment, area in _LAW_RULES:
        if fragment in name:
            return area
    return None
