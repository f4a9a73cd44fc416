#!/usr/bin/env bash
# Benchmarks: the whole run at realistic sizes against the floor (reading the same workbook and
# writing the same cells with calamine and rust_xlsxwriter alone). Release build; medians from
# hyperfine (Debian package `hyperfine`); peak memory from GNU time.
#
#     scripts/bench.sh            # month, year, national year; the register audit against pandas
#
# A million applications do not fit one workbook (a sheet holds 1 048 576 rows, about 60 000
# applications' items); rule evaluation at that size is `cargo bench --bench rules`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release --quiet --bin subsidy --example floor
bin=target/release/subsidy
floor=target/release/examples/floor
dir=${BENCH_DIR:-/tmp/subsidy-bench}
mkdir -p "$dir"
# name, applications, runs, first month, months, mix, batch date, PDF notices: Karaganda's April
# with and without its PDFs, Karaganda's year, and the country's year with every subsidy type
# (a what-if run: no PDFs, `--no-pdf`).
sizes=("month 170 5 2025-04 1 karaganda 2025-04-30 pdf" "month-html 170 5 2025-04 1 karaganda 2025-04-30 no-pdf"
  "year 900 5 2025-01 12 karaganda 2025-12-31 pdf" "national 36651 3 2025-01 12 national 2025-12-31 no-pdf")
printf '%s\n' "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for s in "${sizes[@]}"; do
  read -r name count runs month months mix batch pdf <<<"$s"
  input="$dir/$mix-$month-$months-$count.xlsx"
  [ -f "$input" ] || $bin sample --out "$input" --month "$month" --months "$months" --mix "$mix" --count "$count" --seed 7 2>/dev/null
  run="$bin run --draft --no-ledger -q --applications $input --batch-date $batch --out $dir/out-$name"
  [ "$pdf" = pdf ] || run="$run --no-pdf"
  hyperfine -N -w 1 -r "$runs" --export-json "$dir/$name.json" "$run" "$floor $input $dir/floor-$name.xlsx" >/dev/null
  mem=$( { /usr/bin/time -f '%M' $run; } 2>&1 | tail -1 )
  python3 - "$dir/$name.json" "$name" "$count" "$mem" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"{sys.argv[2]:>9} {int(sys.argv[3]):>8} applications: run median {r[0]['median']:.3f} s, floor median {r[1]['median']:.3f} s ({r[0]['median']/r[1]['median']:.1f}x), peak {int(sys.argv[4])/1024:.0f} MiB")
PY
done

# The national register audit against the same audit written with pandas and openpyxl
# (`scripts/audit_pandas.py`; `pip install pandas openpyxl`), side by side in one hyperfine run.
if python3 -c "import pandas, openpyxl" 2>/dev/null; then
  register="$dir/register-national.xlsx"
  [ -f "$register" ] || $bin sample --out "$dir/register-apps.xlsx" --register-out "$register" --month 2025-01 \
    --months 12 --mix national --all-regions --count 36651 --seed 7 2>/dev/null
  hyperfine -N -w 1 -r 3 --export-json "$dir/audit.json" \
    "$bin audit --register $register --out $dir/audit.xlsx" \
    "python3 scripts/audit_pandas.py $register $dir/audit-pandas.xlsx" >/dev/null
  python3 - "$dir/audit.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"    audit    36651 register rows: subsidy median {r[0]['median']:.3f} s, pandas+openpyxl median {r[1]['median']:.3f} s ({r[1]['median']/r[0]['median']:.1f}x faster)")
PY
else
  echo "audit: pandas and openpyxl are not installed (pip install pandas openpyxl): the peer is not measured"
fi
