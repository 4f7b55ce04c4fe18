//! Evaluation of the article geoparser against document-level gold annotations
//! (`gold/NNN.json` + `articles/NNN.txt`): precision / recall / F1 per kind (country, region,
//! border, place) and per id, micro-averaged over documents, with every miss and false hit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::article::{
    sentence_spans, Article, DocSets, Entity, Folded, Gazetteer, Geoparser, Located, COUNTRY_ORDER,
};

/// Errors of [`evaluate_dirs`].
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{}: cannot read: {}", .path.display(), super::io_reason(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("gold file {path}: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("no gold files (NNN.json) in {0}")]
    Empty(PathBuf),
}

/// Scored kinds. The gold `regions` list mixes countries and sub-regions: they are split by
/// whether the id is a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvalKind {
    Country,
    Region,
    Border,
    Place,
    /// GeoNames settlements (only over gold files that list them)
    Settlement,
    /// every kind together (micro-averaged)
    All,
}

impl EvalKind {
    pub const ALL: [EvalKind; 5] = [
        EvalKind::Country,
        EvalKind::Region,
        EvalKind::Border,
        EvalKind::Place,
        EvalKind::Settlement,
    ];
    pub fn name(self) -> &'static str {
        match self {
            EvalKind::Country => "country",
            EvalKind::Region => "region",
            EvalKind::Border => "border",
            EvalKind::Place => "place",
            EvalKind::Settlement => "settlement",
            EvalKind::All => "all",
        }
    }
    /// The kind named `name` (as [`EvalKind::name`] writes it), `all` included.
    pub fn from_name(name: &str) -> Option<EvalKind> {
        EvalKind::ALL
            .into_iter()
            .chain([EvalKind::All])
            .find(|k| k.name() == name)
    }
}

/// A gold file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldDoc {
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub borders: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
    /// GeoNames ids; None (field absent): the file does not annotate settlements
    #[serde(default)]
    pub settlements: Option<Vec<u32>>,
    /// border id -> GeoNames ids the text places it at; None: not annotated
    #[serde(default)]
    pub border_near: Option<BTreeMap<String, Vec<u32>>>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl GoldDoc {
    /// Splits into scored sets.
    pub fn sets(&self) -> DocSets {
        let mut d = DocSets::default();
        for r in &self.regions {
            if COUNTRY_ORDER.contains(&r.as_str()) {
                d.countries.insert(r.clone());
            } else {
                d.regions.insert(r.clone());
            }
        }
        d.borders.extend(self.borders.iter().cloned());
        d.places.extend(self.places.iter().cloned());
        d
    }
}

/// True/false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// A gold id the parser did not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub doc: String,
    pub kind: EvalKind,
    pub id: String,
}

/// An id the parser found that the gold does not list, with the sentence of its first mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalseHit {
    pub doc: String,
    pub kind: EvalKind,
    pub id: String,
    pub mention: String,
    pub sentence: String,
}

/// The result of an evaluation; `Display` prints a report.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    pub docs: usize,
    pub per_kind: BTreeMap<EvalKind, Counts>,
    pub per_id: BTreeMap<String, (EvalKind, Counts)>,
    pub misses: Vec<Miss>,
    pub false_hits: Vec<FalseHit>,
    /// gold `border_near` entries, and those localised right (a gold id predicted for the border)
    pub border_near: NearCounts,
}

/// Scores of `border_near`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NearCounts {
    /// gold borders with ids
    pub gold: usize,
    /// of those, localised right
    pub right: usize,
    /// predicted borders with ids that the gold does not localise
    pub extra: usize,
}

impl NearCounts {
    /// Share of gold borders localised right (1 when there are none).
    pub fn rate(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.right as f64 / self.gold as f64
        }
    }
}

impl EvalReport {
    /// Micro-averaged counts of one kind ([`EvalKind::All`]: of every kind).
    pub fn kind(&self, k: EvalKind) -> Counts {
        if k == EvalKind::All {
            return self.overall();
        }
        self.per_kind.get(&k).copied().unwrap_or_default()
    }

    /// The thresholds `(kind, min F1)` this report falls below, as lines to print.
    pub fn below(&self, thresholds: &[(EvalKind, f64)]) -> Vec<String> {
        thresholds
            .iter()
            .filter(|(k, min)| self.kind(*k).f1() < *min)
            .map(|(k, min)| format!("{} F1 {:.3} < {min}", k.name(), self.kind(*k).f1()))
            .collect()
    }
    /// Micro-averaged counts over all kinds.
    pub fn overall(&self) -> Counts {
        let mut c = Counts::default();
        for v in self.per_kind.values() {
            c.add(*v);
        }
        c
    }
}

