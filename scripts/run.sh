#!/usr/bin/env bash
# `make run`: the task queue's worker and the web server side by side; Ctrl+C (or one TERM) stops
# both, once, and waits for them (so does closing the terminal).
#
#   scripts/run.sh "<worker command>" "<server command>"
#
# Each command runs in its own process group (job control on), so a Ctrl+C from the terminal
# reaches this script alone and each process is told exactly once. Telling them more than once is
# what went wrong before: `trap 'kill 0'` signalled its own group again from inside its trap (make
# reported a segmentation fault), and django-q2's qcluster, signalled again while it was stopping,
# re-entered its handler until Python raised a RecursionError.
set -u -m

if [ "$#" -ne 2 ]; then
  echo "usage: $0 '<worker command>' '<server command>'" >&2
  exit 2
fi

worker=""
server=""
stopping=0
tell() {
  # qcluster stops its own workers when its main process hears one INT (as from a terminal); the
  # web server and the reloader's child go with their whole group.
  [ -n "$worker" ] && kill -INT "$worker" 2>/dev/null
  [ -n "$server" ] && kill -TERM -- "-$server" 2>/dev/null
  return 0
}
stop() {
  if [ "$stopping" = 1 ]; then
    # A second Ctrl+C: the user will not wait for the worker's tasks to finish.
    [ -n "$worker" ] && kill -KILL -- "-$worker" 2>/dev/null
    [ -n "$server" ] && kill -KILL -- "-$server" 2>/dev/null
    return 0
  fi
  stopping=1
  tell
}
# The trap before the two start: a Ctrl+C while they are starting still stops both (it used to
# end this script alone and leave them running).
trap stop INT TERM HUP

bash -c "exec $1" &
worker=$!
bash -c "exec $2" &
server=$!
if [ "$stopping" = 1 ]; then
  tell  # told to stop while they were starting: each is told now, once
fi

# Either one ending (stopped, or crashed) ends the other: no half-running site.
wait -n "$worker" "$server"
status=$?
if [ "$stopping" = 0 ]; then
  stop
  wait "$worker" "$server" 2>/dev/null
  exit "$status"
fi
wait "$worker" "$server" 2>/dev/null
exit 0
