//! The archive's index: one SQLite file (WAL) with the files seen, their articles, each
//! article's entities with their mention spans, a full-text index (FTS5) and per-day counts.
//!
//! Syncing walks the folder, compares paths, sizes and modification times with the index, and
//! annotates only new or changed files, in parallel, a batch at a time; each batch is written in
//! one transaction by a writer thread while the next batch is annotated. A kill loses at most
//! the batch in flight; the next sync finds those files missing and does them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, UNIX_EPOCH};

use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension};

use crate::archive::date::{iso, parse_day};
use crate::archive::read::{read_articles, Item};
use crate::archive::ArchiveError;
use crate::article::{DocSets, Gazetteer, Geoparser, EMBEDDED_GAZETTEER};

/// The index file's name inside the archive folder.
pub const INDEX_FILE: &str = ".borderlens-index.sqlite";

/// Raised when the tables or what is read from files change; part of [`geoparser_version`].
/// 2: articles in any encoding and saved web pages, the open-world geoparser's settlements,
/// text files' outlets from their source line (a URL's host).
pub const INDEX_SCHEMA: u32 = 2;

/// Files annotated and written per transaction.
pub const DEFAULT_BATCH: usize = 256;

/// What the index's annotations depend on: the embedded gazetteer, the crate's version (the
/// geoparser's rules and lexicon are code) and the index schema. A change re-annotates all.
pub fn geoparser_version() -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(EMBEDDED_GAZETTEER.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&INDEX_SCHEMA.to_le_bytes());
    format!("{:032x}", h.digest128())
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime INTEGER NOT NULL,
    size INTEGER NOT NULL, hash TEXT NOT NULL, skipped TEXT);
CREATE TABLE IF NOT EXISTS articles(
    id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    item INTEGER NOT NULL, title TEXT, date TEXT, raw_date TEXT, source TEXT, url TEXT,
    text_hash INTEGER NOT NULL, bytes INTEGER NOT NULL, canonical INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file_id);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_text ON articles(text_hash);
CREATE TABLE IF NOT EXISTS mentions(
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity TEXT NOT NULL, kind TEXT NOT NULL, scheme INTEGER NOT NULL,
    count INTEGER NOT NULL, spans TEXT NOT NULL,
    PRIMARY KEY(article_id, entity)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, article_id);
CREATE TABLE IF NOT EXISTS day_counts(
    day TEXT NOT NULL, entity TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(day, entity)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days(
    day TEXT PRIMARY KEY, articles INTEGER NOT NULL, copies INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, content='', contentless_delete=1);
";

/// An archive folder and its open index.
pub struct Archive {
    pub root: PathBuf,
    pub index_path: PathBuf,
    pub(crate) conn: Connection,
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Files read and annotated for the first time.
    pub new: usize,
    /// Files whose size or time changed and that were read again (re-annotated if their content
    /// changed).
    pub changed: usize,
    pub unchanged: usize,
    /// Files gone from the folder, taken out of the index.
    pub removed: usize,
    /// New paths of files moved or renamed within the archive: their annotations are kept
    /// (found by content hash), not made again.
    pub moved: usize,
    /// Files in the index that gave no articles, by reason.
    pub skipped: Vec<(String, usize)>,
    /// Skipped files and bad parts of files met in this sync, each naming the file.
    pub problems: Vec<String>,
    /// True when the geoparser changed since the index was written, so all was annotated again.
    pub reannotated: bool,
    /// Bytes read in this sync.
    pub bytes: u64,
}

/// Progress of a sync: files done of files to read, and bytes read so far.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub bytes: u64,
}

/// A file on disk, relative to the archive.
struct DiskFile {
    rel: String,
    mtime: i64,
    size: i64,
}

/// A file as the index knows it.
struct KnownFile {
    id: i64,
    mtime: i64,
    size: i64,
    hash: String,
}

struct Todo {
    disk: DiskFile,
    /// The index's row and content hash when the file was indexed before.
    old: Option<(i64, String)>,
}

