-- Dispatch state of each notification: claimed with a lease and an attempt id, retried with a
-- next attempt time, and what the provider answered.
alter table notification
    add column attempts         int          not null default 0,
    add column next_attempt_at  timestamptz,
    add column lease_until      timestamptz,
    add column attempt_id       uuid,
    add column provider_id      varchar(100),
    add column last_error       text,
    add column sent_at          timestamptz,
    add column updated_at       timestamptz;
create index notification_due_idx on notification (id) where state in ('PLANNED', 'SENDING');
