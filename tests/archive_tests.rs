//! The news archive: a generated archive whose counts are known by construction, checked against
//! `digest --json` and `annotate --json`; a real kill during indexing; re-opening; feeds, JSON
//! Lines and a binary file in the folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{borderlens, scratch};

/// Sentences of our own, each with the scheme ids `annotate --json` finds in it.
const MENTIONS: &[(&str, &[&str])] = &[
    ("Officials in Yerevan said the ministry would publish a new road plan next month.", &["yerevan"]),
    ("Traders in Baku reported that fuel prices rose for the third week in a row.", &["baku"]),
    ("Armenia and Azerbaijan resumed talks on marking the border between the two countries.", &["ARM", "AZE", "ARM-AZE"]),
    ("Georgia and Turkey signed a customs deal covering trucks crossing the Georgian-Turkish border.", &["GEO", "TUR", "GEO-TUR"]),
    ("Iran said it would upgrade checkpoints on its border with Azerbaijan.", &["IRN", "AZE", "AZE-IRN"]),
    ("Farmers in Nakhchivan complained about late irrigation payments this spring.", &["nakhchivan"]),
    ("Residents of Abkhazia queued for hours at the crossing on the Inguri river.", &["abkhazia"]),
    ("Local schools in Gyumri reopened after a week of heavy snow.", &["gyumri"]),
    ("The port of Batumi handled more containers than a year earlier.", &["batumi"]),
    ("A court in Ganja postponed the hearing until next month.", &["ganja"]),
];

/// Sentences that mention nothing, to bring articles to about 4 KB.
const FILLER: &[&str] = &[
    "The report was prepared by a small team of analysts over several weeks.",
    "Prices for bread and vegetables stayed close to the level of the previous month.",
    "Several bus routes will change their timetables from the start of the month.",
    "The weather service expects mild temperatures and light rain on most days.",
    "A spokesperson declined to comment on the figures before the full release.",
    "Engineers inspected the bridge and found no damage after the storm.",
    "Students returned to their classes after a short holiday.",
    "The new budget adds money for hospitals and rural clinics.",
];

const OUTLETS: [&str; 3] = ["north-wire", "daily-courier", "evening-post"];

/// A deterministic generator (the test needs no randomness crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// One generated article and what it mentions by construction.
struct Generated {
    path: PathBuf,
    /// `None`: written without a date line.
    date: Option<chrono::NaiveDate>,
    ids: BTreeSet<&'static str>,
    /// A copy of another article's text (another outlet, another headline).
    copy: bool,
    /// The article whose text this is (itself unless a copy).
    text_of: usize,
}

/// Writes `n` articles (~`kb` KB each) into `dir/<outlet>/NNNNN.txt` with dates over 2024; every
/// 97th is undated and every 50th copies an earlier article's body.
fn generate(dir: &Path, n: usize, kb: usize) -> Vec<Generated> {
    let mut rng = Lcg(7);
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut out: Vec<Generated> = Vec::with_capacity(n);
    let mut bodies: Vec<String> = Vec::with_capacity(n);
    for o in OUTLETS {
        std::fs::create_dir_all(dir.join(o)).unwrap();
    }
    for i in 0..n {
        let outlet = OUTLETS[i % OUTLETS.len()];
        let path = dir.join(outlet).join(format!("{i:05}.txt"));
        let date = (i % 97 != 5).then(|| start + chrono::Days::new(rng.next(366)));
        let (body, ids, text_of) = if i % 50 == 49 {
            // the same text as an earlier article, mostly from another outlet
            let src = out[rng.next(i as u64) as usize].text_of;
            (bodies[src].clone(), out[src].ids.clone(), src)
        } else {
            let mut ids = BTreeSet::new();
            let mut sentences = Vec::new();
            for _ in 0..rng.next(3) + 1 {
                let (s, found) = MENTIONS[rng.next(MENTIONS.len() as u64) as usize];
                sentences.push(s.to_string());
                ids.extend(found.iter().copied());
            }
            sentences.push(format!("Item {i} of the series."));
            while sentences.iter().map(|s| s.len() + 1).sum::<usize>() < kb * 1000 {
                sentences.push(FILLER[rng.next(FILLER.len() as u64) as usize].to_string());
            }
            // the entity sentences go somewhere in the body, not always first
            let k = sentences.len();
            sentences.rotate_left(rng.next(k as u64 / 2) as usize);
            (sentences.join(" "), ids, i)
        };
        let text = match date {
            Some(d) => format!("Regional briefing {i}\n{d}\n\n{body}\n"),
            None => format!("Regional briefing {i}\n\n{body}\n"),
        };
        std::fs::write(&path, text).unwrap();
        bodies.push(body);
        out.push(Generated {
            path,
            date,
            ids,
            copy: text_of != i,
            text_of,
        });
    }
    out
}

