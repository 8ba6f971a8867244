#!/usr/bin/env bash
# Coverage-guided fuzzing of the file readers with Jazzer (docs/reliability.md).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# fuzzes each target (default: all four) for SECONDS (default 300). A finding makes the run fail;
# Jazzer saves the input under ganglion-io/src/test/resources/dev/ganglion/io/fuzz/<Target>Inputs/,
# where `./build test` replays it from then on. The generated corpus stays in
# ganglion-io/.cifuzz-corpus (ignored by git) and seeds the next run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-300}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(SafeTensorsFuzzTest ModelConfigFuzzTest CsvFuzzTest IdxFuzzTest)
fi
cd "$root"
# coverage feedback from our readers and the parsers under them (Jackson, FastCSV)
export JAZZER_INSTRUMENTATION_INCLUDES="${JAZZER_INSTRUMENTATION_INCLUDES:-dev.ganglion.**:com.fasterxml.jackson.**:de.siegmar.fastcsv.**}"
status=0
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds}s" >&2
  if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" ./build -q -pl ganglion-io -am test -Dtest="$t" \
      -Dsurefire.failIfNoSpecifiedTests=false; then
    echo "fuzz: $t found a problem (input saved under src/test/resources/.../${t}Inputs)" >&2
    status=1
  fi
done
exit "$status"
