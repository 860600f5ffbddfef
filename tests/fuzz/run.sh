#!/usr/bin/env bash
# Runs the libFuzzer harnesses.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]
#       Configures and builds the `fuzz` preset if needed, then fuzzes each harness (default: all five,
#       plan_file config engines diff edit) for SECONDS (default 1800), two at a time, under nice. The
#       corpus grows in build/fuzz/work/<harness>/corpus; crashes land in .../artifacts/. Logs and a
#       summary (executions, corpus size, crashes) are printed at the end. FUZZ_PARALLEL=5 runs all
#       five at once; FUZZ_FORK=1 uses libFuzzer's fork mode, which goes on after a crash (so that one
#       bug does not hide the next) but restarts the process for every job.
#   tests/fuzz/run.sh --one HARNESS SECONDS BINARY WORKDIR
#       One run (what ctest's fuzz_<harness> tests call). Exits non-zero when the fuzzer finds a crash,
#       a leak, a timeout (30 s per input, generous for loaded CI machines) or an input using more than 2 GB.
#
# A crash is reproduced with `build/fuzz/tests/fuzz/fuzz_<harness> ARTIFACT`; once fixed, copy the
# input to tests/fuzz/regressions/<harness>/ so that ctest replays it from then on.
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)"

one() {
  local h=$1 seconds=$2 bin=$3 work=$4/$1
  shift 4
  mkdir -p "$work/corpus" "$work/artifacts"
  # Inputs up to 8 kB: large enough for a whole small plan, small enough to keep runs fast.
  "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$src/corpus/$h" "$src/regressions/$h"
}

if [[ ${1:-} == --one ]]; then
  shift
  one "$@"
  exit
fi

seconds=${1:-1800}
shift || true
# The long runs also treat an edit that would not read back as asked as a crash (fuzz_edit.cpp).
export TANDEM_FUZZ_STRICT=1
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=(plan_file config engines diff edit)
root="$(cd "$src/../.." && pwd)"
build="$root/build/fuzz"
cd "$root"
[[ -f $build/build.ninja ]] || nice -n 5 cmake --preset fuzz
nice -n 5 cmake --build --preset fuzz
work="$build/work"
mkdir -p "$work"
status=0
run_bg() {
  local h=$1
  mkdir -p "$work/$h"
  local fork=()
  [[ ${FUZZ_FORK:-0} == 1 ]] && fork=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  nice -n 19 bash "$src/run.sh" --one "$h" "$seconds" "$build/tests/fuzz/fuzz_$h" "$work" "${fork[@]}" \
    >"$work/$h/log" 2>&1
}
# Two at a time by default: one core each on a two-core machine.
parallel=${FUZZ_PARALLEL:-2}
for ((i = 0; i < ${#harnesses[@]}; i += parallel)); do
  pids=()
  for h in "${harnesses[@]:i:parallel}"; do
    echo "fuzzing $h for ${seconds}s (log: $work/$h/log)"
    run_bg "$h" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
done
for h in "${harnesses[@]}"; do
  # Fork mode prints "#EXECS: cov: N ..." lines; a plain run prints "#EXECS ... cov: N".
  execs=$(grep -oE '^#[0-9]+' "$work/$h/log" | tail -1 | tr -d '#' || true)
  cov=$(grep -o 'cov: [0-9]*' "$work/$h/log" | tail -1 || true)
  echo "$h: ${execs:-?} executions, ${cov:-cov: ?}, corpus $(ls "$work/$h/corpus" | wc -l) files," \
    "$(ls "$work/$h/artifacts" | wc -l) crash/timeout/oom inputs in $work/$h/artifacts"
done
exit $status
