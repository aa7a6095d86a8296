-- One table for every durable job (issue 9): the call rules' jobs, stale-call
-- checks and lead deadlines, run by one runner. A job is `pending` (waiting
-- for `run_at`, also between retries), `done` or `failed` (it gave up after
-- the retry policy's last attempt; `last_error` says why). Exactly once:
-- one job per (company, kind, call) and per (company, kind, lead). Done and
-- failed jobs are pruned after their retention (ringdesk-domain `jobs.rs`).
-- The jobs of automation_job and lead_deadline_job are carried over, then
-- those tables go.

create table job (
    job_id       bigint generated always as identity primary key,
    company_id   bigint  not null references company(company_id),
    kind         text not null,
    call_id      bigint  references call(call_id),
    lead_id      bigint  references lead(lead_id),
    run_at       bigint  not null,
    status       text not null default 'pending',
    attempts     bigint  not null default 0,
    last_error   text,
    created_at   bigint  not null,
    updated_at   bigint  not null,
    finished_at  bigint
);
create unique index job_call_key on job(company_id, kind, call_id) where call_id is not null;
create unique index job_lead_key on job(company_id, kind, lead_id) where lead_id is not null;
create index job_due_idx on job(run_at) where status = 'pending';
create index job_finished_idx on job(finished_at) where status <> 'pending';
create index job_company_idx on job(company_id, status, job_id);

-- The old tables force row-level security even on their owner, who runs
-- this migration: lift it so the owner reads every company's rows (a
-- superuser does anyway). They are dropped below.
alter table automation_job no force row level security;
alter table lead_deadline_job no force row level security;
alter table lead no force row level security;

insert into job (company_id, kind, call_id, lead_id, run_at, status, attempts, last_error, created_at, updated_at, finished_at)
    select company_id, rule, call_id, null, run_at,
           case when done_at is null then 'pending' else 'done' end,
           attempts, last_error, created_at, coalesce(done_at, created_at), done_at
    from automation_job order by automation_job_id;

insert into job (company_id, kind, call_id, lead_id, run_at, status, attempts, last_error, created_at, updated_at, finished_at)
    select d.company_id, 'lead_deadline', null, d.lead_id, d.run_at,
           case when d.done_at is null then 'pending' else 'done' end,
           0, null, l.created_at, coalesce(d.done_at, l.updated_at), d.done_at
    from lead_deadline_job d join lead l on l.lead_id = d.lead_id
    order by d.company_id, d.lead_id;

alter table lead force row level security;
drop table automation_job;
drop table lead_deadline_job;

-- Row-level security for the new table, as in 0003–0005.
alter table job enable row level security;
alter table job force row level security;
create policy tenant on job using (company_id = ringdesk_company()) with check (company_id = ringdesk_company());

-- The job runner alone may see which jobs are due (and which companies have
-- jobs to prune), across companies; it then acts for each job's company.
create policy job_runner on job for select using (ringdesk_lookup('job_runner') = 'due');
