//! The open-world data of the geoparser: every settlement of the region (`data/settlements.tsv`,
//! GeoNames cities500), hand-listed border crossings (`data/crossings.toml`) and the districts and
//! provinces drawn as polygons (`data/districts.toml`). Embedded in the binary, parsed once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::gazetteer::BORDER_PAIRS;

pub const EMBEDDED_SETTLEMENTS: &str = include_str!("../../data/settlements.tsv");
pub const EMBEDDED_CROSSINGS: &str = include_str!("../../data/crossings.toml");
pub const EMBEDDED_DISTRICTS: &str = include_str!("../../data/districts.toml");

#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("settlements.tsv line {line}: {problem}")]
    Settlement { line: usize, problem: String },
    #[error("{file}: {source}")]
    Toml {
        file: &'static str,
        source: toml::de::Error,
    },
    #[error("crossings.toml: crossing `{crossing}`: {problem}")]
    Crossing { crossing: String, problem: String },
}

/// A populated place of GeoNames.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// GeoNames id
    pub id: u32,
    pub name: String,
    /// ISO 3166 alpha-3
    pub country: String,
    pub lon: f64,
    pub lat: f64,
    pub population: u32,
    /// also a common word, a person, a mountain, a river or a province: needs a settlement cue
    pub ambiguous: bool,
    /// scheme borders within 30 km, with the distance in km
    pub near_borders: Vec<(String, f32)>,
    pub alternate_names: Vec<AltName>,
}

/// An alternate name (another spelling, language or transliteration).
#[derive(Debug, Clone, PartialEq)]
pub struct AltName {
    pub name: String,
    /// also a common word or the name of something else: needs a settlement cue
    pub ambiguous: bool,
}

impl Settlement {
    /// Distance (km) to a scheme border, when within 30 km.
    pub fn km_to_border(&self, border: &str) -> Option<f32> {
        self.near_borders
            .iter()
            .find(|(b, _)| b == border)
            .map(|&(_, d)| d)
    }
}

/// A border crossing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crossing {
    pub id: String,
    pub names: Vec<String>,
    /// scheme border id (`ARM-GEO`)
    pub border: String,
    pub lon: f64,
    pub lat: f64,
    /// GeoNames ids of the settlements it is named after
    pub settlements: Vec<u32>,
    pub source: String,
}

/// A district or province drawn as a polygon of `data/provinces.geojson`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    /// feature id in `data/provinces.geojson`
    pub province: String,
    pub names: Vec<String>,
    /// names that mean the province without a district word after them
    #[serde(default)]
    pub bare: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossingFile {
    crossing: Vec<Crossing>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictFile {
    district: Vec<District>,
}

/// Settlements, crossings and districts.
#[derive(Debug, Clone)]
pub struct World {
    settlements: Vec<Settlement>,
    by_id: HashMap<u32, usize>,
    crossings: Vec<Crossing>,
    districts: Vec<District>,
}

impl World {
    /// The embedded data, parsed once.
    pub fn embedded() -> &'static World {
        static W: OnceLock<World> = OnceLock::new();
        W.get_or_init(|| {
            World::parse(EMBEDDED_SETTLEMENTS, EMBEDDED_CROSSINGS, EMBEDDED_DISTRICTS)
                .expect("embedded settlements, crossings and districts are valid")
        })
    }

    /// Parses and checks the three files.
    pub fn parse(settlements: &str, crossings: &str, districts: &str) -> Result<World, WorldError> {
        let settlements = parse_settlements(settlements)?;
        let by_id: HashMap<u32, usize> = settlements
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let crossings = toml::from_str::<CrossingFile>(crossings)
            .map_err(|source| WorldError::Toml {
                file: "crossings.toml",
                source,
            })?
            .crossing;
        for c in &crossings {
            let bad = |problem: String| WorldError::Crossing {
                crossing: c.id.clone(),
                problem,
            };
            if !BORDER_PAIRS.contains(&c.border.as_str()) {
                return Err(bad(format!("unknown border {:?}", c.border)));
            }
            if let Some(id) = c.settlements.iter().find(|id| !by_id.contains_key(id)) {
                return Err(bad(format!("settlement {id} is not in settlements.tsv")));
            }
            if c.names.is_empty() || c.source.trim().is_empty() {
                return Err(bad("needs names and a source".into()));
            }
        }
        let districts = toml::from_str::<DistrictFile>(districts)
            .map_err(|source| WorldError::Toml {
                file: "districts.toml",
                source,
            })?
            .district;
        Ok(World {
            settlements,
            by_id,
            crossings,
            districts,
        })
    }

    pub fn settlements(&self) -> &[Settlement] {
        &self.settlements
    }
    pub fn settlement(&self, id: u32) -> Option<&Settlement> {
        self.by_id.get(&id).map(|&i| &self.settlements[i])
    }
    pub fn crossings(&self) -> &[Crossing] {
        &self.crossings
    }
    pub fn districts(&self) -> &[District] {
        &self.districts
    }
}