/// One document to score: its name, the text the parser reads, and the gold.
pub struct EvalDoc {
    pub name: String,
    pub text: String,
    pub gold: GoldDoc,
}

/// Scores the parser on documents.
pub fn evaluate(parser: &Geoparser, g: &Gazetteer, docs: &[EvalDoc]) -> EvalReport {
    let mut rep = EvalReport {
        docs: docs.len(),
        ..Default::default()
    };
    for k in EvalKind::ALL {
        rep.per_kind.insert(k, Counts::default());
    }
    for d in docs {
        let open = parser.annotate_open(&d.text);
        score_open(&mut rep, d, &open.located);
        let ents = open.entities;
        let pred = DocSets::from_entities(g, &ents);
        let gold = d.gold.sets();
        let pairs: [(EvalKind, &BTreeSet<String>, &BTreeSet<String>); 4] = [
            (EvalKind::Country, &pred.countries, &gold.countries),
            (EvalKind::Region, &pred.regions, &gold.regions),
            (EvalKind::Border, &pred.borders, &gold.borders),
            (EvalKind::Place, &pred.places, &gold.places),
        ];
        for (kind, p, gs) in pairs {
            let mut c = Counts::default();
            for id in p.union(gs) {
                match tally(&mut rep, kind, id, p.contains(id), gs.contains(id), &mut c) {
                    Some(true) => {
                        let (mention, sentence) = first_mention_context(&d.text, &ents, id);
                        rep.false_hits.push(FalseHit {
                            doc: d.name.clone(),
                            kind,
                            id: id.clone(),
                            mention,
                            sentence,
                        });
                    }
                    Some(false) => rep.misses.push(Miss {
                        doc: d.name.clone(),
                        kind,
                        id: id.clone(),
                    }),
                    None => {}
                }
            }
            rep.per_kind.get_mut(&kind).expect("kind").add(c);
        }
    }
    rep
}

/// Counts one id in `c` and in its per-id row: `Some(true)` a false hit, `Some(false)` a miss,
/// `None` right (or in neither set).
fn tally(
    rep: &mut EvalReport,
    kind: EvalKind,
    id: &str,
    predicted: bool,
    gold: bool,
    c: &mut Counts,
) -> Option<bool> {
    let entry = &mut rep
        .per_id
        .entry(id.to_string())
        .or_insert((kind, Counts::default()))
        .1;
    match (predicted, gold) {
        (true, true) => {
            c.tp += 1;
            entry.tp += 1;
            None
        }
        (true, false) => {
            c.fp += 1;
            entry.fp += 1;
            Some(true)
        }
        (false, true) => {
            c.fn_ += 1;
            entry.fn_ += 1;
            Some(false)
        }
        (false, false) => None,
    }
}

/// Settlements (micro P/R/F1) and `border_near`, for a gold file that has the fields.
fn score_open(rep: &mut EvalReport, d: &EvalDoc, located: &Located) {
    if let Some(gold) = &d.gold.settlements {
        let gold: BTreeSet<u32> = gold.iter().copied().collect();
        let pred: BTreeSet<u32> = located.settlement_ids().into_iter().collect();
        let mut c = Counts::default();
        for id in pred.union(&gold) {
            let key = id.to_string();
            let kind = EvalKind::Settlement;
            match tally(
                rep,
                kind,
                &key,
                pred.contains(id),
                gold.contains(id),
                &mut c,
            ) {
                Some(true) => {
                    let m = located.settlements.iter().find(|m| m.id == *id);
                    let sentence = m
                        .and_then(|m| d.text.get(m.start..m.end))
                        .unwrap_or("")
                        .to_string();
                    rep.false_hits.push(FalseHit {
                        doc: d.name.clone(),
                        kind: EvalKind::Settlement,
                        id: key,
                        mention: m.map(|m| m.name.clone()).unwrap_or_default(),
                        sentence,
                    });
                }
                Some(false) => rep.misses.push(Miss {
                    doc: d.name.clone(),
                    kind,
                    id: key,
                }),
                None => {}
            }
        }
        rep.per_kind.entry(EvalKind::Settlement).or_default().add(c);
    }
    if let Some(gold) = &d.gold.border_near {
        for (b, ids) in gold.iter().filter(|(_, ids)| !ids.is_empty()) {
            rep.border_near.gold += 1;
            let pred = located.border_near.get(b);
            if pred.is_some_and(|p| ids.iter().any(|id| p.contains(id))) {
                rep.border_near.right += 1;
            }
        }
        rep.border_near.extra += located
            .border_near
            .keys()
            .filter(|b| gold.get(*b).is_none_or(|ids| ids.is_empty()))
            .count();
    }
}

