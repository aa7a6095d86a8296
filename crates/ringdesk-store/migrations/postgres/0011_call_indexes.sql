-- Issue 11 item 9 (found by `ringdesk bench pages` at 100,000 calls): the
-- reads that ran per event or per page walked or sorted every call.
--
-- R-C7's recovery reads, on every event, the later calls of the caller's
-- number (`customer_key = ? and first_seen_at > ?`). With only
-- (company_id, customer_key) and (company_id, first_seen_at) to choose from,
-- SQLite walked the company's calls by time from the earliest unrecovered
-- missed call on: ingest slowed with every call stored. One index answers both
-- conditions; it replaces the narrower one, whose prefix it is.
create index call_customer_time_idx on call(company_id, customer_key, first_seen_at);
drop index call_customer_idx;
-- The calls lists are newest first (`order by call_id desc limit n`): an index
-- in that order lets them stop after n rows instead of sorting the company's calls.
create index call_company_id_idx on call(company_id, call_id);
-- The calls in a state, newest first: the call bar's active calls (queued,
-- ringing, answered) on every page, and the calls list's state filter.
create index call_state_idx on call(company_id, state, call_id);
-- A client's calls (the client page, its history, the call bar).
create index call_client_idx on call(company_id, client_id, call_id);
-- The missed calls still waiting for a callback (home, the missed-calls list):
-- a small partial index, in the lists' order.
create index call_waiting_idx on call(company_id, call_id) where missed and not recovered;
