use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use madoguchi_api::{ErrorBody, ErrorDetail};

/// An error as the API returns it: a machine-readable `code` for the UI and a Japanese `message` for
/// the user. Internal details go to the log only, never to the client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The handler already wrote the audit record of this denial (a 403 without it is audited by the
    /// route guard).
    pub audited: bool,
}

/// Marks a 403 answered by a handler, for the route guard to audit it unless the handler did.
#[derive(Debug, Clone, Copy)]
pub struct Denial {
    pub code: &'static str,
    pub audited: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            audited: false,
        }
    }

    /// The handler has audited this error itself.
    pub fn audited(mut self) -> Self {
        self.audited = true;
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "ログインしてください。",
        )
    }

    /// The user's groups or counter do not allow this function.
    pub fn forbidden(p: madoguchi_core::permission::Permission) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "この操作（{}）を行う権限がありません。ログインした窓口やアカウントの権限を確認してください。",
                p.label_ja()
            ),
        )
    }

    /// Logs `detail` (English, no personal data) and returns a generic 500.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "サーバーで問題が発生しました。時間をおいて再度お試しください。",
        )
    }
}

impl From<madoguchi_core::case_document::DocumentError> for ApiError {
    fn from(e: madoguchi_core::case_document::DocumentError) -> Self {
        ApiError::bad_request(e.code, e.message)
    }
}

impl From<madoguchi_core::case_document::stored::StoredError> for ApiError {
    fn from(e: madoguchi_core::case_document::stored::StoredError) -> Self {
        ApiError::internal(e)
    }
}

impl From<crate::audit::AuditFailed> for ApiError {
    fn from(e: crate::audit::AuditFailed) -> Self {
        ApiError::internal(e)
    }
}

impl From<crate::printing::PrintingError> for ApiError {
    fn from(e: crate::printing::PrintingError) -> Self {
        use crate::printing::PrintingError;
        match e {
            PrintingError::FontsUnavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "fonts_unavailable",
                "印刷用のフォントが見つからないため印刷できません。管理者に連絡してください。",
            ),
            PrintingError::Internal(detail) => ApiError::internal(detail),
            PrintingError::Store(e) => ApiError::from(e),
        }
    }
}

impl From<crate::arrivals::ArrivalError> for ApiError {
    fn from(e: crate::arrivals::ArrivalError) -> Self {
        use crate::arrivals::ArrivalError;
        match e {
            ArrivalError::NotFound => ApiError::not_found("転入予約が見つかりません。"),
            ArrivalError::Store(e) => ApiError::from(e),
            ArrivalError::Printing(e) => ApiError::from(e),
            ArrivalError::Internal(detail) => ApiError::internal(detail),
        }
    }
}

impl From<crate::search::SearchError> for ApiError {
    fn from(e: crate::search::SearchError) -> Self {
        ApiError::bad_request(e.code, e.message)
    }
}

impl From<crate::privacy::MaskedAddressRefused> for ApiError {
    fn from(e: crate::privacy::MaskedAddressRefused) -> Self {
        ApiError::bad_request(crate::privacy::MaskedAddressRefused::CODE, e.message_ja())
    }
}

impl From<crate::tasks::TaskFailed> for ApiError {
    fn from(e: crate::tasks::TaskFailed) -> Self {
        ApiError::internal(e)
    }
}

impl From<madoguchi_store::StoreError> for ApiError {
    fn from(e: madoguchi_store::StoreError) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut res = (self.status, Json(body)).into_response();
        if self.status == StatusCode::FORBIDDEN {
            res.extensions_mut().insert(Denial {
                code: self.code,
                audited: self.audited,
            });
        }
        res
    }
}

impl From<crate::accounts::AccountError> for ApiError {
    fn from(e: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError;
        match e {
            AccountError::NotFound => ApiError::not_found("該当するユーザーが見つかりません。"),
            AccountError::Stale => ApiError::new(
                StatusCode::CONFLICT,
                "stale_revision",
                "ほかの管理者がこの内容を先に変更しました。画面を読み込み直して、変更をもう一度行ってください。",
            ),
            AccountError::LastAdmin => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "last_admin",
                "この変更をすると、システムを管理できる職員がいなくなります。先にほかの職員に管理の権限を付けてください。",
            ),
            AccountError::Exists => ApiError::new(
                StatusCode::CONFLICT,
                "login_exists",
                "このユーザーIDはすでに使われています。",
            ),
            AccountError::CodeExists => ApiError::new(
                StatusCode::CONFLICT,
                "code_exists",
                "このコードはすでに使われています。別のコードにするか、一覧から開いて編集してください。",
            ),
            AccountError::Invalid { code, message } => ApiError::bad_request(code, message),
            AccountError::Store(e) => e.into(),
        }
    }
}

impl From<crate::city_settings::SaveError> for ApiError {
    fn from(e: crate::city_settings::SaveError) -> Self {
        match e {
            crate::city_settings::SaveError::Stale => ApiError::new(
                StatusCode::CONFLICT,
                "stale_revision",
                "ほかの管理者がこの内容を先に変更しました。画面を読み込み直して、変更をもう一度行ってください。",
            ),
            crate::city_settings::SaveError::Store(e) => e.into(),
        }
    }
}
