//! Article files: bytes in any common encoding to text ([`decode`]), saved web pages through
//! readability (`html`), and lenient parsing of the sample/eval layout (title, date, source,
//! blank line, body), of the "date / blank / title" variant, of markdown (`# Title`) and of
//! plain text.

use std::path::{Path, PathBuf};

use encoding_rs::{DecoderResult, Encoding, UTF_8};

/// A news article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub title: Option<String>,
    pub date: Option<String>,
    /// The outlet: a text's source line (a URL's host), a page's site name or host.
    pub source: Option<String>,
    pub path: Option<PathBuf>,
    pub body: String,
    /// What could not be read as it is (bytes not valid in the file's encoding), each
    /// `LINE:COLUMN: byte OFFSET: problem`, without the file's name.
    pub warnings: Vec<String>,
}

/// Why an article file gives no article. Parts that cannot be read are warnings instead.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("{path}: cannot read: {}", io_reason(.source))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a text file (it holds binary data)")]
    NotText { path: String },
    #[error("{path}: no article text found in the web page")]
    NoText { path: String },
}

/// An I/O error's reason without the OS's error number ("No such file or directory"), so that
/// a message quoting it does not repeat the OS's text.
pub fn io_reason(e: &std::io::Error) -> String {
    without_os_error(&e.to_string()).to_string()
}

fn without_os_error(s: &str) -> &str {
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => &s[..i],
        _ => s,
    }
}

/// An error and its causes on one line (`<file>: <reason>`), leaving out a cause the message
/// already says (an I/O error's text, which messages quote through [`io_reason`]).
pub fn error_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        let s = without_os_error(&s);
        if !text.to_lowercase().contains(&s.to_lowercase()) {
            text.push_str(": ");
            text.push_str(s);
        }
        cause = c.source();
    }
    text.replace('\n', " ")
}

/// Text decoded from a file's bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// The encoding read: the BOM's, else UTF-8 when the bytes are (mostly) UTF-8, else
    /// `chardetng`'s guess (Windows-1252 for Western European text).
    pub encoding: &'static Encoding,
    /// Sequences the encoding cannot read, each replaced by one U+FFFD, as
    /// `LINE:COLUMN: byte OFFSET: problem` (offsets in the file, BOM included).
    pub warnings: Vec<String>,
}

/// How many unreadable sequences are named one by one; the rest are counted.
const NAMED_BAD_BYTES: usize = 10;

/// Bytes that look like a binary file: a NUL in the first 8 KB (UTF-16 text has a BOM).
pub fn looks_binary(bytes: &[u8]) -> bool {
    Encoding::for_bom(bytes).is_none() && bytes[..bytes.len().min(8192)].contains(&0)
}

/// Bytes to text in any common encoding: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM,
/// Windows-1252/Latin-1 and the other legacy encodings `chardetng` tells apart. Never fails:
/// a byte the encoding cannot read becomes U+FFFD and a warning naming its offset.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return decode_as(enc, bytes, bom);
    }
    decode_as(guess_encoding(bytes), bytes, 0)
}

/// The encoding of bytes without a BOM. UTF-8 wins when it has valid multi-byte sequences and
/// at most two errors for each (a UTF-8 article with a damaged byte stays UTF-8, where
/// `chardetng` would take it for a legacy encoding and garble every accented letter; legacy
/// text almost never holds a valid UTF-8 sequence, as an accented letter is followed by ASCII).
fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if invalid == 0 || (multibyte > 0 && 2 * multibyte >= invalid) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Decodes `bytes[start..]` as `enc`, replacing what it cannot read and saying where.
pub fn decode_as(enc: &'static Encoding, bytes: &[u8], start: usize) -> Decoded {
    let src = &bytes[start.min(bytes.len())..];
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(src.len())
            .unwrap_or(src.len()),
    );
    let mut warnings = Vec::new();
    let mut bad = 0usize;
    // Line and column of the text decoded so far, advanced lazily up to each bad sequence.
    let (mut line, mut line_start, mut scanned) = (1usize, 0usize, 0usize);
    let mut pos = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&src[pos..], &mut text, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(src.len() - pos + 16),
            DecoderResult::Malformed(len, after) => {
                bad += 1;
                if bad <= NAMED_BAD_BYTES {
                    for (i, c) in text[scanned..].char_indices() {
                        if c == '\n' {
                            line += 1;
                            line_start = scanned + i + 1;
                        }
                    }
                    scanned = text.len();
                    let column = text[line_start..].chars().count() + 1;
                    let offset = start + pos - after as usize - len as usize;
                    warnings.push(format!(
                        "{line}:{column}: byte {offset}: not valid {}, read as \u{FFFD}",
                        enc.name()
                    ));
                }
                text.push('\u{FFFD}');
            }
        }
    }
    if bad > NAMED_BAD_BYTES {
        warnings.push(format!(
            "and {} more byte sequences not valid {}, read as \u{FFFD}",
            bad - NAMED_BAD_BYTES,
            enc.name()
        ));
    }
    Decoded {
        text,
        encoding: enc,
        warnings,
    }
}

