-- Twilio Voice status callbacks (issue 12, R-I2, R-X8): one row per company
-- that configured Twilio. Expand only: a new table; nothing existing changes.
--
-- `auth_token` is stored as it is: verifying X-Twilio-Signature needs it (it is
-- the HMAC key), as click to call does (Basic authentication on the Calls
-- API). The API never shows it (R-X8: write-only), only whether one is set.
-- `public_url` is the whole URL Twilio posts to, as entered in Twilio's
-- console; the signature covers it. `account_sid` and `caller_id` (the
-- company's Twilio number that click-to-call calls come from) are optional.
create table twilio_settings (
    company_id    integer not null primary key references company(company_id),
    enabled       boolean not null,
    auth_token    text,
    public_url    text not null,
    account_sid   text,
    caller_id     text,
    updated_at    integer not null
);
