-- The sign-up policy (R-X3a, issue 9). PostgreSQL's 0008 adds a row-level
-- security policy for the store's `has_company`; SQLite has no row-level
-- security, so there is nothing to change here. Kept to number the two
-- migration lists alike.
select 1;
