/**
 * How a Kafka broker container is launched: single-node KRaft (broker + controller), tuned
 * for tests (see DESIGN.md "Speed notes"). The script uses only /opt/kafka/bin entry points,
 * so it runs unchanged on ackcheck's local image and on the upstream apache/kafka image.
 *
 * The client listener listens *inside* the container on the same port number that is
 * published on the host, and advertises 127.0.0.1:PORT. The published port is an explicit
 * binding, so Docker keeps it across restarts, and the advertised address stays valid.
 *
 * A second client listener, PROXIED, serves the consumers' path through the network-fault
 * proxy (src/nemesis/network.ts): it listens on port Q (published as Q) and advertises
 * 127.0.0.1:R, where the harness's proxy listens and forwards to Q. Clients reconnect to the
 * advertised address, so a consumer that bootstraps through the proxy stays behind it; the
 * producer and admin use the first listener and are not affected by network faults.
 *
 * After a SIGKILL (`broker-kill`) the restarted broker cannot register again until the
 * controller has let its previous registration's session expire (`broker.session.timeout.ms`,
 * default 9 s): a kill + start took about 14 s. The kit's broker uses 4 s (heartbeats every
 * second), still longer than the longest `broker-pause` (3 s), so a pause does not fence it.
 */
import type { ContainerRecipe } from '../container/recipe.ts';

const CLUSTER_ID = 'ackcheckKRaftCluster0w'; // any 22-character base64 UUID

const SCRIPT = `set -e
P="\${ACKCHECK_PORT:?}"
Q="\${ACKCHECK_PROXIED_PORT:?}"
R="\${ACKCHECK_PROXY_PORT:?}"
D=/tmp/ackcheck-kafka
mkdir -p "$D/data"
cat > "$D/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:$P,PROXIED://0.0.0.0:$Q,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:$P,PROXIED://127.0.0.1:$R
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$D/data
num.partitions=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=500
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
PROPS
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t ${CLUSTER_ID} -c "$D/server.properties"
exec /opt/kafka/bin/kafka-server-start.sh "$D/server.properties"
`;

export const kafkaRecipe: ContainerRecipe = {
  containerPort: (hostPort) => hostPort,
  entrypoint: ['/bin/sh', '-c'],
  command: [SCRIPT],
  proxiedListener: true,
  environment: (hostPort, proxied) => {
    if (!proxied) throw new TypeError('kafkaRecipe: the proxied listener needs its ports');
    return {
      ACKCHECK_PORT: String(hostPort),
      ACKCHECK_PROXIED_PORT: String(proxied.port),
      ACKCHECK_PROXY_PORT: String(proxied.advertisedPort),
      KAFKA_HEAP_OPTS: '-Xmx768m -Xms256m',
    };
  },
  readyLog: /Kafka Server started/,
  addresses: (host, port) => ({ bootstrapServers: [`${host}:${port}`] }),
};
