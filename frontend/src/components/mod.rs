//! The widget's views. They read `Flow`'s signals and call its methods; no logic here.

mod app;
mod countdown;
mod heading;
mod notice;
mod outcome;
mod phone_form;
mod summary;
mod waiting;

pub use app::App;
