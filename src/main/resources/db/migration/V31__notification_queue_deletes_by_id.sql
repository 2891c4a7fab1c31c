-- The triggers' statements are planned once per connection, for as many rows as the first
-- statement that fired them had, and keep that plan until the tables are analyzed again. When
-- that first statement was a large update (superseding or holding back a whole update's
-- notifications), the join that takes finished notifications out of the queue was planned as a
-- hash join over the whole queue, and every later group of sends on that pooled connection read
-- the whole queue to take a few rows out. Looking the rows up by id in an array has one plan
-- whatever the count: an index probe per row.
create or replace function notification_queue_follow_writes() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        delete from notification_queue
        where notification_id = any (array(select w.id from written w
                                           where w.state not in ('PLANNED', 'SENDING', 'UNCERTAIN')));
    end if;
    insert into notification_queue as q
        (notification_id, state, channel, incident_id, contact_point_id, priority, turn, next_attempt_at, lease_until)
    select id, state, channel, incident_id, contact_point_id, priority, turn, next_attempt_at, lease_until
    from written where state in ('PLANNED', 'SENDING', 'UNCERTAIN')
    on conflict (notification_id) do update
        set state = excluded.state, channel = excluded.channel, priority = excluded.priority, turn = excluded.turn,
            next_attempt_at = excluded.next_attempt_at, lease_until = excluded.lease_until
        where (q.state, q.channel, q.priority, q.turn, q.next_attempt_at, q.lease_until)
              is distinct from (excluded.state, excluded.channel, excluded.priority, excluded.turn,
                                excluded.next_attempt_at, excluded.lease_until);
    return null;
end $$;

create or replace function notification_queue_follow_deletes() returns trigger language plpgsql as $$
begin
    delete from notification_queue where notification_id = any (array(select r.id from removed r));
    return null;
end $$;
