#!/bin/sh
# Pushes the images of the stateful examples (redis, mariadb, zookeeper, rabbitmq, version 1): each is a
# directory holding a start script, packed by 'wharf image push'; the servers themselves come from the
# hosts' Debian packages (see docs/services.md). WHARF (default: bin/wharf) is the CLI used.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
wharf="${WHARF:-$here/../../bin/wharf}"
for name in ${*:-redis mariadb zookeeper rabbitmq}; do
  "$wharf" image push "$name:1" "$here/images/$name" --cmd "sh start.sh"
done
