-- Foundation: companies, employees, tokens, clients and their numbers, calls and events.
-- Times are bigint milliseconds since the Unix epoch (UTC).

create table company (
    company_id   bigint generated always as identity primary key,
    name         text not null,
    country      text not null,
    time_zone    text not null,
    locale       text not null,
    created_at   bigint not null
);

create table employee (
    employee_id    bigint generated always as identity primary key,
    company_id     bigint not null references company(company_id),
    name           text not null,
    email          text not null,
    password_hash  text not null,
    permissions    text not null default '',
    is_owner       boolean not null default false,
    active         boolean not null default true,
    created_at     bigint not null
);
create unique index employee_email_key on employee(email);
create index employee_company_idx on employee(company_id);

create table employee_extension (
    company_id   bigint not null references company(company_id),
    extension    text not null,
    employee_id  bigint not null references employee(employee_id),
    primary key (company_id, extension)
);

create table api_token (
    api_token_id  bigint generated always as identity primary key,
    company_id    bigint not null references company(company_id),
    employee_id   bigint not null references employee(employee_id),
    name          text not null,
    token_hash    text not null,
    prefix        text not null,
    created_at    bigint not null,
    last_used_at  bigint,
    revoked_at    bigint
);
create unique index api_token_hash_key on api_token(token_hash);

create table client (
    client_id   bigint generated always as identity primary key,
    company_id  bigint not null references company(company_id),
    name        text not null,
    created_at  bigint not null
);
create index client_company_idx on client(company_id, client_id);

create table client_branch (
    client_branch_id  bigint generated always as identity primary key,
    company_id        bigint not null references company(company_id),
    client_id         bigint not null references client(client_id),
    name              text not null,
    phone             text,
    mobile            text
);

create table client_contact (
    client_contact_id  bigint generated always as identity primary key,
    company_id         bigint not null references company(company_id),
    client_id          bigint not null references client(client_id),
    name               text not null,
    phone              text,
    mobile             text
);

-- Every number a client can be reached on, flattened for caller identification
-- (R-P3, R-P5): one row per number, indexed by (company, normalised key).
create table client_phone (
    client_phone_id  bigint generated always as identity primary key,
    company_id       bigint not null references company(company_id),
    client_id        bigint not null references client(client_id),
    raw              text not null,
    phone_key        text not null,
    kind             text not null,
    matched_on       text not null,
    position         bigint not null
);
create index client_phone_lookup_idx on client_phone(company_id, phone_key);
create index client_phone_client_idx on client_phone(client_id);

create table call (
    call_id          bigint generated always as identity primary key,
    company_id       bigint not null references company(company_id),
    external_id      text not null,
    direction        text not null,
    state            text not null,
    missed           boolean not null default false,
    from_raw         text not null,
    to_raw           text not null,
    customer_key     text,
    client_id        bigint references client(client_id),
    client_match     text not null default 'none',
    operator_id      bigint references employee(employee_id),
    queue            text,
    recording_url    text,
    first_seen_at    bigint not null,
    queued_at        bigint,
    ringing_at       bigint,
    answered_at      bigint,
    ended_at         bigint,
    wait_seconds     bigint,
    ring_seconds     bigint,
    talk_seconds     bigint,
    total_seconds    bigint,
    recovered             boolean not null default false,
    recovered_by_call_id  bigint,
    recovery_seconds      bigint,
    created_at       bigint not null,
    updated_at       bigint not null
);
create unique index call_external_key on call(company_id, external_id);
create index call_company_started_idx on call(company_id, first_seen_at);
create index call_customer_idx on call(company_id, customer_key);

create table call_event (
    call_event_id  bigint generated always as identity primary key,
    company_id     bigint not null references company(company_id),
    call_id        bigint not null references call(call_id),
    event_id       text not null,
    state          text not null,
    at             bigint not null,
    from_raw       text not null,
    to_raw         text not null,
    operator       text,
    operator_id    bigint references employee(employee_id),
    queue          text,
    recording_url  text,
    fingerprint    text not null,
    received_at    bigint not null
);
create unique index call_event_key on call_event(company_id, event_id);
create index call_event_call_idx on call_event(call_id);
