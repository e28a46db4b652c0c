"""Build data/laws.jsonl.gz, the statute library the product ships, from ../shared/data/laws.

    .venv/bin/python scripts/bundle_laws.py [--src ../shared/data/laws] [--out data/laws.jsonl.gz]

One JSON record per document (one per version of a law), metadata from the source's own
index.sqlite3 (level, name, publish, valid_from, expired, ver, category) plus the raw markdown body;
`import_laws` parses the body with lawqa.statutes.library. Status per version:
  现行有效  the newest version of its name that is not expired
  已修订    an older version of a name that has a newer one
  已废止    expired with no newer version, or one of the civil laws the 民法典 repealed
民法典 (8 files, one per 编) becomes one record; each file's body is put under a `#` heading for
its 编. The nine civil laws repealed on 2021-01-01 by 民法典 第一千二百六十条 are name + date
records without text, so that citations of them can be recognised and flagged.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lawqa.statutes.library import parse_body  # noqa: E402  (path set up above)

CIVIL_CODE_PARTS = [
    ("总则", "第一编 总则"),
    ("物权编", "第二编 物权"),
    ("合同编", "第三编 合同"),
    ("人格权编", "第四编 人格权"),
    ("婚姻家庭编", "第五编 婚姻家庭"),
    ("继承编", "第六编 继承"),
    ("侵权责任编", "第七编 侵权责任"),
    ("附则", "附则"),
]
REPEALED_BY_CIVIL_CODE = "《中华人民共和国民法典》第一千二百六十条"
# name, promulgated (last amended where amended), in force from.
REPEALED_CIVIL_LAWS = [
    ("婚姻法", "2001-04-28", "1981-01-01"),
    ("继承法", "1985-04-10", "1985-10-01"),
    ("收养法", "1998-11-04", "1992-04-01"),
    ("担保法", "1995-06-30", "1995-10-01"),
    ("合同法", "1999-03-15", "1999-10-01"),
    ("物权法", "2007-03-16", "2007-10-01"),
    ("侵权责任法", "2009-12-26", "2010-07-01"),
    ("民法通则", "2009-08-27", "1987-01-01"),
    ("民法总则", "2017-03-15", "2017-10-01"),
]
DATE_LINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def split_doc(text: str) -> tuple[str, str | None, list[str], str]:
    """Return (title, subtitle, header lines, body) of one markdown document."""
    head, _, body = text.partition("<!-- INFO END -->")
    title, subtitle, lines = "", None, []
    for line in head.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            if not title:
                title = line.lstrip("#").strip()
            elif subtitle is None:
                subtitle = line.lstrip("#").strip()
        else:
            lines.append(line)
    return title, subtitle, lines, body


def header_dates(lines: list[str]) -> tuple[str | None, str | None]:
    """(promulgated, in force) from header lines such as `2021年1月1日 施行`."""
    publish = valid = None
    for line in lines:
        m = DATE_LINE.search(line)
        if not m:
            continue
        date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if "施行" in line and "起" not in line[: m.start()]:
            valid = date
        else:
            publish = date
    return publish, valid


def file_key(path: Path) -> tuple[str, str | None]:
    m = re.match(r"^(.*?)(?:\((\d{4}-\d{2}-\d{2})\))?$", path.stem)
    assert m
    return m.group(1), m.group(2)


def load_index(src: Path) -> list[dict]:
    con = sqlite3.connect(src / "index.sqlite3")
    con.row_factory = sqlite3.Row
    rows = con.execute(
        "SELECT l.id, l.level, l.name, l.filename, l.publish, l.valid_from, l.expired, l.ver, l.subtitle,"
        " c.name AS category, c.folder FROM law l JOIN category c ON c.id = l.category_id"
        " WHERE l.level != '案例' ORDER BY l.name, l.publish"
    ).fetchall()
    return [dict(r) for r in rows]


def match_files(src: Path, rows: list[dict]) -> tuple[list[tuple[dict, Path]], list[str]]:
    """Pair index rows with markdown files: folder + name + date, then name + date anywhere."""
    files = [p for p in src.rglob("*.md") if p.name != "_index.md"]
    by_folder: dict[tuple[str, str], list[tuple[str | None, Path]]] = defaultdict(list)
    by_name: dict[str, list[tuple[str | None, Path]]] = defaultdict(list)
    for p in files:
        name, date = file_key(p)
        by_folder[(str(p.parent.relative_to(src)), name)].append((date, p))
        by_name[name].append((date, p))
    pairs, used, missing = [], set(), []
    for r in rows:
        if r["folder"] == "民法典":
            continue
        name = r["filename"] or r["name"]
        hit = None
        for cands in (by_folder.get((r["folder"], name), []), by_name.get(name, [])):
            dated = [p for d, p in cands if d == r["publish"] and p not in used]
            undated = [p for d, p in cands if d is None and p not in used]
            if dated or len(undated) == 1:
                hit = (dated or undated)[0]
                break
        if hit is None:
            missing.append(f"{r['name']} ({r['publish']}): 索引中有记录，但没有文本文件")
            continue
        used.add(hit)
        pairs.append((r, hit))
    used_keys = {file_key(p) for p in used}
    for p in files:
        if p not in used and p.parent.name != "民法典":
            why = "与另一目录中的同名同日期文件重复，跳过" if file_key(p) in used_keys else "文件不在索引中"
            missing.append(f"{p.relative_to(src)}: {why}")
    return pairs, missing


def assign_status(records: list[dict]) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        groups[rec["name"]].append(rec)
    for versions in groups.values():
        versions.sort(key=lambda r: (r["publish"] or "", r["ver"] or 0))
        live = [v for v in versions if not v["expired"]]
        current = live[-1] if live else None
        for v in versions:
            v["is_current"] = v is current
            if v is current:
                v["status"] = "现行有效"
            elif v is not versions[-1]:
                v["status"] = "已修订"
                v["successor"] = v["successor"] or v["name"]
            else:
                v["status"] = "已废止"


def record(r: dict, title: str, subtitle: str | None, header: list[str], body: str, file: str) -> dict:
    publish, valid = header_dates(header)
    return {
        "id": r["id"],
        "name": r["name"].strip(),
        "title": title or r["name"],
        "subtitle": subtitle or r["subtitle"],
        "level": r["level"],
        "category": r["category"],
        "folder": r["folder"],
        "file": file,
        "publish": r["publish"] or publish,
        "valid_from": r["valid_from"] or valid,
        "expired": bool(r["expired"]),
        "ver": r["ver"],
        "header": header,
        "body": body,
        "repealed_on": None,
        "repealed_by": None,
        "successor": None,
    }


def civil_code(src: Path, rows: list[dict]) -> dict:
    parts = {r["name"].split()[-1]: r for r in rows if r["folder"] == "民法典"}
    bodies, header = [], []
    for stem, heading in CIVIL_CODE_PARTS:
        _, _, lines, body = split_doc((src / "民法典" / f"{stem}.md").read_text(encoding="utf-8"))
        header = header or lines
        bodies.append(f"# {heading}\n{body}")
        assert stem in parts, stem
    base = dict(parts["总则"], name="民法典", subtitle=None, expired=0)
    rec = record(base, "中华人民共和国民法典", None, header, "\n".join(bodies), "民法典/*.md")
    rec["id"] = "civil-code"
    return rec


def repealed_civil_laws() -> list[dict]:
    return [
        {
            "id": f"repealed-{name}",
            "name": name,
            "title": f"中华人民共和国{name}",
            "subtitle": None,
            "level": "法律",
            "category": "民法商法",
            "folder": None,
            "file": None,
            "publish": publish,
            "valid_from": valid,
            "expired": True,
            "ver": None,
            "header": [],
            "body": None,
            "repealed_on": "2021-01-01",
            "repealed_by": REPEALED_BY_CIVIL_CODE,
            "successor": "民法典",
        }
        for name, publish, valid in REPEALED_CIVIL_LAWS
    ]


def build(src: Path) -> tuple[list[dict], list[str]]:
    rows = load_index(src)
    pairs, notes = match_files(src, rows)
    records = [civil_code(src, rows)]
    for r, path in pairs:
        title, subtitle, header, body = split_doc(path.read_text(encoding="utf-8"))
        records.append(record(r, title, subtitle, header, body, str(path.relative_to(src))))
    records.extend(repealed_civil_laws())
    assign_status(records)
    return records, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=ROOT.parent / "shared" / "data" / "laws")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "laws.jsonl.gz")
    args = ap.parse_args()
    records, notes = build(args.src)
    problems = 0
    for rec in records:
        if rec["body"] is None:
            continue
        doc = parse_body(rec["body"])
        rec["n_articles"] = len(doc.articles)
        for p in doc.problems:
            problems += 1
            print(f"  {rec['name']} ({rec['publish']}): {p}")
    for n in notes:
        print(f"  {n}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives a byte-identical bundle (setup_demo fingerprints it).
    with gzip.GzipFile(args.out, "wb", compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, "utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    status: dict[str, int] = defaultdict(int)
    for rec in records:
        status[rec["status"]] += 1
    print(
        f"{len(records)} records ({dict(status)}), {sum(r.get('n_articles', 0) for r in records)} articles, "
        f"{problems} parse notes → {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
