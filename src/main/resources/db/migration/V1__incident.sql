-- Incidents and their append-only timeline. All timestamps are UTC (timestamptz), written from
-- the application's clock, never from now() in SQL.

create table incident (
    id               bigint generated always as identity primary key,
    incident_key     varchar(32)  not null unique,
    title            varchar(200) not null,
    kind             varchar(16)  not null,
    severity         varchar(16)  not null,
    state            varchar(16)  not null,
    scopes           varchar[]    not null default '{}',
    recipients       varchar[]    not null default '{}',
    owner_name       varchar(200),
    owner_email      varchar(320),
    owner_phone      varchar(32),
    started_at       timestamptz  not null,
    expected_end_at  timestamptz,
    resolved_at      timestamptz,
    source           varchar(64)  not null,
    external_id      varchar(200),
    paused           boolean      not null default false,
    next_update_by   timestamptz,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    version          bigint       not null default 0
);
-- One open incident per (source, external id); a closed one may be followed by a new one.
create unique index incident_open_external_uq on incident (source, external_id)
    where external_id is not null and state not in ('RESOLVED', 'COMPLETED', 'CANCELLED');
create index incident_external_idx on incident (source, external_id, created_at desc);
create index incident_scopes_gin on incident using gin (scopes);
create index incident_state_idx on incident (state, severity, started_at desc);

create sequence incident_number_seq;

create table incident_update (
    id                bigint generated always as identity primary key,
    incident_id       bigint       not null references incident (id),
    seq               int          not null,
    status            varchar(16)  not null,
    message_kind      varchar(32)  not null,
    state_from        varchar(16),
    state_to          varchar(16),
    severity          varchar(16),
    scopes            varchar[],
    explain           jsonb        not null default '{}',
    default_locale    varchar(35)  not null,
    acknowledge       text,
    options           jsonb        not null default '[]',
    confirm_question  text,
    next_update_by    timestamptz,
    notify            boolean      not null,
    author            varchar(200) not null,
    source            varchar(64)  not null,
    created_at        timestamptz  not null,
    published_at      timestamptz,
    unique (incident_id, seq)
);

-- Transactional outbox towards delivery: written in the same transaction as the published update.
create table notification_intent (
    id                  bigint generated always as identity primary key,
    incident_update_id  bigint      not null unique references incident_update (id),
    incident_id         bigint      not null references incident (id),
    created_at          timestamptz not null,
    planned_at          timestamptz
);
create index notification_intent_pending_idx on notification_intent (id) where planned_at is null;

-- The global kill switch for outgoing customer messages (one row).
create table messaging_control (
    id          int          primary key check (id = 1),
    paused      boolean      not null,
    changed_at  timestamptz,
    changed_by  varchar(200)
);
insert into messaging_control (id, paused) values (1, false);

-- Transactional outbox towards the bus (incident-events).
create table event_outbox (
    id            bigint generated always as identity primary key,
    event_id      uuid         not null unique,
    event_type    varchar(64)  not null,
    incident_key  varchar(32)  not null,
    payload       jsonb        not null,
    created_at    timestamptz  not null,
    published_at  timestamptz,
    attempts      int          not null default 0,
    claimed_until timestamptz
);
create index event_outbox_pending_idx on event_outbox (id) where published_at is null;

-- Events already applied, per source: a redelivery is dropped.
create table inbound_event (
    source       varchar(64)  not null,
    event_key    varchar(300) not null,
    received_at  timestamptz  not null,
    primary key (source, event_key)
);

create table idempotent_request (
    idempotency_key  varchar(200) not null,
    principal        varchar(200) not null,
    request_hash     varchar(64)  not null,
    response_status  int,
    response_body    text,
    created_at       timestamptz  not null,
    primary key (principal, idempotency_key)
);

create table api_key (
    id          bigint generated always as identity primary key,
    name        varchar(100) not null unique,
    key_hash    varchar(64)  not null unique,
    role        varchar(16)  not null,
    created_at  timestamptz  not null,
    created_by  varchar(200) not null,
    revoked_at  timestamptz
);

create table audit_entry (
    id           bigint generated always as identity primary key,
    occurred_at  timestamptz  not null,
    actor        varchar(200) not null,
    action       varchar(64)  not null,
    target       varchar(200),
    detail       text
);
create index audit_entry_target_idx on audit_entry (target, occurred_at);
