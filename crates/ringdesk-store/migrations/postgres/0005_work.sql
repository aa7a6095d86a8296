-- Leads, work orders, quotes and tasks as complete features (issue 5, SPEC §6):
-- R-M1's lead fields, lead type form fields and status transfer rules (R-M2),
-- numbering templates (R-M3), quotes (R-M7), task descriptions (R-M8), lead
-- notification choices and deadline jobs (R-L6, R-M4).

create table ad_campaign (
    ad_campaign_id  bigint generated always as identity primary key,
    company_id      bigint  not null references company(company_id),
    name            text not null,
    active          boolean not null default true,
    created_at      bigint  not null
);
create unique index ad_campaign_name_key on ad_campaign(company_id, name);

create table location (
    location_id  bigint generated always as identity primary key,
    company_id   bigint  not null references company(company_id),
    name         text not null,
    active       boolean not null default true,
    created_at   bigint  not null
);
create unique index location_name_key on location(company_id, name);

alter table lead add column ad_campaign_id bigint  references ad_campaign(ad_campaign_id);
alter table lead add column location_id bigint  references location(location_id);
alter table lead add column fields text;
alter table lead add column overdue_notified_at bigint;
alter table lead add column search_text text;
alter table lead_type add column fields text;

create table lead_status_transfer (
    company_id      bigint  not null references company(company_id),
    from_status_id  bigint  not null references lead_status(lead_status_id),
    to_status_id    bigint  not null references lead_status(lead_status_id),
    primary key (company_id, from_status_id, to_status_id)
);

create table numbering (
    company_id  bigint  not null references company(company_id),
    kind        text not null,
    template    text not null,
    primary key (company_id, kind)
);
-- {N} of the default template continues the sequence numbers were drawn from before.
insert into company_counter (company_id, counter_name, value)
    select company_id, counter_name || ':{N}', value from company_counter where counter_name in ('lead', 'work_order');

alter table work_order add column lead_id bigint  references lead(lead_id);
alter table work_order add column quote_id bigint;

create table quote (
    quote_id      bigint generated always as identity primary key,
    company_id    bigint  not null references company(company_id),
    number        text not null,
    channel       text not null,
    contact       text not null,
    contact_key   text,
    client_id     bigint  references client(client_id),
    call_id       bigint  references call(call_id),
    description   text,
    status        text not null,
    order_id      bigint  references work_order(work_order_id),
    creator_id    bigint  references employee(employee_id),
    created_at    bigint  not null,
    converted_at  bigint
);
create unique index quote_number_key on quote(company_id, number);
create index quote_client_idx on quote(company_id, client_id);

alter table task add column description text;
create index task_order_idx on task(company_id, order_id);
create index task_lead_idx on task(company_id, lead_id);

create table notification_pref (
    company_id     bigint  not null references company(company_id),
    employee_id    bigint  not null references employee(employee_id),
    new_lead       boolean not null,
    lead_assigned  boolean not null,
    lead_overdue   boolean not null,
    primary key (company_id, employee_id)
);

-- R-M4/R-L6: a lead's deadline, as a job that runs when it passes.
create table lead_deadline_job (
    company_id  bigint  not null references company(company_id),
    lead_id     bigint  not null references lead(lead_id),
    run_at      bigint  not null,
    done_at     bigint,
    primary key (company_id, lead_id)
);
create index lead_deadline_job_due_idx on lead_deadline_job(run_at) where done_at is null;

do $$
declare
    t text;
begin
    foreach t in array array['ad_campaign', 'location', 'lead_status_transfer', 'numbering', 'quote',
                             'notification_pref', 'lead_deadline_job']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant on %I using (company_id = ringdesk_company()) with check (company_id = ringdesk_company())', t);
    end loop;
end
$$;

create policy job_runner on lead_deadline_job for select using (ringdesk_lookup('job_runner') = 'due');
