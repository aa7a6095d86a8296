//! Ringdesk's behaviour suite, through the HTTP API of a real server on a
//! real database. Every test runs twice: on SQLite and on PostgreSQL
//! (`RINGDESK_TEST_POSTGRES_URL`); see `helpers::both_databases!`.

#[macro_use]
mod helpers;
mod ami;
mod automation;
mod bar_pages;
mod browser;
mod browser_bar;
mod browser_layout;
mod browser_live;
mod browser_settings;
mod browser_work;
mod caches;
mod callback_sla;
mod calls;
mod click_to_call_pages;
mod clients;
mod contract;
mod dashboard;
mod defects;
mod errors;
mod home;
mod jobs;
mod lead_types_pages;
mod live;
mod pages;
mod phone_pages;
mod phone_system;
mod quote_items;
mod security;
mod settings;
mod settings_pages;
mod signup;
mod tenancy;
mod twilio;
mod webdriver;
mod work;
mod work_pages;
