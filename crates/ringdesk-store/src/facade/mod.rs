//! The `Store` facade, one file per feature. Each method opens the transaction
//! (acting for the company it names) and calls that backend's query module.

mod accounts;
mod ami;
mod audit;
mod automation;
mod calls;
mod catalog;
mod clients;
mod company;
mod dashboard;
mod history;
mod jobs;
mod leads;
mod live;
mod notifications;
mod orders;
mod phone_system;
mod quotes;
mod tasks;
mod twilio;
mod webhooks;
