-- Accounts and security (issue 3): browser sessions, token rights, sign-in
-- throttling, the audit log and signed webhooks, and row-level security on
-- every table that holds a company id.

alter table api_token add column permissions text;
alter table company add column webhook_signing_required boolean not null default false;

create table session (
    session_id    bigint generated always as identity primary key,
    company_id    bigint  not null references company(company_id),
    employee_id   bigint  not null references employee(employee_id),
    token_hash    text not null,
    address       text,
    created_at    bigint  not null,
    last_seen_at  bigint  not null,
    expires_at    bigint  not null,
    ended_at      bigint
);
create unique index session_token_key on session(token_hash);
create index session_employee_idx on session(company_id, employee_id);

-- Failed sign-ins per account and per address, in the database so the limit
-- holds across nodes. Not a company's data: the key is what was typed.
create table sign_in_throttle (
    throttle_key       text primary key,
    window_started_at  bigint  not null,
    failures           bigint  not null
);

create table audit_entry (
    audit_entry_id     bigint generated always as identity primary key,
    company_id         bigint  not null references company(company_id),
    at                 bigint  not null,
    action             text not null,
    actor_employee_id  bigint  references employee(employee_id),
    actor_token_id     bigint  references api_token(api_token_id),
    address            text,
    subject            text,
    detail             text
);
create index audit_entry_company_idx on audit_entry(company_id, audit_entry_id);

create table webhook_secret (
    webhook_secret_id  bigint generated always as identity primary key,
    company_id         bigint  not null references company(company_id),
    secret             text not null,
    prefix             text not null,
    created_at         bigint  not null,
    revoked_at         bigint
);
create index webhook_secret_company_idx on webhook_secret(company_id);

-- ----- row-level security: the second wall (R-T1) ---------------------------
-- The pool runs as ringdesk_app: NOSUPERUSER, NOBYPASSRLS, owning no table, so
-- the policies below hold for it whatever role the database URL names. Each
-- transaction says its company with set_config('ringdesk.company_id', …, true);
-- without it, every policy yields nothing. Identity lookups (a token, a
-- session, an e-mail typed at sign-in) may see the one row whose secret the
-- transaction names in ringdesk.token_hash / ringdesk.session_hash /
-- ringdesk.email, and nothing else.

do $$
begin
    begin
        create role ringdesk_app nologin nosuperuser nobypassrls noinherit;
    exception when duplicate_object or unique_violation then
        null; -- another database of this cluster created it first
    end;
    if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant ringdesk_app to %I', current_user);
    end if;
end
$$;

create function ringdesk_company() returns bigint
    language sql stable
    as $$ select nullif(current_setting('ringdesk.company_id', true), '')::bigint $$;

create function ringdesk_lookup(name text) returns text
    language sql stable
    as $$ select nullif(current_setting('ringdesk.' || name, true), '') $$;

grant usage on schema public to ringdesk_app;
grant select, insert, update, delete on all tables in schema public to ringdesk_app;
grant usage, select on all sequences in schema public to ringdesk_app;
revoke all on _sqlx_migrations from ringdesk_app;
alter default privileges in schema public grant select, insert, update, delete on tables to ringdesk_app;
alter default privileges in schema public grant usage, select on sequences to ringdesk_app;

do $$
declare
    t text;
begin
    for t in
        select c.table_name from information_schema.columns c
        join information_schema.tables tb on tb.table_name = c.table_name and tb.table_schema = c.table_schema
        where c.table_schema = 'public' and c.column_name = 'company_id' and tb.table_type = 'BASE TABLE'
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant on %I using (company_id = ringdesk_company()) with check (company_id = ringdesk_company())', t);
    end loop;
end
$$;

-- The identity lookups, each limited to the row whose secret the transaction names.
create policy token_lookup on api_token for select using (token_hash = ringdesk_lookup('token_hash'));
create policy session_lookup on session for select using (token_hash = ringdesk_lookup('session_hash'));
create policy sign_in_lookup on employee for select using (email = ringdesk_lookup('email'));