fn first_mention_context(text: &str, ents: &[Entity], id: &str) -> (String, String) {
    let Some(m) = ents
        .iter()
        .find(|e| e.id == id)
        .and_then(|e| e.mentions.first())
    else {
        return (String::new(), String::new());
    };
    let f = Folded::new(text);
    let spans = sentence_spans(f.bytes());
    let (s, e) = spans
        .get(m.sentence)
        .map(|&(s, e)| (f.orig(s), f.orig(e)))
        .unwrap_or((m.start, m.end));
    let sentence = text
        .get(s..e)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (m.text.clone(), sentence)
}

/// Loads `gold_dir/NNN.json` and `articles_dir/NNN.txt` pairs (articles read with
/// [`Article::parse`]; the parser reads title + body) and scores them.
pub fn evaluate_dirs(
    parser: &Geoparser,
    g: &Gazetteer,
    gold_dir: &Path,
    articles_dir: &Path,
) -> Result<EvalReport, EvalError> {
    let docs = load_docs(gold_dir, articles_dir)?;
    Ok(evaluate(parser, g, &docs))
}

/// Loads the documents of a gold directory; an article may be named `NNN.txt` or `NNN-anything.txt`.
pub fn load_docs(gold_dir: &Path, articles_dir: &Path) -> Result<Vec<EvalDoc>, EvalError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EvalError::Io { path, source }
    };
    let mut golds: Vec<PathBuf> = std::fs::read_dir(gold_dir)
        .map_err(io(gold_dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    golds.sort();
    if golds.is_empty() {
        return Err(EvalError::Empty(gold_dir.to_path_buf()));
    }
    let articles: Vec<PathBuf> = std::fs::read_dir(articles_dir)
        .map_err(io(articles_dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .collect();
    let mut docs = Vec::new();
    for gp in golds {
        let stem = gp
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let src = std::fs::read_to_string(&gp).map_err(io(&gp))?;
        let gold: GoldDoc = serde_json::from_str(&src).map_err(|source| EvalError::Json {
            path: gp.clone(),
            source,
        })?;
        let ap = articles.iter().find(|a| {
            let s = a.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            s == stem
                || s.strip_prefix(stem.as_str())
                    .is_some_and(|r| r.starts_with('-'))
        });
        let Some(ap) = ap else {
            return Err(EvalError::Io {
                path: articles_dir.join(format!("{stem}.txt")),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "article for gold file not found",
                ),
            });
        };
        let text = std::fs::read_to_string(ap).map_err(io(ap))?;
        let article = Article::parse(&text);
        docs.push(EvalDoc {
            name: stem,
            text: article.annotation_text(),
            gold,
        });
    }
    Ok(docs)
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Geoparser evaluation: {} documents (document-level sets, micro-averaged)",
            self.docs
        )?;
        writeln!(
            f,
            "{:<10} {:>4} {:>4} {:>4} {:>7} {:>7} {:>7}",
            "kind", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        for k in EvalKind::ALL {
            let c = self.kind(k);
            writeln!(
                f,
                "{:<10} {:>4} {:>4} {:>4} {:>7.3} {:>7.3} {:>7.3}",
                k.name(),
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            )?;
        }
        let o = self.overall();
        writeln!(
            f,
            "{:<10} {:>4} {:>4} {:>4} {:>7.3} {:>7.3} {:>7.3}",
            "all",
            o.tp,
            o.fp,
            o.fn_,
            o.precision(),
            o.recall(),
            o.f1()
        )?;
        let n = self.border_near;
        writeln!(
            f,
            "border_near: {} of {} localised borders right ({:.3}), {} predicted without gold",
            n.right,
            n.gold,
            n.rate(),
            n.extra
        )?;
        writeln!(f, "\nper id:")?;
        for (id, (k, c)) in &self.per_id {
            writeln!(
                f,
                "  {:<24} {:<8} tp {:>3} fp {:>3} fn {:>3}  F1 {:.3}",
                id,
                k.name(),
                c.tp,
                c.fp,
                c.fn_,
                c.f1()
            )?;
        }
        writeln!(f, "\nmisses ({}):", self.misses.len())?;
        for m in &self.misses {
            writeln!(f, "  {} {:<8} {}", m.doc, m.kind.name(), m.id)?;
        }
        writeln!(f, "\nfalse hits ({}):", self.false_hits.len())?;
        for h in &self.false_hits {
            writeln!(
                f,
                "  {} {:<8} {} via \"{}\" in: {}",
                h.doc,
                h.kind.name(),
                h.id,
                h.mention,
                h.sentence
            )?;
        }
        Ok(())
    }
}
