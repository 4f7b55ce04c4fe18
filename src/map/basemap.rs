//! The base map, embedded in the binary so borderlens runs from any folder. See data/README.md
//! for where each file comes from.

use crate::map::layer::{LayerKind, MapLayer};
use crate::map::load::{parse_str, LoadedFile};
use crate::map::project::Projection;

pub const COUNTRIES: &str = include_str!("../../data/countries.geojson");
pub const BORDERS: &str = include_str!("../../data/borders.geojson");
pub const REGIONS: &str = include_str!("../../data/regions.geojson");
pub const PROVINCES: &str = include_str!("../../data/provinces.geojson");
pub const PLACES: &str = include_str!("../../data/places.geojson");
pub const WATER: &str = include_str!("../../data/water.geojson");
/// Natural Earth 1:50m countries of the whole world, drawn beneath the detailed region.
pub const WORLD: &str = include_str!("../../data/world.geojson");

/// Every embedded base-map file by name (the gazetteer refers to features by file and id).
pub const FILES: &[(&str, &str)] = &[
    ("countries.geojson", COUNTRIES),
    ("borders.geojson", BORDERS),
    ("regions.geojson", REGIONS),
    ("provinces.geojson", PROVINCES),
    ("places.geojson", PLACES),
    ("water.geojson", WATER),
];

/// lon/lat box of the whole South Caucasus (Armenia, Azerbaijan, Georgia and their borders).
pub const SOUTH_CAUCASUS_BBOX: [f64; 4] = [39.8, 38.3, 50.6, 43.8];

/// Parses one embedded file; the data is checked by the tests, so a failure is a build bug.
pub fn embedded(name: &str, text: &str) -> LoadedFile {
    parse_str(text, name).unwrap_or_else(|e| panic!("embedded base map data is broken: {e}"))
}

/// The base layers in draw order: the world, seas, land, provinces, lakes and rivers, regions, borders;
/// then places, which go on top of any overlay (see `Map::add_overlay`).
pub fn base_layers(projection: &Projection) -> Vec<MapLayer> {
    let water = embedded("water.geojson", WATER);
    let (seas, inland): (Vec<_>, Vec<_>) = water
        .features
        .into_iter()
        .partition(|f| f.prop_str("kind") == Some("sea"));
    let part = |features| LoadedFile {
        features,
        ..Default::default()
    };
    let specs: Vec<(&str, LayerKind, LoadedFile)> = vec![
        ("World", LayerKind::World, embedded("world.geojson", WORLD)),
        ("Seas", LayerKind::Seas, part(seas)),
        (
            "Countries",
            LayerKind::Countries,
            embedded("countries.geojson", COUNTRIES),
        ),
        (
            "Provinces",
            LayerKind::Provinces,
            embedded("provinces.geojson", PROVINCES),
        ),
        ("Lakes and rivers", LayerKind::Lakes, part(inland)),
        (
            "Regions",
            LayerKind::Regions,
            embedded("regions.geojson", REGIONS),
        ),
        (
            "Borders",
            LayerKind::Borders,
            embedded("borders.geojson", BORDERS),
        ),
        (
            "Places",
            LayerKind::Places,
            embedded("places.geojson", PLACES),
        ),
    ];
    std::thread::scope(|s| {
        let handles: Vec<_> = specs
            .into_iter()
            .map(|(name, kind, file)| {
                s.spawn(move || MapLayer::build(name, kind, file, projection))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("base layer build panicked"))
            .collect()
    })
}
