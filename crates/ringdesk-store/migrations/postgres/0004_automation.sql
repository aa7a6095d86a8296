-- Telephony automation (issue 4, SPEC §4, §5, R-C3a, R-C3b): work orders,
-- leads and tasks as the rules need them (the leads/orders issue adds to these
-- tables), the per-call record of what each rule did and why, durable jobs,
-- and in-app notifications.

-- Per-company counters (lead and order numbers): one atomic upsert each, never reused.
create table company_counter (
    company_id    bigint  not null references company(company_id),
    counter_name  text not null,
    value         bigint  not null,
    primary key (company_id, counter_name)
);

create table work_order (
    work_order_id  bigint generated always as identity primary key,
    company_id     bigint  not null references company(company_id),
    number         text not null,
    client_id      bigint  references client(client_id),
    phone          text,
    phone_key      text,
    status_id      bigint  not null references order_status(order_status_id),
    creator_id     bigint  references employee(employee_id),
    created_at     bigint  not null,
    updated_at     bigint  not null
);
create unique index work_order_number_key on work_order(company_id, number);
create index work_order_client_idx on work_order(company_id, client_id);

create table lead (
    lead_id       bigint generated always as identity primary key,
    company_id    bigint  not null references company(company_id),
    number        text not null,
    lead_type_id  bigint  not null references lead_type(lead_type_id),
    status_id     bigint  not null references lead_status(lead_status_id),
    client_id     bigint  references client(client_id),
    client_name   text not null,
    phone         text,
    phone_key     text,
    description   text,
    manager_id    bigint  references employee(employee_id),
    creator_id    bigint  references employee(employee_id),
    source        text not null,
    call_id       bigint  references call(call_id),
    due_at        bigint,
    urgent        boolean not null default false,
    created_at    bigint  not null,
    updated_at    bigint  not null
);
create unique index lead_number_key on lead(company_id, number);
create index lead_client_idx on lead(company_id, client_id);
create index lead_phone_idx on lead(company_id, phone_key);
create index lead_call_idx on lead(company_id, call_id);

-- The calls a lead's history shows (R-L3): its own call and later calls linked to it.
create table lead_call (
    company_id  bigint  not null references company(company_id),
    lead_id     bigint  not null references lead(lead_id),
    call_id     bigint  not null references call(call_id),
    linked_at   bigint  not null,
    primary key (company_id, lead_id, call_id)
);

create table task (
    task_id        bigint generated always as identity primary key,
    company_id     bigint  not null references company(company_id),
    title          text not null,
    author_id      bigint  references employee(employee_id),
    mode           text not null,
    due_at         bigint,
    status         text not null,
    completed_by   bigint  references employee(employee_id),
    completed_at   bigint,
    cancel_reason  text,
    order_id       bigint  references work_order(work_order_id),
    lead_id        bigint  references lead(lead_id),
    call_id        bigint  references call(call_id),
    rule           text,
    created_at     bigint  not null
);
create index task_call_idx on task(company_id, call_id);

create table task_assignee (
    company_id   bigint  not null references company(company_id),
    task_id      bigint  not null references task(task_id),
    employee_id  bigint  not null references employee(employee_id),
    position     bigint  not null,
    primary key (company_id, task_id, employee_id)
);
create index task_assignee_employee_idx on task_assignee(company_id, employee_id);

-- What each rule did for a call, and why (R-X5 `automation`): one row per
-- call and rule, which is also what makes each rule act once (R-A6, R-L6).
create table call_automation (
    company_id  bigint  not null references company(company_id),
    call_id     bigint  not null references call(call_id),
    rule        text not null,
    outcome     text not null,
    reason      text,
    notes       text,
    lead_id     bigint  references lead(lead_id),
    updated_at  bigint  not null,
    primary key (company_id, call_id, rule)
);

-- Durable jobs (R-C3a, R-C3b): unique per call and rule, run once when due.
create table automation_job (
    automation_job_id  bigint generated always as identity primary key,
    company_id         bigint  not null references company(company_id),
    call_id            bigint  not null references call(call_id),
    rule               text not null,
    run_at             bigint  not null,
    created_at         bigint  not null,
    done_at            bigint,
    attempts           bigint  not null default 0,
    last_error         text
);
create unique index automation_job_key on automation_job(company_id, call_id, rule);
create index automation_job_due_idx on automation_job(run_at) where done_at is null;

create table notification (
    notification_id  bigint generated always as identity primary key,
    company_id       bigint  not null references company(company_id),
    employee_id      bigint  not null references employee(employee_id),
    kind             text not null,
    title            text not null,
    lead_id          bigint  references lead(lead_id),
    call_id          bigint  references call(call_id),
    created_at       bigint  not null,
    read_at          bigint
);
create index notification_employee_idx on notification(company_id, employee_id, notification_id);

-- R-C3b: when a call was closed for want of an end event.
alter table call add column closed_stale_at bigint;
alter table call add column last_event_received_at bigint;

-- Row-level security for the new tables, as in 0003.
do $$
declare
    t text;
begin
    foreach t in array array['company_counter', 'work_order', 'lead', 'lead_call', 'task', 'task_assignee',
                             'call_automation', 'automation_job', 'notification']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant on %I using (company_id = ringdesk_company()) with check (company_id = ringdesk_company())', t);
    end loop;
end
$$;

-- The job runner alone may see which jobs are due, across companies (it then
-- runs each acting for the job's company).
create policy job_runner on automation_job for select using (ringdesk_lookup('job_runner') = 'due');
