-- Uncertain SMS are looked up at Twilio on a schedule of their own; a look-up Twilio did not
-- answer is tried again later and later (next_attempt_at), counted here.
alter table notification add column lookups int not null default 0;
