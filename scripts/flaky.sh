#!/bin/sh
# A program that fails its first N runs (default 2) and then succeeds; the
# runs are counted per parent process, so every `backon` run starts afresh.
# Used by the README's first command.
failures=${1:-2}
state="${TMPDIR:-/tmp}/backon-flaky.$PPID"
runs=$(( $(cat "$state" 2>/dev/null || echo 0) + 1 ))
echo "$runs" > "$state"
if [ "$runs" -le "$failures" ]; then
    echo "flaky: run $runs fails" >&2
    exit 1
fi
echo "flaky: run $runs succeeds"
rm -f "$state"
