-- Subscribers, their subscriptions to scopes and their contact points.

create table subscriber (
    id                  bigint generated always as identity primary key,
    external_ref        varchar(200) not null unique,
    name                varchar(200),
    locale              varchar(35)  not null default 'en',
    time_zone           varchar(64)  not null default 'UTC',
    tier                varchar(16)  not null default 'STANDARD',
    quiet_start         time,
    quiet_end           time,
    channel_preference  varchar[]    not null default '{EMAIL,SMS}',
    -- scope patterns subscribed to: exact (component:checkout), whole kind (region:*) or everything (*)
    scopes              varchar[]    not null default '{}',
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    erased_at           timestamptz
);

-- One email and one phone per subscriber. SMS needs explicit consent (consent_at and source).
create table contact_point (
    id              bigint generated always as identity primary key,
    subscriber_id   bigint       not null references subscriber (id),
    channel         varchar(8)   not null,
    address         varchar(320),
    verified        boolean      not null default false,
    consent_at      timestamptz,
    consent_source  varchar(100),
    opted_out_at    timestamptz,
    opted_out_via   varchar(32),
    bounced_at      timestamptz,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    unique (subscriber_id, channel)
);

-- One index answers "whose subscriptions meet these scope patterns" (scopes && patterns).
create index subscriber_scopes_gin on subscriber using gin (scopes);

-- "Do not tell me more about this incident", chosen through self-service.
create table incident_mute (
    subscriber_id  bigint      not null references subscriber (id),
    incident_id    bigint      not null references incident (id),
    muted_at       timestamptz not null,
    primary key (incident_id, subscriber_id)
);

-- Who was told what: one row per (update, contact point). Delivery writes and advances these;
-- the audience reads them to include everyone already told about an incident.
create table notification (
    id                  bigint generated always as identity primary key,
    incident_update_id  bigint       not null references incident_update (id),
    incident_id         bigint       not null references incident (id),
    subscriber_id       bigint       not null references subscriber (id),
    contact_point_id    bigint       not null references contact_point (id),
    channel             varchar(8)   not null,
    state               varchar(16)  not null,
    created_at          timestamptz  not null,
    unique (incident_update_id, contact_point_id)
);
create index notification_incident_idx on notification (incident_id, subscriber_id);
