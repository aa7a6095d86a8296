-- Telephony automation (issue 4, SPEC §4, §5, R-C3a, R-C3b): work orders,
-- leads and tasks as the rules need them (the leads/orders issue adds to these
-- tables), the per-call record of what each rule did and why, durable jobs,
-- and in-app notifications.

-- Per-company counters (lead and order numbers): one atomic upsert each, never reused.
create table company_counter (
    company_id    integer not null references company(company_id),
    counter_name  text not null,
    value         integer not null,
    primary key (company_id, counter_name)
);

create table work_order (
    work_order_id  integer primary key,
    company_id     integer not null references company(company_id),
    number         text not null,
    client_id      integer references client(client_id),
    phone          text,
    phone_key      text,
    status_id      integer not null references order_status(order_status_id),
    creator_id     integer references employee(employee_id),
    created_at     integer not null,
    updated_at     integer not null
);
create unique index work_order_number_key on work_order(company_id, number);
create index work_order_client_idx on work_order(company_id, client_id);

create table lead (
    lead_id       integer primary key,
    company_id    integer not null references company(company_id),
    number        text not null,
    lead_type_id  integer not null references lead_type(lead_type_id),
    status_id     integer not null references lead_status(lead_status_id),
    client_id     integer references client(client_id),
    client_name   text not null,
    phone         text,
    phone_key     text,
    description   text,
    manager_id    integer references employee(employee_id),
    creator_id    integer references employee(employee_id),
    source        text not null,
    call_id       integer references call(call_id),
    due_at        integer,
    urgent        boolean not null default false,
    created_at    integer not null,
    updated_at    integer not null
);
create unique index lead_number_key on lead(company_id, number);
create index lead_client_idx on lead(company_id, client_id);
create index lead_phone_idx on lead(company_id, phone_key);
create index lead_call_idx on lead(company_id, call_id);

-- The calls a lead's history shows (R-L3): its own call and later calls linked to it.
create table lead_call (
    company_id  integer not null references company(company_id),
    lead_id     integer not null references lead(lead_id),
    call_id     integer not null references call(call_id),
    linked_at   integer not null,
    primary key (company_id, lead_id, call_id)
);

create table task (
    task_id        integer primary key,
    company_id     integer not null references company(company_id),
    title          text not null,
    author_id      integer references employee(employee_id),
    mode           text not null,
    due_at         integer,
    status         text not null,
    completed_by   integer references employee(employee_id),
    completed_at   integer,
    cancel_reason  text,
    order_id       integer references work_order(work_order_id),
    lead_id        integer references lead(lead_id),
    call_id        integer references call(call_id),
    rule           text,
    created_at     integer not null
);
create index task_call_idx on task(company_id, call_id);

create table task_assignee (
    company_id   integer not null references company(company_id),
    task_id      integer not null references task(task_id),
    employee_id  integer not null references employee(employee_id),
    position     integer not null,
    primary key (company_id, task_id, employee_id)
);
create index task_assignee_employee_idx on task_assignee(company_id, employee_id);

-- What each rule did for a call, and why (R-X5 `automation`): one row per
-- call and rule, which is also what makes each rule act once (R-A6, R-L6).
create table call_automation (
    company_id  integer not null references company(company_id),
    call_id     integer not null references call(call_id),
    rule        text not null,
    outcome     text not null,
    reason      text,
    notes       text,
    lead_id     integer references lead(lead_id),
    updated_at  integer not null,
    primary key (company_id, call_id, rule)
);

-- Durable jobs (R-C3a, R-C3b): unique per call and rule, run once when due.
create table automation_job (
    automation_job_id  integer primary key,
    company_id         integer not null references company(company_id),
    call_id            integer not null references call(call_id),
    rule               text not null,
    run_at             integer not null,
    created_at         integer not null,
    done_at            integer,
    attempts           integer not null default 0,
    last_error         text
);
create unique index automation_job_key on automation_job(company_id, call_id, rule);
create index automation_job_due_idx on automation_job(run_at) where done_at is null;

create table notification (
    notification_id  integer primary key,
    company_id       integer not null references company(company_id),
    employee_id      integer not null references employee(employee_id),
    kind             text not null,
    title            text not null,
    lead_id          integer references lead(lead_id),
    call_id          integer references call(call_id),
    created_at       integer not null,
    read_at          integer
);
create index notification_employee_idx on notification(company_id, employee_id, notification_id);

-- R-C3b: when a call was closed for want of an end event.
alter table call add column closed_stale_at integer;
alter table call add column last_event_received_at integer;
