-- The callback SLA of missed calls (issue 13 item 4). Expand only: two new
-- columns on `call`.
--
-- `sla_deadline_at` (ms): when a missed call (R-C4) should have been called
-- back by, in business time from its end; set once, when it becomes missed
-- under a company SLA; null when no SLA applies (none set, not a customer's
-- call, a withheld number, no business hours) or when a late answer proved it
-- was not missed (R-C3a). `within_sla`: true when the callback that recovered
-- it (R-C7) started at or before the deadline, false once the deadline passed
-- without one (the breach job) or the callback came late; null while pending
-- or without an SLA. The settings live in telephony_settings' JSON.
alter table call add column sla_deadline_at integer;
alter table call add column within_sla boolean;
