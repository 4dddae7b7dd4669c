#!/usr/bin/env bash
# Validates the monitoring and deployment files: Prometheus config, rules and rule tests, Alertmanager config and
# routes, runbooks, Grafana provisioning and dashboards, docker-compose.yml. Run from anywhere; CI runs it as is.
#   ops/monitoring-check.sh            # installs promtool/amtool/docker-compose via apt when missing (idempotent)
#   MONITORING_NO_INSTALL=1 ops/monitoring-check.sh   # never install; a missing tool fails its checks
# Exit status is non-zero when any check fails; the last line is "monitoring: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

passed=0; failed=0; failures=()
log=$(mktemp); tmp=$(mktemp -d); trap 'rm -rf "$log" "$tmp"' EXIT

# check NAME CMD...: runs CMD, prints one line, shows CMD's output only on failure.
check() {
  local name=$1; shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); printf 'ok    %s\n' "$name"
  else
    failed=$((failed + 1)); failures+=("$name"); printf 'FAIL  %s\n' "$name"; sed 's/^/      /' "$log" | tail -n 40
  fi
}

# need TOOL PACKAGE: apt-get install PACKAGE when TOOL is missing.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [[ ${MONITORING_NO_INSTALL:-} == 1 ]] && { echo "$1 missing (MONITORING_NO_INSTALL=1)"; return 1; }
  local sudo=""; [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo="sudo"
  echo "installing $2 for $1"
  $sudo apt-get install -y -qq "$2" >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1; }
  command -v "$1" >/dev/null 2>&1 || { echo "cannot install $2 (apt-get install $2)"; return 1; }
}

need promtool prometheus
need amtool prometheus-alertmanager
need docker-compose docker-compose
if ! python3 -c 'import yaml' 2>/dev/null && [[ ${MONITORING_NO_INSTALL:-} != 1 ]]; then
  echo "installing python3-yaml"; apt-get install -y -qq python3-yaml >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------------------------------------------- Prometheus
check "promtool check config ops/prometheus/prometheus.yml (rule_files resolve)" \
  promtool check config ops/prometheus/prometheus.yml
