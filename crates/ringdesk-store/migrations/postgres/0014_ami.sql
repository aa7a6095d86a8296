-- Asterisk Manager Interface connections (issue 12, R-I3, R-X8). Expand only:
-- three new tables.
--
-- `ami_settings`: a company's connection. `secret` is kept in clear because
-- logging in needs it (MD5 challenge or plain), like webhook secrets; the API
-- never shows it (R-X8). `internal_contexts` is a comma-separated list of the
-- dialplan contexts whose channels are the company's own phones (the tracker's
-- direction heuristic). `status`, `status_detail` and `status_at` are written
-- by the node holding the connection: `off`, `connecting`, `connected`,
-- `down`, `login_refused`.
create table ami_settings (
    company_id         bigint primary key references company(company_id),
    enabled            boolean not null,
    host               text not null,
    port               bigint not null,
    username           text not null,
    secret             text,
    auth_type          text not null,
    channel_template   text not null,
    originate_context  text not null,
    internal_contexts  text not null,
    updated_at         bigint not null,
    status             text not null,
    status_detail      text,
    status_at          bigint
);

-- An outage of a company's AMI connection: calls that began and ended inside
-- it cannot be known (R-I3), so it is shown on the connection's page and in
-- the calls list. Times in ms.
create table ami_gap (
    ami_gap_id  bigint generated always as identity primary key,
    company_id  bigint not null references company(company_id),
    gap_from    bigint not null,
    gap_to      bigint not null,
    reason      text not null
);
create index ami_gap_company_idx on ami_gap(company_id, gap_from);

-- Exactly one node holds a company's AMI connection: the one named here while
-- `expires_at` (ms) is in the future. The holder renews it every few seconds;
-- when it dies the lease runs out and another node takes it over.
create table ami_lease (
    company_id  bigint primary key references company(company_id),
    holder      text not null,
    expires_at  bigint not null
);

alter table ami_settings enable row level security;
alter table ami_settings force row level security;
create policy tenant on ami_settings using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
-- The AMI supervisor of every node reads which companies enable AMI (and
-- nothing else) before acting for each of them.
create policy ami_supervisor on ami_settings for select using (ringdesk_lookup('ami_supervisor') = 'enabled');

alter table ami_gap enable row level security;
alter table ami_gap force row level security;
create policy tenant on ami_gap using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());

alter table ami_lease enable row level security;
alter table ami_lease force row level security;
create policy tenant on ami_lease using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
