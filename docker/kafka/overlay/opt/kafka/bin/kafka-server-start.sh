#!/bin/bash
# Same entry point as Apache Kafka's: kafka-server-start.sh server.properties
exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "$@"
