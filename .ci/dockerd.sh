#!/usr/bin/env bash
# Starts a private Docker engine for the Docker task runner's tests, on its own socket, data
# root and exec root (never the machine's /var/run/docker.sock), and prints its DOCKER_HOST.
# Idempotent: an engine already answering on the socket is reused. Needs root and Debian's
# docker.io (dockerd, containerd, runc); .ci/run installs it. The engine is left running for
# later test runs; stop it with `kill "$(cat /tmp/windhover-dockerd/dockerd.pid)"`.
set -euo pipefail
root=${WINDHOVER_TEST_DOCKERD_ROOT:-/tmp/windhover-dockerd}
socket="$root/docker.sock"
host="unix://$socket"
answers() { docker -H "$host" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if answers; then
  echo "$host"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "dockerd.sh: starting a Docker engine needs root (this is user $(id -u))" >&2
  exit 1
fi
for tool in dockerd docker containerd runc; do
  command -v "$tool" >/dev/null || {
    echo "dockerd.sh: \`$tool\` is not installed: apt-get install docker.io" >&2
    exit 1
  }
done
mkdir -p "$root"
# A stale socket or pid file of an engine that died would make dockerd refuse to start.
if [ -f "$root/dockerd.pid" ] && ! kill -0 "$(cat "$root/dockerd.pid")" 2>/dev/null; then
  rm -f "$root/dockerd.pid" "$socket"
fi
setsid dockerd --data-root "$root/data" --exec-root "$root/exec" --host "$host" \
  --pidfile "$root/dockerd.pid" >"$root/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  if answers; then
    echo "$host"
    exit 0
  fi
  sleep 0.5
done
echo "dockerd.sh: the Docker engine did not answer on $socket within 30 s; its log:" >&2
tail -20 "$root/dockerd.log" >&2
exit 1
