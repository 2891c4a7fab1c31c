-- Checks the existing notifications against V29's paired references, in one pass over the table.
-- Validating takes a lock that lets reads and writes go on (the other replicas keep sending), which
-- is why it is a migration, and a transaction, of its own.
alter table notification validate constraint notification_update_of_incident_fkey;
alter table notification validate constraint notification_contact_point_of_subscriber_fkey;
