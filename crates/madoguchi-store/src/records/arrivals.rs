//! 転入予約: a household announced by its 転出証明書情報 that is expected at the counter on a day.

use chrono::{DateTime, NaiveDate, Utc};

/// Where a reservation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReservationSource {
    /// The 住記 system's `tenshutsu` feed (来庁予定日 column).
    Feed,
    /// マイナポータル (転出・転入手続のワンストップ化).
    Portal,
    /// Entered by staff.
    Manual,
}

impl ReservationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feed => "feed",
            Self::Portal => "portal",
            Self::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "feed" => Some(Self::Feed),
            "portal" => Some(Self::Portal),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

/// Where a reservation stands: 予定, 準備済み, 来庁済み, 取消.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReservationStatus {
    Planned,
    Prepared,
    Arrived,
    Cancelled,
}

impl ReservationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Prepared => "prepared",
            Self::Arrived => "arrived",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "planned" => Some(Self::Planned),
            "prepared" => Some(Self::Prepared),
            "arrived" => Some(Self::Arrived),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// One 転入予約, keyed by the 転出証明書情報's notice number (one per notice and tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    pub notice_no: String,
    /// 来庁予定日.
    pub expected_on: NaiveDate,
    pub source: ReservationSource,
    pub status: ReservationStatus,
    /// The case prepared for the visit, once prepared.
    pub prepared_case_id: Option<String>,
    /// Why the last preparation could not be done (Japanese, for the screen), if it failed.
    pub problem: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// What a `tenshutsu` file says about a notice's reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReservationChange {
    /// Creates the reservation, or moves it to this day (its status and prepared case are kept).
    Expect {
        notice_no: String,
        expected_on: NaiveDate,
        source: ReservationSource,
    },
    /// Cancels it (取消), if there is one.
    Cancel { notice_no: String },
}
