-- The sign-up policy (R-X3a, issue 9): `first_company` allows sign-up only
-- while the installation has no company yet. Under row-level security a
-- transaction sees no company it does not name, so the one question "is there
-- a company yet" gets a read-only policy of its own, like the job runner's:
-- only a transaction that sets ringdesk.company_exists = 'any' (the store's
-- `has_company`, which asks nothing else) sees the company rows.
create policy company_exists on company for select using (ringdesk_lookup('company_exists') = 'any');
