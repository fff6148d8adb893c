#!/bin/sh
# A ZooKeeper member on the container's own address: clients on $PORT, quorum on 2888 and leader
# election on 3888 of the same address. The ensemble is every container of the service as WHARF_PEERS
# names them when this one starts (member id = ordinal + 1); one container alone runs standalone. Its
# snapshots and transaction log are in the volume named data. Needs Debian's zookeeper.
set -eu
data="${WHARF_VOLUME_DATA:?the spec needs a volume named data}"
echo $((WHARF_ORDINAL + 1)) > "$data/myid"
cat > zoo.cfg <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$data
clientPortAddress=$WHARF_IP
clientPort=$PORT
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,mntr
CFG
members=0
for peer in $(echo "${WHARF_PEERS:-}" | tr ',' ' '); do
  ordinal="${peer%%=*}"
  address="${peer#*=}"
  echo "server.$((ordinal + 1))=${address%:*}:2888:3888" >> zoo.cfg
  members=$((members + 1))
done
if [ "$members" -le 1 ]; then sed -i '/^server\./d' zoo.cfg; fi
classpath=/etc/zookeeper/conf:/usr/share/java/zookeeper.jar
# logs to stdout through slf4j-simple where it is installed (Debian's libslf4j-java)
[ -f /usr/share/java/slf4j-simple.jar ] && classpath="$classpath:/usr/share/java/slf4j-simple.jar"
exec java ${ZOOKEEPER_JAVA_OPTS:--Xmx256m} -Dorg.slf4j.simpleLogger.logFile=System.out -cp "$classpath" \
  org.apache.zookeeper.server.quorum.QuorumPeerMain ./zoo.cfg
