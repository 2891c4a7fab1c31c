-- The span that published an update, as a W3C traceparent, so that planning and sending its
-- notifications (later, on any replica) continue the same trace. Null when tracing is off.
alter table notification_intent add column trace_parent text;
