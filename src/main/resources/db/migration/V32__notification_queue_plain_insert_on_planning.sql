-- A planned notification is new, so its queue row cannot exist yet: the insert trigger adds it with
-- a plain insert. As an upsert (INSERT ... ON CONFLICT) every row of a planning insert went through
-- PostgreSQL's speculative insertion, probing the key before and after writing it, which cost about
-- 1.5 us of the planning insert's 10-11 us per row (measured on the queue-statements benchmark's
-- table). Updates still upsert: a notification's queue row may or may not be there before them.
-- The queue must be emptied or restored together with notification (a truncate fires no trigger):
-- a queue row left behind for a reused id would now make that planning insert fail.
create or replace function notification_queue_follow_writes() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into notification_queue
            (notification_id, state, channel, incident_id, contact_point_id, priority, turn, next_attempt_at, lease_until)
        select id, state, channel, incident_id, contact_point_id, priority, turn, next_attempt_at, lease_until
        from written where state in ('PLANNED', 'SENDING', 'UNCERTAIN');
        return null;
    end if;
    delete from notification_queue
    where notification_id = any (array(select w.id from written w
                                       where w.state not in ('PLANNED', 'SENDING', 'UNCERTAIN')));
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