/// The digest's JSON for `dir` in a range, and its stderr.
fn digest_json(dir: &Path, range: &[&str]) -> (Value, String) {
    let out = borderlens()
        .arg("digest")
        .arg(dir)
        .args(range)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "digest failed: {stderr}");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (v, stderr)
}

fn ids_of(a: &Generated) -> Vec<String> {
    a.ids.iter().map(|s| s.to_string()).collect()
}

fn in_range(d: Option<chrono::NaiveDate>, from: &str, to: &str) -> bool {
    d.is_some_and(|d| d.to_string().as_str() >= from && d.to_string().as_str() <= to)
}

fn is_country(id: &str) -> bool {
    id.len() == 3 && id.chars().all(|c| c.is_ascii_uppercase())
}

/// Expected `digest --json` groups from per-article id sets.
fn expected_groups(
    sets: impl Iterator<Item = Vec<String>>,
) -> (u64, BTreeMap<&'static str, BTreeMap<String, u64>>) {
    let mut groups: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let mut n = 0;
    for ids in sets {
        n += 1;
        for id in &ids {
            let id = id.as_str();
            let group =
                if id.contains('-') && id.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    "borders"
                } else if is_country(id) || ["nakhchivan", "abkhazia"].contains(&id) {
                    "regions"
                } else {
                    "places"
                };
            *groups
                .entry(group)
                .or_default()
                .entry(id.to_string())
                .or_default() += 1;
            if is_country(id) {
                *groups
                    .entry("countries")
                    .or_default()
                    .entry(id.to_string())
                    .or_default() += 1;
            }
        }
    }
    (n, groups)
}

fn group(v: &Value, key: &str) -> BTreeMap<String, u64> {
    v[key]
        .as_object()
        .unwrap_or_else(|| panic!("no {key:?} in {v}"))
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect()
}

fn assert_counts(v: &Value, n: u64, expected: &BTreeMap<&str, BTreeMap<String, u64>>, what: &str) {
    assert_eq!(v["articles"].as_u64(), Some(n), "{what}: articles");
    for key in ["regions", "countries", "borders", "places"] {
        assert_eq!(
            group(v, key),
            expected.get(key).cloned().unwrap_or_default(),
            "{what}: {key}"
        );
    }
}

#[test]
fn sentences_mention_what_the_generator_expects() {
    let dir = scratch("archive_sentences");
    for (i, (s, _)) in MENTIONS.iter().enumerate() {
        std::fs::write(
            dir.join(format!("{i:02}.txt")),
            format!("Regional briefing\n2024-01-01\n\n{s}\n"),
        )
        .unwrap();
    }
    let out = borderlens()
        .arg("annotate")
        .arg("--json")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (line, (s, ids)) in lines.iter().zip(MENTIONS) {
        let found: BTreeSet<&str> = ["regions", "borders", "places"]
            .iter()
            .flat_map(|k| {
                line[*k]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
            })
            .collect();
        assert_eq!(found, ids.iter().copied().collect(), "{s}");
    }
}

