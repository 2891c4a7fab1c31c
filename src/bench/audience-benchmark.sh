#!/usr/bin/env bash
# Audience benchmark: for 10k, 100k and 1M subscribers, starts the packaged service with a
# 192 MB heap on a fresh PostgreSQL database, imports the subscribers through the streaming
# import, resolves a 1% and an all-matching incident, and prints rows/s and recipients/s.
# Usage: bash src/bench/audience-benchmark.sh [sizes...]   (default: 10000 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
db=bench_audience
port=18080
key=bench-admin-key

./mvnw -B -ntp -q package -DskipTests

run_size() {
  local n=$1
  dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
  createdb -h 127.0.0.1 -U postgres "$db"
  local log
  log=$(mktemp)
  java -Xmx192m -XX:+ExitOnOutOfMemoryError \
    -Dquarkus.http.port=$port \
    -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$db \
    -Dquarkus.datasource.username=postgres -Dquarkus.datasource.password=postgres \
    -Dcomms.access.bootstrap-admin-key=$key \
    -Dcomms.events.relay.enabled=false \
    -Dmp.messaging.incoming.disruption-events.enabled=false \
    -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 60); do
    curl -sf "http://localhost:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  local status=0
  java src/bench/AudienceBenchmark.java "http://localhost:$port" "$key" "$n" || status=$?
  local heap
  heap=$(curl -sf "http://localhost:$port/q/metrics" 2>/dev/null \
    | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {used+=$NF} /^jvm_gc_live_data_size_bytes/ {live=$NF}
           END {printf "heap in use %.0f MiB, live after last GC %.0f MiB", used/1048576, live/1048576}' || true)
  if kill -0 "$pid" 2>/dev/null; then
    echo "size=$n service alive after the run with -Xmx192m ($heap)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  else
    echo "size=$n the service died (see below)"; tail -n 20 "$log"; status=1
  fi
  grep -q OutOfMemoryError "$log" && { echo "size=$n OutOfMemoryError"; status=1; }
  [ $status -eq 0 ] || tail -n 30 "$log"; rm -f "$log"
  return $status
}

for n in "${sizes[@]}"; do
  run_size "$n"
done
# the last size's database stays for a look (psql bench_audience); the next run drops it
