#!/usr/bin/env bash
# The notification queue's statements alone, in PostgreSQL, for the notification table as it was
# before V28 (the queue in partial indexes on state and lease_until: every claim and record a
# non-HOT update through all its indexes), as it is since (a narrow notification_queue kept by
# statement-level triggers, no index of notification on a column a send changes, fillfactor 50),
# and as a lifecycle the service does not have, to measure what it would save: a claim that takes
# its rows out of the queue under one lease row per batch instead of writing each notification, so
# that a notification is written once after it is planned, by the record of its send.
# Plans 100k rows, then claims and records them in batches of 50, each statement in its own
# transaction, and prints the time per row of each shape and their ratios. No service,
# sink or stub runs, so the figures are PostgreSQL's own work, without the protocol and planning.
# Usage: bash src/bench/queue-statements.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-100000}
db=bench_queue_statements
p() { psql -q -h 127.0.0.1 -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }

dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
p <<'SQL'
create table notification (
    id bigint generated always as identity primary key,
    incident_update_id bigint not null, incident_id bigint not null, subscriber_id bigint not null,
    contact_point_id bigint not null, channel varchar(8) not null, state varchar(16) not null,
    created_at timestamptz not null, attempts int not null default 0, next_attempt_at timestamptz,
    lease_until timestamptz, attempt_id uuid, provider_id varchar(100), last_error text, sent_at timestamptz,
    updated_at timestamptz, priority int not null default 100, sent_text text, turn int not null default 0,
    fallback_of bigint, uncertain_attempts int not null default 0, variant_id bigint, lookups int not null default 0,
    unique (incident_update_id, contact_point_id));
create index on notification (incident_id, subscriber_id);
create index on notification (contact_point_id, incident_id);

-- before V28: the queue in partial indexes of notification
create schema before;
create table before.notification (like public.notification including all);
create index before_due on before.notification (channel, priority, turn, id) where state = 'PLANNED';
create index before_lease on before.notification (lease_until) where lease_until is not null;
create index before_planned_contact_point on before.notification (contact_point_id, incident_id) where state = 'PLANNED';
create index before_uncertain on before.notification (id) where state = 'UNCERTAIN';
SQL
# a copy of notification in a schema of its own, with the migrations' queue table, triggers (as V31
# and V32 left them) and fillfactor
with_queue() {
  local schema=$1
  p -c "create schema $schema; create table $schema.notification (like public.notification including all)"
  sed -e '/^lock table/d' -e '/^insert into notification_queue$/,/;$/d' -e '/^drop index/d' \
      src/main/resources/db/migration/V28__notification_queue.sql \
    | PGOPTIONS="-c search_path=$schema" p -f -
  for migration in V31__notification_queue_deletes_by_id V32__notification_queue_plain_insert_on_planning; do
    PGOPTIONS="-c search_path=$schema" p -f "src/main/resources/db/migration/$migration.sql"
  done
}
# since V28: as the service has it
with_queue since
# a lifecycle with one row version fewer per message (not built in the service): the queue and its
# insert trigger as since, but a claim takes its rows out of the queue and leases them with one row
# per batch, so the notification row is written once after planning, by the record
with_queue batched
# the update trigger stays: a service built this way would still update notifications for other
# reasons (superseding, quiet hours, retries), so the record's update pays for its firing
PGOPTIONS='-c search_path=batched' p <<'SQL'
create table claim_batch (id bigint generated always as identity primary key, attempt_id uuid not null,
                          lease_until timestamptz not null, ids bigint[] not null);
create index on claim_batch (lease_until);
SQL

p <<'SQL'
-- the bodies name tables of the schema a run puts first in its search path
set check_function_bodies = off;
create procedure public.plan(n int) language plpgsql as $$
begin
  insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel, state,
                            created_at, priority, turn)
  select 1, 1, g, g, case when g % 2 = 0 then 'EMAIL' else 'SMS' end, 'PLANNED', now(), 100, g / 1000
  from generate_series(1, n) g;
end $$;
-- the claim and the record of NotificationQueue, before and since, without the recipient's details
create function public.claim_before(wanted text, batch int) returns bigint[] language plpgsql as $$
declare ids bigint[];
begin
  with picked as (
      select id from notification where channel = wanted and state = 'PLANNED'
        and (next_attempt_at is null or next_attempt_at <= now())
      order by priority, turn, id limit batch for update skip locked),
  claimed as (
      update notification n set state = 'SENDING', attempt_id = gen_random_uuid(),
          lease_until = now() + interval '1 minute', attempts = n.attempts + 1, updated_at = now()
      from picked where n.id = picked.id returning n.id)
  select array_agg(id) into ids from claimed;
  return ids;
end
$$;
create function public.claim_since(wanted text, batch int) returns bigint[] language plpgsql as $$
declare ids bigint[];
begin
  with picked as (
      select n.id from notification_queue q join notification n on n.id = q.notification_id
      where q.channel = wanted and q.state = 'PLANNED' and (q.next_attempt_at is null or q.next_attempt_at <= now())
        and n.state = 'PLANNED' and (n.next_attempt_at is null or n.next_attempt_at <= now())
      order by q.priority, q.turn, q.notification_id limit batch for update of n skip locked),
  claimed as (
      update notification n set state = 'SENDING', attempt_id = gen_random_uuid(),
          lease_until = now() + interval '1 minute', attempts = n.attempts + 1, updated_at = now()
      from picked where n.id = picked.id returning n.id)
  select array_agg(id) into ids from claimed;
  return ids;
