-- Final delivery reports from providers (Twilio status callbacks). Kept even when they arrive
-- before our own record of the send has committed, and applied once it has.
create table provider_receipt (
    id               bigint generated always as identity primary key,
    notification_id  bigint       not null references notification (id),
    status           varchar(16)  not null,
    error_code       varchar(16),
    message_sid      varchar(64),
    received_at      timestamptz  not null,
    applied_at       timestamptz
);
create index provider_receipt_pending_idx on provider_receipt (notification_id) where applied_at is null;
