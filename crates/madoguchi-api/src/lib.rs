//! The wire types between the server and its clients that Rust code on both sides reads: the server
//! (which generates the OpenAPI document from them, feature `openapi`) and the counter terminal's typed
//! client. Defined once, here; the UI's TypeScript types are generated from the OpenAPI document.

pub mod cases;
pub mod devices;
pub mod error;
pub mod issuance;
pub mod jpki;
pub mod session;
pub mod sync;

pub use cases::SaveCase;
pub use devices::{
    CardReaderState, DeviceReport, DeviceStatus, PrinterKind, PrinterReport, TowerKind, TowerReport,
};
pub use error::{ErrorBody, ErrorDetail};
pub use issuance::{ReceiptLine, StationApplication, StationLine, StationReceipt};
pub use jpki::{CardAnswer, ChallengeView, VerifiedView};
pub use session::{DeviceProof, LoginRequest, LoginResponse, SessionUser};
pub use sync::{
    Manifest, ManifestEntry, ReferencePage, UploadItem, UploadOutcome, UploadRequest,
    UploadResponse, UploadResult,
};
