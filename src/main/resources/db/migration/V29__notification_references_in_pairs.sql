-- Each planned notification was checked against four tables, one look-up per reference: its
-- update, its incident, its subscriber and its contact point. A notification's incident is its
-- update's and its subscriber is its contact point's, so two references in pairs check the same
-- and more (they also refuse an incident that is not the update's, a subscriber who does not own
-- the contact point), at half the look-ups: on the delivery benchmark's planning insert of 120k
-- rows, the four checks were 20 us of its 43-45 us a row (src/bench/hot-statements.sh).
--
-- Every replica migrates at start, so no step may wait long for a lock or build anything
-- concurrently (CREATE INDEX CONCURRENTLY waits for the other replicas' migration transactions).
-- Should a lock not come within 10 s, the migration rolls back and the replica retries on its next
-- start. The pairs reference unique indexes, whose build blocks writes to (not reads of) the two
-- small referenced tables; the new constraints are added NOT VALID, checking new rows only, and
-- V30 validates the existing ones without blocking writes.
set local lock_timeout = '10s';

create unique index incident_update_id_incident_id_key on incident_update (id, incident_id);
create unique index contact_point_id_subscriber_id_key on contact_point (id, subscriber_id);

alter table notification
    add constraint notification_update_of_incident_fkey foreign key (incident_update_id, incident_id)
        references incident_update (id, incident_id) not valid,
    add constraint notification_contact_point_of_subscriber_fkey foreign key (contact_point_id, subscriber_id)
        references contact_point (id, subscriber_id) not valid,
    drop constraint notification_incident_update_id_fkey,
    drop constraint notification_incident_id_fkey,
    drop constraint notification_subscriber_id_fkey,
    drop constraint notification_contact_point_id_fkey;
