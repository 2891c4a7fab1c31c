-- When the last message of an update went out (the time to everyone, exported as a metric once per
-- update whatever the number of replicas), and the indexes the metrics' counts read.
alter table notification_intent add column everyone_reached_at timestamptz;
create index notification_intent_reaching_idx on notification_intent (id)
    where everyone_reached_at is null and first_sent_at is not null;
create index cadence_deadline_open_holding_idx on cadence_deadline (due_at)
    where kind = 'HOLDING' and fired_at is null and cancelled_at is null;
-- updates that went out before this version are not timed after the fact
update notification_intent set everyone_reached_at = first_sent_at where first_sent_at is not null;
