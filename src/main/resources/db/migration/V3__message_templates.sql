-- Every template set that was ever in use, by version, so a published update always renders with
-- the set it was published with.
create table template_set (
    version     varchar(64) primary key,
    files       jsonb       not null,
    created_at  timestamptz not null
);

alter table incident_update add column template_version varchar(64);
