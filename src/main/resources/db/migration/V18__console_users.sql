-- People who use the ops console: a role each, the password only as a bcrypt hash.
create table console_user (
    id                   bigserial    primary key,
    username             varchar(100) not null unique,
    password_hash        varchar(100) not null,
    role                 varchar(10)  not null check (role in ('viewer', 'ops', 'admin')),
    created_at           timestamptz  not null,
    password_changed_at  timestamptz  not null
);

-- A signed-in browser. The cookie holds the token; only its hash is kept. The CSRF token every
-- console form carries belongs to the session.
create table console_session (
    token_hash    varchar(64)  primary key,
    user_id       bigint       not null references console_user (id) on delete cascade,
    csrf_token    varchar(64)  not null,
    created_at    timestamptz  not null,
    last_seen_at  timestamptz  not null
);
create index console_session_user on console_session (user_id);

-- Failed sign-ins, per account and per client address (both hashed), for throttling on every replica.
create table console_sign_in_failure (
    id       bigserial    primary key,
    subject  varchar(64)  not null,
    at       timestamptz  not null
);
create index console_sign_in_failure_subject_at on console_sign_in_failure (subject, at);
