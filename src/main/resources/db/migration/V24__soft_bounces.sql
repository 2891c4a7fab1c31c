-- Soft bounces reported by the email provider since the address last took a message; at the
-- configured limit the address counts as bounced.
alter table contact_point add column soft_bounces integer not null default 0;

-- The providers' events already applied, by the provider's own identity of each: SNS and the
-- providers deliver at least once, and a soft bounce counted twice would bounce an address early.
create table email_event_seen (
    provider   varchar(16)  not null,
    event_key  varchar(300) not null,
    seen_at    timestamptz  not null,
    primary key (provider, event_key)
);
