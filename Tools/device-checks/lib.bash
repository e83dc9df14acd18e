# Shared helpers for the guest-side device checks (sourced, never run). Each check script
#   Tools/device-checks/NAME.sh BIN_DIR OUT_DIR
# prints one line per check, `PASS <what>` or `FAIL <what>: <detail>`, and anything else on stderr.
# BIN_DIR holds the built `decoy`; OUT_DIR is shared with the host (logs, captured files).
set -uo pipefail
BIN="${1:?usage: $0 BIN_DIR OUT_DIR}"
OUT="${2:?usage: $0 BIN_DIR OUT_DIR}"
mkdir -p "$OUT"
# The guest's minimal /dev has no /dev/fd: bash process substitution needs it.
[[ -e /dev/fd ]] || ln -s /proc/self/fd /dev/fd 2>/dev/null
# Nor is its loopback interface up: decoy serves and curl fetches on 127.0.0.1.
ip link set lo up 2>/dev/null || busybox ip link set lo up 2>/dev/null || true

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: ${2:-}"; }
# check NAME DETAIL COMMAND...: PASS when COMMAND succeeds, else FAIL with DETAIL.
check() {
  local name=$1 detail=$2
  shift 2
  if "$@"; then pass "$name"; else fail "$name" "$detail"; fi
}

DECOY_PID=""
DECOY_URL=""
# start_decoy CONFIG_FILE LOG_NAME [SERVE_OPTION...]: starts `decoy serve` on an ephemeral loopback
# port with a fresh state folder, waits (up to 60 s under TCG) for its "listening on" line and sets
# DECOY_URL.
start_decoy() {
  local config=$1 log="$OUT/$2.log"
  local extra=("${@:3}")
  local state
  state="$(mktemp -d /tmp/decoy-state.XXXXXX)"
  "$BIN/decoy" serve --config "$config" --listen 127.0.0.1:0 --state-dir "$state" --log-level debug "${extra[@]}" 2>"$log" &
  DECOY_PID=$!
  local waited=0
  while ((waited < 600)); do
    DECOY_URL="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')"
    [[ -n "$DECOY_URL" ]] && return 0
    kill -0 "$DECOY_PID" 2>/dev/null || break
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "decoy did not start; its log:" >&2
  tail -20 "$log" >&2
  return 1
}

stop_decoy() {
  [[ -n "$DECOY_PID" ]] || return 0
  kill "$DECOY_PID" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$DECOY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$DECOY_PID" 2>/dev/null
  wait "$DECOY_PID" 2>/dev/null
  DECOY_PID=""
}
trap stop_decoy EXIT
