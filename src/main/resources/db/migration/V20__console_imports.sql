-- Subscriber files imported from the console run in the background; their progress is kept here so
-- that any replica can show it, and their report once they end.
create table console_import (
    id           uuid         primary key,
    started_by   varchar(100) not null,
    file_name    varchar(200) not null,
    bytes        bigint       not null,
    bytes_read   bigint       not null default 0,
    rows_read    bigint       not null default 0,
    rejected     bigint       not null default 0,
    started_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    finished_at  timestamptz,
    report       text,
    failure      text
);
create index console_import_started_at on console_import (started_at);