/// A file read and annotated, ready to write.
struct Done {
    disk: DiskFile,
    old: Option<(i64, String)>,
    hash: String,
    outcome: Outcome,
}

enum Outcome {
    Same,
    /// A new path with the content of an indexed file that is gone: that file's row, moved.
    Moved(i64),
    Skipped(String),
    /// The articles, and problems with parts of the file (a bad JSON line).
    Articles(Vec<Annotated>, Vec<String>),
}

struct Annotated {
    item: usize,
    read: Item,
    day: Option<String>,
    text_hash: i64,
    text: String,
    mentions: Vec<Mentioned>,
}

/// One entity (or GeoNames settlement) an article mentions, as the `mentions` table keeps it.
struct Mentioned {
    /// An entity id, or a settlement's GeoNames id.
    id: String,
    /// `country`, `region`, `border`, `place` or `settlement`.
    kind: &'static str,
    /// Counted by `digest` (an id of the annotation scheme, or a settlement).
    scheme: bool,
    /// (start, end, sentence) in the annotated text.
    spans: Vec<(usize, usize, usize)>,
}

/// Gone files by content hash, claimed by the new files that turn out to be them.
type GoneByHash = std::sync::Mutex<HashMap<String, Vec<i64>>>;

impl Archive {
    /// Opens (creating if needed) the index of the archive `root`: `root/.borderlens-index.sqlite`,
    /// or, where the folder cannot be written, a file in the user's cache folder. Reads nothing
    /// from the archive; [`Archive::sync`] does.
    pub fn open(root: &Path) -> Result<Archive, ArchiveError> {
        if !root.is_dir() {
            return Err(ArchiveError::NotAFolder(root.display().to_string()));
        }
        let beside = root.join(INDEX_FILE);
        match Self::open_at(root, &beside) {
            Ok(a) => Ok(a),
            Err(first) => {
                let Some(cache) = cache_index_path(root) else {
                    return Err(first);
                };
                log::info!("{first}; using {}", cache.display());
                Self::open_at(root, &cache)
            }
        }
    }

