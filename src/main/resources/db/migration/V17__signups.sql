-- Sign-ups from the status page, until they are confirmed (email: a link; SMS: a six-digit code).
-- Tokens and codes are kept only as hashes. The addresses are kept for sending the confirmation;
-- a sign-up is deleted once confirmed, or a day after it was made.
create table signup (
    id                 uuid         primary key,
    created_at         timestamptz  not null,
    expires_at         timestamptz  not null,
    email              varchar(320),
    email_token_hash   varchar(64)  unique,
    phone              varchar(20),
    code_hash          varchar(64),
    code_expires_at    timestamptz,
    code_tries         int          not null default 0,
    locale             varchar(35),
    time_zone          varchar(64),
    scopes             text[]       not null,
    subscriber_ref     varchar(200)
);
create index signup_expires on signup (expires_at);

-- What sign-up limits count: per client, per address, per number, verification SMS sent.
create table signup_attempt (
    id       bigserial    primary key,
    kind     varchar(20)  not null,
    subject  varchar(64)  not null,
    at       timestamptz  not null
);
create index signup_attempt_kind_subject_at on signup_attempt (kind, subject, at);