/// Month names and abbreviations, lower case (date lines here, datelines in `parse`).
pub(crate) const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Looks like a date line: short, with a 4-digit year, starting with a digit or a month/weekday,
/// or a `Date:` field.
fn is_date_line(l: &str) -> bool {
    let l = l.trim();
    // An ISO date with a note after it ("2020-09-12 (inferred from ...)") may be long.
    if starts_with_iso_date(l) && l.len() <= 300 {
        return true;
    }
    if l.is_empty() || l.len() > 120 {
        return false;
    }
    let lower = l.to_ascii_lowercase();
    if lower.starts_with("date:") || lower.starts_with("published") {
        return true;
    }
    let has_year = l.as_bytes().windows(4).any(|w| {
        w.iter().all(|b| b.is_ascii_digit()) && (w.starts_with(b"19") || w.starts_with(b"20"))
    });
    if !has_year {
        return false;
    }
    let first = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    l.as_bytes()[0].is_ascii_digit() || MONTHS.contains(&first) || WEEKDAYS.contains(&first)
}

/// `YYYY-MM-DD` at the start, not followed by another digit.
fn starts_with_iso_date(l: &str) -> bool {
    let b = l.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b.get(10).is_none_or(|c| !c.is_ascii_digit())
}

fn is_source_line(l: &str) -> bool {
    let l = l.trim();
    let lower = l.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || lower.starts_with("source:")
        || (l.len() <= 80
            && !l.contains(". ")
            && !l.ends_with('.')
            && !l.contains(',')
            && l.split_whitespace().count() <= 6)
}

fn clean_title(l: &str) -> Option<String> {
    let t = l.trim().trim_start_matches('#').trim();
    let t = t
        .strip_prefix("Title:")
        .or_else(|| t.strip_prefix("title:"))
        .unwrap_or(t)
        .trim();
    if t.is_empty() || t.eq_ignore_ascii_case("[untitled]") || t.eq_ignore_ascii_case("untitled") {
        None
    } else {
        Some(t.to_string())
    }
}