    /// Opens the index at `index_path` for the archive `root`.
    pub fn open_at(root: &Path, index_path: &Path) -> Result<Archive, ArchiveError> {
        let db = |e: rusqlite::Error| ArchiveError::Index {
            path: index_path.display().to_string(),
            source: e,
        };
        if let Some(dir) = index_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ArchiveError::Io {
                path: dir.display().to_string(),
                source: e,
            })?;
        }
        let conn = Connection::open(index_path).map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        // 64 MB of page cache: batches of inserts into four indexes stay in memory.
        conn.pragma_update(None, "cache_size", -65536).map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(Archive {
            root: root.to_path_buf(),
            index_path: index_path.to_path_buf(),
            conn,
        })
    }

    pub(crate) fn db_err(&self, e: rusqlite::Error) -> ArchiveError {
        ArchiveError::Index {
            path: self.index_path.display().to_string(),
            source: e,
        }
    }

    fn meta(&self, key: &str) -> Result<Option<String>, ArchiveError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Brings the index up to date with the folder: new and changed files are read and
    /// annotated (`batch` files a transaction), deleted ones removed, per-day counts rebuilt.
    pub fn sync(
        &mut self,
        batch: usize,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<SyncReport, ArchiveError> {
        let mut report = SyncReport::default();
        let version = geoparser_version();
        if self.meta("geoparser")?.as_deref() != Some(version.as_str()) {
            report.reannotated = self.meta("geoparser")?.is_some();
            self.clear(&version)?;
        }
        let disk = walk(&self.root, &self.index_path)?;
        let known = self.known_files()?;
        let mut todo = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for f in disk {
            seen.insert(f.rel.clone());
            match known.get(&f.rel) {
                Some(k) if k.mtime == f.mtime && k.size == f.size => {
                    report.unchanged += 1;
                }
                Some(k) => {
                    report.changed += 1;
                    todo.push(Todo {
                        disk: f,
                        old: Some((k.id, k.hash.clone())),
                    });
                }
                None => {
                    report.new += 1;
                    todo.push(Todo { disk: f, old: None });
                }
            }
        }
        // Files gone from their paths are kept until the new files are read: a new file with
        // a gone one's content is that file moved, and takes its row.
        let mut by_hash: HashMap<String, Vec<i64>> = HashMap::new();
        for (_, k) in known.iter().filter(|(rel, _)| !seen.contains(*rel)) {
            by_hash.entry(k.hash.clone()).or_default().push(k.id);
        }
        let gone = GoneByHash::new(by_hash);
        self.index_files(&todo, batch.max(1), progress, &gone, &mut report)?;
        report.new -= report.moved;
        let gone: Vec<i64> = gone
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_values()
            .flatten()
            .collect();
        report.removed = gone.len();
        if !gone.is_empty() {
            let tx = self
                .conn
                .transaction()
                .map_err(|e| db_err(&self.index_path, e))?;
            for id in &gone {
                delete_file(&tx, *id).map_err(|e| db_err(&self.index_path, e))?;
            }
            set_stale(&tx).map_err(|e| db_err(&self.index_path, e))?;
            tx.commit().map_err(|e| db_err(&self.index_path, e))?;
        }
        if self.meta("stale")?.as_deref() == Some("1") {
            self.rebuild_counts()?;
        }
        report.skipped = self.skipped_counts()?;
        Ok(report)
    }

    /// Empties the index and records the geoparser version it is built with.
    fn clear(&mut self, version: &str) -> Result<(), ArchiveError> {
        let path = self.index_path.clone();
        let tx = self.conn.transaction().map_err(|e| db_err(&path, e))?;
        tx.execute_batch(
            "DELETE FROM fts; DELETE FROM mentions; DELETE FROM articles; DELETE FROM files;
             DELETE FROM day_counts; DELETE FROM days;",
        )
        .map_err(|e| db_err(&path, e))?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('geoparser', ?1)",
            [version],
        )
        .map_err(|e| db_err(&path, e))?;
        set_stale(&tx).map_err(|e| db_err(&path, e))?;
        tx.commit().map_err(|e| db_err(&path, e))
    }

    /// Indexed files by path.
    fn known_files(&self) -> Result<HashMap<String, KnownFile>, ArchiveError> {
        let mut st = self
            .conn
            .prepare("SELECT path, id, mtime, size, hash FROM files")
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    KnownFile {
                        id: r.get(1)?,
                        mtime: r.get(2)?,
                        size: r.get(3)?,
                        hash: r.get(4)?,
                    },
                ))
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))
    }

    fn skipped_counts(&self) -> Result<Vec<(String, usize)>, ArchiveError> {
        let mut st = self
            .conn
            .prepare("SELECT skipped, COUNT(*) FROM files WHERE skipped IS NOT NULL GROUP BY 1 ORDER BY 1")
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))
    }

    /// Reads and annotates `todo` in parallel, a batch at a time, while a writer thread commits
    /// the previous batch.
    fn index_files(
        &mut self,
        todo: &[Todo],
        batch: usize,
        progress: &(dyn Fn(Progress) + Sync),
        gone: &GoneByHash,
        report: &mut SyncReport,
    ) -> Result<(), ArchiveError> {
        if todo.is_empty() {
            return Ok(());
        }
        let root = self.root.clone();
        let path = self.index_path.clone();
        let conn = &mut self.conn;
        let total = todo.len();
        let (send, receive) = mpsc::sync_channel::<Vec<Done>>(1);
        std::thread::scope(|s| {
            let writer = s.spawn(move || -> Result<Vec<String>, ArchiveError> {
                let mut problems = Vec::new();
                for done in receive {
                    write_batch(conn, &done, &mut problems).map_err(|e| db_err(&path, e))?;
                }
                Ok(problems)
            });
            let mut done_files = 0;
            for chunk in todo.chunks(batch) {
                let t = Instant::now();
                let done: Vec<Done> = chunk.par_iter().map(|t| process(&root, t, gone)).collect();
                done_files += done.len();
                report.moved += done
                    .iter()
                    .filter(|d| matches!(d.outcome, Outcome::Moved(_)))
                    .count();
                report.bytes += chunk.iter().map(|t| t.disk.size as u64).sum::<u64>();
                log::debug!("annotated {} files in {:?}", done.len(), t.elapsed());
                if send.send(done).is_err() {
                    break; // the writer failed; its error is returned below
                }
                progress(Progress {
                    done: done_files,
                    total,
                    bytes: report.bytes,
                });
            }
            drop(send);
            let problems = writer
                .join()
                .unwrap_or_else(|_| Err(ArchiveError::Panic("the index writer".into())))?;
            report.problems.extend(problems);
            Ok(())
        })
    }

    /// Marks copies of one text (all but the earliest dated, which stands for the story) and
    /// rebuilds the per-day counts.
    fn rebuild_counts(&mut self) -> Result<(), ArchiveError> {
        let path = self.index_path.clone();
        let tx = self.conn.transaction().map_err(|e| db_err(&path, e))?;
        tx.execute_batch(
            "UPDATE articles SET canonical = (id = (SELECT a2.id FROM articles a2
                                                    WHERE a2.text_hash = articles.text_hash
                                                    ORDER BY a2.date IS NULL, a2.date, a2.id LIMIT 1));
             DELETE FROM days;
             INSERT INTO days(day, articles, copies)
                SELECT COALESCE(date, ''), SUM(canonical), SUM(1 - canonical) FROM articles GROUP BY 1;
             DELETE FROM day_counts;
             INSERT INTO day_counts(day, entity, kind, n)
                SELECT COALESCE(a.date, ''), m.entity, MIN(m.kind), COUNT(*)
                FROM mentions m JOIN articles a ON a.id = m.article_id
                WHERE a.canonical = 1 AND m.scheme = 1 GROUP BY 1, 2;
             UPDATE meta SET value = '0' WHERE key = 'stale';",
        )
        .map_err(|e| db_err(&path, e))?;
        tx.commit().map_err(|e| db_err(&path, e))
    }
}

