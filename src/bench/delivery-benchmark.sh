#!/usr/bin/env bash
# Delivery benchmark: the packaged service dispatches 100k notifications (50k emails, 50k SMS of
# one minor incident) to a local SMTP sink and a local Twilio stub, with a critical incident
# declared behind that backlog; then sends with rate limits of 100/s. Prints per channel the
# messages per second next to the sink's and stub's own ceilings, CPU microseconds per message,
# the critical incident's time to its first message, and the paced rates.
# Usage: bash src/bench/delivery-benchmark.sh [subscribers] [one]   (default 50000 = 100k notifications;
#        "one" runs only the one-process fan-out with its profile, for quick comparisons while working)
set -euo pipefail
cd "$(dirname "$0")/../.."
subscribers=${1:-50000}
db=bench_delivery

./mvnw -B -ntp -q package -DskipTests
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
rm -f target/bench-delivery-service.log
java src/bench/DeliveryBenchmark.java target/quarkus-app/quarkus-run.jar \
  "jdbc:postgresql://127.0.0.1:5432/$db" "$subscribers" ${2:-}
