-- Issue 13: the call-centre dashboard (R-U4). Expand only: new tables and
-- new defaulted columns.

-- The company's number an inbound call dialled (R-P2's normalised form), for
-- the figures per line; set on the call's first event.
alter table call add column line_key text;
-- R-C7 from the callback's side: how many missed calls this call recovered,
-- and the sum of their recovery times (operator performance, R-U4).
alter table call add column recoveries bigint not null default 0;
alter table call add column recoveries_seconds bigint not null default 0;
-- Whether the call's contribution is in the roll-ups. Calls stored before
-- this migration are not: the job runner adds them (and calls whose company
-- changed its time zone) in batches, through the same code as every event.
alter table call add column rolled_up boolean not null default false;
-- In the company's order, so that finding a company with calls still to add
-- and taking its next batch are each one step into this small index.
create index call_not_rolled_up_idx on call(company_id, call_id) where not rolled_up;

-- The roll-ups: per company, local hour (`bucket_at`, the instant it
-- starts), dimension (`direction`, `operator_in`, `operator_out`,
-- `queue`, `line`) and key, the sums of ringdesk_domain::dashboard::Metrics.
-- Every change to a call moves its contribution in the same transaction.
create table call_rollup (
    company_id                 bigint not null references company(company_id),
    bucket_at                  bigint not null,
    dim                        text not null,
    key                        text not null,
    calls                      bigint not null default 0,
    answered                   bigint not null default 0,
    abandoned                  bigint not null default 0,
    missed                     bigint not null default 0,
    answer_seconds             bigint not null default 0,
    abandon_seconds            bigint not null default 0,
    talked                     bigint not null default 0,
    talk_seconds               bigint not null default 0,
    recovered                  bigint not null default 0,
    callbacks                  bigint not null default 0,
    callback_recoveries        bigint not null default 0,
    callback_recovery_seconds  bigint not null default 0,
    sla_breaches               bigint not null default 0,
    primary key (company_id, bucket_at, dim, key)
);

-- Answered inbound calls by speed of answer in whole seconds, per local hour:
-- exact percentiles (R-U4's nearest rank) and service levels for any T.
create table call_answer_histogram (
    company_id  bigint not null references company(company_id),
    bucket_at   bigint not null,
    second      bigint not null,
    n           bigint not null,
    primary key (company_id, bucket_at, second)
);

-- The company's own numbers (its lines), named and mapped to an ad campaign
-- (`PUT /api/v1/settings/lines`).
create table company_line (
    company_id      bigint not null references company(company_id),
    number_key      text not null,
    number          text not null,
    name            text not null,
    ad_campaign_id  bigint references ad_campaign(ad_campaign_id),
    primary key (company_id, number_key)
);

-- The dashboard's lead, quote and order figures read a period's rows.
create index lead_created_idx on lead(company_id, created_at);
create index quote_created_idx on quote(company_id, created_at);
create index work_order_lead_idx on work_order(company_id, lead_id);

-- Each company sees only its own rows (as every table, 0003).
alter table call_rollup enable row level security;
alter table call_rollup force row level security;
create policy tenant on call_rollup using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
alter table call_answer_histogram enable row level security;
alter table call_answer_histogram force row level security;
create policy tenant on call_answer_histogram using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
alter table company_line enable row level security;
alter table company_line force row level security;
create policy tenant on company_line using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
-- The job runner finds which companies have calls not yet rolled up (it then
-- adds them in each company's own transaction).
create policy rollup_backfill on call for select using (ringdesk_lookup('rollup') = 'pending' and not rolled_up);
