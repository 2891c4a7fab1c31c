#!/usr/bin/env bash
# Where PostgreSQL's time per notification goes, statement by statement and part by part (planning
# insert, claim, record): run after delivery-benchmark.sh, on the database its fan-out left. Each
# statement runs under EXPLAIN ANALYZE and is rolled back: the planning insert for every contact
# point (about 120k rows), the claim and the record [rows] at a time. The claim and the record are
# read from the service's compiled classes. To have something to claim and record, the script plans
# the fan-out's notifications again and claims some for real (committed): run the delivery
# benchmark again before using its database for anything else.
# Usage: bash src/bench/hot-statements.sh [rows] [rounds]   (default 2000 rows, 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
java -cp "target/classes:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*" src/bench/HotStatements.java \
  "jdbc:postgresql://127.0.0.1:5432/bench_delivery" "$@"
