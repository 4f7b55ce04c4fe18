//! The archive's thread: it owns the index (an SQLite connection is not shared across threads),
//! indexes the folder with progress, reads the per-day counts into memory, and then answers the
//! window's requests (articles mentioning an entity, full-text filters, an article to open)
//! newest first: a request overtaken by a newer one of its kind is dropped.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::params;

use super::counts::DayCounts;
use crate::app::files::LoadedLayer;
use crate::app::threads::Post;
use crate::archive::query::parse_spans;
use crate::archive::{
    Archive, ArchiveError, ArticleRef, DayRange, Listed, Progress, SyncReport, LIST_LIMIT,
};
use crate::map::project::Projection;

/// Progress reaches the window at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(150);

/// What the window asks of the archive's thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// The articles in `range` that mention `entity` (all articles with `None`), matching the
    /// full-text `search` when there is one.
    List {
        entity: Option<String>,
        range: DayRange,
        search: Option<String>,
    },
    /// Counts of the articles that match a full-text query ("" clears the filter).
    Search(String),
    /// An article read again from its file, with its overlay.
    Open(ArticleRef),
}

/// What the archive's thread tells the window.
pub enum Event {
    Progress(Progress),
    /// Indexed: the counts in memory and the "where the news was" layer with every entity.
    Ready {
        counts: DayCounts,
        layer: Box<LoadedLayer>,
        report: SyncReport,
        took: Duration,
    },
    Failed(String),
    /// The counts of the articles matching `query` (`None`: the filter is cleared).
    Filtered {
        query: String,
        counts: Result<Option<DayCounts>, String>,
    },
    Listed {
        request: Request,
        list: Result<Vec<Listed>, String>,
    },
    Opened {
        article: ArticleRef,
        layer: Result<Box<LoadedLayer>, String>,
    },
}

/// Starts the archive's thread on `root`; its answers go to `send`.
pub fn spawn(
    root: PathBuf,
    projection: Projection,
    send: impl Post<Event>,
    requests: Receiver<Request>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("archive".into())
        .spawn(move || {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                match open(&root, &projection, &send) {
                    Ok((archive, ready)) => {
                        send(ready);
                        serve(&archive, &projection, requests, &send);
                    }
                    Err(e) => send(Event::Failed(e)),
                }
            }));
            if run.is_err() {
                send(Event::Failed(format!(
                    "{}: indexing crashed",
                    root.display()
                )));
            }
        })
        .map(|_| ())
}

/// Opens and syncs the index, reads its counts and builds the counts layer.
fn open(
    root: &Path,
    projection: &Projection,
    send: &impl Post<Event>,
) -> Result<(Archive, Event), String> {
    let started = Instant::now();
    let mut archive = Archive::open(root).map_err(|e| e.to_string())?;
    let last = Mutex::new(Instant::now());
    // On the loading threads' pool (low priority, a core short of the machine): the window
    // keeps its pace while a big archive is annotated.
    let pool = crate::app::threads::load_pool();
    let report = pool
        .install(|| {
            archive.sync(crate::archive::DEFAULT_BATCH, &|p: Progress| {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                if last.elapsed() >= PROGRESS_EVERY || p.done == p.total {
                    *last = Instant::now();
                    send(Event::Progress(p));
                }
            })
        })
        .map_err(|e| e.to_string())?;
    let counts = day_counts(&archive, None).map_err(|e| e.to_string())?;
    let all = counts.counts(DayRange::all(), &counts.sum(DayRange::all()));
    let mut layer = crate::archive::counts_layer(&all, projection);
    layer.name = format!("archive {}", folder_name(root));
    let layer = Box::new(super::super::files::finish_layer(layer, None));
    Ok((
        archive,
        Event::Ready {
            counts,
            layer,
            report,
            took: started.elapsed(),
        },
    ))
}

