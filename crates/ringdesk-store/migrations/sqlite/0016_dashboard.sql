-- Issue 13: the call-centre dashboard (R-U4). Expand only: new tables and
-- new defaulted columns.

-- The company's number an inbound call dialled (R-P2's normalised form), for
-- the figures per line; set on the call's first event.
alter table call add column line_key text;
-- R-C7 from the callback's side: how many missed calls this call recovered,
-- and the sum of their recovery times (operator performance, R-U4).
alter table call add column recoveries integer not null default 0;
alter table call add column recoveries_seconds integer not null default 0;
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
    company_id                 integer not null references company(company_id),
    bucket_at                  integer not null,
    dim                        text not null,
    key                        text not null,
    calls                      integer not null default 0,
    answered                   integer not null default 0,
    abandoned                  integer not null default 0,
    missed                     integer not null default 0,
    answer_seconds             integer not null default 0,
    abandon_seconds            integer not null default 0,
    talked                     integer not null default 0,
    talk_seconds               integer not null default 0,
    recovered                  integer not null default 0,
    callbacks                  integer not null default 0,
    callback_recoveries        integer not null default 0,
    callback_recovery_seconds  integer not null default 0,
    sla_breaches               integer not null default 0,
    primary key (company_id, bucket_at, dim, key)
) without rowid;

-- Answered inbound calls by speed of answer in whole seconds, per local hour:
-- exact percentiles (R-U4's nearest rank) and service levels for any T.
create table call_answer_histogram (
    company_id  integer not null references company(company_id),
    bucket_at   integer not null,
    second      integer not null,
    n           integer not null,
    primary key (company_id, bucket_at, second)
) without rowid;

-- The company's own numbers (its lines), named and mapped to an ad campaign
-- (`PUT /api/v1/settings/lines`).
create table company_line (
    company_id      integer not null references company(company_id),
    number_key      text not null,
    number          text not null,
    name            text not null,
    ad_campaign_id  integer references ad_campaign(ad_campaign_id),
    primary key (company_id, number_key)
);

-- The dashboard's lead, quote and order figures read a period's rows.
create index lead_created_idx on lead(company_id, created_at);
create index quote_created_idx on quote(company_id, created_at);
create index work_order_lead_idx on work_order(company_id, lead_id);
