-- What each recipient was sent, stored once per distinct rendering: recipients of one update who
-- share locale, time zone, channel and first-SMS footer share a variant. The per-recipient link
-- token is not kept (it is a live capability); the delivery log shows where it stood.
create table message_variant (
    id                  bigint generated always as identity primary key,
    incident_update_id  bigint       not null references incident_update (id),
    content_hash        varchar(64)  not null unique,
    channel             varchar(8)   not null,
    subject             text,
    body                text         not null,
    created_at          timestamptz  not null
);
alter table notification add column variant_id bigint references message_variant (id);
