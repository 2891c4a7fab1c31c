#!/usr/bin/env bash
# The fault harness (src/test/java/io/incidentcomms/chaos/FaultHarness.java): two packaged service
# processes, a fan-out in progress, and each fault played in turn; prints per scenario what was
# planned, delivered once, lost, sent twice, the events and the time to recover, then a summary.
# Needs root (it restarts PostgreSQL and RabbitMQ) and nothing else running on the database "chaos".
# Usage: bash src/chaos/fault-harness.sh [subscribers per scenario]   (default 1500: 3,000 notifications)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -ntp -q package -DskipTests -Dquarkus.container-image.build=false
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/chaos.classpath
java -cp "target/test-classes:target/classes:$(cat target/chaos.classpath)" io.incidentcomms.chaos.FaultHarness "$@"