#[test]
fn digest_counts_a_generated_archive_as_constructed_and_as_annotate_does() {
    let dir = scratch("archive_generated");
    let articles = generate(&dir, 2400, 2);
    // the whole archive: dated, undated and copies once
    let (all, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("indexed 2400 new, 0 changed, 0 unchanged"),
        "{stderr}"
    );
    let originals: Vec<&Generated> = articles.iter().filter(|a| !a.copy).collect();
    let (n, expected) = expected_groups(originals.iter().map(|a| ids_of(a)));
    assert_counts(&all, n, &expected, "all");
    assert_eq!(
        all["copies"].as_u64(),
        Some((articles.len() - originals.len()) as u64)
    );
    // a quarter: only articles dated in it
    let (from, to) = ("2024-04-01", "2024-06-30");
    let (quarter, stderr) = digest_json(&dir, &["--from", from, "--to", to]);
    assert!(
        stderr.contains("indexed 0 new, 0 changed, 2400 unchanged"),
        "re-opening reads nothing again: {stderr}"
    );
    // a story copied by several outlets counts once, on the day it first appeared
    let mut first_day: BTreeMap<usize, Option<chrono::NaiveDate>> = BTreeMap::new();
    for a in &articles {
        let d = first_day.entry(a.text_of).or_insert(a.date);
        *d = match (*d, a.date) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
    }
    let counted = |a: &&Generated| !a.copy && in_range(first_day[&a.text_of], from, to);
    let (n, expected) = expected_groups(articles.iter().filter(counted).map(ids_of));
    assert!(n > 400, "the quarter holds {n} articles");
    assert_counts(&quarter, n, &expected, "quarter");
    // annotate --json on the same files agrees
    let out = borderlens()
        .arg("annotate")
        .arg("--json")
        .args(OUTLETS.map(|o| dir.join(o)))
        .output()
        .unwrap();
    assert!(out.status.success());
    let by_path: BTreeMap<PathBuf, &Generated> =
        articles.iter().map(|a| (a.path.clone(), a)).collect();
    let mut sets: Vec<Vec<String>> = Vec::new();
    let mut settlements: BTreeMap<String, u64> = BTreeMap::new();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let a = by_path[&PathBuf::from(v["path"].as_str().unwrap())];
        if counted(&a) {
            for id in v["settlements"].as_array().unwrap() {
                *settlements.entry(id.to_string()).or_default() += 1;
            }
            sets.push(
                ["regions", "borders", "places"]
                    .iter()
                    .flat_map(|k| {
                        v[*k]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|x| x.as_str().unwrap().to_string())
                    })
                    .collect(),
            );
        }
    }
    let (n, from_annotate) = expected_groups(sets.into_iter());
    assert_counts(&quarter, n, &from_annotate, "annotate --json");
    // settlements (GeoNames ids) as the open-world geoparser of `annotate --json` finds them
    assert!(settlements.len() >= 3, "{settlements:?}");
    assert_eq!(group(&quarter, "settlements"), settlements);
}

/// The number of files the index has committed (0 before the index exists).
fn indexed_files(index: &Path) -> i64 {
    let Ok(c) =
        rusqlite::Connection::open_with_flags(index, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    c.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0))
        .unwrap_or(0)
}