end
$$;
create function public.record_sent(ids bigint[]) returns void language plpgsql as $$
begin
  update notification n set state = 'SENT', provider_id = 'p' || n.id, last_error = null, next_attempt_at = null,
      sent_at = now(), lease_until = null, updated_at = now()
  from unnest(ids) as s(id) where n.id = s.id and n.state = 'SENDING';
end
$$;
-- the batched lifecycle: the claim re-checks the notification's state without writing it
create function public.claim_batched(wanted text, batch int) returns bigint language plpgsql as $$
declare leased bigint;
begin
  with picked as (
      select q.notification_id from notification_queue q join notification n on n.id = q.notification_id
      where q.channel = wanted and q.state = 'PLANNED' and (q.next_attempt_at is null or q.next_attempt_at <= now())
        and n.state = 'PLANNED' and (n.next_attempt_at is null or n.next_attempt_at <= now())
      order by q.priority, q.turn, q.notification_id limit batch for update of q skip locked),
  taken as (
      delete from notification_queue q using picked where q.notification_id = picked.notification_id
      returning q.notification_id)
  insert into claim_batch (attempt_id, lease_until, ids)
  select gen_random_uuid(), now() + interval '1 minute', array_agg(notification_id) from taken
  having count(*) > 0
  returning id into leased;
  return leased;
end
$$;
create function public.record_batched(leased bigint) returns void language plpgsql as $$
begin
  update notification n set state = 'SENT', provider_id = 'p' || n.id, attempts = n.attempts + 1,
      sent_at = now(), updated_at = now()
  from claim_batch b, unnest(b.ids) as s(id)
  where b.id = leased and n.id = s.id and n.state = 'PLANNED';
  delete from claim_batch where id = leased;
end
$$;
create procedure public.claim_and_record_batched(batches int, batch int) language plpgsql as $$
declare leased bigint;
begin
  for i in 1..batches loop
    -- called as claim_and_record calls the other shapes' claims
    execute 'select public.claim_batched($1, $2)' into leased
        using case when i % 2 = 0 then 'EMAIL' else 'SMS' end, batch;
    commit;
    perform public.record_batched(leased);
    commit;
  end loop;
end $$;
-- each claim and each record a transaction of its own, as the dispatcher's
create procedure public.claim_and_record(claim text, batches int, batch int) language plpgsql as $$
declare ids bigint[];
begin
  for i in 1..batches loop
    execute format('select public.%I($1, $2)', claim) into ids
        using case when i % 2 = 0 then 'EMAIL' else 'SMS' end, batch;
    commit;
    perform public.record_sent(ids);
    commit;
  end loop;
end $$;
SQL

# nanoseconds per row of one call (psql's wall time, commits included), run with the schema's search path
per_row() {
  local schema=$1 call=$2
  local start end
  start=$(date +%s%N)
  PGOPTIONS="-c search_path=$schema,public" p -c "call $call"
  end=$(date +%s%N)
  echo $(( (end - start) / rows ))
}
batches=$(( rows / 50 ))
declare -A planned recorded
shapes="before since batched"
for round in 1 2; do
  for schema in $shapes; do
    tables=notification
    [ "$schema" = since ] && tables="notification, notification_queue" # a truncate fires no trigger
    [ "$schema" = batched ] && tables="notification, notification_queue, claim_batch"
    PGOPTIONS="-c search_path=$schema,public" p -c "truncate $tables" -c "vacuum analyze notification"
    planned[$schema]=$(( ${planned[$schema]:-0} + $(per_row "$schema" "public.plan($rows)") ))
    PGOPTIONS="-c search_path=$schema,public" p -c "analyze notification"
    call="public.claim_and_record('claim_$schema', $batches, 50)"
    [ "$schema" = batched ] && call="public.claim_and_record_batched($batches, 50)"
    recorded[$schema]=$(( ${recorded[$schema]:-0} + $(per_row "$schema" "$call") ))
  done
done
hot() {
  psql -h 127.0.0.1 -U postgres -d "$db" -Atc "select round(100.0 * n_tup_hot_upd / greatest(n_tup_upd, 1))
    from pg_stat_user_tables where schemaname = '$1' and relname = 'notification'"
}
sleep 1 # the backends' counts reach the statistics when they end
echo "PostgreSQL time per notification (each call's wall time, commits included), $rows rows, two rounds each (us):"
for schema in $shapes; do
  awk -v s="$schema" -v p="${planned[$schema]}" -v r="${recorded[$schema]}" -v h="$(hot "$schema")" \
    'BEGIN { printf "  %-7s planning %5.1f  claim + record %5.1f  total %5.1f  (HOT updates %s%%)\n", s, p / 2000, r / 2000, (p + r) / 2000, h }'
done
awk -v b=$(( planned[before] + recorded[before] )) -v s=$(( planned[since] + recorded[since] )) \
  'BEGIN { printf "  since / before: %.2f\n", s / b }'
awk -v s=$(( planned[since] + recorded[since] )) -v b=$(( planned[batched] + recorded[batched] )) \
  'BEGIN { printf "  batched / since: %.2f\n", b / s }'
dropdb -h 127.0.0.1 -U postgres "$db"
