//! Query-string decoding that reports invalid percent-encoded UTF-8 as a clear 400 instead of
//! axum's generic English rejection.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::ApiError;

/// Decoded query parameters (the last value wins for repeated keys).
#[derive(Debug, Default)]
pub struct QueryMap(pub HashMap<String, String>);

impl QueryMap {
    pub fn get(&self, k: &str) -> Option<String> {
        self.0.get(k).cloned()
    }

    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let mut map = HashMap::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.insert(decode(k)?, decode(v)?);
        }
        Ok(QueryMap(map))
    }
}

fn decode(s: &str) -> Result<String, ApiError> {
    let plus = s.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&plus).collect();
    String::from_utf8(bytes).map_err(|_| {
        ApiError::bad_request(
            "invalid_encoding",
            "検索条件の文字コードが正しくありません（UTF-8 で送信してください）。",
        )
    })
}

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        QueryMap::parse(parts.uri.query().unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_rejects_invalid() {
        let m = QueryMap::parse("q=%E9%AB%98%E6%A9%8B&limit=5&x").expect("valid");
        assert_eq!(m.get("q").as_deref(), Some("高橋"));
        assert_eq!(m.get("limit").as_deref(), Some("5"));
        assert_eq!(m.get("x").as_deref(), Some(""));
        assert_eq!(
            QueryMap::parse("q=a+b").expect("plus").get("q").as_deref(),
            Some("a b")
        );
        let err = QueryMap::parse("q=%FF%FE").expect_err("invalid utf-8");
        assert_eq!(err.code, "invalid_encoding");
    }
}
