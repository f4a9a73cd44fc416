#!/usr/bin/env python3
"""The register audit written the ordinary way, with pandas and openpyxl: the peer that
`scripts/bench.sh audit` measures `subsidy audit` against.

    python3 scripts/audit_pandas.py REGISTER.xlsx OUT.xlsx [RULES_DIR]

It does what `subsidy audit` does without the allocation: reads the export with its header on
row 5, takes each row's subsidy type from the application number, finds the normative in force
on the submission date (the region's akimat value where it set one, from rules/regions/, else the
type's edition from rules/programs/), compares it with the register's, derives the quantity
(amount / normative) and writes the rows and the sums by region, type, status and month.
"""
import sys
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd


def stem(name: str) -> str:
    words = [w for w in str(name).lower().replace("ё", "е").split() if w]
    city = any(w in ("город", "г.", "г", "қаласы") for w in words)
    rest = "".join(
        c for w in words if w not in ("область", "облысы", "обл.", "обл", "город", "г.", "г", "қаласы") for c in w
        if c.isalnum() or c == "-"
    )
    return ("г:" + rest) if city and rest else rest


def editions(rules: Path):
    by_type = {}
    for f in sorted((rules / "programs").glob("*.toml")):
        p = tomllib.loads(f.read_text())
        by_type[p["code"]] = [
            (r["id"], r["effective-from"], r.get("effective-to"), None if r.get("set-by") else float(r["amount"]))
            for r in p["rate"]
        ]
    regions, stems = {}, {}
    for f in sorted((rules / "regions").glob("*.toml")):
        r = tomllib.loads(f.read_text())
        key = r["region"]["key"]
        for n in [r["region"]["name-ru"], r["region"]["name-kk"], *r["region"].get("aliases", [])]:
            stems[stem(n)] = key
        regions[key] = {}
        for n in r.get("normative", []):
            regions[key].setdefault(n["type"], []).append(
                (n["id"], n["effective-from"], n.get("effective-to"), float(n["amount"]))
            )
    return by_type, regions, stems


def in_force(eds, d: date):
    for e in eds or []:
        if e[1] <= d and (e[2] is None or d < e[2]):
            return e
    return None


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    rules = Path(sys.argv[3] if len(sys.argv) > 3 else "rules")
    by_type, regions, stems = editions(rules)
    df = pd.read_excel(src, header=4, dtype={"Номер заявки": str, "№ п/п": str}, engine="openpyxl")
    # The date is merged over three columns; its value sits in the first.
    df = df.rename(columns={"Дата поступления": "submitted"})
    df = df[df["Номер заявки"].notna()]
    df = df.drop_duplicates(subset="Номер заявки")
    df["submitted"] = pd.to_datetime(df["submitted"], format="%d.%m.%Y %H:%M:%S", errors="coerce")
    df["type"] = df["Номер заявки"].str[:3]
    expected, edition, check = [], [], []
    for no, when, region, norm in zip(df["Номер заявки"], df["submitted"], df["Область"], df["Норматив"]):
        code = no[:3]
        if code not in by_type:
            expected.append(None), edition.append(None), check.append("нет правил для вида")
            continue
        if pd.isna(when):
            expected.append(None), edition.append(None), check.append("нет даты или норматива")
            continue
        d = when.date()
        key = stems.get(stem(region))
        e = in_force(regions.get(key, {}).get(code), d) or in_force(by_type[code], d)
        if e is None:
            expected.append(None), edition.append(None), check.append("нет редакции на дату")
        elif e[3] is None:
            expected.append(None), edition.append(e[0]), check.append("устанавливается акиматом")
        elif pd.isna(norm):
            expected.append(e[3]), edition.append(e[0]), check.append("нет даты или норматива")
        else:
            expected.append(e[3]), edition.append(e[0]), check.append("совпадает" if norm == e[3] else "не совпадает")
    df["expected"], df["edition"], df["check"] = expected, edition, check
    df["quantity"] = (df["Причитающая сумма"] / df["Норматив"]).round(3)
    df["month"] = df["submitted"].dt.strftime("%Y-%m")
    amount = "Причитающая сумма"
    with pd.ExcelWriter(out, engine="openpyxl") as w:
        df[["Номер заявки", "submitted", "Область", "Район хозяйства", "type", "Статус заявки", "Норматив",
            "expected", "edition", "check", amount, "quantity"]].to_excel(w, sheet_name="Заявки", index=False)
        for name, key in [("По областям", "Область"), ("По видам", "type"), ("По статусам", "Статус заявки"),
                          ("По месяцам", "month"), ("Проверка норматива", "check")]:
            df.groupby(key)[amount].agg(["count", "sum"]).to_excel(w, sheet_name=name)
    print(f"{len(df)} applications, {df[amount].sum():.2f} due")
    print(df["check"].value_counts().to_string())


if __name__ == "__main__":
    main()