fn parse_settlements(src: &str) -> Result<Vec<Settlement>, WorldError> {
    let mut out = Vec::with_capacity(4096);
    for (i, line) in src.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        out.push(
            parse_settlement(line).map_err(|problem| WorldError::Settlement {
                line: i + 1,
                problem,
            })?,
        );
    }
    Ok(out)
}

fn parse_settlement(line: &str) -> Result<Settlement, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 9 {
        return Err(format!("{} fields, expected 9", f.len()));
    }
    let num = |i: usize, what: &str| -> Result<f64, String> {
        f[i].parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} {:?} is not a number", f[i]))
    };
    let id = f[0]
        .parse::<u32>()
        .map_err(|_| format!("id {:?} is not a GeoNames id", f[0]))?;
    let (lat, lon) = (num(3, "lat")?, num(4, "lon")?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("lon/lat {lon}, {lat} out of range"));
    }
    let mut near_borders = Vec::new();
    if f[7] != "-" {
        for item in f[7].split(';') {
            let (b, km) = item
                .split_once(':')
                .ok_or_else(|| format!("border distance {item:?} is not ID:KM"))?;
            let km = km
                .parse::<f32>()
                .map_err(|_| format!("border distance {item:?} is not ID:KM"))?;
            near_borders.push((b.to_string(), km));
        }
    }
    Ok(Settlement {
        id,
        name: f[1].to_string(),
        country: f[2].to_string(),
        lat,
        lon,
        population: num(5, "population")? as u32,
        ambiguous: f[6] == "a",
        near_borders,
        alternate_names: f[8]
            .split('|')
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_prefix('~') {
                Some(name) => AltName {
                    name: name.to_string(),
                    ambiguous: true,
                },
                None => AltName {
                    name: s.to_string(),
                    ambiguous: false,
                },
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_world_parses() {
        let w = World::embedded();
        assert!(w.settlements().len() > 4000);
        let sotk = w.settlement(616041).expect("Sotk");
        assert_eq!(sotk.country, "ARM");
        assert!(sotk.km_to_border("ARM-AZE").is_some_and(|d| d < 10.0));
        assert!(w.crossings().iter().any(|c| c.id == "upper-lars"));
    }

    #[test]
    fn bad_lines_are_errors_with_their_line() {
        let e = World::parse(
            "# h\n1\tX\tARM\tnorth\t44\t1\t-\t-\t\n",
            "crossing = []",
            "district = []",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 2") && e.contains("lat"), "{e}");
        let c = "[[crossing]]\nid = \"x\"\nnames = [\"X\"]\nborder = \"ARM-XXX\"\nlon = 1.0\nlat = 1.0\nsettlements = []\nsource = \"s\"\n";
        let e = World::parse("", c, "district = []")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`x`") && e.contains("ARM-XXX"), "{e}");
    }
}
