-- Messages to ops' chat (Slack, Teams), written in the transaction of the event they tell about and
-- sent by the chat relay until the chat service takes them: a chat outage delays them, loses none.
create table chat_message (
    id              bigint generated always as identity primary key,
    destination     varchar(64)  not null,
    event_id        uuid         not null,
    event_type      varchar(64)  not null,
    incident_key    varchar(32),
    body            text         not null,
    created_at      timestamptz  not null,
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null,
    claimed_until   timestamptz,
    delivered_at    timestamptz,
    failed_at       timestamptz,
    last_error      varchar(1000),
    unique (destination, event_id)
);
create index chat_message_due_idx on chat_message (next_attempt_at) where delivered_at is null and failed_at is null;
