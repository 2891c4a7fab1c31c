-- Hardening: what the public may read, work set aside instead of blocking the rest, and an
-- opt-out that outlives the address row.

-- An incident the public may see: it touches more than single accounts and told customers something.
alter table incident add column public_facing boolean not null default false;
update incident i set public_facing = exists (select 1 from unnest(i.scopes) s where s not like 'account:%')
    and exists (select 1 from incident_update u where u.incident_id = i.id and u.status = 'PUBLISHED' and u.notify);
create index incident_public_idx on incident (started_at desc) where public_facing;

-- Work that fails is retried with backoff and, after a few tries, set aside with its error for
-- ops to see; it never blocks the work behind it.
alter table notification_intent
    add column attempts int not null default 0,
    add column next_attempt_at timestamptz,
    add column failed_at timestamptz,
    add column last_error text;
drop index notification_intent_pending_idx;
create index notification_intent_pending_idx on notification_intent (id) where planned_at is null and failed_at is null;
alter table cadence_deadline
    add column attempts int not null default 0,
    add column failed_at timestamptz,
    add column last_error text;
drop index cadence_deadline_due_idx;
create index cadence_deadline_due_idx on cadence_deadline (due_at)
    where fired_at is null and cancelled_at is null and failed_at is null;

-- Opt-outs belong to the address, not to a row: a hash of the normalised address (channel:address)
-- stays when the address moves to another row, changes and comes back, or is erased and imported
-- again, and holds no address itself.
-- convert_to is only STABLE (it reads the encoding); the database's encoding is fixed, so the hash is immutable
create function contact_address_hash(channel text, address text) returns varchar(64)
    language sql immutable strict parallel safe
    as $$ select encode(sha256(convert_to(channel || ':' || address, 'UTF8')), 'hex') $$;
alter table contact_point add column address_hash varchar(64)
    generated always as (contact_address_hash(channel, address)) stored;
create index contact_point_address_hash_idx on contact_point (address_hash);
create table suppression (
    address_hash  varchar(64)  primary key,
    channel       varchar(8)   not null,
    via           varchar(32)  not null,
    created_at    timestamptz  not null
);
insert into suppression (address_hash, channel, via, created_at)
select distinct on (address_hash) address_hash, channel, coalesce(opted_out_via, 'API'), opted_out_at
from contact_point where opted_out_at is not null and address_hash is not null
order by address_hash, opted_out_at
on conflict do nothing;
