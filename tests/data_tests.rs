//! The embedded base map: ids, the Nagorno-Karabakh outline, and borders lying on outlines.

use std::collections::HashSet;

use borderlens::map::basemap;
use borderlens::map::load::{parse_str, Feature, LoadedFile};
use geo::{Area, BooleanOps, ChamberlainDuquetteArea, CoordsIter, Geometry, MultiPolygon};

fn load(name: &str, text: &str) -> LoadedFile {
    let f = parse_str(text, name).unwrap();
    assert!(f.warnings.is_empty(), "{name}: {:?}", f.warnings);
    f
}

fn by_id<'a>(f: &'a LoadedFile, id: &str) -> &'a Feature {
    f.features
        .iter()
        .find(|x| x.id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no feature {id}"))
}

fn multipolygon(f: &Feature) -> MultiPolygon<f64> {
    match f.geometry.clone().unwrap() {
        Geometry::MultiPolygon(m) => m,
        Geometry::Polygon(p) => MultiPolygon(vec![p]),
        g => panic!("{g:?}"),
    }
}

fn vertex_set(g: &Geometry<f64>) -> HashSet<(u64, u64)> {
    g.coords_iter()
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect()
}

#[test]
fn every_id_of_the_scheme_exists() {
    let countries = load("countries", basemap::COUNTRIES);
    for id in ["ARM", "AZE", "GEO", "IRN", "TUR", "RUS"] {
        by_id(&countries, id);
    }
    let regions = load("regions", basemap::REGIONS);
    for id in [
        "nagorno-karabakh",
        "nakhchivan",
        "abkhazia",
        "south-ossetia",
        "adjara",
        "syunik",
        "lachin-corridor",
    ] {
        by_id(&regions, id);
    }
    let water = load("water", basemap::WATER);
    for id in ["caspian-sea", "black-sea", "lake-sevan"] {
        by_id(&water, id);
    }
    let borders = load("borders", basemap::BORDERS);
    for id in [
        "ARM-AZE", "AZE-IRN", "ARM-IRN", "ARM-TUR", "ARM-GEO", "AZE-GEO", "GEO-RUS", "AZE-RUS",
        "GEO-TUR", "AZE-TUR",
    ] {
        by_id(&borders, id);
    }
    let places = load("places", basemap::PLACES);
    for id in crate::common::SCHEME_PLACES {
        by_id(&places, id);
    }
    load("provinces", basemap::PROVINCES);
}

#[test]
fn nagorno_karabakh_is_the_1991_oblast_inside_azerbaijan() {
    let regions = load("regions", basemap::REGIONS);
    let countries = load("countries", basemap::COUNTRIES);
    let nk = multipolygon(by_id(&regions, "nagorno-karabakh"));
    let km2 = nk.chamberlain_duquette_unsigned_area() / 1e6;
    assert!((km2 - 4300.0).abs() / 4300.0 < 0.10, "area {km2:.0} km²");
    let aze = multipolygon(by_id(&countries, "AZE"));
    // All of it within Azerbaijan: the part outside is less than 0.5 % (rounding at the edge).
    let outside = nk.difference(&aze).unsigned_area();
    assert!(outside < 0.005 * nk.unsigned_area(), "{outside}");
    let arm = multipolygon(by_id(&countries, "ARM"));
    assert!(nk.intersection(&arm).unsigned_area() < 0.005 * nk.unsigned_area());
}

#[test]
fn every_border_lies_on_both_outlines() {
    let countries = load("countries", basemap::COUNTRIES);
    let borders = load("borders", basemap::BORDERS);
    assert!(borders.features.len() >= 10);
    for b in &borders.features {
        let (a, c) = (b.prop_str("a").unwrap(), b.prop_str("b").unwrap());
        assert_eq!(b.id.as_deref(), Some(format!("{a}-{c}").as_str()));
        assert!(a < c);
        let verts = vertex_set(b.geometry.as_ref().unwrap());
        for code in [a, c] {
            let outline = vertex_set(by_id(&countries, code).geometry.as_ref().unwrap());
            let off = verts.iter().filter(|v| !outline.contains(v)).count();
            assert_eq!(
                off,
                0,
                "{}: {off} vertices off {code}'s outline",
                b.id.as_deref().unwrap()
            );
        }
    }
}

#[test]
fn armenia_azerbaijan_border_has_its_nakhchivan_part() {
    let regions = load("regions", basemap::REGIONS);
    let borders = load("borders", basemap::BORDERS);
    let nakh = vertex_set(by_id(&regions, "nakhchivan").geometry.as_ref().unwrap());
    for id in ["ARM-AZE", "AZE-IRN"] {
        let Some(Geometry::MultiLineString(ml)) = by_id(&borders, id).geometry.clone() else {
            panic!("{id} is not a MultiLineString")
        };
        let on_nakhchivan =
            ml.0.iter()
                .filter(|l| {
                    l.0.len() > 10
                        && l.0
                            .iter()
                            .all(|c| nakh.contains(&(c.x.to_bits(), c.y.to_bits())))
                })
                .count();
        let elsewhere =
            ml.0.iter()
                .filter(|l| {
                    l.0.len() > 10
                        && l.0
                            .iter()
                            .all(|c| !nakh.contains(&(c.x.to_bits(), c.y.to_bits())))
                })
                .count();
        assert!(
            on_nakhchivan >= 1 && elsewhere >= 1,
            "{id}: {on_nakhchivan} parts on Nakhchivan, {elsewhere} elsewhere"
        );
    }
}

#[test]
fn places_have_names_population_and_alternatives() {
    let places = load("places", basemap::PLACES);
    let stepanakert = by_id(&places, "stepanakert");
    let alts: Vec<&str> = stepanakert
        .properties
        .get("alt_names")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(alts.iter().any(|a| a.contains("Khankendi")), "{alts:?}");
    assert_eq!(by_id(&places, "yerevan").properties.value("capital"), true);
    assert!(
        by_id(&places, "baku")
            .properties
            .value("population")
            .as_u64()
            .unwrap()
            > 1_000_000
    );
}
