//! Questions to an open index, for `digest` and for a window's timeline: counts per entity in a
//! date range, articles per day, the articles that mention an entity, full-text search. All
//! answer from SQL aggregates over indexed columns; no article text is read.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;
use serde_json::json;

use crate::archive::date::iso;
use crate::archive::index::{Archive, SETTLEMENT};
use crate::archive::ArchiveError;
use crate::article::EntityKind;

/// Days from `from` to `to`, both included; an open end is unbounded. With both ends open the
/// range also holds the undated articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DayRange {
    pub fn all() -> DayRange {
        DayRange::default()
    }

    /// `(low, high)` bounds on the `day` column ('' is undated, below every date).
    fn bounds(&self) -> (String, String) {
        if self.from.is_none() && self.to.is_none() {
            return (String::new(), "9999-12-31".into());
        }
        (
            self.from.map_or("0000-01-01".into(), iso),
            self.to.map_or("9999-12-31".into(), iso),
        )
    }

    /// "2024-01-01 – 2024-03-31", "from 2024-01-01", "all dates".
    pub fn describe(&self) -> String {
        match (self.from, self.to) {
            (Some(a), Some(b)) => format!("{} \u{2013} {}", iso(a), iso(b)),
            (Some(a), None) => format!("from {}", iso(a)),
            (None, Some(b)) => format!("until {}", iso(b)),
            (None, None) => "all dates".into(),
        }
    }
}

/// How many articles in a range mention each entity. Copies of one text count once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub range: DayRange,
    /// Articles in the range (copies of one text once).
    pub articles: u64,
    /// Of those, articles with no date (only in an open range).
    pub undated: u64,
    /// Copies of texts already counted, not counted again.
    pub copies: u64,
    /// Entity id → (kind, articles mentioning it). Only the annotation scheme's ids.
    pub entities: BTreeMap<String, (EntityKind, u64)>,
    /// GeoNames id → articles mentioning the settlement (the open-world geoparser's).
    pub settlements: BTreeMap<String, u64>,
}

impl Counts {
    /// Entities of one kind with their counts, most mentioned first.
    pub fn of_kind(&self, kind: EntityKind) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self
            .entities
            .iter()
            .filter(|(_, (k, _))| *k == kind)
            .map(|(id, (_, n))| (id.as_str(), *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// `{"articles": N, "regions": {..}, "borders": {..}, "places": {..}, "countries": {..},
    /// "settlements": {"<GeoNames id>": n}}` with the ids and grouping of `annotate --json` (its
    /// `regions` hold the countries too).
    pub fn to_json(&self) -> serde_json::Value {
        let group = |kinds: &[EntityKind]| {
            let m: serde_json::Map<String, serde_json::Value> = self
                .entities
                .iter()
                .filter(|(_, (k, _))| kinds.contains(k))
                .map(|(id, (_, n))| (id.clone(), json!(n)))
                .collect();
            serde_json::Value::Object(m)
        };
        json!({
            "articles": self.articles,
            "undated": self.undated,
            "copies": self.copies,
            "from": self.range.from.map(iso),
            "to": self.range.to.map(iso),
            "regions": group(&[EntityKind::Country, EntityKind::Region]),
            "countries": group(&[EntityKind::Country]),
            "borders": group(&[EntityKind::Border]),
            "places": group(&[EntityKind::Place]),
            "settlements": self.settlements,
        })
    }
}

/// An indexed article, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRef {
    pub id: i64,
    /// The file, relative to the archive, and the item's index in it (feeds, JSON Lines).
    pub path: String,
    pub item: usize,
    pub title: Option<String>,
    /// `YYYY-MM-DD`, or `None` when undated.
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
}

/// The most articles a list of them holds (a window's timeline lists at most this many).
pub const LIST_LIMIT: usize = 200;

/// An article in a list: where it is, and the sentence that mentions the entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub article: ArticleRef,
    pub sentence: Option<String>,
}

/// A mention span in [`crate::article::Article::annotation_text`] of its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

