-- The queue of unfinished notifications (planned, being sent, uncertain) moves out of the
-- notification table into a narrow table of its own, which triggers keep in step with every
-- write to notification. The reason is PostgreSQL's HOT updates: an update can stay on its page
-- without touching any index only when no index covers a column it changes, and that includes
-- the columns in a partial index's predicate. The queue's partial indexes named state and
-- lease_until, so claiming and recording each wrote a new entry in every index of notification.
-- Now no index of notification covers a column that a send changes, the queue's own indexes are
-- narrow, and the queue holds only what is still to be done.
--
-- notification.state stays the truth: the queue is derived from it (by the triggers, in the
-- same statement), statements that claim lock the notification row and re-check its state, and
-- nothing locks a queue row first, so the two are always locked in one order.
--
-- During a rolling deploy the old replicas keep writing: no write may fall between the copy below
-- and the triggers, so writes wait for this migration to commit (it reads the table once). Until
-- they are replaced, the old replicas' claims find no index of theirs and read the whole table.
lock table notification in share row exclusive mode;

create table notification_queue (
    notification_id   bigint      primary key,
    state             varchar(16) not null,
    channel           varchar(8)  not null,
    incident_id       bigint      not null,
    contact_point_id  bigint      not null,
    priority          int         not null,
    turn              int         not null,
    next_attempt_at   timestamptz,
    lease_until       timestamptz
);

insert into notification_queue
select id, state, channel, incident_id, contact_point_id, priority, turn, next_attempt_at, lease_until
from notification where state in ('PLANNED', 'SENDING', 'UNCERTAIN');

-- The dispatcher's claim is one walk in priority order; expired leases are found by when they
-- ran out; uncertain SMS are looked up by id; superseding probes a contact point's planned
-- notifications of an incident (through notification's own index it would read every
-- notification of that contact point and incident ever sent, and the planner may then prefer to
-- read the incident's whole history).
create index notification_queue_due_idx on notification_queue (channel, priority, turn, notification_id)
    where state = 'PLANNED';
create index notification_queue_lease_idx on notification_queue (lease_until) where lease_until is not null;
create index notification_queue_uncertain_idx on notification_queue (notification_id) where state = 'UNCERTAIN';
create index notification_queue_planned_contact_point_idx on notification_queue (contact_point_id, incident_id)
    where state = 'PLANNED';

-- Statement-level, with the statement's rows as a transition table: set-based, a few microseconds
-- a row, where a row-level trigger cost more than the index entries it saved.
create function notification_queue_follow_writes() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        delete from notification_queue q using written w
        where q.notification_id = w.id and w.state not in ('PLANNED', 'SENDING', 'UNCERTAIN');
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

create function notification_queue_follow_deletes() returns trigger language plpgsql as $$
begin
    delete from notification_queue q using removed r where q.notification_id = r.id;
    return null;
end $$;

create trigger notification_queue_after_insert after insert on notification
    referencing new table as written for each statement execute function notification_queue_follow_writes();
create trigger notification_queue_after_update after update on notification
    referencing new table as written for each statement execute function notification_queue_follow_writes();
create trigger notification_queue_after_delete after delete on notification
    referencing old table as removed for each statement execute function notification_queue_follow_deletes();

drop index notification_due_order_idx;
drop index notification_lease_idx;
drop index notification_uncertain_idx;
drop index notification_planned_contact_point_idx;

-- Room on each page for a new version of every row on it: a claim of consecutive rows updates a
-- whole page in one statement, before the old versions can be pruned.
alter table notification set (fillfactor = 50);
