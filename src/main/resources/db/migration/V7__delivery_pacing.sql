-- Round-robin between incidents of equal priority: each notification gets its turn within its
-- update when it is planned, so the dispatcher's claim is one index walk (channel, priority,
-- turn, id) instead of a window over the whole queue.
alter table notification add column turn int not null default 0;
drop index notification_due_priority_idx;
drop index notification_due_idx;
create index notification_due_order_idx on notification (channel, priority, turn, id) where state = 'PLANNED';
create index notification_sending_idx on notification (lease_until) where state = 'SENDING';
create index notification_uncertain_idx on notification (id) where state = 'UNCERTAIN';
create index notification_contact_point_idx on notification (contact_point_id, incident_id);

-- A notification sent by the other channel because its own failed permanently points at it.
alter table notification add column fallback_of bigint references notification (id);

-- Pacing per sender, shared by every replica: the next free send slot (a generic cell rate
-- algorithm: each send moves it on by its cost over the rate) and a pause after the provider
-- throttled us (HTTP 429, Twilio 21611), which holds the whole sender.
create table send_rate (
    sender        varchar(64)  primary key,
    next_slot_at  timestamptz  not null,
    paused_until  timestamptz
);

-- When the first message of an update went out, for the publish-to-first-send measure.
alter table notification_intent add column first_sent_at timestamptz;

-- How many attempts of a notification ended without knowing whether the message went out.
alter table notification add column uncertain_attempts int not null default 0;