pub fn folder_name(root: &Path) -> String {
    root.file_name().map_or_else(
        || root.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Answers requests until the window goes; of several waiting, only the newest of each kind.
fn serve(
    archive: &Archive,
    projection: &Projection,
    requests: Receiver<Request>,
    send: &dyn Fn(Event),
) {
    while let Ok(first) = requests.recv() {
        let mut waiting = vec![first];
        waiting.extend(requests.try_iter());
        let newest = |k: fn(&Request) -> bool| waiting.iter().rev().find(|r| k(r)).cloned();
        let search = newest(|r| matches!(r, Request::Search(_)));
        let list = newest(|r| matches!(r, Request::List { .. }));
        let open = newest(|r| matches!(r, Request::Open(_)));
        if let Some(Request::Search(q)) = search {
            let counts = if q.trim().is_empty() {
                Ok(None)
            } else {
                day_counts(archive, Some(&q))
                    .map(Some)
                    .map_err(|e| e.to_string())
            };
            send(Event::Filtered { query: q, counts });
        }
        if let Some(Request::List {
            entity,
            range,
            search,
        }) = &list
        {
            let l = list_articles(archive, entity.as_deref(), *range, search.as_deref())
                .map(|l| with_sentences(archive, l))
                .map_err(|e| e.to_string());
            send(Event::Listed {
                request: list.clone().expect("matched above"),
                list: l,
            });
        }
        if let Some(Request::Open(a)) = open {
            let layer = open_article(archive, &a, projection);
            send(Event::Opened { article: a, layer });
        }
    }
}

/// A full-text query for FTS5: as typed when it is valid FTS5 syntax, else its words quoted
/// (a reader's `"` or `-` is then just a character).
fn fts_query(archive: &Archive, q: &str) -> String {
    let ok = archive
        .conn
        .prepare_cached("SELECT 1 FROM fts WHERE fts MATCH ?1 LIMIT 1")
        .and_then(|mut st| st.exists([q]));
    if ok.is_ok() {
        return q.to_string();
    }
    q.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The per-day counts of the whole archive, or of the articles matching `search`.
pub fn day_counts(archive: &Archive, search: Option<&str>) -> Result<DayCounts, ArchiveError> {
    let e = |e| archive.db_err(e);
    let (days_sql, entities_sql) = match search {
        None => (
            "SELECT day, articles FROM days WHERE ?1 = ''".to_string(),
            "SELECT day, entity, kind, n FROM day_counts WHERE ?1 = ''".to_string(),
        ),
        Some(_) => {
            let matching = "SELECT rowid FROM fts WHERE fts MATCH ?1";
            (
                format!(
                    "SELECT COALESCE(date, ''), COUNT(*) FROM articles
                     WHERE canonical = 1 AND id IN ({matching}) GROUP BY 1"
                ),
                format!(
                    "SELECT COALESCE(a.date, ''), m.entity, MIN(m.kind), COUNT(*)
                     FROM mentions m JOIN articles a ON a.id = m.article_id
                     WHERE a.canonical = 1 AND m.scheme = 1 AND a.id IN ({matching})
                     GROUP BY 1, 2"
                ),
            )
        }
    };
    let q = search.map_or(String::new(), |s| fts_query(archive, s));
    let mut st = archive.conn.prepare(&days_sql).map_err(e)?;
    let days: Vec<(String, u64)> = st
        .query_map([&q], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    let mut st = archive.conn.prepare(&entities_sql).map_err(e)?;
    let rows: Vec<(String, String, String, u64)> = st
        .query_map([&q], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u64))
        })
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    Ok(DayCounts::from_rows(days, rows))
}

/// `(low, high)` bounds on `COALESCE(date, '')` for a range ('' is undated, below every date;
/// only a range open at both ends holds it).
fn bounds(range: DayRange) -> (String, String) {
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    if range.from.is_none() && range.to.is_none() {
        return (String::new(), "9999-12-31".into());
    }
    (
        range.from.map_or("0000-01-01".into(), iso),
        range.to.map_or("9999-12-31".into(), iso),
    )
}

/// The articles in `range` that mention `entity` (any article with `None`) and match `search`,
/// newest first, with the entity's mention spans; copies of one text once.
fn list_articles(
    archive: &Archive,
    entity: Option<&str>,
    range: DayRange,
    search: Option<&str>,
) -> Result<Vec<(ArticleRef, Vec<crate::archive::Span>)>, ArchiveError> {
    let e = |e| archive.db_err(e);
    let (lo, hi) = bounds(range);
    let spans = if entity.is_some() { "m.spans" } else { "''" };
    let (join, any) = if entity.is_some() {
        (
            "JOIN mentions m ON m.article_id = a.id AND m.entity = ?1",
            "",
        )
    } else {
        ("", "AND ?1 = ''")
    };
    let filter = if search.is_some() {
        "AND a.id IN (SELECT rowid FROM fts WHERE fts MATCH ?5)"
    } else {
        "AND ?5 = ''"
    };
    let sql = format!(
        "SELECT {spans}, a.id, f.path, a.item, a.title, a.date, a.source, a.url
         FROM articles a JOIN files f ON f.id = a.file_id {join}
         WHERE a.canonical = 1 {any} AND COALESCE(a.date, '') >= ?2
               AND COALESCE(a.date, '') <= ?3 {filter}
         ORDER BY a.date DESC, a.id LIMIT ?4"
    );
    let q = search.map_or(String::new(), |s| fts_query(archive, s));
    let mut st = archive.conn.prepare_cached(&sql).map_err(e)?;
    let rows = st
        .query_map(
            params![entity.unwrap_or(""), lo, hi, LIST_LIMIT as i64, q],
            |r| {
                let spans: String = r.get(0)?;
                let a = crate::archive::query::article_ref(r, 1)?;
                Ok((a, parse_spans(&spans)))
            },
        )
        .map_err(e)?;
    rows.collect::<Result<_, _>>().map_err(e)
}

/// Reads each listed article's file once (a feed or JSON Lines file holds many) for the
/// sentence of its first mention; an article whose file changed or went lists without one.
fn with_sentences(
    archive: &Archive,
    list: Vec<(ArticleRef, Vec<crate::archive::Span>)>,
) -> Vec<Listed> {
    let mut files: std::collections::HashMap<String, Option<crate::archive::read::FileArticles>> =
        Default::default();
    list.into_iter()
        .map(|(article, spans)| {
            let file = files.entry(article.path.clone()).or_insert_with(|| {
                let bytes = std::fs::read(archive.root.join(&article.path)).ok()?;
                crate::archive::read::read_articles(Path::new(&article.path), &bytes).ok()
            });
            let sentence = file
                .as_ref()
                .and_then(|f| f.items.get(article.item))
                .and_then(|item| {
                    let text = item.article.annotation_text();
                    let s = spans.first()?;
                    sentence_around(&text, s.start, s.end)
                });
            Listed { article, sentence }
        })
        .collect()
}

/// The sentence of `text` holding bytes `start..end`, at most about 240 characters (cut
/// around the mention when longer).
pub fn sentence_around(text: &str, start: usize, end: usize) -> Option<String> {
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return None;
    }
    let b = text.as_bytes();
    let is_end = |i: usize| {
        matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
            || b[i] == b'\n'
    };
    let s = (0..start).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
    let e = (end..b.len())
        .find(|&i| is_end(i))
        .map_or(b.len(), |i| i + 1);
    let sentence = text[s..e].trim();
    const MAX: usize = 240;
    if sentence.chars().count() <= MAX {
        return Some(sentence.to_string());
    }
    // Keep the mention in view: up to 100 characters before it.
    let at = text[s..start].chars().count().saturating_sub(100);
    let cut: String = sentence.chars().skip(at).take(MAX).collect();
    Some(format!("{}{cut}…", if at > 0 { "…" } else { "" }))
}

/// An archive article read again, as an article layer with its overlay.
fn open_article(
    archive: &Archive,
    a: &ArticleRef,
    projection: &Projection,
) -> Result<Box<LoadedLayer>, String> {
    let item = archive
        .read_article(a)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "{}: the article is no longer in the file (it changed since it was indexed)",
                archive.root.join(&a.path).display()
            )
        })?;
    let layer = crate::map::overlay::article_layer(item.article, projection);
    Ok(Box::new(super::super::files::finish_layer(layer, None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_around_mentions() {
        let t = "Title here\n\nFirst one. The border with Iran opened! Last sentence";
        let at = t.find("Iran").unwrap();
        assert_eq!(
            sentence_around(t, at, at + 4).as_deref(),
            Some("The border with Iran opened!")
        );
        assert_eq!(sentence_around(t, 0, 5).as_deref(), Some("Title here"));
        assert_eq!(sentence_around(t, 5, 500), None);
        let long = format!("{} Baku {}.", "word ".repeat(100), "more ".repeat(100));
        let at = long.find("Baku").unwrap();
        let s = sentence_around(&long, at, at + 4).unwrap();
        assert!(s.contains("Baku") && s.starts_with('…') && s.chars().count() <= 242);
    }
}
