#!/bin/sh
# A RabbitMQ node on the container's own address and port, named after the container (so that several run
# on one host), its database (Mnesia, message store) and Erlang cookie in the volume named data, logging to
# stdout, without plugins. Its Erlang distribution listens on its own address, on a port made from it
# (30000 + the address's last two bytes mod 30000), so that nodes on one host do not collide. The default
# user guest/guest may connect over loopback addresses. Needs Debian's rabbitmq-server.
set -eu
data="${WHARF_VOLUME_DATA:?the spec needs a volume named data}"
b3=$(echo "$WHARF_IP" | cut -d. -f3)
b4=$(echo "$WHARF_IP" | cut -d. -f4)
echo "[]." > enabled_plugins
: > rabbitmq.conf
export HOME="$data"
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-$WHARF_NAMESPACE-$WHARF_NAME@localhost}"
export RABBITMQ_NODE_IP_ADDRESS="$WHARF_IP"
export RABBITMQ_NODE_PORT="$PORT"
export RABBITMQ_DIST_PORT=$((30000 + (b3 * 256 + b4) % 30000))
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {$(echo "$WHARF_IP" | tr . ,)}"
export RABBITMQ_MNESIA_BASE="$data/mnesia"
export RABBITMQ_LOG_BASE="$PWD/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE="$PWD/rabbitmq"
export RABBITMQ_ENABLED_PLUGINS_FILE="$PWD/enabled_plugins"
export RABBITMQ_PID_FILE="$PWD/rabbitmq.pid"
exec /usr/lib/rabbitmq/bin/rabbitmq-server
