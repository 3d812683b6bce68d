//! マイナポータル 申請管理 intake (issue 21 point 4): applications residents sent through
//! ぴったりサービス and the 引越しワンストップ (転出届・転入予約), read from a ZIP the staff downloaded
//! (`import`) or fetched by the connector, kept in the store (`madoguchi_store::PortalStore`),
//! matched to residents (`matching`) and turned into cases.
//!
//! Everything that depends on a layout the portal has not published is in [`adapter`], and only
//! there; [`forms`] is the city's table of the forms it accepts, with the procedures each becomes.

pub mod adapter;
pub mod case;
pub mod connector;
pub mod forms;
pub mod import;
pub mod matching;
pub mod reservation;
pub mod sample;
pub mod simulator;

#[cfg(test)]
mod tests;

/// Why an intake was refused: a message for staff, in Japanese, naming what was wrong (never the
/// applicant's data).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct IntakeError(pub String);
