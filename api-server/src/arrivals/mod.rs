//! 転入予約 (arrivals): households announced by the `tenshutsu` feed (`linkage::tenshutsu`) and expected
//! at the counter on a day. [`prepare`] makes a reservation's case ready the evening before — 手続きナビ
//! for the household's 転入, the case stored once per reservation, every form rendered once to check it —
//! and [`schedule`] runs it for tomorrow's reservations at a configured hour; [`arrived`] marks it
//! 来庁済み when staff save its case at the counter. The 来庁予定者 screen's
//! routes are `api/arrivals.rs`.

pub mod arrived;
pub mod prepare;
pub mod schedule;

pub use prepare::{Actor, ArrivalError, Outcome, prepare_day, prepare_one};
