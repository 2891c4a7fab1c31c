-- Contact points are looked up by address only for SMS (inbound replies and keywords, by the
-- sender's number). Indexing every email address too cost each import a B-tree insert per row.
drop index contact_point_address_idx;
create index contact_point_sms_address_idx on contact_point (address) where channel = 'SMS';
