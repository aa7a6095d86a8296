-- A quote's line items (issue 11, R-M7). Expand only: a new table and a new
-- nullable column; nothing existing changes.
--
-- Amounts are integers in minor units, never floating point: the quantity in
-- thousandths (`quantity_milli`: 1.5 is 1500) and the unit price in cents
-- (`unit_price_cents`: 12.50 is 1250). Totals are computed when read
-- (`ringdesk_domain::quote`), so they cannot disagree with the lines.
-- `position` orders a quote's lines from 0; replacing the lines deletes and
-- inserts them in one transaction.
create table quote_item (
    quote_item_id     integer primary key,
    company_id        integer not null references company(company_id),
    quote_id          integer not null references quote(quote_id),
    position          integer not null,
    description       text not null,
    quantity_milli    integer not null check (quantity_milli > 0),
    unit_price_cents  integer not null check (unit_price_cents >= 0)
);
create unique index quote_item_position_key on quote_item(quote_id, position);
create index quote_item_company_idx on quote_item(company_id, quote_id);

-- A work order converted from a quote carries the quote's description, lines
-- and total as text (R-M7); orders made otherwise have none.
alter table work_order add column description text;
