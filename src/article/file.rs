//! Article files: bytes → [`Article`], by format: a saved web page through `html`, text through
//! `document` (each in any common encoding).

use std::path::Path;

use encoding_rs::UTF_8;

use super::document::{decode, is_web_page, looks_binary, Article, ArticleError};
use super::html;

impl Article {
    /// Reads an article file: a saved web page (`.html`, `.htm`) or text, in any common
    /// encoding (see [`decode`](super::decode)); unreadable bytes are the article's warnings.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Article, ArticleError> {
        let p = path.as_ref();
        let bytes = std::fs::read(p).map_err(|source| ArticleError::Io {
            path: p.display().to_string(),
            source,
        })?;
        Article::from_bytes(p, &bytes)
    }

    /// An article file's bytes (`path` gives the format by its extension and names the file).
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Article, ArticleError> {
        if looks_binary(bytes) {
            return Err(ArticleError::NotText {
                path: path.display().to_string(),
            });
        }
        let mut a = if is_web_page(path) {
            let decoded = html::decode_page(bytes);
            let mut a = html::parse_page(&decoded.text).ok_or_else(|| ArticleError::NoText {
                path: path.display().to_string(),
            })?;
            a.warnings = decoded.warnings;
            a
        } else {
            let decoded = decode(bytes);
            if decoded.encoding != UTF_8 {
                log::info!("{}: read as {}", path.display(), decoded.encoding.name());
            }
            let mut a = Article::parse(&decoded.text);
            a.warnings = decoded.warnings;
            a
        };
        a.path = Some(path.to_path_buf());
        Ok(a)
    }
}
