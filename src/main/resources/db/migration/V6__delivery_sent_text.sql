-- The text of an SMS attempt whose outcome is uncertain, to find it again at Twilio. Dropped on
-- erase with the rest of the recipient's personal data.
alter table notification add column sent_text text;
