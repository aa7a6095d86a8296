-- Accounts and security (issue 3): browser sessions, token rights, sign-in
-- throttling, the audit log and signed webhooks. SQLite has no row-level
-- security: here the company id in every query is the only wall.

alter table api_token add column permissions text;
alter table company add column webhook_signing_required boolean not null default false;

create table session (
    session_id    integer primary key,
    company_id    integer not null references company(company_id),
    employee_id   integer not null references employee(employee_id),
    token_hash    text not null,
    address       text,
    created_at    integer not null,
    last_seen_at  integer not null,
    expires_at    integer not null,
    ended_at      integer
);
create unique index session_token_key on session(token_hash);
create index session_employee_idx on session(company_id, employee_id);

-- Failed sign-ins per account and per address, in the database so the limit
-- holds across nodes. Not a company's data: the key is what was typed.
create table sign_in_throttle (
    throttle_key       text primary key,
    window_started_at  integer not null,
    failures           integer not null
);

create table audit_entry (
    audit_entry_id     integer primary key,
    company_id         integer not null references company(company_id),
    at                 integer not null,
    action             text not null,
    actor_employee_id  integer references employee(employee_id),
    actor_token_id     integer references api_token(api_token_id),
    address            text,
    subject            text,
    detail             text
);
create index audit_entry_company_idx on audit_entry(company_id, audit_entry_id);

create table webhook_secret (
    webhook_secret_id  integer primary key,
    company_id         integer not null references company(company_id),
    secret             text not null,
    prefix             text not null,
    created_at         integer not null,
    revoked_at         integer
);
create index webhook_secret_company_idx on webhook_secret(company_id);
