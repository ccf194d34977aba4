#!/bin/sh
# A program that fails its first N runs (default 2) and then succeeds. Used
# by the README's first command.
#
# Runs are counted per parent process, so every `backon` run starts afresh.
# The count lives in "${TMPDIR:-/tmp}/backon-flaky.<parent's PID>" and is
# removed when the run that succeeds comes. A `backon` that gives up before
# then leaves its count behind, until a later run of this script sees that
# its parent is gone and removes it.
failures=${1:-2}
dir=${TMPDIR:-/tmp}
state="$dir/backon-flaky.$PPID"

for old in "$dir"/backon-flaky.*; do
    [ -f "$old" ] || continue
    pid=${old##*.}
    case $pid in
        '' | *[!0-9]* | "$PPID") continue ;;
    esac
    kill -0 "$pid" 2>/dev/null || rm -f "$old"
done

runs=$(( $(cat "$state" 2>/dev/null || echo 0) + 1 ))
if [ "$runs" -le "$failures" ]; then
    echo "$runs" > "$state"
    echo "flaky: run $runs fails" >&2
    exit 1
fi
rm -f "$state"
echo "flaky: run $runs succeeds"
