-- Issue 12: what every phone-system connector shares. Expand only: new
-- tables and new nullable or defaulted columns; nothing existing changes.

-- R-P7: the company's ignore list (its own lines, suppliers it chooses to
-- ignore). `number_key` is the normalised form (R-P2), `number_raw` what was
-- typed, for display.
create table ignored_number (
    company_id  bigint not null references company(company_id),
    number_key  text not null,
    number_raw  text not null,
    created_at  bigint not null,
    primary key (company_id, number_key)
);

-- R-P7: why a call is not a customer call (`internal` or `ignored`), decided
-- once on its first event; null for a customer call.
alter table call add column not_customer text;

-- The webhook inbox: every raw delivery from every connector, as received
-- (the body byte for byte, the headers that matter as a JSON object), whether
-- it authenticated, and what came of it (the HTTP status answered and a short
-- summary). Kept `inbox_retention_days`; `ringdesk inbox replay` re-applies the
-- authenticated ones.
create table inbox_delivery (
    delivery_id    bigint generated always as identity primary key,
    company_id     bigint not null references company(company_id),
    connector      text not null,
    received_at    bigint not null,
    headers        text not null,
    body           bytea not null,
    authenticated  boolean not null,
    status         bigint not null,
    result         text not null
);
create index inbox_delivery_company_idx on inbox_delivery(company_id, received_at);
alter table company add column inbox_retention_days bigint not null default 14;

-- R-I5 for the generic integration: the URL a signed outgoing webhook asks the
-- phone system to dial at (null: click to call goes through Twilio or AMI, or
-- is not set up).
alter table company add column click_to_call_url text;

alter table ignored_number enable row level security;
alter table ignored_number force row level security;
create policy tenant on ignored_number using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
alter table inbox_delivery enable row level security;
alter table inbox_delivery force row level security;
create policy tenant on inbox_delivery using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
-- The job runner prunes old deliveries across companies, as it prunes jobs
-- and the live outbox (0006, 0009): it may read which companies have some.
create policy job_runner on inbox_delivery for select using (ringdesk_lookup('job_runner') = 'due');
