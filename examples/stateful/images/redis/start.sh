#!/bin/sh
# Redis on the container's own address and port, its data in the volume named data.
# Needs Debian's redis-server. Every write is appended to the AOF before it is answered (appendfsync
# everysec): nothing answered is lost when a process is killed; up to a second when the host loses power.
set -eu
data="${WHARF_VOLUME_DATA:?the spec needs a volume named data}"
exec redis-server \
  --bind "$WHARF_IP" --port "$PORT" --protected-mode no \
  --dir "$data" --appendonly yes --appendfsync everysec --save "" \
  --daemonize no --logfile ""
