-- The cadence's promises, kept in the database so they survive restarts and fire once across
-- replicas: a worker claims a due row with FOR UPDATE SKIP LOCKED and acts in the same
-- transaction in which it marks the row fired. A newer update cancels what an older one set.
create table cadence_deadline (
    id              bigint generated always as identity primary key,
    incident_id     bigint       not null references incident (id),
    kind            varchar(16)  not null,
    due_at          timestamptz  not null,
    set_by_update   bigint       references incident_update (id),
    created_at      timestamptz  not null,
    fired_at        timestamptz,
    cancelled_at    timestamptz
);
create index cadence_deadline_due_idx on cadence_deadline (due_at) where fired_at is null and cancelled_at is null;
create index cadence_deadline_incident_idx on cadence_deadline (incident_id) where fired_at is null and cancelled_at is null;

-- Whether an answer chose an option meaning "this still affects me" (kept with the answer, so
-- counting them needs no look into the update's options).
alter table answer add column still_affected boolean not null default false;
update answer a set still_affected = true from incident_update u
where u.id = a.incident_update_id
  and exists (select 1 from jsonb_to_recordset(u.options) as o(code text, "stillAffected" boolean)
              where o.code = a.option_code and o."stillAffected");

-- Superseding looks up a contact point's planned notifications of an incident, one probe per new
-- row; without this the planner may walk every planned row per probe once many wait (quiet hours).
create index notification_planned_contact_point_idx on notification (contact_point_id, incident_id)
    where state = 'PLANNED';
