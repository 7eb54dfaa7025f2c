#!/bin/bash
# Same entry point as Apache Kafka's: kafka-storage.sh format -t ID -c server.properties
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