#[test]
fn a_killed_digest_finishes_on_the_next_run_with_the_same_counts() {
    let dir = scratch("archive_killed");
    let articles = generate(&dir, 3000, 4);
    let index = dir.join(".borderlens-index.sqlite");
    let mut child = borderlens()
        .arg("digest")
        .arg(&dir)
        .args(["--batch", "32", "--json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait until some batches are committed, then kill it
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let n = indexed_files(&index);
        if n >= 64 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "digest ended before it could be killed"
        );
        assert!(
            Instant::now() < deadline,
            "no progress in the index after 60 s"
        );
        std::thread::sleep(Duration::from_millis(5)); // polling interval, not synchronisation
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = indexed_files(&index);
    assert!(
        at_kill < articles.len() as i64,
        "killed after {at_kill} of {} files: not mid-way",
        articles.len()
    );
    let (resumed, stderr) = digest_json(&dir, &["--from", "2024-02-01", "--to", "2024-11-30"]);
    assert!(
        stderr.contains(&format!(
            "indexed {} new, 0 changed, {at_kill} unchanged",
            3000 - at_kill
        )),
        "{stderr}"
    );
    // one uninterrupted run on a fresh index
    std::fs::remove_file(&index).unwrap();
    let _ = std::fs::remove_file(dir.join(".borderlens-index.sqlite-wal"));
    let _ = std::fs::remove_file(dir.join(".borderlens-index.sqlite-shm"));
    let (whole, stderr) = digest_json(&dir, &["--from", "2024-02-01", "--to", "2024-11-30"]);
    assert!(stderr.contains("indexed 3000 new"), "{stderr}");
    assert_eq!(resumed, whole);
}

#[test]
fn reopening_reads_only_new_and_changed_files_and_forgets_deleted_ones() {
    let dir = scratch("archive_reopen");
    let articles = generate(&dir, 300, 1);
    let (first, _) = digest_json(&dir, &[]);
    let (_, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("indexed 0 new, 0 changed, 300 unchanged, 0 removed"),
        "{stderr}"
    );
    // one file gains a mention of Kutaisi, one is deleted, one is added
    let a = &articles[0];
    let text = std::fs::read_to_string(&a.path).unwrap();
    std::fs::write(
        &a.path,
        format!(
            "{}\nA bakery in Kutaisi opened a second shop.\n",
            text.trim_end()
        ),
    )
    .unwrap();
    std::fs::remove_file(&articles[1].path).unwrap();
    std::fs::write(
        dir.join("new.md"),
        "# A new note\n2024-02-02\n\nCyclists rode from Kutaisi to the coast.\n",
    )
    .unwrap();
    let (after, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("indexed 1 new, 1 changed, 298 unchanged, 1 removed"),
        "{stderr}"
    );
    assert_eq!(group(&after, "places").get("kutaisi"), Some(&2));
    assert_eq!(
        first["articles"].as_u64(),
        after["articles"].as_u64(),
        "one removed, one added"
    );
    // a different geoparser version annotates everything again
    let c = rusqlite::Connection::open(dir.join(".borderlens-index.sqlite")).unwrap();
    c.execute(
        "UPDATE meta SET value = 'older' WHERE key = 'geoparser'",
        [],
    )
    .unwrap();
    drop(c);
    let (again, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("annotating every file again") && stderr.contains("indexed 300 new"),
        "{stderr}"
    );
    assert_eq!(again, after);
}

/// The index's article row for a file (its annotations hang off it).
fn article_row(index: &Path, rel: &str) -> Option<(i64, Option<String>)> {
    let c = rusqlite::Connection::open(index).unwrap();
    c.query_row(
        "SELECT a.id, a.source FROM articles a JOIN files f ON f.id = a.file_id WHERE f.path = ?1",
        [rel],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .ok()
}

#[test]
fn moved_files_keep_their_annotations() {
    let dir = scratch("archive_moved");
    let articles = generate(&dir, 90, 1);
    let (before, _) = digest_json(&dir, &[]);
    let index = dir.join(".borderlens-index.sqlite");
    let rel = |p: &Path| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
    // one file renamed in its folder, one moved to another outlet's folder, one deleted
    let (a, b, gone) = (&articles[0], &articles[1], &articles[2]);
    let (a_row, _) = article_row(&index, &rel(&a.path)).unwrap();
    let (b_row, b_source) = article_row(&index, &rel(&b.path)).unwrap();
    assert_eq!(b_source.as_deref(), Some(OUTLETS[1]));
    let a_new = a.path.with_file_name("renamed.txt");
    let b_new = dir.join(OUTLETS[2]).join("moved.txt");
    std::fs::rename(&a.path, &a_new).unwrap();
    std::fs::rename(&b.path, &b_new).unwrap();
    std::fs::remove_file(&gone.path).unwrap();
    let (after, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("indexed 0 new, 0 changed, 87 unchanged, 1 removed, 2 moved"),
        "{stderr}"
    );
    // the same rows (not annotated again), at the new paths; the outlet is the new folder
    assert_eq!(article_row(&index, &rel(&a_new)).unwrap().0, a_row);
    assert_eq!(
        article_row(&index, &rel(&b_new)).unwrap(),
        (b_row, Some(OUTLETS[2].to_string()))
    );
    assert_eq!(article_row(&index, &rel(&a.path)), None);
    // the counts lose only the deleted article
    let lost = u64::from(!gone.copy);
    assert_eq!(
        after["articles"].as_u64(),
        before["articles"].as_u64().map(|n| n - lost)
    );
    // a copy of a moved file's text next to it is a new file, annotated
    std::fs::copy(&a_new, dir.join("copy.txt")).unwrap();
    let (_, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("indexed 1 new, 0 changed, 89 unchanged, 0 removed, 0 moved"),
        "{stderr}"
    );
}

#[test]
fn an_archive_reads_every_encoding_and_saved_web_pages() {
    use crate::document_tests::{utf16, AZ_NOTE, CP1252_NOTE, PAGE};
    let dir = scratch("archive_encodings");
    std::fs::create_dir_all(dir.join("saved")).unwrap();
    std::fs::write(dir.join("az-le.txt"), utf16(AZ_NOTE, true)).unwrap();
    std::fs::write(dir.join("cafe.txt"), CP1252_NOTE).unwrap();
    std::fs::write(dir.join("saved/ferry.html"), PAGE).unwrap();
    let mut damaged = b"Port news\n2024-03-06\n\nShips waited off Baku ".to_vec();
    damaged.push(0xFF);
    damaged.extend("for the wind to drop, said the caf\u{e9} owner.\n".as_bytes());
    std::fs::write(dir.join("damaged.txt"), &damaged).unwrap();
    let (v, stderr) = digest_json(&dir, &[]);
    assert!(
        stderr.contains("indexed 4 new") && stderr.contains("0 skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("damaged.txt:4:23: byte 44: not valid UTF-8"),
        "the bad byte is named: {stderr}"
    );
    assert_eq!(v["articles"].as_u64(), Some(4), "{v}");
    let places = group(&v, "places");
    assert_eq!(
        places.get("ganja"),
        Some(&2),
        "UTF-16 note and web page: {v}"
    );
    assert_eq!(places.get("tbilisi"), Some(&1), "Windows-1252 note: {v}");
    assert_eq!(
        places.get("baku"),
        Some(&2),
        "web page and damaged note: {v}"
    );
    assert_eq!(
        places.get("yerevan"),
        None,
        "the page's menu and footer: {v}"
    );
    let settlements = group(&v, "settlements");
    assert_eq!(settlements.get("585170"), Some(&1), "Sheki: {v}");
    // the page's date, title and site name are the index's
    let (june, _) = digest_json(&dir, &["--from", "2024-06-01", "--to", "2024-06-30"]);
    assert_eq!(june["articles"].as_u64(), Some(1), "{june}");
    let archive = borderlens::archive::Archive::open(&dir).unwrap();
    let hits = archive
        .articles_mentioning("baku", borderlens::archive::DayRange::all(), 10)
        .unwrap();
    let page = hits
        .iter()
        .find(|h| h.0.path.ends_with("ferry.html"))
        .unwrap();
    assert_eq!(
        page.0.title.as_deref(),
        Some("Ferry to resume between Baku and Aktau")
    );
    assert_eq!(page.0.date.as_deref(), Some("2024-06-14"));
    assert_eq!(page.0.source.as_deref(), Some("Caspian Ledger"));
    let item = archive.read_article(&page.0).unwrap().unwrap();
    let text = item.article.annotation_text();
    assert_eq!(&text[page.1[0].start..page.1[0].end], "Baku");
    assert_eq!(archive.search("cabins", 10).unwrap().len(), 1);
    assert_eq!(archive.search("Sponsored", 10).unwrap().len(), 0);
}

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour Radio</title><link>https://radio.example.org</link>
<description>news</description>
<item><title>Ferry timetable</title><link>https://radio.example.org/1</link>
<pubDate>Tue, 05 Mar 2024 09:00:00 +0000</pubDate>
<description>&lt;p&gt;The port of Batumi added an evening ferry, the company said, after a summer in which the morning boats were full on most days and travellers waited for hours on the quay. Tickets for the new crossing go on sale next week at the harbour office.&lt;/p&gt;</description></item>
<item><title>Market day</title><link>https://radio.example.org/2</link>
<pubDate>Fri, 12 Jul 2024 09:00:00 +0000</pubDate>
<description>Traders in Baku reported that fuel prices rose again.</description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Bulletin</title><id>urn:x</id>
<updated>2024-03-06T00:00:00Z</updated>
<entry><title>Snow days</title><id>urn:x:1</id><updated>2024-03-06T08:00:00Z</updated>
<content type="html">Local schools in Gyumri reopened after a week of heavy snow.</content></entry>
</feed>"#;

#[test]
fn feeds_json_lines_and_binary_files_in_one_folder() {
    let dir = scratch("archive_formats");
    std::fs::write(dir.join("radio.rss"), RSS).unwrap();
    std::fs::create_dir_all(dir.join("feeds")).unwrap();
    std::fs::write(dir.join("feeds/bulletin.atom"), ATOM).unwrap();
    std::fs::write(
        dir.join("wire.jsonl"),
        "{\"title\":\"Court\",\"date\":\"2024-03-07\",\"text\":\"A court in Ganja postponed the hearing.\",\"url\":\"https://wire.example.org/a\"}\n\
         {\"title\":\"Copy\",\"date\":\"2024-03-08\",\"text\":\"The port of Batumi added an evening ferry, the company  said, after a summer in which the morning boats were full on most days and travellers waited for hours on the quay. Tickets for the new crossing go on sale next week at the harbour office.\",\"url\":\"https://other.example.net/b\"}\n\
         {not json\n",
    )
    .unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i * 7 % 251) as u8));
    std::fs::write(dir.join("photo.png"), &png).unwrap();
    std::fs::write(dir.join("scan.txt"), &png).unwrap();
    let (v, stderr) = digest_json(&dir, &["--from", "2024-03-01", "--to", "2024-03-31"]);
    assert!(stderr.contains("2 skipped (2 not text)"), "{stderr}");
    assert!(stderr.contains("scan.txt: skipped: not text"), "{stderr}");
    assert!(
        stderr.contains("wire.jsonl:3:"),
        "the bad line is named: {stderr}"
    );
    // March: the ferry (twice: RSS and a JSON copy, counted once), the snow day and the court
    assert_eq!(v["articles"].as_u64(), Some(3), "{v}");
    assert_eq!(v["copies"].as_u64(), Some(1), "{v}");
    let places = group(&v, "places");
    assert_eq!(
        places,
        [
            ("batumi".to_string(), 1),
            ("ganja".to_string(), 1),
            ("gyumri".to_string(), 1)
        ]
        .into(),
        "{v}"
    );
    let (year, _) = digest_json(&dir, &[]);
    assert_eq!(group(&year, "places").get("baku"), Some(&1), "{year}");
    // the outlets of the copied story, through the library API
    let archive = borderlens::archive::Archive::open(&dir).unwrap();
    let copied = archive.copied_stories(10).unwrap();
    assert_eq!(copied.len(), 1);
    assert_eq!(
        copied[0].1,
        vec!["Harbour Radio".to_string(), "other.example.net".to_string()]
    );
    let range = borderlens::archive::DayRange {
        from: chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
        to: None,
    };
    let hits = archive.articles_mentioning("gyumri", range, 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].0.source.as_deref(), Some("Valley Bulletin"));
    let item = archive.read_article(&hits[0].0).unwrap().unwrap();
    let text = item.article.annotation_text();
    assert_eq!(&text[hits[0].1[0].start..hits[0].1[0].end], "Gyumri");
    assert_eq!(archive.search("ferry", 10).unwrap().len(), 2);
    let days = archive
        .articles_per_day(borderlens::archive::DayRange::all())
        .unwrap();
    assert_eq!(days.iter().map(|d| d.1).sum::<u64>(), 4);
}

