#!/usr/bin/env bash
# Console benchmark: an incident sent to N subscribers by email and SMS (2N notifications), then
# each console page requested 100 times one after another by a signed-in user; prints the median,
# p90 and max per page. Target: median under 100 ms with 100k notifications.
# Usage: bash src/bench/console-benchmark.sh [subscribers]   (default 50000 = 100k notifications)
set -euo pipefail
cd "$(dirname "$0")/../.."
subscribers=${1:-50000}
db=bench_console

./mvnw -B -ntp -q package -DskipTests
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
rm -rf target/bench && mkdir -p target/bench
rm -f target/bench-delivery-service.log
javac -d target/bench src/bench/DeliveryBenchmark.java src/bench/ConsoleBenchmark.java
java -cp target/bench ConsoleBenchmark target/quarkus-app/quarkus-run.jar \
  "jdbc:postgresql://127.0.0.1:5432/$db" "$subscribers"
