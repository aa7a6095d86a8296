-- Lead and work-order statuses, lead types (R-M2, R-M6, R-X5) and the
-- telephony automation settings (R-X6). Leads, orders and tasks build on these.

create table lead_status (
    lead_status_id  bigint generated always as identity primary key,
    company_id      bigint not null references company(company_id),
    name            text not null,
    status_group    text not null,
    status_key      text,
    position        bigint not null
);
create unique index lead_status_key on lead_status(company_id, status_key);

create table order_status (
    order_status_id  bigint generated always as identity primary key,
    company_id       bigint not null references company(company_id),
    name             text not null,
    status_group     text not null,
    position         bigint not null
);

create table lead_type (
    lead_type_id       bigint generated always as identity primary key,
    company_id         bigint not null references company(company_id),
    name               text not null,
    initial_status_id  bigint not null references lead_status(lead_status_id)
);

-- One row per company; the settings are one JSON document validated by the domain crate.
create table telephony_settings (
    company_id  bigint primary key references company(company_id),
    settings    text not null,
    updated_at  bigint not null
);
