-- Soft bounces reported by the email provider since the address last took a message; at the
-- configured limit the address counts as bounced.
alter table contact_point add column soft_bounces integer not null default 0;
