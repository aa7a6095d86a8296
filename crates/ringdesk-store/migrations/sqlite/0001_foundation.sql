-- Foundation: companies, employees, tokens, clients and their numbers, calls and events.
-- Times are integer milliseconds since the Unix epoch (UTC).

create table company (
    company_id   integer primary key,
    name         text not null,
    country      text not null,
    time_zone    text not null,
    locale       text not null,
    created_at   integer not null
);

create table employee (
    employee_id    integer primary key,
    company_id     integer not null references company(company_id),
    name           text not null,
    email          text not null,
    password_hash  text not null,
    permissions    text not null default '',
    is_owner       boolean not null default false,
    active         boolean not null default true,
    created_at     integer not null
);
create unique index employee_email_key on employee(email);
create index employee_company_idx on employee(company_id);

create table employee_extension (
    company_id   integer not null references company(company_id),
    extension    text not null,
    employee_id  integer not null references employee(employee_id),
    primary key (company_id, extension)
);

create table api_token (
    api_token_id  integer primary key,
    company_id    integer not null references company(company_id),
    employee_id   integer not null references employee(employee_id),
    name          text not null,
    token_hash    text not null,
    prefix        text not null,
    created_at    integer not null,
    last_used_at  integer,
    revoked_at    integer
);
create unique index api_token_hash_key on api_token(token_hash);

create table client (
    client_id   integer primary key,
    company_id  integer not null references company(company_id),
    name        text not null,
    created_at  integer not null
);
create index client_company_idx on client(company_id, client_id);

create table client_branch (
    client_branch_id  integer primary key,
    company_id        integer not null references company(company_id),
    client_id         integer not null references client(client_id),
    name              text not null,
    phone             text,
    mobile            text
);

create table client_contact (
    client_contact_id  integer primary key,
    company_id         integer not null references company(company_id),
    client_id          integer not null references client(client_id),
    name               text not null,
    phone              text,
    mobile             text
);

-- Every number a client can be reached on, flattened for caller identification
-- (R-P3, R-P5): one row per number, indexed by (company, normalised key).
create table client_phone (
    client_phone_id  integer primary key,
    company_id       integer not null references company(company_id),
    client_id        integer not null references client(client_id),
    raw              text not null,
    phone_key        text not null,
    kind             text not null,
    matched_on       text not null,
    position         integer not null
);
create index client_phone_lookup_idx on client_phone(company_id, phone_key);
create index client_phone_client_idx on client_phone(client_id);

create table call (
    call_id          integer primary key,
    company_id       integer not null references company(company_id),
    external_id      text not null,
    direction        text not null,
    state            text not null,
    missed           boolean not null default false,
    from_raw         text not null,
    to_raw           text not null,
    customer_key     text,
    client_id        integer references client(client_id),
    client_match     text not null default 'none',
    operator_id      integer references employee(employee_id),
    queue            text,
    recording_url    text,
    first_seen_at    integer not null,
    queued_at        integer,
    ringing_at       integer,
    answered_at      integer,
    ended_at         integer,
    wait_seconds     integer,
    ring_seconds     integer,
    talk_seconds     integer,
    total_seconds    integer,
    recovered             boolean not null default false,
    recovered_by_call_id  integer,
    recovery_seconds      integer,
    created_at       integer not null,
    updated_at       integer not null
);
create unique index call_external_key on call(company_id, external_id);
create index call_company_started_idx on call(company_id, first_seen_at);
create index call_customer_idx on call(company_id, customer_key);

create table call_event (
    call_event_id  integer primary key,
    company_id     integer not null references company(company_id),
    call_id        integer not null references call(call_id),
    event_id       text not null,
    state          text not null,
    at             integer not null,
    from_raw       text not null,
    to_raw         text not null,
    operator       text,
    operator_id    integer references employee(employee_id),
    queue          text,
    recording_url  text,
    fingerprint    text not null,
    received_at    integer not null
);
create unique index call_event_key on call_event(company_id, event_id);
create index call_event_call_idx on call_event(call_id);
