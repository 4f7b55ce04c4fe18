//! A news archive: a folder of articles (text and markdown files in any common encoding, saved
//! web pages, RSS/Atom feeds, JSON Lines)
//! indexed on disk so that counts per entity over any date range answer at once.
//!
//! ```text
//! let mut archive = Archive::open(dir)?;             // the index beside the folder (or cached)
//! archive.sync(DEFAULT_BATCH, &|p| ...)?;             // annotate new and changed files
//! let week = DayRange { from: Some(a), to: Some(b) };
//! archive.counts(week)?;                              // articles per entity in the range
//! archive.articles_per_day(DayRange::all())?;         // the timeline
//! archive.articles_mentioning("ARM-AZE", week, 50)?;  // a border's articles, with spans
//! archive.search("ceasefire", 50)?;                   // full text (FTS5)
//! counts_layer(&counts, &projection);                 // the map layer of "where the news was"
//! ```
//! Imports `article` (reading and annotating) and `map` (the counts' layer); nothing imports it
//! but `commands` and (later) `app`.

pub mod date;
pub mod figure;
pub mod index;
pub mod query;
pub mod read;

pub use figure::counts_layer;
pub use index::{geoparser_version, Archive, Progress, SyncReport, DEFAULT_BATCH, INDEX_FILE};
pub use query::{ArticleRef, Counts, DayRange, Listed, Span, LIST_LIMIT};

/// Why an archive cannot be opened or indexed. (A file that cannot be read is not an error: it
/// is skipped and counted.)
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{0}: not a folder")]
    NotAFolder(String),
    #[error("{path}: {}", crate::article::io_reason(.source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: index database: {source}")]
    Index {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{0} panicked")]
    Panic(String),
}