check "promtool check rules ops/prometheus/rules/*.yml" \
  promtool check rules ops/prometheus/rules/*.yml
check "promtool test rules ops/prometheus/tests/*.yml" \
  promtool test rules ops/prometheus/tests/*.yml

# Alert conventions (STYLE.md 11): every DESIGN.md alert exists, fixed severities, static one-line summary, a
# description printing the value, one runbook_url pattern, a runbook file and a promtool test per alert.
alert_conventions() {
  python3 - <<'PY'
import glob, re, sys, yaml
design = """SensorcastGradientExplosion SensorcastNonFiniteGradient SensorcastGradientClippingSaturated
SensorcastRecurrentSpectralNormHigh SensorcastTrainerStalled SensorcastCheckpointStale SensorcastServingModelStale
SensorcastForecastErrorHigh SensorcastDeadLetterRate SensorcastConsumerLagHigh SensorcastWatchdog""".split()
must_be = {"SensorcastGradientExplosion": "critical", "SensorcastNonFiniteGradient": "critical", "SensorcastWatchdog": "none"}
pattern = "https://github.com/sensorcast/sensorcast/blob/main/ops/runbooks/{}.md"
alerts, records, errors = {}, [], []
for f in sorted(glob.glob("ops/prometheus/rules/*.yml")):
    for g in yaml.safe_load(open(f))["groups"]:
        for r in g["rules"]:
            if "alert" in r: alerts[r["alert"]] = r
            else: records.append(r["record"])
tests = "".join(open(f).read() for f in glob.glob("ops/prometheus/tests/*.yml"))
for name in design:
    if name not in alerts: errors.append(f"{name}: not defined in ops/prometheus/rules")
for name, r in alerts.items():
    if not re.fullmatch(r"Sensorcast[A-Z][A-Za-z]+", name): errors.append(f"{name}: not a CamelCase Sensorcast… name")
    sev = r.get("labels", {}).get("severity")
    if sev not in ("critical", "warning", "none"): errors.append(f"{name}: severity {sev!r}")
    if name in must_be and sev != must_be[name]: errors.append(f"{name}: severity must be {must_be[name]}")
    a = r.get("annotations", {})
    s = a.get("summary", "")
    if not s or "\n" in s or "{{" in s: errors.append(f"{name}: summary must be one static line")
    if 'printf "%.3g" $value' not in a.get("description", ""): errors.append(f'{name}: description must print {{{{ printf "%.3g" $value }}}}')
    if a.get("runbook_url") != pattern.format(name): errors.append(f"{name}: runbook_url must be {pattern.format(name)}")
    try: open(f"ops/runbooks/{name}.md").close()
    except OSError: errors.append(f"{name}: no ops/runbooks/{name}.md")
    if not re.search(r"\b%s\b" % name, tests): errors.append(f"{name}: no promtool test in ops/prometheus/tests")
for rec in records:
    if not re.fullmatch(r"[a-z_]*:[a-z0-9_]+:[a-z0-9_]+", rec): errors.append(f"recording rule {rec}: not level:metric:operation")
for f in glob.glob("ops/runbooks/Sensorcast*.md"):
    n = f.split("/")[-1][:-3]
    if n not in alerts: errors.append(f"{f}: runbook for an alert that does not exist")
print("\n".join(errors) or f"{len(alerts)} alerts, {len(records)} recording rules")
sys.exit(1 if errors else 0)
PY
}
check "alerts: DESIGN.md names, severity, summary, description, runbook_url, runbook file, promtool test" alert_conventions

# ---------------------------------------------------------------------------------------------------- Alertmanager
check "amtool check-config ops/alertmanager/alertmanager.yml" \
  amtool check-config ops/alertmanager/alertmanager.yml
am_routes() {
  local c=ops/alertmanager/alertmanager.yml
  amtool config routes test --config.file=$c --verify.receivers=null alertname=SensorcastWatchdog severity=none &&
  amtool config routes test --config.file=$c --verify.receivers=sensorcast-critical alertname=SensorcastGradientExplosion severity=critical model=m1 &&
  amtool config routes test --config.file=$c --verify.receivers=sensorcast-warning alertname=SensorcastGradientClippingSaturated severity=warning model=m1
}
check "amtool routes: Watchdog -> null, critical -> sensorcast-critical, warning -> sensorcast-warning" am_routes

# ---------------------------------------------------------------------------------------------------- Grafana
grafana_files() {
  python3 - "$tmp/dashboard-queries.yml" <<'PY'
import glob, json, sys, yaml
UID = "sensorcast-prometheus"
errors, exprs = [], []
ds = yaml.safe_load(open("ops/grafana/provisioning/datasources/prometheus.yml"))
if [d.get("uid") for d in ds["datasources"]] != [UID]: errors.append(f"datasource uid must be {UID}")
yaml.safe_load(open("ops/grafana/provisioning/dashboards/sensorcast.yml"))["providers"][0]["options"]["path"]
uids = set()
def ref_ok(where, d):
    if not isinstance(d, dict) or d.get("uid") != UID: errors.append(f"{where}: datasource must reference uid {UID}")
for f in sorted(glob.glob("ops/grafana/dashboards/*.json")):
    d = json.load(open(f))
    if d.get("id") is not None: errors.append(f'{f}: "id" must be null')
    if not d.get("uid") or d["uid"] in uids: errors.append(f"{f}: needs a fixed, unique uid")
    uids.add(d.get("uid"))
    for p in d["panels"]:
        w = f'{f} panel {p.get("id")} "{p.get("title")}"'
        if not p.get("description"): errors.append(f"{w}: no description")
        if not p.get("fieldConfig", {}).get("defaults", {}).get("unit"): errors.append(f"{w}: no unit")
        ref_ok(w, p.get("datasource"))
        for t in p.get("targets", []):
            ref_ok(w, t.get("datasource")); exprs.append((w, t["expr"]))
    for a in d.get("annotations", {}).get("list", []):
        if a.get("builtIn"): continue
        ref_ok(f'{f} annotation {a["name"]}', a.get("datasource")); exprs.append((f'{f} annotation', a["expr"]))
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") == "query": ref_ok(f'{f} variable {v["name"]}', v.get("datasource"))
for f in sorted(glob.glob("ops/grafana/provisioning/alerting/*.y*ml")):
    for g in yaml.safe_load(open(f))["groups"]:
        for r in g["rules"]:
            refs = {q["refId"] for q in r["data"]}
            if r["condition"] not in refs: errors.append(f'{f} {r["title"]}: condition {r["condition"]} is not a refId')
            for q in r["data"]:
                if q["datasourceUid"] not in (UID, "__expr__"): errors.append(f'{f} {r["title"]}: datasourceUid {q["datasourceUid"]}')
                if q["datasourceUid"] == UID: exprs.append((f'{f} {r["title"]}', q["model"]["expr"]))
# Grafana variables are not PromQL: give them values so promtool can parse every query.
sub = lambda e: e.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h").replace("$model", ".*")
rules = [{"record": f"dashboard:query_{i}:check", "expr": sub(e)} for i, (_, e) in enumerate(exprs)]
yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, open(sys.argv[1], "w"))
print("\n".join(errors) or f"{len(uids)} dashboards, {len(exprs)} queries")
sys.exit(1 if errors else 0)
PY
}
check "grafana: provisioning parses, fixed uids, id null, description+unit per panel, datasource uid refs" grafana_files
check "grafana: every dashboard and alert-rule query is valid PromQL (promtool)" \
  promtool check rules "$tmp/dashboard-queries.yml"

# ---------------------------------------------------------------------------------------------------- docker-compose
all_yaml_parses() {
  python3 - <<'PY'
import glob, yaml
files = ["docker-compose.yml"] + glob.glob("ops/**/*.yml", recursive=True) + glob.glob("ops/**/*.yaml", recursive=True)
for f in files: yaml.safe_load(open(f))
print(f"{len(files)} YAML files")
PY
}
check "every YAML file under ops/ and docker-compose.yml parses" all_yaml_parses
check "docker-compose -f docker-compose.yml config -q" \
  docker-compose -f docker-compose.yml config -q

for f in "${failures[@]}"; do echo "failed: $f"; done
echo "monitoring: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
