-- Issue 9: an event's `operator` that matches no employee leaves the call
-- without an operator; the call now says so, with what the phone system sent
-- (R-C5's choice among the events that name one: the latest `answered`, else
-- the latest). Existing calls without an operator are filled in from their
-- stored events.
alter table call add column operator_unmatched text;

-- Row-level security is forced on both tables; the fill-in must see every
-- company's rows whoever runs the migration, so it is lifted for this
-- transaction only.
alter table call no force row level security;
alter table call_event no force row level security;
alter table call disable row level security;
alter table call_event disable row level security;

update call set operator_unmatched = (
    select e.operator from call_event e
    where e.call_id = call.call_id and e.operator is not null
    order by case when e.state = 'answered' then 0 else 1 end, e.at desc, e.event_id desc
    limit 1
)
where operator_id is null;

alter table call enable row level security;
alter table call_event enable row level security;
alter table call force row level security;
alter table call_event force row level security;
