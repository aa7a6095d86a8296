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
    company_id  integer primary key references company(company_id),
    last_seq    integer not null
);

create table live_event (
    live_event_id  integer primary key,
    company_id     integer not null references company(company_id),
    seq            integer,
    kind           text not null,
    subject_id     integer not null,
    employee_id    integer,
    created_at     integer not null
);
create unique index live_event_seq_key on live_event(company_id, seq);
create index live_event_unsealed_idx on live_event(company_id) where seq is null;
create index live_event_created_idx on live_event(created_at);
