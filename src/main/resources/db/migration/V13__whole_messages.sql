-- Every message in one language, options that stay open until withdrawn, short links to the full
-- message, and goodwill codes.

-- Ops text per locale. Until now acknowledge, the confirm question and option labels were one
-- string each, written in the update's default locale; they become locale → text maps.
alter table incident_update
    alter column acknowledge type jsonb using
        case when acknowledge is null then null else jsonb_build_object(default_locale, acknowledge) end,
    alter column confirm_question type jsonb using
        case when confirm_question is null then null else jsonb_build_object(default_locale, confirm_question) end,
    add column explain_sms jsonb not null default '{}',
    add column goodwill jsonb,
    -- the update gave no options: it repeats the incident's open ones as they are when it is published
    add column options_carried boolean not null default false;

update incident_update u set options = (
    select coalesce(jsonb_agg(
               o || jsonb_build_object('label', case when jsonb_typeof(o -> 'label') = 'string'
                                                     then jsonb_build_object(u.default_locale, o -> 'label')
                                                     else o -> 'label' end)
                 || case when jsonb_typeof(o -> 'detail') = 'string'
                         then jsonb_build_object('detail', jsonb_build_object(u.default_locale, o -> 'detail'))
                         else '{}'::jsonb end
               order by ord), '[]'::jsonb)
    from jsonb_array_elements(u.options) with ordinality as e(o, ord))
where jsonb_array_length(u.options) > 0;

-- The title per locale (title keeps the default locale's), and the options open now: an update
-- that names none keeps them, an empty list withdraws them.
alter table incident
    add column titles jsonb not null default '{}',
    add column options jsonb not null default '[]';
update incident i set titles = jsonb_build_object(coalesce(
    (select u.default_locale from incident_update u where u.incident_id = i.id order by u.seq limit 1), 'en'), i.title);
update incident i set options = coalesce((
    select u.options from incident_update u
    where u.incident_id = i.id and u.status = 'PUBLISHED' and u.notify
    order by u.seq desc limit 1), '[]'::jsonb);

-- A short link to one recipient's full message (SMS that had to be shortened, or offer options).
create table short_link (
    id               varchar(16)  primary key,
    notification_id  bigint       not null unique references notification (id),
    subscriber_id    bigint       not null,
    created_at       timestamptz  not null,
    expires_at       timestamptz  not null
);
create index short_link_subscriber_idx on short_link (subscriber_id);

-- Single-use goodwill codes of an incident; each goes to one subscriber, once. A code given to a
-- subscriber who is later erased is retired (its owner forgotten, never given again).
create table goodwill_code (
    id             bigint generated always as identity primary key,
    incident_id    bigint        not null references incident (id),
    code           varchar(64)   not null,
    subscriber_id  bigint,
    assigned_at    timestamptz,
    retired_at     timestamptz,
    unique (incident_id, code),
    unique (incident_id, subscriber_id)
);
create index goodwill_code_free_idx on goodwill_code (incident_id, id) where subscriber_id is null and retired_at is null;
create index goodwill_code_subscriber_idx on goodwill_code (subscriber_id) where subscriber_id is not null;
-- The longest code of each pool: renderings shared by many recipients leave that much room for it.
create table goodwill_pool (
    incident_id  bigint  primary key references incident (id),
    longest      int     not null
);

-- The catalog of what customers can be told about: display names (and descriptions) per locale
-- for scopes such as component:checkout; the status page shows the components among them.
create table component (
    scope         varchar(200)  primary key,
    names         jsonb         not null,
    descriptions  jsonb         not null default '{}',
    group_key     varchar(100),
    position      int           not null default 0,
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null
);
