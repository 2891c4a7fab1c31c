-- The index of held leases, by when they run out (expired leases are looked up by it). It was
-- partial on state = 'SENDING', which let the planner answer "this claim, if still SENDING" by
-- reading every SENDING row: recording each group of sends scanned all claims in flight (its
-- statistics, taken when few were, call that index tiny). A lease is held only while a claim is
-- SENDING or an uncertain SMS is being looked up, so the same rows are in it, and the lookups by id
-- go through the primary key.
drop index notification_sending_idx;
create index notification_lease_idx on notification (lease_until) where lease_until is not null;