impl Article {
    /// Parses an article file's text leniently.
    pub fn parse(src: &str) -> Article {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let lines: Vec<&str> = src.split_inclusive('\n').collect();
        let line = |i: usize| {
            lines
                .get(i)
                .map(|l| l.trim_end_matches(['\n', '\r']))
                .unwrap_or("")
        };
        let body_from = |i: usize| -> String {
            lines
                .get(i..)
                .map(|ls| ls.concat())
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let next_nonblank = |mut i: usize| {
            while i < lines.len() && line(i).trim().is_empty() {
                i += 1;
            }
            i
        };
        if lines.is_empty() {
            return Article::default();
        }
        let l0 = line(0);
        // markdown with YAML front matter: "---", "title: ...", "date: ...", "---", body
        if l0.trim() == "---" {
            if let Some(end) = (1..lines.len()).find(|&i| line(i).trim() == "---") {
                let mut a = Article::default();
                for i in 1..end {
                    let l = line(i);
                    if let Some((k, v)) = l.split_once(':') {
                        let v = v.trim().trim_matches(['"', '\'']).to_string();
                        match k.trim().to_ascii_lowercase().as_str() {
                            "title" if !v.is_empty() => a.title = Some(v),
                            "date" if !v.is_empty() => a.date = Some(v),
                            "source" | "publisher" | "site" => a.source = source_name(&v),
                            _ => {}
                        }
                    }
                }
                let mut rest = Article::parse(&body_from(end + 1));
                if a.title.is_none() {
                    a.title = rest.title.take();
                } else if rest.title.is_some() {
                    // a "# Heading" repeating the title: keep it in the body
                    rest.body = body_from(end + 1);
                }
                a.date = a.date.or(rest.date);
                a.source = a.source.or(rest.source);
                a.body = rest.body;
                return a;
            }
        }
        // markdown: "# Title", optional date line(s), body
        if l0.trim_start().starts_with("# ") {
            let title = clean_title(l0);
            let mut i = next_nonblank(1);
            let mut date = None;
            if i < lines.len() && is_date_line(line(i)) {
                date = Some(strip_date_prefix(line(i)));
                i += 1;
            }
            return Article {
                title,
                date,
                path: None,
                body: body_from(i),
                ..Default::default()
            };
        }
        // "date / blank / title / ... / body" (a title that starts with a year is followed by a date)
        if is_date_line(l0) && !is_date_line(line(1)) {
            let i = next_nonblank(1);
            if i < lines.len() {
                let title = clean_title(line(i));
                return Article {
                    title,
                    date: Some(strip_date_prefix(l0)),
                    path: None,
                    body: body_from(i + 1),
                    ..Default::default()
                };
            }
            return Article {
                title: None,
                date: Some(strip_date_prefix(l0)),
                path: None,
                body: String::new(),
                ..Default::default()
            };
        }
        // "title / date / source / blank / body"
        if !l0.trim().is_empty() && lines.len() > 2 && is_date_line(line(1)) {
            let title = clean_title(l0);
            let date = Some(strip_date_prefix(line(1)));
            let mut i = 2;
            let mut source = None;
            if !line(2).trim().is_empty() && is_source_line(line(2)) {
                source = source_name(line(2));
                i = 3;
            }
            return Article {
                title,
                date,
                source,
                path: None,
                body: body_from(i),
                ..Default::default()
            };
        }
        // "title / blank / body" with a short first line
        let l1 = line(1);
        if l1.trim().is_empty()
            && l0.len() <= 200
            && !l0.trim_end().ends_with('.')
            && lines.len() > 2
        {
            return Article {
                title: clean_title(l0),
                date: None,
                path: None,
                body: body_from(2),
                ..Default::default()
            };
        }
        Article {
            title: None,
            date: None,
            path: None,
            body: src.trim().to_string(),
            ..Default::default()
        }
    }

    /// The text the geoparser reads: the title (a sentence of its own) and the body.
    pub fn annotation_text(&self) -> String {
        match &self.title {
            Some(t) => format!("{t}\n\n{}", self.body),
            None => self.body.clone(),
        }
    }

    /// Byte offset of the body inside [`Article::annotation_text`].
    pub fn body_offset(&self) -> usize {
        self.title.as_ref().map_or(0, |t| t.len() + 2)
    }
}

fn strip_date_prefix(l: &str) -> String {
    let t = l.trim();
    // "2020-09-12 (a note)": the date alone.
    if starts_with_iso_date(t) {
        return t[..10].to_string();
    }
    for p in ["Date:", "date:", "Published:", "published:"] {
        if let Some(r) = t.strip_prefix(p) {
            return r.trim().to_string();
        }
    }
    t.to_string()
}

/// A saved web page, by its extension.
pub fn is_web_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// An outlet's name from a source line or field: a URL's host, else the text without a
/// `Source:` prefix.
fn source_name(l: &str) -> Option<String> {
    let t = l.trim();
    let t = t
        .strip_prefix("Source:")
        .or_else(|| t.strip_prefix("source:"))
        .unwrap_or(t)
        .trim();
    let t = url_host(t).unwrap_or_else(|| t.to_string());
    (!t.is_empty()).then_some(t)
}

/// The host of a URL (`https://www.example.org/a` → `example.org`, `www.example.org/a` too).
pub fn url_host(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = match url.split_once("://") {
        Some((_, r)) => r,
        None if lower.starts_with("www.") => url,
        None => return None,
    };
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && !host.contains(' ')).then(|| host.to_string())
}
