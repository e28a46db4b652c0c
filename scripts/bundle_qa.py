"""Build the demo Q&A bundle the product ships (maintainers only; `make data`).

Reads all 9,054 records of ../shared/data/qa/{answered,open_questions}.jsonl and writes
  data/demo_qa.jsonl.gz   one record a line: id, title, body, answer, source, gold_articles (when present)
  data/demo_accounts.json the demo lawyers (fictional names, firms and licence numbers; verified,
                          marked 演示数据 on the site) and the demo asker accounts the import uses.

The output is byte-for-byte reproducible (sorted keys, gzip mtime 0), so an unchanged source
does not make `make setup` import again.

    .venv/bin/python scripts/bundle_qa.py [--qa-dir ../shared/data/qa] [--out-dir data]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEEP = ("id", "title", "body", "answer", "source", "gold_articles")
FILES = ("answered.jsonl", "open_questions.jsonl")

# Demo lawyers: (real_name, firm, province, city, areas). Names are common Chinese names; the firms
# are invented and carry （演示） so nobody mistakes them for real ones.
LAWYERS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("王建国", "京衡明理律师事务所（演示）", "北京", "北京", ("婚姻家庭", "债权债务", "综合咨询")),
    ("李淑敏", "京衡明理律师事务所（演示）", "北京", "北京", ("劳动纠纷", "人身损害", "综合咨询")),
    ("赵志刚", "燕京正和律师事务所（演示）", "北京", "北京", ("刑事辩护", "行政诉讼")),
    ("陈静怡", "浦江衡信律师事务所（演示）", "上海", "上海", ("公司法", "合同纠纷", "知识产权")),
    ("周文涛", "浦江衡信律师事务所（演示）", "上海", "上海", ("海事海商", "涉外法律", "合同纠纷")),
    ("吴晓丽", "申城立言律师事务所（演示）", "上海", "上海", ("消费权益", "侵权", "综合咨询")),
    ("黄志明", "羊城正平律师事务所（演示）", "广东", "广州", ("劳动纠纷", "建设工程", "合同纠纷")),
    ("林雅婷", "羊城正平律师事务所（演示）", "广东", "广州", ("婚姻家庭", "房产纠纷")),
    ("刘海波", "鹏城海岳律师事务所（演示）", "广东", "深圳", ("海事海商", "公司法", "涉外法律")),
    ("张丽华", "鹏城海岳律师事务所（演示）", "广东", "深圳", ("知识产权", "消费权益", "侵权")),
    ("杨振宇", "钱塘明镜律师事务所（演示）", "浙江", "杭州", ("债权债务", "抵押担保", "合同纠纷")),
    ("徐慧敏", "钱塘明镜律师事务所（演示）", "浙江", "杭州", ("消费权益", "知识产权", "综合咨询")),
    ("孙立新", "金陵致远律师事务所（演示）", "江苏", "南京", ("交通事故", "人身损害", "医疗纠纷")),
    ("朱晓燕", "姑苏衡平律师事务所（演示）", "江苏", "苏州", ("房产纠纷", "拆迁安置", "建设工程")),
    ("胡建军", "天府守正律师事务所（演示）", "四川", "成都", ("刑事辩护", "交通事故", "人身损害")),
    ("何雪梅", "天府守正律师事务所（演示）", "四川", "成都", ("婚姻家庭", "劳动纠纷", "医疗纠纷")),
    ("郭志强", "江城同舟律师事务所（演示）", "湖北", "武汉", ("建设工程", "债权债务", "抵押担保")),
    ("马丽娜", "长安信达律师事务所（演示）", "陕西", "西安", ("行政诉讼", "拆迁安置", "综合咨询")),
    ("罗永刚", "泉城明德律师事务所（演示）", "山东", "济南", ("刑事辩护", "债权债务")),
    ("梁晓东", "琴岛海通律师事务所（演示）", "山东", "青岛", ("海事海商", "合同纠纷", "公司法")),
    ("宋佳琪", "鹭岛和衡律师事务所（演示）", "福建", "厦门", ("涉外法律", "婚姻家庭", "知识产权")),
    ("郑国栋", "中原正衡律师事务所（演示）", "河南", "郑州", ("交通事故", "劳动纠纷", "人身损害")),
    ("谢婉清", "湘江明法律师事务所（演示）", "湖南", "长沙", ("医疗纠纷", "侵权", "消费权益")),
    ("韩立军", "津门求是律师事务所（演示）", "天津", "天津", ("房产纠纷", "抵押担保", "债权债务")),
    ("唐晓梅", "山城立信律师事务所（演示）", "重庆", "重庆", ("婚姻家庭", "交通事故", "综合咨询")),
    ("冯志伟", "滨城海晟律师事务所（演示）", "辽宁", "大连", ("海事海商", "涉外法律", "合同纠纷")),
    ("曹明辉", "盛京公信律师事务所（演示）", "辽宁", "沈阳", ("劳动纠纷", "建设工程", "行政诉讼")),
    ("邓雅琴", "春城正阳律师事务所（演示）", "云南", "昆明", ("拆迁安置", "行政诉讼", "房产纠纷")),
    ("许文博", "庐州弘法律师事务所（演示）", "安徽", "合肥", ("公司法", "债权债务", "合同纠纷")),
    ("彭晓红", "洪都明辨律师事务所（演示）", "江西", "南昌", ("婚姻家庭", "侵权", "人身损害")),
    ("曾国平", "邕城秉正律师事务所（演示）", "广西", "南宁", ("刑事辩护", "医疗纠纷", "综合咨询")),
    ("萧敏", "冰城正本律师事务所（演示）", "黑龙江", "哈尔滨", ("交通事故", "消费权益", "劳动纠纷")),
    ("田振华", "燕赵衡石律师事务所（演示）", "河北", "石家庄", ("拆迁安置", "房产纠纷", "抵押担保")),
    ("董婧", "椰城海诚律师事务所（演示）", "海南", "海口", ("涉外法律", "海事海商", "房产纠纷")),
    ("袁海涛", "筑城守信律师事务所（演示）", "贵州", "贵阳", ("建设工程", "合同纠纷", "债权债务")),
    ("潘晓琳", "金城明理律师事务所（演示）", "甘肃", "兰州", ("行政诉讼", "医疗纠纷", "知识产权")),
)

# Province → two-digit code used to compose the (fictional) 17-digit licence numbers.
PROVINCE_CODES = {
    "北京": "11", "天津": "12", "河北": "13", "辽宁": "21", "黑龙江": "23", "上海": "31", "江苏": "32",
    "浙江": "33", "安徽": "34", "福建": "35", "江西": "36", "山东": "37", "河南": "41", "湖北": "42",
    "湖南": "43", "广东": "44", "广西": "45", "海南": "46", "重庆": "50", "四川": "51", "贵州": "52",
    "云南": "53", "陕西": "61", "甘肃": "62",
}  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
ASKER_SUFFIXES = ("先生", "女士", "同学")
ASKER_PROVINCES = (
    "北京",
    "上海",
    "广东",
    "浙江",
    "江苏",
    "四川",
    "湖北",
    "山东",
    "河南",
    "湖南",
    "福建",
    "陕西",
)
N_ASKERS = 120


def read_records(qa_dir: Path) -> list[dict]:
    records = []
    for name in FILES:
        with (qa_dir / name).open(encoding="utf-8") as f:
            for line in f:
                raw = json.loads(line)
                records.append({k: raw[k] for k in KEEP if k in raw and raw[k] is not None})
    return records


def licence_no(index: int, province: str) -> str:
    """17 digits: 1 + province code + 01 + first-practice year + type 1 + sequence (all fictional)."""
    year = 2006 + (index * 7) % 15
    return f"1{PROVINCE_CODES[province]}01{year}1{90000 + index:07d}"


def demo_accounts() -> dict:
    lawyers = []
    for i, (name, firm, province, city, areas) in enumerate(LAWYERS, start=1):
        lawyers.append(
            {
                "username": f"demo_lawyer_{i:02d}",
                "real_name": name,
                "license_no": licence_no(i, province),
                "firm": firm,
                "province": province,
                "city": city,
                "areas": list(areas),
                "bio": f"演示账户（非真实律师）。执业地：{province}{'' if province == city else city}；"
                f"擅长{'、'.join(areas)}。",
            }
        )
    askers = []
    for i in range(N_ASKERS):
        surname = SURNAMES[(i * 7) % len(SURNAMES)]
        suffix = ASKER_SUFFIXES[i % len(ASKER_SUFFIXES)]
        askers.append(
            {
                "username": f"demo_asker_{i + 1:03d}",
                "nickname": f"{surname}{suffix}{(i * 37) % 90 + 10}",
                "province": ASKER_PROVINCES[(i * 5) % len(ASKER_PROVINCES)],
            }
        )
    return {"lawyers": lawyers, "askers": askers}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--qa-dir", type=Path, default=ROOT.parent / "shared" / "data" / "qa")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args()

    records = read_records(args.qa_dir)
    ids = [r["id"] for r in records]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate ids in the source data")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as gz:
        for r in records:
            gz.write((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / "demo_qa.jsonl.gz"
    out.write_bytes(buf.getvalue())

    accounts = demo_accounts()
    licences = [law["license_no"] for law in accounts["lawyers"]]
    if not all(len(x) == 17 and x.isdigit() for x in licences) or len(set(licences)) != len(licences):
        raise SystemExit("licence numbers must be 17 unique digits")
    (args.out_dir / "demo_accounts.json").write_text(
        json.dumps(accounts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    answered = sum(1 for r in records if r.get("answer"))
    print(
        f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {len(records)} records "
        f"({answered} with an answer), {out.stat().st_size / 1e6:.2f} MB; "
        f"{len(accounts['lawyers'])} demo lawyers, {len(accounts['askers'])} demo askers"
    )


if __name__ == "__main__":
    main()
