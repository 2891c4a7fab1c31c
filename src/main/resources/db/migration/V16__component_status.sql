-- Component statuses on the status page. An update may set a component's status explicitly
-- (kept per update, and the incident's current explicit statuses until it closes); otherwise a
-- component follows the open incidents touching it. Every change is kept, for history and uptime.
alter table incident_update add column component_statuses jsonb not null default '{}';
alter table incident add column component_statuses jsonb not null default '{}';

create table component_status_change (
    id          bigserial    primary key,
    scope       varchar(200) not null,
    status      varchar(30)  not null,
    since       timestamptz  not null
);
create index component_status_change_scope_since on component_status_change (scope, since);
