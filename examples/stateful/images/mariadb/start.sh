#!/bin/sh
# MariaDB on the container's own address and port, its data directory the volume named data, made on the
# first start only. A user MARIADB_USER (default app) with MARIADB_PASSWORD (default wharf; letters and
# digits) may connect from anywhere and owns database MARIADB_DATABASE (default app). root connects through
# the socket in the container's directory (run/mysqld.sock) only. Needs Debian's mariadb-server.
set -eu
data="${WHARF_VOLUME_DATA:?the spec needs a volume named data}"
user="${MARIADB_USER:-app}"
password="${MARIADB_PASSWORD:-wharf}"
database="${MARIADB_DATABASE:-app}"
mkdir -p run
me="$(id -un)"
if [ ! -f "$data/.initialised" ]; then
  echo "initialising the data directory $data"
  mariadb-install-db --no-defaults --user="$me" --datadir="$data" \
    --auth-root-authentication-method=normal --skip-test-db
  touch "$data/.initialised"
fi
cat > run/init.sql <<SQL
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
CREATE DATABASE IF NOT EXISTS \`$database\`;
GRANT ALL ON \`$database\`.* TO '$user'@'%';
SQL
exec mariadbd --no-defaults --user="$me" --datadir="$data" \
  --bind-address="$WHARF_IP" --port="$PORT" \
  --socket="$PWD/run/mysqld.sock" --pid-file="$PWD/run/mysqld.pid" \
  --skip-name-resolve --skip-log-bin --init-file="$PWD/run/init.sql"