pub(crate) fn parse_spans(s: &str) -> Vec<Span> {
    s.split(',')
        .filter_map(|p| {
            let mut it = p.split('-').map(|n| n.parse::<usize>().ok());
            Some(Span {
                start: it.next()??,
                end: it.next()??,
                sentence: it.next()??,
            })
        })
        .collect()
}

/// An entity kind from its name in the index.
pub(crate) fn kind_of(s: &str) -> EntityKind {
    match s {
        "country" => EntityKind::Country,
        "region" => EntityKind::Region,
        "border" => EntityKind::Border,
        _ => EntityKind::Place,
    }
}

const ARTICLE_COLUMNS: &str =
    "a.id, f.path, a.item, a.title, a.date, a.source, a.url FROM articles a JOIN files f ON f.id = a.file_id";

/// An article from a row holding [`ARTICLE_COLUMNS`] from column `first` on.
pub(crate) fn article_ref(r: &rusqlite::Row, first: usize) -> rusqlite::Result<ArticleRef> {
    Ok(ArticleRef {
        id: r.get(first)?,
        path: r.get(first + 1)?,
        item: r.get::<_, i64>(first + 2)? as usize,
        title: r.get(first + 3)?,
        date: r.get(first + 4)?,
        source: r.get(first + 5)?,
        url: r.get(first + 6)?,
    })
}

