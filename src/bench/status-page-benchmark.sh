#!/usr/bin/env bash
# Status page benchmark: 200 concurrent readers of the page and of /api/v2/summary.json
# (revalidating with ETags), alone and during a fan-out of 100k notifications; prints requests/s,
# p50/p99 per endpoint, and the fan-out's messages/s with and without the readers.
# Usage: bash src/bench/status-page-benchmark.sh [subscribers] [readers]   (default 50000 = 100k notifications, 200)
set -euo pipefail
cd "$(dirname "$0")/../.."
subscribers=${1:-50000}
readers=${2:-200}
db=bench_status_page

./mvnw -B -ntp -q package -DskipTests
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
rm -rf target/bench && mkdir -p target/bench
rm -f target/bench-delivery-service.log
javac -d target/bench src/bench/DeliveryBenchmark.java src/bench/StatusPageBenchmark.java
java -cp target/bench StatusPageBenchmark target/quarkus-app/quarkus-run.jar \
  "jdbc:postgresql://127.0.0.1:5432/$db" "$subscribers" "$readers"
