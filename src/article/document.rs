//! Article files: lenient parsing of the sample/eval layout (title, date, source, blank line,
//! body), of the "date / blank / title" variant, of markdown (`# Title`) and of plain text.

use std::path::{Path, PathBuf};

/// A news article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub title: Option<String>,
    pub date: Option<String>,
    pub path: Option<PathBuf>,
    pub body: String,
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
                };
            }
            return Article {
                title: None,
                date: Some(strip_date_prefix(l0)),
                path: None,
                body: String::new(),
            };
        }
        // "title / date / source / blank / body"
        if !l0.trim().is_empty() && lines.len() > 2 && is_date_line(line(1)) {
            let title = clean_title(l0);
            let date = Some(strip_date_prefix(line(1)));
            let mut i = 2;
            if !line(2).trim().is_empty() && is_source_line(line(2)) {
                i = 3;
            }
            return Article {
                title,
                date,
                path: None,
                body: body_from(i),
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
            };
        }
        Article {
            title: None,
            date: None,
            path: None,
            body: src.trim().to_string(),
        }
    }

    /// Reads and parses a file.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Article> {
        let p = path.as_ref();
        let src = std::fs::read_to_string(p)?;
        let mut a = Article::parse(&src);
        a.path = Some(p.to_path_buf());
        Ok(a)
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
    for p in ["Date:", "date:", "Published:", "published:"] {
        if let Some(r) = t.strip_prefix(p) {
            return r.trim().to_string();
        }
    }
    t.to_string()
}
