//! 転入予約 (arrivals): households announced by their former municipality's 転出証明書情報 and expected
//! at the counter on a day. `feed` reads the 住記 system's `tenshutsu` file into notices.

pub mod feed;
pub mod prepare;
