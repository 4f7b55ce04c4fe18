//! The gazetteer: the entities the geoparser knows, loaded from `data/gazetteer.toml`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The gazetteer shipped with the crate.
pub const EMBEDDED_GAZETTEER: &str = include_str!("../../data/gazetteer.toml");

/// The six countries of the id scheme, in the order gold files list them.
pub const COUNTRY_ORDER: [&str; 6] = ["ARM", "AZE", "GEO", "IRN", "TUR", "RUS"];

/// The country pairs that share a land border in the id scheme (`ARM-AZE` style, sorted).
pub const BORDER_PAIRS: [&str; 10] = [
    "ARM-AZE", "ARM-GEO", "ARM-IRN", "ARM-TUR", "AZE-GEO", "AZE-IRN", "AZE-RUS", "AZE-TUR",
    "GEO-RUS", "GEO-TUR",
];

/// Id of the Nagorno-Karabakh line of contact (a "border" of the scheme).
pub const KARABAKH_LINE: &str = "nagorno-karabakh-line";

/// Errors loading a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("gazetteer TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("gazetteer: duplicate id `{0}`")]
    DuplicateId(String),
    #[error("gazetteer: entity `{id}` refers to unknown id `{target}` in `{field}`")]
    UnknownRef {
        id: String,
        field: &'static str,
        target: String,
    },
    #[error("gazetteer: entity `{0}` has an empty name")]
    EmptyName(String),
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GazKind {
    Country,
    Region,
    Place,
    /// A name containing a country name that is not the country (never emitted).
    Mask,
    /// A head of state / government or foreign minister: a metonym for `country` (never emitted).
    Leader,
}

/// Where the entity's geometry is on the base map.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeometryRef {
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub ids: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One gazetteer entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GazetteerEntry {
    pub id: String,
    pub kind: GazKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub weak_aliases: Vec<String>,
    #[serde(default)]
    pub adjectives: Vec<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub capital: Option<String>,
    #[serde(default)]
    pub capital_of: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub breakaway: bool,
    #[serde(default)]
    pub coref_block: bool,
    #[serde(default)]
    pub north_caucasus: bool,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub district: bool,
    #[serde(default)]
    pub metonym_only: bool,
    #[serde(default = "yes")]
    pub emit: bool,
    #[serde(default = "yes")]
    pub scheme: bool,
    #[serde(default)]
    pub geometry: GeometryRef,
}

impl GazetteerEntry {
    /// The country this entry stands for in border phrases (`ARM`, ...), if any.
    pub fn border_country(&self) -> Option<&str> {
        match self.kind {
            GazKind::Country => Some(&self.id),
            GazKind::Region => {
                if self.breakaway {
                    None
                } else {
                    self.parent.as_deref()
                }
            }
            GazKind::Place | GazKind::Mask | GazKind::Leader => self.country.as_deref(),
        }
    }
}

/// Context word lists of the gazetteer file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GazContext {
    #[serde(default)]
    pub traps: Vec<String>,
    #[serde(default)]
    pub us_state_cues: Vec<String>,
}

#[derive(Deserialize)]
struct GazFile {
    #[serde(default)]
    entity: Vec<GazetteerEntry>,
    #[serde(default)]
    context: GazContext,
}

/// The set of known entities.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    by_id: HashMap<String, usize>,
    context: GazContext,
}

impl Gazetteer {
    /// The gazetteer embedded in the binary (`data/gazetteer.toml`), parsed once.
    pub fn embedded() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::from_toml(EMBEDDED_GAZETTEER).expect("embedded gazetteer is valid")
        })
    }

    /// Parses and validates a gazetteer file.
    pub fn from_toml(src: &str) -> Result<Gazetteer, GazetteerError> {
        let file: GazFile = toml::from_str(src)?;
        let mut by_id = HashMap::new();
        for (i, e) in file.entity.iter().enumerate() {
            if e.name.trim().is_empty() {
                return Err(GazetteerError::EmptyName(e.id.clone()));
            }
            if by_id.insert(e.id.clone(), i).is_some() {
                return Err(GazetteerError::DuplicateId(e.id.clone()));
            }
        }
        let g = Gazetteer {
            entries: file.entity,
            by_id,
            context: file.context,
        };
        for e in &g.entries {
            let refs: [(&'static str, &Option<String>); 5] = [
                ("capital", &e.capital),
                ("capital_of", &e.capital_of),
                ("country", &e.country),
                ("parent", &e.parent),
                ("city", &e.city),
            ];
            for (field, r) in refs {
                if let Some(t) = r {
                    if !g.by_id.contains_key(t) {
                        return Err(GazetteerError::UnknownRef {
                            id: e.id.clone(),
                            field,
                            target: t.clone(),
                        });
                    }
                }
            }
        }
        Ok(g)
    }

    /// Entry by id.
    pub fn get(&self, id: &str) -> Option<&GazetteerEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Index of an id in [`Gazetteer::entries`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// All entries, in file order.
    pub fn entries(&self) -> &[GazetteerEntry] {
        &self.entries
    }

    /// Context lists (traps, U.S.-state cues).
    pub fn context(&self) -> &GazContext {
        &self.context
    }

    /// True when `id` is one of the six country codes.
    pub fn is_country_id(id: &str) -> bool {
        COUNTRY_ORDER.contains(&id)
    }
}