impl Archive {
    /// Counts per entity for the articles in `range` (from the per-day aggregates).
    pub fn counts(&self, range: DayRange) -> Result<Counts, ArchiveError> {
        let (lo, hi) = range.bounds();
        let e = |e| self.db_err(e);
        let (articles, copies, undated): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(articles), 0), COALESCE(SUM(copies), 0),
                        COALESCE(SUM(CASE WHEN day = '' THEN articles ELSE 0 END), 0)
                 FROM days WHERE day >= ?1 AND day <= ?2",
                params![lo, hi],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(e)?;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT entity, MIN(kind), SUM(n) FROM day_counts
                 WHERE day >= ?1 AND day <= ?2 GROUP BY entity",
            )
            .map_err(e)?;
        let rows = st
            .query_map(params![lo, hi], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(e)?;
        let (mut entities, mut settlements) = (BTreeMap::new(), BTreeMap::new());
        for row in rows {
            let (id, kind, n) = row.map_err(e)?;
            if kind == SETTLEMENT {
                settlements.insert(id, n as u64);
            } else {
                entities.insert(id, (kind_of(&kind), n as u64));
            }
        }
        Ok(Counts {
            range,
            articles: articles as u64,
            undated: undated as u64,
            copies: copies as u64,
            entities,
            settlements,
        })
    }

    /// Articles per day in `range` (copies once), dated days only, in order.
    pub fn articles_per_day(&self, range: DayRange) -> Result<Vec<(NaiveDate, u64)>, ArchiveError> {
        self.per_day(
            "SELECT day, articles FROM days WHERE day > '' AND day >= ?1 AND day <= ?2 ORDER BY day",
            range,
            None,
        )
    }

    /// Per-day counts of one entity in `range`, in order (a timeline stacked by entity).
    pub fn entity_per_day(
        &self,
        entity: &str,
        range: DayRange,
    ) -> Result<Vec<(NaiveDate, u64)>, ArchiveError> {
        self.per_day(
            "SELECT day, n FROM day_counts WHERE day > '' AND day >= ?1 AND day <= ?2 AND entity = ?3 ORDER BY day",
            range,
            Some(entity),
        )
    }

    /// `(day, n)` rows of `sql` for the range's bounds (and `entity` as ?3), dated days only.
    fn per_day(
        &self,
        sql: &str,
        range: DayRange,
        entity: Option<&str>,
    ) -> Result<Vec<(NaiveDate, u64)>, ArchiveError> {
        let (lo, hi) = range.bounds();
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.db_err(e))?;
        let read = |r: &rusqlite::Row| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?));
        let rows: Vec<(String, i64)> = match entity {
            Some(e) => st.query_map(params![lo, hi, e], read),
            None => st.query_map(params![lo, hi], read),
        }
        .map_err(|e| self.db_err(e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.db_err(e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(day, n)| {
                NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .ok()
                    .map(|d| (d, n as u64))
            })
            .collect())
    }

    /// The articles in `range` that mention `entity`, newest first, with that entity's mention
    /// spans (copies of one text once; their outlets through [`Archive::outlets`]).
    pub fn articles_mentioning(
        &self,
        entity: &str,
        range: DayRange,
        limit: usize,
    ) -> Result<Vec<(ArticleRef, Vec<Span>)>, ArchiveError> {
        let (lo, hi) = range.bounds();
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} JOIN mentions m ON m.article_id = a.id
             WHERE m.entity = ?1 AND a.canonical = 1 AND COALESCE(a.date, '') >= ?2
                   AND COALESCE(a.date, '') <= ?3
             ORDER BY a.date DESC, a.id LIMIT ?4"
        )
        .replace("SELECT a.id", "SELECT m.spans, a.id");
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map(params![entity, lo, hi, limit as i64], |r| {
                let spans: String = r.get(0)?;
                let a = article_ref(r, 1)?;
                Ok((a, parse_spans(&spans)))
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))
    }

    /// The outlets that carried the text of article `id` (itself and its copies), sorted.
    pub fn outlets(&self, id: i64) -> Result<Vec<String>, ArchiveError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT COALESCE(source, '') FROM articles
                 WHERE text_hash = (SELECT text_hash FROM articles WHERE id = ?1) ORDER BY 1",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([id], |r| r.get::<_, String>(0))
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))
    }

    /// Texts carried by more than one article: (the first article, its outlets), most copied first.
    pub fn copied_stories(
        &self,
        limit: usize,
    ) -> Result<Vec<(ArticleRef, Vec<String>)>, ArchiveError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} WHERE a.canonical = 1 AND a.text_hash IN
                (SELECT text_hash FROM articles GROUP BY text_hash HAVING COUNT(*) > 1)
             ORDER BY a.id LIMIT ?1"
        );
        let mut st = self.conn.prepare(&sql).map_err(|e| self.db_err(e))?;
        let firsts: Vec<ArticleRef> = st
            .query_map([limit as i64], |r| article_ref(r, 0))
            .map_err(|e| self.db_err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.db_err(e))?;
        firsts
            .into_iter()
            .map(|a| Ok((a.clone(), self.outlets(a.id)?)))
            .collect()
    }

    /// Full-text search (FTS5 query syntax) over titles and bodies, best matches first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<ArticleRef>, ArchiveError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} JOIN fts ON fts.rowid = a.id WHERE fts MATCH ?1
             ORDER BY fts.rank LIMIT ?2"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map(params![query, limit as i64], |r| article_ref(r, 0))
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))
    }

    /// The indexed article `id` read again from its file (the index keeps no texts), to show
    /// it with its overlay; `None` when the file no longer has it.
    pub fn read_article(
        &self,
        id: &ArticleRef,
    ) -> Result<Option<crate::archive::read::Item>, ArchiveError> {
        let path = self.root.join(&id.path);
        let bytes = std::fs::read(&path).map_err(|e| ArchiveError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Ok(
            crate::archive::read::read_articles(std::path::Path::new(&id.path), &bytes)
                .ok()
                .and_then(|f| f.items.into_iter().nth(id.item)),
        )
    }

    /// Files and articles in the index: (files, articles, copies).
    pub fn totals(&self) -> Result<(u64, u64, u64), ArchiveError> {
        self.conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM files), (SELECT COUNT(*) FROM articles),
                        (SELECT COUNT(*) FROM articles WHERE canonical = 0)",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)? as u64,
                        r.get::<_, i64>(1)? as u64,
                        r.get::<_, i64>(2)? as u64,
                    ))
                },
            )
            .map_err(|e| self.db_err(e))
    }
}
