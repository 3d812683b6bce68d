//! Object storage for file exchange with the city's core systems (基幹系): the 住民記録 system drops its
//! files (住民情報, 支援措置, 資格 …) under an inbound prefix and picks up ours (届出, 交付申請, RPA link data)
//! under an outbound one. A local folder is the default; S3 (or an S3-compatible server) in production.
//!
//! [`Exchange`] is what the linkage jobs use: keys relative to the configured prefix, listing sorted by
//! key, whole-object reads and writes (a write is atomic: readers see the old object or the new one, never
//! a part), and moving an object (`processed/`, `error/`) that is safe to repeat after a crash. The S3
//! credentials are never logged: [`ObjectsConfig`]'s `Debug` and [`Exchange::describe`] leave them out.

use std::sync::Arc;

use bytes::Bytes;
use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};

/// Where the exchange lives and how to reach it.
#[derive(Clone, PartialEq, Eq)]
pub struct ObjectsConfig {
    /// `file:///srv/madoguchi/exchange` (a local folder) or `s3://bucket/prefix`.
    pub url: String,
    /// S3 endpoint of an S3-compatible server (`http://127.0.0.1:9000`); AWS when absent.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for ObjectsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectsConfig")
            .field("url", &self.url)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field(
                "access_key_id",
                &self.access_key_id.as_ref().map(|_| "****"),
            )
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "****"),
            )
            .finish()
    }
}

/// Environment variables of the server's configuration.
pub const ENV_URL: &str = "MADOGUCHI_OBJECTS_URL";
pub const ENV_ENDPOINT: &str = "MADOGUCHI_S3_ENDPOINT";
pub const ENV_REGION: &str = "MADOGUCHI_S3_REGION";
pub const ENV_ACCESS_KEY_ID: &str = "MADOGUCHI_S3_ACCESS_KEY_ID";
pub const ENV_SECRET_ACCESS_KEY: &str = "MADOGUCHI_S3_SECRET_ACCESS_KEY";

impl ObjectsConfig {
    /// A local folder.
    pub fn local(dir: &std::path::Path) -> ObjectsConfig {
        ObjectsConfig {
            url: format!("file://{}", dir.display()),
            endpoint: None,
            region: None,
            access_key_id: None,
            secret_access_key: None,
        }
    }

    /// From the environment (`MADOGUCHI_OBJECTS_URL`, `MADOGUCHI_S3_*`), the local folder `default_dir`
    /// when no URL is set.
    pub fn from_env(default_dir: &std::path::Path) -> ObjectsConfig {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        match var(ENV_URL) {
            Some(url) => ObjectsConfig {
                url,
                endpoint: var(ENV_ENDPOINT),
                region: var(ENV_REGION),
                access_key_id: var(ENV_ACCESS_KEY_ID),
                secret_access_key: var(ENV_SECRET_ACCESS_KEY),
            },
            None => ObjectsConfig::local(default_dir),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ObjectsError {
    #[error("連携ファイルの保存先の設定が正しくありません: {0}")]
    Config(String),
    #[error("連携ファイルの名前が正しくありません: {0}")]
    BadKey(String),
    #[error("連携ファイル {0} が見つかりません")]
    NotFound(String),
    #[error("連携ファイルの保存先にアクセスできません: {0}")]
    Backend(String),
}

pub type ObjectsResult<T> = Result<T, ObjectsError>;

/// An object in the exchange: its key (relative to the prefix), size and last change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub modified: chrono::DateTime<chrono::Utc>,
}

/// The exchange area of one deployment.
#[derive(Clone)]
pub struct Exchange {
    store: Arc<dyn ObjectStore>,
    prefix: Option<ObjectPath>,
    describe: String,
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Exchange({})", self.describe)
    }
}

fn backend(e: object_store::Error) -> ObjectsError {
    // object_store's messages name the path and the HTTP status, never the credentials.
    ObjectsError::Backend(e.to_string())
}

/// A key relative to the prefix: `/`-separated names, none empty, `.` or `..`, no control characters.
fn check_key(key: &str) -> ObjectsResult<()> {
    let ok = !key.is_empty()
        && key.len() <= 1024
        && key.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && !part.chars().any(|c| c.is_control() || c == '\\')
        });
    if ok {
        Ok(())
    } else {
        Err(ObjectsError::BadKey(key.chars().take(100).collect()))
    }
}

