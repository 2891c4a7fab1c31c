-- What a client of the Statuspage-compatible API attached to an incident (`metadata`), answered back as given.
alter table incident add column metadata jsonb;
