//! Files of an archive to articles. Every file goes through [`read_articles`], the one place
//! that knows formats; text encodings and saved web pages are read by `article::document`, as
//! in the viewer (a change to what is read here raises [`super::index::INDEX_SCHEMA`]).

use std::path::Path;

use crate::article::{decode, looks_binary, url_host, Article, ArticleError};

/// How a file is read, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`, `.md`: one article (title line, date line, blank line, body; see `Article::parse`).
    Text,
    /// `.rss`, `.atom`, `.xml`: a feed, one article per item.
    Feed,
    /// `.jsonl`, `.ndjson`: one article per line, `{"title", "date", "text", "url"}`.
    JsonLines,
    /// `.html`, `.htm`: a saved web page (readability finds the article).
    Html,
    Other,
}

impl Format {
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("txt" | "md" | "markdown") => Format::Text,
            Some("rss" | "atom" | "xml") => Format::Feed,
            Some("jsonl" | "ndjson") => Format::JsonLines,
            Some("html" | "htm") => Format::Html,
            _ => Format::Other,
        }
    }
}

/// One article read from a file, with what the file says about where it came from.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub article: Article,
    /// The outlet: a feed's title, a JSON `source`, a text file's source line, else the folder.
    pub source: Option<String>,
    pub url: Option<String>,
}

/// The articles of a file and what was wrong with parts of it.
#[derive(Debug, Default)]
pub struct FileArticles {
    pub items: Vec<Item>,
    /// Problems with parts of the file (a bad JSON line), each naming the place.
    pub warnings: Vec<String>,
}

/// Why a file gave no articles. It is skipped and counted, never fatal.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SkipReason {
    #[error("not text")]
    NotText,
    #[error("no article text found in the web page")]
    NoText,
    #[error("not an article, feed or JSON Lines file")]
    OtherFormat,
    #[error("not a feed: {0}")]
    Feed(String),
}

impl SkipReason {
    /// A short key for counting skipped files by reason.
    pub fn key(&self) -> &'static str {
        match self {
            SkipReason::NotText => "not text",
            SkipReason::NoText => "no article text",
            SkipReason::OtherFormat => "other format",
            SkipReason::Feed(_) => "bad feed",
        }
    }
}

/// Bytes to text in any common encoding (the viewer's decoding), with the unreadable bytes
/// named as warnings of `path`; binary files are not text.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<(String, Vec<String>), SkipReason> {
    if looks_binary(bytes) {
        return Err(SkipReason::NotText);
    }
    let d = decode(bytes);
    let warnings = d
        .warnings
        .iter()
        .map(|w| format!("{}:{w}", path.display()))
        .collect();
    Ok((d.text, warnings))
}

/// The articles in a file's bytes. `path` (relative to the archive) gives the format and the
/// fallback outlet (the folder it is in).
pub fn read_articles(path: &Path, bytes: &[u8]) -> Result<FileArticles, SkipReason> {
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    match Format::of(path) {
        Format::Text | Format::Html => {
            let mut article = Article::from_bytes(path, bytes).map_err(|e| match e {
                ArticleError::NoText { .. } => SkipReason::NoText,
                _ => SkipReason::NotText,
            })?;
            let warnings = std::mem::take(&mut article.warnings)
                .into_iter()
                .map(|w| format!("{}:{w}", path.display()))
                .collect();
            let source = article.source.clone().or(folder);
            Ok(FileArticles {
                items: vec![Item {
                    article,
                    source,
                    url: None,
                }],
                warnings,
            })
        }
        Format::Feed => {
            if looks_binary(bytes) {
                return Err(SkipReason::NotText);
            }
            read_feed(path, bytes, folder)
        }
        Format::JsonLines => {
            let (text, warnings) = decode_text(path, bytes)?;
            let mut f = read_json_lines(path, &text, folder);
            f.warnings.splice(0..0, warnings);
            Ok(f)
        }
        Format::Other => Err(if looks_binary(bytes) {
            SkipReason::NotText
        } else {
            SkipReason::OtherFormat
        }),
    }
}

fn read_feed(
    path: &Path,
    bytes: &[u8],
    folder: Option<String>,
) -> Result<FileArticles, SkipReason> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| SkipReason::Feed(e.to_string()))?;
    let outlet = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty())
        .or(folder);
    let items = feed
        .entries
        .into_iter()
        .map(|e| {
            let body = e
                .content
                .and_then(|c| c.body)
                .or_else(|| e.summary.map(|s| s.content))
                .unwrap_or_default();
            Item {
                article: Article {
                    title: e.title.map(|t| strip_tags(&t.content)),
                    date: e.published.or(e.updated).map(|d| d.to_rfc3339()),
                    source: outlet.clone(),
                    path: Some(path.to_path_buf()),
                    body: strip_tags(&body),
                    ..Default::default()
                },
                source: outlet.clone(),
                url: e.links.into_iter().next().map(|l| l.href),
            }
        })
        .collect();
    Ok(FileArticles {
        items,
        warnings: Vec::new(),
    })
}

