"""Build data/search/law_names.txt (short law names for the search dictionary).

Reads the statute library's file names under ../shared/data/laws (build time only; the product
reads the generated file). Keeps names short enough to be typed as one word: 劳动合同法,
工伤保险条例, 民法典 … Long interpretation titles are left to ordinary segmentation.

    .venv/bin/python scripts/build_search_dict.py [LAWS_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LAWS = ROOT.parent / "shared" / "data" / "laws"
OUT = ROOT / "data" / "search" / "law_names.txt"
MAX_LEN = 12


def short_names(laws_dir: Path) -> list[str]:
    names: set[str] = set()
    for path in laws_dir.rglob("*.md"):
        name = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", path.stem).strip()
        name = name.removeprefix("中华人民共和国")
        if name.startswith("_") or "（" in name or "(" in name or not 3 <= len(name) <= MAX_LEN:
            continue
        if not re.search(r"(法|法典|条例|规定|办法|解释|规则)$", name):
            continue
        names.add(name)
    return sorted(names)


def main() -> None:
    laws_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LAWS
    names = short_names(laws_dir)
    header = "# 法律简称（由 scripts/build_search_dict.py 从法规库文件名生成，勿手改）\n"
    OUT.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")  # noqa: T201 - script output


if __name__ == "__main__":
    main()