fn db_err(path: &Path, e: rusqlite::Error) -> ArchiveError {
    ArchiveError::Index {
        path: path.display().to_string(),
        source: e,
    }
}

fn set_stale(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('stale', '1')",
        [],
    )
    .map(drop)
}

/// Where the index of a folder that cannot be written goes: the user's cache folder, one file
/// per archive named by a hash of its absolute path.
fn cache_index_path(root: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(root).ok()?;
    let h = xxhash_rust::xxh3::xxh3_64(abs.to_string_lossy().as_bytes());
    Some(
        dirs::cache_dir()?
            .join("borderlens")
            .join("archives")
            .join(format!("{h:016x}.sqlite")),
    )
}

/// The archive's files (sorted), but hidden ones and the index's own.
fn walk(root: &Path, index_path: &Path) -> Result<Vec<DiskFile>, ArchiveError> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| ArchiveError::Io {
            path: e
                .path()
                .map_or_else(|| root.display().to_string(), |p| p.display().to_string()),
            source: e.into(),
        })?;
        if !entry.file_type().is_file() || entry.path() == index_path {
            continue;
        }
        let meta = entry.metadata().map_err(|e| ArchiveError::Io {
            path: entry.path().display().to_string(),
            source: e.into(),
        })?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .into_owned();
        out.push(DiskFile {
            rel,
            mtime,
            size: meta.len() as i64,
        });
    }
    Ok(out)
}