/// Writes a benchmark archive: `BORDERLENS_ARCHIVE_DIR=/tmp/a BORDERLENS_ARCHIVE_N=20000
/// cargo test --test it write_bench_archive -- --ignored` (see BENCHMARKS.md).
#[test]
#[ignore]
fn write_bench_archive() {
    let dir =
        PathBuf::from(std::env::var("BORDERLENS_ARCHIVE_DIR").expect("BORDERLENS_ARCHIVE_DIR"));
    let n = std::env::var("BORDERLENS_ARCHIVE_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    std::fs::create_dir_all(&dir).unwrap();
    generate(&dir, n, 4);
}

#[test]
fn digest_draws_where_the_news_was_with_a_legend() {
    let _gpu = crate::common::gpu_lock();
    let dir = scratch("archive_png");
    generate(&dir, 60, 1);
    let png = dir.join("where.png");
    let out = borderlens()
        .arg("digest")
        .arg(&dir)
        .args([
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--size",
            "900x600",
            "-o",
        ])
        .arg(&png)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let img = image::open(&png).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (900, 600));
    // the legend's darkest region swatch: the region colour at the largest count's opacity,
    // over the white panel, in the lower left corner
    let o =
        borderlens::archive::figure::fill_opacity(borderlens::article::EntityKind::Region, 5, 5);
    let expect = |c: u8| (c as f32 * o + 255.0 * (1.0 - o)).round() as u8;
    let swatch = [expect(0xe3), expect(0x4a), expect(0x33), 255];
    let n = img
        .enumerate_pixels()
        .filter(|(x, y, p)| *x < 450 && *y > 300 && p.0 == swatch)
        .count();
    assert!(n >= 28 * 14, "{n} pixels of the legend's swatch");
}

#[test]
fn an_archive_whose_index_cannot_be_written_beside_it_is_indexed_in_the_cache_folder() {
    let dir = scratch("archive_cache_fallback");
    let cache = scratch("archive_cache_home");
    generate(&dir.join("news"), 30, 1);
    // a folder where the index file should be: it cannot be opened there, even by root
    std::fs::create_dir_all(dir.join("news/.borderlens-index.sqlite")).unwrap();
    let run = || {
        let out = borderlens()
            .arg("digest")
            .arg(dir.join("news"))
            .arg("--json")
            .env("XDG_CACHE_HOME", &cache)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        stderr
    };
    let first = run();
    assert!(
        first.contains(&format!(
            "index {}",
            cache.join("borderlens/archives").display()
        )),
        "{first}"
    );
    let second = run();
    assert!(
        second.contains("indexed 0 new, 0 changed, 30 unchanged"),
        "{second}"
    );
}
