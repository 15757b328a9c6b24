//! The views the pages are made of.

pub mod actions;
pub mod api_keys;
pub mod confirm;
pub mod deliveries;
pub mod endpoint_form;
pub mod endpoint_row;
pub mod event_rows;
pub mod events;
pub mod heading;
pub mod lang_switch;
pub mod operation;
pub mod operation_form;
pub mod payment_summary;
pub mod payment_table;
pub mod search_form;
pub mod secret;
pub mod shell;
pub mod status;
pub mod timeline;
pub mod webhook_endpoints;
