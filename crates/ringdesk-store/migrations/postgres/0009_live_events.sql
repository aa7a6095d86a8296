-- The live stream's outbox (issue 11, R-X7). A change that a browser should
-- hear of (a call, a lead, a task, a notification) writes one row here in its
-- own transaction, so an event exists exactly when the change committed. The
-- row names what changed (`kind`, `subject_id`; a notification also its one
-- `employee_id`); the stream renders the data from the current state when it
-- sends, and checks who may see it then.
--
-- `seq` is the event's id in the stream: per company, increasing in commit
-- order. It is given just before commit (`seal_live`), under the lock of the
-- company's `live_seq` row, so a stream that has read up to `seq` n never
-- later finds a committed event below n. Rows are pruned after a day.

create table live_seq (
    company_id  bigint primary key references company(company_id),
    last_seq    bigint not null
);

create table live_event (
    live_event_id  bigint generated always as identity primary key,
    company_id     bigint not null references company(company_id),
    seq            bigint,
    kind           text not null,
    subject_id     bigint not null,
    employee_id    bigint,
    created_at     bigint not null
);
create unique index live_event_seq_key on live_event(company_id, seq);
create index live_event_unsealed_idx on live_event(company_id) where seq is null;
create index live_event_created_idx on live_event(created_at);

-- Row-level security, as in 0003–0006.
alter table live_seq enable row level security;
alter table live_seq force row level security;
create policy tenant on live_seq using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());
alter table live_event enable row level security;
alter table live_event force row level security;
create policy tenant on live_event using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());

-- The job runner's pruning may see which companies have old events (as for `job`),
-- then deletes them acting for each company.
create policy job_runner on live_event for select using (ringdesk_lookup('job_runner') = 'due');