/// Reads, hashes and annotates one file (or finds it is a gone file moved).
fn process(root: &Path, t: &Todo, gone: &GoneByHash) -> Done {
    let disk = DiskFile {
        rel: t.disk.rel.clone(),
        mtime: t.disk.mtime,
        size: t.disk.size,
    };
    let bytes = match std::fs::read(root.join(&t.disk.rel)) {
        Ok(b) => b,
        Err(e) => {
            return Done {
                disk,
                old: t.old.clone(),
                hash: String::new(),
                outcome: Outcome::Skipped(format!("unreadable: {e}")),
            }
        }
    };
    let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes));
    if t.old.as_ref().is_some_and(|(_, h)| *h == hash) {
        return Done {
            disk,
            old: t.old.clone(),
            hash,
            outcome: Outcome::Same,
        };
    }
    if t.old.is_none() {
        let claimed = gone
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_mut(&hash)
            .and_then(Vec::pop);
        if let Some(id) = claimed {
            return Done {
                disk,
                old: None,
                hash,
                outcome: Outcome::Moved(id),
            };
        }
    }
    let outcome = match read_articles(Path::new(&t.disk.rel), &bytes) {
        Err(reason) => Outcome::Skipped(reason.to_string()),
        Ok(file) => {
            let articles: Vec<Annotated> = file
                .items
                .into_iter()
                .enumerate()
                .map(|(item, read)| annotate(item, read))
                .collect();
            if articles.is_empty() && !file.warnings.is_empty() {
                Outcome::Skipped(format!("no articles: {}", file.warnings.join("; ")))
            } else {
                Outcome::Articles(articles, file.warnings)
            }
        }
    };
    Done {
        disk,
        old: t.old.clone(),
        hash,
        outcome,
    }
}

fn annotate(item: usize, read: Item) -> Annotated {
    let g = Gazetteer::embedded();
    let text = read.article.annotation_text();
    // The open-world pass, as `annotate --json`: its inferred borders and its settlements.
    let open = Geoparser::embedded().annotate_open(&text);
    let scheme = DocSets::from_entities(g, &open.entities);
    let mut mentions: Vec<Mentioned> = open
        .entities
        .into_iter()
        .map(|e| {
            let in_scheme = [
                &scheme.countries,
                &scheme.regions,
                &scheme.borders,
                &scheme.places,
            ]
            .iter()
            .any(|s| s.contains(&e.id));
            Mentioned {
                kind: kind_str(e.kind),
                scheme: in_scheme,
                spans: e
                    .mentions
                    .iter()
                    .map(|m| (m.start, m.end, m.sentence))
                    .collect(),
                id: e.id,
            }
        })
        .collect();
    let mut settlements: BTreeMap<u32, Vec<(usize, usize, usize)>> = BTreeMap::new();
    for m in &open.located.settlements {
        settlements
            .entry(m.id)
            .or_default()
            .push((m.start, m.end, m.sentence));
    }
    mentions.extend(settlements.into_iter().map(|(id, spans)| Mentioned {
        id: id.to_string(),
        kind: SETTLEMENT,
        scheme: true,
        spans,
    }));
    let day = read.article.date.as_deref().and_then(parse_day).map(iso);
    Annotated {
        item,
        day,
        text_hash: text_hash(&read.article.body, read.article.title.as_deref()),
        text,
        mentions,
        read,
    }
}

/// The `kind` of a GeoNames settlement's rows (its id is the GeoNames id).
pub(crate) const SETTLEMENT: &str = "settlement";

/// Copies of one story from several outlets have the same body, whatever their headline, line
/// breaks or letter case; short bodies are hashed with their title (two short notes are not
/// one story just because they are short).
fn text_hash(body: &str, title: Option<&str>) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    if body.len() < 200 {
        h.update(title.unwrap_or("").to_lowercase().as_bytes());
        h.update(b"\n");
    }
    for w in body.split_whitespace() {
        h.update(w.to_lowercase().as_bytes());
        h.update(b" ");
    }
    h.digest() as i64
}

fn delete_file(tx: &rusqlite::Transaction, file_id: i64) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM fts WHERE rowid IN (SELECT id FROM articles WHERE file_id = ?1)",
        [file_id],
    )?;
    tx.execute(
        "DELETE FROM mentions WHERE article_id IN (SELECT id FROM articles WHERE file_id = ?1)",
        [file_id],
    )?;
    tx.execute("DELETE FROM articles WHERE file_id = ?1", [file_id])?;
    tx.execute("DELETE FROM files WHERE id = ?1", [file_id])?;
    Ok(())
}

