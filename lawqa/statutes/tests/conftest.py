"""A small statute library, in bundle-record form, imported for the Django tests of this app."""

import pytest

from lawqa.statutes import services


def _rec(
    rid, name, title, body, *, publish="2020-01-01", status="现行有效", current=True, level="法律", **extra
):
    return {
        "id": rid,
        "name": name,
        "title": title,
        "subtitle": None,
        "level": level,
        "category": "测试",
        "folder": None,
        "file": None,
        "publish": publish,
        "valid_from": publish,
        "expired": status != "现行有效",
        "ver": 1,
        "header": [f"{publish} 通过"],
        "body": body,
        "repealed_on": None,
        "repealed_by": None,
        "successor": None,
        "status": status,
        "is_current": current,
        **extra,
    }


CIVIL_CODE = """
# 第一编 总则
## 第一章 基本规定
第一条 为了保护民事主体的合法权益，制定本法。

第二条 民法调整平等主体之间的人身关系和财产关系。
# 第四编 人格权
## 第六章 隐私权和个人信息保护
第一千零三十八条 信息处理者不得泄露或者篡改其收集、存储的个人信息。

信息处理者应当采取技术措施。

第一千零三十九条 国家机关应当对个人信息予以保密。
# 附则
第一千二百六十条 本法自2021年1月1日起施行。
"""

LABOUR = """
## 第一章 总则
第一条 为了完善劳动合同制度，制定本法。
第二条 本法适用于劳动合同。
第三十八条 用人单位有下列情形之一的，劳动者可以解除劳动合同：
(一)未按照劳动合同约定提供劳动保护的；
（二）未及时足额支付劳动报酬的；
第四十六条 有下列情形之一的，用人单位应当向劳动者支付经济补偿。
"""

CRIMINAL = """
第一百二十八 条本条有排版缺陷。
第一百二十九条 下一条。
第一百三十三条之一 在道路上驾驶机动车，追逐竞驶，情节恶劣的，处拘役。
"""


def library_records():
    return [
        _rec("civil", "民法典", "中华人民共和国民法典", CIVIL_CODE),
        _rec("labour", "劳动合同法", "中华人民共和国劳动合同法", LABOUR),
        _rec("criminal", "刑法", "中华人民共和国刑法", CRIMINAL),
        _rec(
            "company-2018",
            "公司法",
            "中华人民共和国公司法",
            "第一条 旧版。\n第二条 旧版第二条。",
            publish="2018-10-26",
            status="已修订",
            current=False,
            successor="公司法",
        ),
        _rec("company-2023", "公司法", "中华人民共和国公司法", "第一条 新版。", publish="2023-12-29"),
        _rec(
            "marriage",
            "婚姻法",
            "中华人民共和国婚姻法",
            None,
            publish="2001-04-28",
            status="已废止",
            current=False,
            repealed_on="2021-01-01",
            repealed_by="《中华人民共和国民法典》第一千二百六十条",
            successor="民法典",
        ),
    ]


@pytest.fixture
def statutes(db):
    """Import the small library; returns the import report."""
    services.reset_law_table()
    report = services.import_library(records=library_records())
    yield report
    services.reset_law_table()
