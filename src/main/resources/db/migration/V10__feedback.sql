-- What comes back from customers: option answers (one per subscriber and update; answering
-- again changes it) and free replies (anything else they write back).
create table answer (
    id                  bigint generated always as identity primary key,
    incident_id         bigint       not null references incident (id),
    incident_update_id  bigint       not null references incident_update (id),
    subscriber_id       bigint       not null references subscriber (id),
    option_code         varchar(12)  not null,
    channel             varchar(8)   not null,
    answered_at         timestamptz  not null,
    unique (incident_update_id, subscriber_id)
);
create index answer_incident_idx on answer (incident_id, subscriber_id);

-- The text is personal data: erasing the subscriber drops it, the row stays as a count.
create table free_reply (
    id             bigint generated always as identity primary key,
    incident_id    bigint       references incident (id),
    subscriber_id  bigint       references subscriber (id),
    channel        varchar(8)   not null,
    body           text,
    received_at    timestamptz  not null
);
create index free_reply_incident_idx on free_reply (incident_id, received_at desc);
create index free_reply_subscriber_idx on free_reply (subscriber_id);

-- A provider refused our account (authentication, sender not allowed): the whole channel is held
-- until ops resume it. Unlike a throttling pause, it does not end by itself.
alter table send_rate add column held_since timestamptz, add column held_reason text;

-- Channel alerts concern no single incident.
alter table event_outbox alter column incident_key drop not null;
create index contact_point_address_idx on contact_point (channel, address);