/// `start-end-sentence` per mention, comma-separated.
fn spans(m: &Mentioned) -> String {
    let mut s = String::new();
    for (i, (start, end, sentence)) in m.spans.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("{start}-{end}-{sentence}"));
    }
    s
}

/// Gives an indexed file its new path. Articles whose outlet was the old folder's name (they
/// named none) take the new folder's.
fn move_file(tx: &rusqlite::Transaction, id: i64, disk: &DiskFile) -> rusqlite::Result<()> {
    let folder = |rel: &str| {
        Path::new(rel)
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let old: String = tx.query_row("SELECT path FROM files WHERE id = ?1", [id], |r| r.get(0))?;
    let (from, to) = (folder(&old), folder(&disk.rel));
    if from != to {
        tx.execute(
            "UPDATE articles SET source = ?1 WHERE file_id = ?2 AND source IS ?3",
            params![to, id, from],
        )?;
    }
    tx.execute(
        "UPDATE files SET path = ?1, mtime = ?2, size = ?3 WHERE id = ?4",
        params![disk.rel, disk.mtime, disk.size, id],
    )?;
    Ok(())
}

/// Writes one batch of files in one transaction.
fn write_batch(
    conn: &mut Connection,
    done: &[Done],
    problems: &mut Vec<String>,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut file_st = tx.prepare_cached(
            "INSERT INTO files(path, mtime, size, hash, skipped) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut art_st = tx.prepare_cached(
            "INSERT INTO articles(file_id, item, title, date, raw_date, source, url, text_hash, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut fts_st =
            tx.prepare_cached("INSERT INTO fts(rowid, title, body) VALUES (?1, ?2, ?3)")?;
        let mut men_st = tx.prepare_cached(
            "INSERT OR REPLACE INTO mentions(article_id, entity, kind, scheme, count, spans)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for d in done {
            if let Outcome::Moved(id) = d.outcome {
                move_file(&tx, id, &d.disk)?;
                continue;
            }
            if let Outcome::Same = d.outcome {
                if let Some((id, _)) = &d.old {
                    tx.execute(
                        "UPDATE files SET mtime = ?1, size = ?2 WHERE id = ?3",
                        params![d.disk.mtime, d.disk.size, id],
                    )?;
                }
                continue;
            }
            if let Some((id, _)) = &d.old {
                delete_file(&tx, *id)?;
            }
            let skipped = match &d.outcome {
                Outcome::Skipped(why) => {
                    problems.push(format!("{}: skipped: {why}", d.disk.rel));
                    Some(skip_key(why))
                }
                _ => None,
            };
            file_st.execute(params![
                d.disk.rel,
                d.disk.mtime,
                d.disk.size,
                d.hash,
                skipped
            ])?;
            let file_id = tx.last_insert_rowid();
            let Outcome::Articles(articles, warnings) = &d.outcome else {
                continue;
            };
            problems.extend(warnings.iter().cloned());
            for a in articles {
                let art = &a.read.article;
                art_st.execute(params![
                    file_id,
                    a.item as i64,
                    art.title,
                    a.day,
                    art.date,
                    a.read.source,
                    a.read.url,
                    a.text_hash,
                    a.text.len() as i64
                ])?;
                let id = tx.last_insert_rowid();
                fts_st.execute(params![id, art.title.as_deref().unwrap_or(""), art.body])?;
                for m in &a.mentions {
                    men_st.execute(params![
                        id,
                        m.id,
                        m.kind,
                        m.scheme as i64,
                        m.spans.len() as i64,
                        spans(m)
                    ])?;
                }
            }
        }
    }
    set_stale(&tx)?;
    tx.commit()
}

/// The reason key stored for a skipped file (the part before the first colon).
fn skip_key(why: &str) -> String {
    why.split(':').next().unwrap_or(why).trim().to_string()
}

pub(crate) fn kind_str(k: crate::article::EntityKind) -> &'static str {
    use crate::article::EntityKind::*;
    match k {
        Country => "country",
        Region => "region",
        Border => "border",
        Place => "place",
    }
}
