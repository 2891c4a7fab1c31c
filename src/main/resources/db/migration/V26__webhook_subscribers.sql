-- Subscribers' own endpoints, told of every customer-facing update in Statuspage's webhook shape,
-- signed with a secret of their own; a delivery row per update and endpoint is written in the
-- publishing transaction and sent by the webhook relay until the endpoint takes it.
create table webhook_subscription (
    id                   bigint generated always as identity primary key,
    url                  varchar(2000) not null,
    scopes               text[]        not null default '{}',
    signing_secret       varchar(100)  not null,
    contact_email        varchar(320),
    created_at           timestamptz   not null,
    consecutive_failures int           not null default 0,
    disabled_at          timestamptz,
    disabled_reason      varchar(1000)
);
create table webhook_delivery (
    id              bigint generated always as identity primary key,
    -- no foreign key: a subscription removed while an update is published must not fail the publishing
    subscription_id bigint        not null,
    update_id       bigint        not null,
    body            text          not null,
    created_at      timestamptz   not null,
    attempts        int           not null default 0,
    next_attempt_at timestamptz   not null,
    claimed_until   timestamptz,
    delivered_at    timestamptz,
    failed_at       timestamptz,
    last_error      varchar(1000),
    unique (subscription_id, update_id)
);
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where delivered_at is null and failed_at is null;
