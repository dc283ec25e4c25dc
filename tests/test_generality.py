"""No code names the reference union or its parties: every union is described by its files alone."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from entente.vocabulary.definition import DEFAULT_UNION

SOURCE = Path(__file__).parent.parent / "src" / "entente"


def test_no_code_outside_the_data_folder_names_the_reference_union_or_its_parties():
    union = yaml.safe_load((DEFAULT_UNION / "union.yaml").read_text(encoding="utf-8"))
    names = {union["id"], *union["name"].values()}
    for party in union["parties"]:
        names |= {party["code"], *party["names"].values()}
    names |= {p.stem for p in (DEFAULT_UNION / "treaties").glob("*.yaml")}  # instrument ids
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
    offenders = []
    for path in SOURCE.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if found := pattern.search(line):
                offenders.append(f"{path.relative_to(SOURCE)}:{number}: {found.group(0)}")
    assert offenders == []