impl Exchange {
    pub fn open(config: &ObjectsConfig) -> ObjectsResult<Exchange> {
        Self::open_with(config, false)
    }

    /// For a bucket with S3 Object Lock (the audit anchors): every upload carries a SHA-256 checksum,
    /// which S3 requires of writes into a bucket with a default retention.
    pub fn open_for_object_lock(config: &ObjectsConfig) -> ObjectsResult<Exchange> {
        Self::open_with(config, true)
    }

    fn open_with(config: &ObjectsConfig, checksum: bool) -> ObjectsResult<Exchange> {
        if let Some(dir) = config.url.strip_prefix("file://") {
            if dir.is_empty() {
                return Err(ObjectsError::Config("フォルダーを指定してください".into()));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| ObjectsError::Config(format!("{dir}: {e}")))?;
            let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
                .map_err(|e| ObjectsError::Config(e.to_string()))?;
            return Ok(Exchange {
                store: Arc::new(store),
                prefix: None,
                describe: config.url.clone(),
            });
        }
        if let Some(rest) = config.url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(ObjectsError::Config(
                    "S3 のバケット名を指定してください".into(),
                ));
            }
            let prefix = prefix.trim_matches('/');
            if !prefix.is_empty() {
                check_key(prefix)?;
            }
            let mut builder = object_store::aws::AmazonS3Builder::new()
                .with_bucket_name(bucket)
                .with_region(config.region.as_deref().unwrap_or("ap-northeast-1"));
            if checksum {
                builder = builder.with_checksum_algorithm(object_store::aws::Checksum::SHA256);
            }
            if let Some(endpoint) = &config.endpoint {
                builder = builder
                    .with_endpoint(endpoint)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
                builder = builder
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
            }
            let store = builder
                .build()
                .map_err(|e| ObjectsError::Config(e.to_string()))?;
            let describe = match &config.endpoint {
                Some(e) => format!("{} ({e})", config.url),
                None => config.url.clone(),
            };
            return Ok(Exchange {
                store: Arc::new(store),
                prefix: (!prefix.is_empty()).then(|| ObjectPath::from(prefix)),
                describe,
            });
        }
        Err(ObjectsError::Config(format!(
            "file:// か s3:// で始まる URL を指定してください（{}）",
            config.url.chars().take(100).collect::<String>()
        )))
    }

    /// Where the exchange is, for logs and the admin screen (no credentials).
    pub fn describe(&self) -> &str {
        &self.describe
    }

    fn path(&self, key: &str) -> ObjectsResult<ObjectPath> {
        check_key(key)?;
        Ok(match &self.prefix {
            Some(p) => ObjectPath::from(format!("{p}/{key}")),
            None => ObjectPath::from(key),
        })
    }

    fn relative(&self, path: &ObjectPath) -> String {
        let full = path.as_ref();
        match &self.prefix {
            Some(p) => full
                .strip_prefix(p.as_ref())
                .map(|r| r.trim_start_matches('/').to_string())
                .unwrap_or_else(|| full.to_string()),
            None => full.to_string(),
        }
    }

    /// The objects under `dir` (and its subfolders), sorted by key.
    pub async fn list(&self, dir: &str) -> ObjectsResult<Vec<ObjectInfo>> {
        let prefix = self.path(dir.trim_end_matches('/'))?;
        let mut found: Vec<ObjectInfo> = self
            .store
            .list(Some(&prefix))
            .map_ok(|meta| ObjectInfo {
                key: self.relative(&meta.location),
                size: meta.size,
                modified: meta.last_modified,
            })
            .try_collect()
            .await
            .map_err(backend)?;
        found.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(found)
    }

    pub async fn read(&self, key: &str) -> ObjectsResult<Bytes> {
        let path = self.path(key)?;
        match self.store.get(&path).await {
            Ok(r) => r.bytes().await.map_err(backend),
            Err(object_store::Error::NotFound { .. }) => Err(ObjectsError::NotFound(key.into())),
            Err(e) => Err(backend(e)),
        }
    }

    /// Size of an object, `None` when it is not there.
    pub async fn size(&self, key: &str) -> ObjectsResult<Option<u64>> {
        let path = self.path(key)?;
        match self.store.head(&path).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    /// Writes a whole object (replacing one with the same key).
    pub async fn write(&self, key: &str, bytes: impl Into<Bytes>) -> ObjectsResult<()> {
        let path = self.path(key)?;
        self.store
            .put(&path, PutPayload::from_bytes(bytes.into()))
            .await
            .map(|_| ())
            .map_err(backend)
    }

    /// Moves `key` into the folder `to_dir` (same file name) and returns the new key. Safe to repeat: if
    /// a crash came between the copy and the delete, the next call finds the copy and only deletes.
    pub async fn move_to(&self, key: &str, to_dir: &str) -> ObjectsResult<String> {
        let name = key.rsplit('/').next().unwrap_or(key);
        let target = format!("{}/{name}", to_dir.trim_end_matches('/'));
        let from = self.path(key)?;
        let to = self.path(&target)?;
        match self.store.copy(&from, &to).await {
            Ok(()) => {}
            Err(object_store::Error::NotFound { .. }) => {
                // Already moved by an earlier attempt?
                return match self.size(&target).await? {
                    Some(_) => Ok(target),
                    None => Err(ObjectsError::NotFound(key.into())),
                };
            }
            Err(e) => return Err(backend(e)),
        }
        self.delete(key).await?;
        Ok(target)
    }

    /// Deletes an object; deleting one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> ObjectsResult<()> {
        let path = self.path(key)?;
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_inside_the_exchange() {
        for good in ["inbound/001o006/a.csv", "a", "outbound/届出/x.csv"] {
            assert_eq!(check_key(good), Ok(()), "{good}");
        }
        for bad in [
            "", "/abs", "a//b", "../x", "a/../b", "a/./b", "a\\b", "a/\nb", "a/",
        ] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn secrets_never_reach_debug_or_describe() {
        let config = ObjectsConfig {
            url: "s3://city-exchange/midori".into(),
            endpoint: Some("http://127.0.0.1:9".into()),
            region: None,
            access_key_id: Some("AKIAEXAMPLEKEYID".into()),
            secret_access_key: Some("very-secret-value".into()),
        };
        let debug = format!("{config:?}");
        assert!(!debug.contains("AKIAEXAMPLEKEYID") && !debug.contains("very-secret-value"));
        let exchange = Exchange::open(&config).expect("s3 config");
        let shown = format!("{} {exchange:?}", exchange.describe());
        assert!(shown.contains("s3://city-exchange/midori"));
        assert!(!shown.contains("very-secret-value") && !shown.contains("AKIAEXAMPLEKEYID"));
    }

    #[test]
    fn bad_urls_are_refused_in_japanese() {
        for url in ["ftp://x", "s3://", "file://", "/srv/x"] {
            let config = ObjectsConfig {
                url: url.into(),
                endpoint: None,
                region: None,
                access_key_id: None,
                secret_access_key: None,
            };
            let e = Exchange::open(&config).expect_err(url);
            assert!(matches!(e, ObjectsError::Config(_)), "{url}: {e:?}");
            assert!(e.to_string().contains("設定が正しくありません"));
        }
    }
}
