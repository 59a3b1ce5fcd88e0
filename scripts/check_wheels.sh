#!/usr/bin/env bash
# Does every pinned dependency of pyproject.toml (runtime and every optional group: dev, bench) have a wheel
# for Python 3.12 and 3.13 (issue 13: installable on every Python Django 5.2 supports from 3.11 up)?
# For each pin and each version: `pip download --python-version X --only-binary=:all: --no-deps`. A pin with
# extras (psycopg[binary]) also checks the packages its extras add, at the versions the downloaded wheel names
# when it pins them exactly. Prints one line per pin and version, a summary, and exits 1 if any has no wheel.
# A pure-Python wheel (py3-none-any) counts: it installs on every Python 3.
#   usage: scripts/check_wheels.sh [python-version ...]     (default: 3.12 3.13)
set -u
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(3.12 3.13)
work="$(mktemp -d -t hoptac-wheels-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The pins, one a line: "name==version" (extras dropped) and, for a pin with extras, "name[extra,...]==version".
mapfile -t pins < <("$PY" - <<'EOF'
import re, tomllib
with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
requirements = list(project.get("dependencies", []))
for group in project.get("optional-dependencies", {}).values():
    requirements += group
for requirement in requirements:
    print(re.sub(r"\s+", "", requirement))
EOF
)

# The exact pins an extra of a downloaded wheel adds ("psycopg-binary==3.3.9" for psycopg[binary]).
extra_pins() { # wheel extras
  "$PY" - "$1" "$2" <<'EOF'
import re, sys, zipfile
wheel, extras = sys.argv[1], set(sys.argv[2].split(","))
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    for line in z.read(name).decode().splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        m = re.match(r"Requires-Dist:\s*([A-Za-z0-9_.\-]+)\s*\(?\s*==\s*([^;\s)]+)\)?\s*;(.*)", line)
        if m and any(re.search(rf"extra\s*==\s*['\"]{re.escape(e)}['\"]", m.group(3)) for e in extras):
            print(f"{m.group(1)}=={m.group(2)}")
EOF
}

missing=()
checked=0
check() { # requirement python-version → prints the wheel's file name, or records the failure
  local requirement="$1" version="$2" dest="$work/$2"
  mkdir -p "$dest"
  checked=$((checked + 1))
  if "$PY" -m pip download -q --disable-pip-version-check --python-version "$version" --only-binary=:all: \
      --no-deps -d "$dest" "$requirement" >"$work/log" 2>&1; then
    local name="${requirement%%==*}" wheel
    name="$(echo "$name" | tr 'A-Z-' 'a-z_')"
    wheel="$(ls -t "$dest" | grep -i "^${name}-${requirement##*==}-" | head -1)"
    printf '  ok    %-5s %-40s %s\n' "$version" "$requirement" "${wheel:-(wheel)}"
    LAST_WHEEL="$dest/$wheel"
  else
    printf '  NONE  %-5s %-40s no wheel (%s)\n' "$version" "$requirement" "$(grep -m1 -i 'error' "$work/log")"
    missing+=("$requirement on Python $version")
    LAST_WHEEL=""
  fi
}

for version in "${versions[@]}"; do
  echo "== Python $version"
  for pin in "${pins[@]}"; do
    bare="$(echo "$pin" | sed 's/\[[^]]*\]//')"
    check "$bare" "$version"
    if [[ "$pin" == *"["* && -n "$LAST_WHEEL" ]]; then
      extras="$(echo "$pin" | sed 's/.*\[\([^]]*\)\].*/\1/')"
      while read -r added; do
        [ -n "$added" ] && check "$added" "$version"
      done < <(extra_pins "$LAST_WHEEL" "$extras")
    fi
  done
done

echo "== $checked checks over Python ${versions[*]}: ${#missing[@]} without a wheel"
if [ ${#missing[@]} -gt 0 ]; then
  printf '  %s\n' "${missing[@]}"
  exit 1
fi
