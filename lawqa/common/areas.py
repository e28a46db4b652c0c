"""The 20 practice areas (LawBench 2-4 / CrimeKgAssitant labels) with stable URL slugs."""

from typing import NamedTuple


class Area(NamedTuple):
    name: str
    slug: str
    description: str


AREAS: tuple[Area, ...] = (
    Area("婚姻家庭", "marriage-family", "离婚、抚养权、彩礼、夫妻财产、继承与赡养"),
    Area("劳动纠纷", "labor", "劳动合同、拖欠工资、辞退补偿、工伤与社保"),
    Area("交通事故", "traffic", "事故责任认定、保险理赔、人身伤亡赔偿"),
    Area("债权债务", "debt", "借款、欠款追讨、民间借贷与担保责任"),
    Area("刑事辩护", "criminal", "刑事案件辩护、取保候审、量刑与羁押"),
    Area("合同纠纷", "contract", "合同效力、违约责任、解除与赔偿"),
    Area("房产纠纷", "real-estate", "买卖、租赁、产权登记与物业纠纷"),
    Area("侵权", "tort", "名誉、隐私、财产侵权及损害赔偿"),
    Area("公司法", "company", "股权、公司治理、股东权利与公司解散"),
    Area("医疗纠纷", "medical", "医疗事故、医疗损害鉴定与赔偿"),
    Area("拆迁安置", "demolition", "征收补偿、安置协议与违法拆迁"),
    Area("行政诉讼", "administrative", "行政处罚、行政复议与行政诉讼"),
    Area("建设工程", "construction", "工程款、施工合同、挂靠与质量纠纷"),
    Area("知识产权", "ip", "商标、专利、著作权与不正当竞争"),
    Area("综合咨询", "general", "其他法律问题与法律程序咨询"),
    Area("人身损害", "personal-injury", "人身伤害、打架斗殴与损害赔偿"),
    Area("涉外法律", "foreign", "涉外婚姻、涉外合同、出入境与外籍人士"),
    Area("海事海商", "maritime", "船舶、海上运输、海难救助与保险"),
    Area("消费权益", "consumer", "假一赔三、退一赔三、网购与售后纠纷"),
    Area("抵押担保", "mortgage", "抵押、质押、保证及担保物权"),
)

AREA_BY_NAME: dict[str, Area] = {a.name: a for a in AREAS}
AREA_BY_SLUG: dict[str, Area] = {a.slug: a for a in AREAS}
