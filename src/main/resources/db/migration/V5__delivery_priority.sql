-- The order in which due notifications are sent: severity first, then the kind of message
-- (resolved and holding before the rest, follow-ups last); lower goes first.
alter table notification add column priority int not null default 100;
create index notification_due_priority_idx on notification (priority, id) where state in ('PLANNED', 'SENDING');
