-- Issue 11 item 9 (found by `ringdesk bench pages`): R-C7's recovery reads, on
-- every event, the later calls of the caller's number (`customer_key = $2 and
-- first_seen_at > $3`). With only (company_id, customer_key) and
-- (company_id, first_seen_at) to choose from, SQLite walked the company's
-- calls by time from the earliest unrecovered missed call on: a cost that grew
-- with every call stored. One index answers both conditions; it replaces the
-- narrower one, whose prefix it is.
create index call_customer_time_idx on call(company_id, customer_key, first_seen_at);
drop index call_customer_idx;
-- The missed calls still waiting for a callback (home, the missed-calls list,
-- R-C7's unrecovered set): a small partial index instead of a scan of all calls.
create index call_waiting_idx on call(company_id, first_seen_at) where missed and not recovered;