#[derive(serde::Deserialize)]
struct JsonArticle {
    title: Option<String>,
    date: Option<String>,
    text: Option<String>,
    url: Option<String>,
    source: Option<String>,
}

fn read_json_lines(path: &Path, text: &str, folder: Option<String>) -> FileArticles {
    let mut out = FileArticles::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<JsonArticle>(line) {
            Ok(j) => {
                let source = j.source.or_else(|| j.url.as_deref().and_then(url_host));
                out.items.push(Item {
                    article: Article {
                        title: j.title.filter(|t| !t.trim().is_empty()),
                        date: j.date.filter(|d| !d.trim().is_empty()),
                        source: source.clone(),
                        path: Some(path.to_path_buf()),
                        body: j.text.unwrap_or_default().trim().to_string(),
                        ..Default::default()
                    },
                    source: source.or(folder.clone()),
                    url: j.url,
                })
            }
            Err(e) => out.warnings.push(format!(
                "{}:{}:{}: not an article object: {e}",
                path.display(),
                n + 1,
                e.column()
            )),
        }
    }
    out
}

/// Feed summaries are often HTML: the text between tags, with the common entities decoded.
/// (Summaries are fragments, not pages: readability wants a page's worth of text.)
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_lines_and_names_bad_lines() {
        let text = "{\"title\":\"A\",\"date\":\"2024-01-02\",\"text\":\"Body.\",\"url\":\"https://www.example.org/x\"}\n\nnot json\n";
        let f = read_json_lines(Path::new("a.jsonl"), text, None);
        assert_eq!(f.items.len(), 1);
        assert_eq!(f.items[0].source.as_deref(), Some("example.org"));
        assert_eq!(f.warnings.len(), 1);
        assert!(f.warnings[0].starts_with("a.jsonl:3:"), "{}", f.warnings[0]);
    }

    #[test]
    fn binary_and_unknown_files_are_skipped() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            read_articles(Path::new("x.txt"), png).err(),
            Some(SkipReason::NotText)
        );
        assert_eq!(
            read_articles(Path::new("x.png"), png).err(),
            Some(SkipReason::NotText)
        );
        assert_eq!(
            read_articles(Path::new("x.csv"), b"a,b").err(),
            Some(SkipReason::OtherFormat)
        );
        // Windows-1252 is read, not skipped
        let f = read_articles(Path::new("x.txt"), b"A caf\xe9 in Baku.").unwrap();
        assert_eq!(f.items[0].article.body, "A caf\u{e9} in Baku.");
    }

    #[test]
    fn text_files_keep_their_source_line() {
        let f = read_articles(
            Path::new("wire/a.txt"),
            b"Title here\n2024-05-01\nExample Wire\n\nBody text.",
        )
        .unwrap();
        assert_eq!(f.items[0].source.as_deref(), Some("Example Wire"));
        let f = read_articles(Path::new("wire/b.txt"), b"Title here\n2024-05-01\n\nBody.").unwrap();
        assert_eq!(f.items[0].source.as_deref(), Some("wire"));
        let f = read_articles(
            Path::new("wire/c.txt"),
            b"Title here\n2024-05-01\nhttps://www.example.org/news/1\n\nBody.",
        )
        .unwrap();
        assert_eq!(f.items[0].source.as_deref(), Some("example.org"));
        // a bad byte in UTF-8 text is a warning naming the file and the byte
        let f = read_articles(
            Path::new("wire/d.txt"),
            &[
                "T\u{ed}tulo\n2024-05-01\n\nG\u{259}nc\u{259} \u{15f}\u{259}h\u{259}ri, "
                    .as_bytes(),
                b"\xff bazar.",
            ]
            .concat(),
        )
        .unwrap();
        assert!(f.items[0].article.body.contains("G\u{259}nc\u{259}"));
        assert_eq!(f.warnings.len(), 1, "{:?}", f.warnings);
        assert!(
            f.warnings[0].starts_with("wire/d.txt:4:"),
            "{:?}",
            f.warnings
        );
        assert_eq!(strip_tags("<p>Tom &amp; <b>Jerry</b></p>"), "Tom & Jerry");
    }
}
