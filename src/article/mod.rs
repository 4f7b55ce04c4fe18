//! Article geoparser: finds the countries, sub-regions, borders and places a news article about
//! the South Caucasus mentions.
//!
//! ```text
//! use borderlens::article::{Geoparser, Gazetteer};
//! let p = Geoparser::new(Gazetteer::embedded());
//! for e in p.annotate("Armenia and Azerbaijan traded fire on their shared border.") {
//!     println!("{} {:?} {}", e.id, e.kind, e.mentions.len());
//! }
//! ```
//! Self-contained: depends only on `crate::article::*` and external crates.
//!
//! How it works (one pass, no regular expressions):
//! 1. `text`: an ASCII copy of the text is made (diacritics folded, every dash variant to `-`,
//!    curly quotes straightened) with a sparse map back to the original byte offsets.
//! 2. `parse`: one leftmost-longest, ASCII-case-insensitive Aho-Corasick pass finds every name,
//!    alias, adjective, demonym, trap phrase ("Soviet Union", "Echo of the Caucasus"), U.S.-state
//!    cue and border word of `data/gazetteer.toml`; matches must sit on word boundaries and names
//!    must be capitalised. Sentence indices come from a lazy cursor.
//! 3. Local context rules decide what each match refers to: national adjectives count only as
//!    state references ("Armenian forces", "Russian-backed"; not "ethnic Armenians", "in Russian");
//!    capitals are places unless used for their government ("Baku said", "talks with Tbilisi",
//!    "signals from Ankara and Yerevan"; datelines and route names stay places); leaders are
//!    metonyms for their country; "Lachin district/direction" is not the town; "city of
//!    Nakhchivan" is the city; "the Caucasus" is the South Caucasus unless the text is about the
//!    North Caucasus; "Georgia" next to U.S. states or in a U.S. text is not the country; masks
//!    (East Azerbaijan province, other countries) are never emitted.
//! 4. `borders`: border words are resolved from their neighbours (compounds, "between X and Y",
//!    "X's border with Y", "X borders Y", sub-regions standing for their country) or, for
//!    co-references ("their common border", "the border"), from the pair of countries the text is
//!    about at that point; breakaway-region boundary lines are never international borders.

mod borders;
mod document;
pub mod eval;
mod events;
mod file;
mod gazetteer;
mod html;
mod lexicon;
mod locate;
mod parse;
mod rules;
mod text;
pub mod world;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use document::{
    decode, error_line, io_reason, is_web_page, looks_binary, url_host, Article, ArticleError,
    Decoded,
};
pub use gazetteer::{
    GazContext, GazKind, Gazetteer, GazetteerEntry, GazetteerError, GeometryRef, BORDER_PAIRS,
    COUNTRY_ORDER, EMBEDDED_GAZETTEER, KARABAKH_LINE,
};
pub use lexicon::{Lexicon, LexiconError, EMBEDDED_LEXICON};
pub use locate::{
    BorderStretch, CrossingMention, DistrictMention, InferredBorder, Located, SettlementMention,
    StretchPoint, Via, STRETCH_RADIUS_KM,
};
pub use parse::{Geoparser, OpenAnnotation};
pub use text::{fold_str, sentence_spans, Folded};
pub use world::{Crossing, District, Settlement, World, WorldError};

/// Kind of a recognised entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Country,
    Region,
    Border,
    Place,
}

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// byte offset of the start in the original text
    pub start: usize,
    /// byte offset of the end (exclusive) in the original text
    pub end: usize,
    /// `text[start..end]`
    pub text: String,
    /// index of the sentence (0-based; a title line is a sentence)
    pub sentence: usize,
}

/// An entity the text mentions, with all its mentions in text order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// base-map id: `ARM`, `nagorno-karabakh`, `ARM-AZE`, `nagorno-karabakh-line`, `baku`, ...
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub mentions: Vec<Mention>,
}

/// An article with its entities, and the text their mention offsets refer to (the title and
/// body as annotated). An article layer keeps one, its entities in the layer's feature order.
#[derive(Debug, Clone)]
pub struct AnnotatedArticle {
    pub article: Article,
    pub text: String,
    pub entities: Vec<Entity>,
}

/// Document-level JSON in the gold files' shape:
/// `{"path": ..., "regions": [countries in the order ARM, AZE, GEO, IRN, TUR, RUS, then sub-regions
/// sorted], "borders": [sorted], "places": [sorted]}`.
/// Only ids of the annotation scheme are listed (extra map-only places of the gazetteer, such as
/// `sumgait`, are left out; they stay in the entities for the map).
pub fn to_gold_json(path: &str, entities: &[Entity]) -> serde_json::Value {
    to_gold_json_with(Gazetteer::embedded(), path, entities)
}

/// [`to_gold_json`] with an explicit gazetteer (for the scheme flags).
pub fn to_gold_json_with(g: &Gazetteer, path: &str, entities: &[Entity]) -> serde_json::Value {
    let sets = DocSets::from_entities(g, entities);
    serde_json::json!({
        "path": path,
        "regions": sets.regions_list(),
        "borders": sets.borders.iter().collect::<Vec<_>>(),
        "places": sets.places.iter().collect::<Vec<_>>(),
    })
}

/// [`to_gold_json`] plus the open-world fields: `"settlements"` (sorted GeoNames ids) and
/// `"border_near"` (`{"ARM-AZE": [ids]}`).
pub fn open_gold_json(path: &str, a: &OpenAnnotation) -> serde_json::Value {
    let mut v = to_gold_json(path, &a.entities);
    v["settlements"] = serde_json::json!(a.located.settlement_ids());
    v["border_near"] = serde_json::json!(a.located.border_near);
    v
}

/// The per-document id sets used for gold JSON and evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSets {
    pub countries: BTreeSet<String>,
    pub regions: BTreeSet<String>,
    pub borders: BTreeSet<String>,
    pub places: BTreeSet<String>,
}

impl DocSets {
    /// Sets of scheme ids from parser output.
    pub fn from_entities(g: &Gazetteer, entities: &[Entity]) -> DocSets {
        let mut d = DocSets::default();
        for e in entities {
            let in_scheme = g.get(&e.id).is_none_or(|x| x.scheme && x.emit);
            if !in_scheme {
                continue;
            }
            match e.kind {
                EntityKind::Country => d.countries.insert(e.id.clone()),
                EntityKind::Region => d.regions.insert(e.id.clone()),
                EntityKind::Border => d.borders.insert(e.id.clone()),
                EntityKind::Place => d.places.insert(e.id.clone()),
            };
        }
        d
    }

    /// Countries (fixed order) then sub-regions (sorted), as in gold `regions`.
    pub fn regions_list(&self) -> Vec<String> {
        let mut v: Vec<String> = COUNTRY_ORDER
            .iter()
            .filter(|c| self.countries.contains(**c))
            .map(|c| c.to_string())
            .collect();
        v.extend(
            self.countries
                .iter()
                .filter(|c| !COUNTRY_ORDER.contains(&c.as_str()))
                .cloned(),
        );
        v.extend(self.regions.iter().cloned());
        v
    }
}

impl Geoparser {
    /// Annotates an article: its title (if any) and body, as [`Article::annotation_text`];
    /// offsets refer to that string.
    pub fn annotate_article(&self, a: &Article) -> Vec<Entity> {
        self.annotate(&a.annotation_text())
    }
}
