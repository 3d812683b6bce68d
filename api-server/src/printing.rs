//! The forms engine as the server uses it: fonts (loaded once) and the standard template library, joined
//! per tenant by the tenant's own template versions.

use madoguchi_forms::library::Library;
use madoguchi_forms::{Fonts, Template};

/// Why printing cannot start.
#[derive(Debug)]
pub enum PrintingError {
    /// The fonts are not installed (the server's administrator must install them).
    FontsUnavailable,
    /// The server's own data is broken (English, for the log).
    Internal(String),
    Store(madoguchi_store::StoreError),
}

impl From<madoguchi_store::StoreError> for PrintingError {
    fn from(e: madoguchi_store::StoreError) -> Self {
        PrintingError::Store(e)
    }
}

/// Fonts (loaded on first use: 52 MB) and the standard template library of the server; a tenant's
/// own template versions (added over the API, kept in the store) join it per request.
pub struct FormsService {
    fonts: std::sync::OnceLock<Result<Fonts, String>>,
    library: Result<Library, String>,
}

/// The templates a tenant prints with: the standard set plus the tenant's own versions, each with
/// the background PDF it names (kept in the store).
pub fn tenant_library(
    service: &FormsService,
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) -> Result<Library, PrintingError> {
    let mut lib = service.library()?.clone();
    for source in store.form_templates(tenant)? {
        let mut t = Template::parse(&source).map_err(|e| {
            PrintingError::Internal(format!("stored template no longer parses: {e}"))
        })?;
        attach_stored_background(store, tenant, &mut t)
            .map_err(|e| PrintingError::Internal(format!("stored template's background: {e}")))?;
        lib.add(t)
            .map_err(|e| PrintingError::Internal(format!("stored template conflicts: {e}")))?;
    }
    Ok(lib)
}

/// Loads the background PDF `t` names from the tenant's uploaded backgrounds (nothing when it names
/// none). The reason it cannot is in Japanese, for the template editor.
pub fn attach_stored_background(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
    t: &mut Template,
) -> Result<(), String> {
    let Some(spec) = &t.page.background else {
        return Ok(());
    };
    let name = spec.file.clone();
    let bytes = store
        .form_background(tenant, &name)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!("背景のPDF「{name}」が登録されていません。先に背景のPDFを登録してください。")
        })?;
    t.attach_background_pdf(&bytes).map_err(|e| e.to_string())
}

impl std::fmt::Debug for FormsService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormsService").finish_non_exhaustive()
    }
}

impl FormsService {
    /// The standard templates; fonts from Debian's folders or `MADOGUCHI_FONT_DIR`.
    pub fn standard() -> Self {
        FormsService {
            fonts: std::sync::OnceLock::new(),
            library: Library::standard().map_err(|e| e.to_string()),
        }
    }

    /// The fonts, loaded on first use.
    pub fn fonts(&self) -> Result<&Fonts, PrintingError> {
        self.fonts
            .get_or_init(|| Fonts::load(None).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| {
                tracing::error!(error = %e, "fonts for printing are not available");
                PrintingError::FontsUnavailable
            })
    }

    /// The standard template library.
    pub fn library(&self) -> Result<&Library, PrintingError> {
        self.library
            .as_ref()
            .map_err(|e| PrintingError::Internal(format!("template library failed to load: {e}")))
    }
}
