#!/usr/bin/env bash
# Mail client benchmark (issue 20): CPU per email of the Vert.x mail client behind Quarkus Mailer
# and of Eclipse Angus Mail, each in its own JVM, sending the same email to the delivery
# benchmark's SMTP sink. Prints both and the ratio.
# Usage: bash src/bench/mail-client-benchmark.sh [seconds per run]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-mail-classpath.txt
java -cp "$(cat target/bench-mail-classpath.txt)" src/bench/MailClientBenchmark.java "${1:-15}"
