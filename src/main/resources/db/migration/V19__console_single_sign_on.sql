-- Console users who sign in through the identity provider (OpenID Connect) have no password here:
-- their role comes from the provider at every sign-in.
alter table console_user alter column password_hash drop not null;
alter table console_user add column signs_in_with varchar(10) not null default 'password'
    check (signs_in_with in ('password', 'sso'));
alter table console_user add constraint console_user_password_or_sso
    check (signs_in_with = 'sso' or password_hash is not null);
