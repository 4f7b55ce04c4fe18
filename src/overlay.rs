//! An article's entities → a GeoJSON FeatureCollection: one Feature per entity with its
//! geometry from the base map (a border is the derived shared line, all its parts), the
//! mentions, and simplestyle styling. No rendering here.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::article::{Article, Entity, EntityKind, Gazetteer};
use crate::basemap;

/// Overlay colours per kind (also used to highlight mentions in the article panel).
pub fn kind_colour(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Country => "#f0a030",
        EntityKind::Region => "#e34a33",
        EntityKind::Border => "#c2185b",
        EntityKind::Place => "#5e3c99",
    }
}

/// Base-map geometries (GeoJSON) by file name and feature id, parsed once.
fn base_geometries() -> &'static HashMap<(&'static str, String), Value> {
    static GEOMETRIES: OnceLock<HashMap<(&'static str, String), Value>> = OnceLock::new();
    GEOMETRIES.get_or_init(|| {
        let files = [
            ("countries.geojson", basemap::COUNTRIES),
            ("borders.geojson", basemap::BORDERS),
            ("regions.geojson", basemap::REGIONS),
            ("provinces.geojson", basemap::PROVINCES),
            ("places.geojson", basemap::PLACES),
            ("water.geojson", basemap::WATER),
        ];
        let mut m = HashMap::new();
        for (file, text) in files {
            let v: Value = serde_json::from_str(text).expect("embedded base map is valid JSON");
            for f in v["features"].as_array().into_iter().flatten() {
                if let Some(id) = f["properties"]["id"].as_str() {
                    m.insert((file, id.to_string()), f["geometry"].clone());
                }
            }
        }
        m
    })
}

/// The base-map geometry of an entity id (gazetteer reference, or a border `ARM-AZE`).
pub fn entity_geometry(g: &Gazetteer, id: &str) -> Option<Value> {
    let geoms = base_geometries();
    let parts: Vec<&Value> = match g.get(id) {
        Some(e) if !e.geometry.ids.is_empty() => {
            let file = e.geometry.file.as_str();
            e.geometry
                .ids
                .iter()
                .filter_map(|i| {
                    geoms
                        .iter()
                        .find(|((f, gid), _)| *f == file && gid == i)
                        .map(|(_, v)| v)
                })
                .collect()
        }
        _ => geoms
            .get(&("borders.geojson", id.to_string()))
            .into_iter()
            .collect(),
    };
    match parts.as_slice() {
        [] => None,
        [one] => Some((*one).clone()),
        many => {
            // Several polygons (the South Caucasus is three countries): one MultiPolygon.
            let mut polys = Vec::new();
            for p in many {
                match p["type"].as_str() {
                    Some("Polygon") => polys.push(p["coordinates"].clone()),
                    Some("MultiPolygon") => {
                        polys.extend(p["coordinates"].as_array().cloned().unwrap_or_default())
                    }
                    _ => return Some(json!({"type": "GeometryCollection", "geometries": many})),
                }
            }
            Some(json!({"type": "MultiPolygon", "coordinates": polys}))
        }
    }
}

fn style(kind: EntityKind) -> Map<String, Value> {
    let c = kind_colour(kind);
    let v = match kind {
        EntityKind::Country => {
            json!({"fill": c, "fill-opacity": 0.12, "stroke": c, "stroke-width": 1.5, "stroke-opacity": 0.8})
        }
        EntityKind::Region => {
            json!({"fill": c, "fill-opacity": 0.35, "stroke": c, "stroke-width": 2, "stroke-opacity": 0.9})
        }
        EntityKind::Border => {
            json!({"stroke": c, "stroke-width": 5, "stroke-opacity": 0.9, "fill-opacity": 0})
        }
        EntityKind::Place => json!({"marker-color": c, "marker-size": "medium"}),
    };
    v.as_object().cloned().unwrap_or_default()
}

/// The overlay of an annotated article: countries first, then regions, borders and places, so
/// that the finer features draw on top. An entity without base-map geometry (the Karabakh line
/// of contact) is kept with a null geometry.
pub fn article_overlay(
    g: &Gazetteer,
    article: &Article,
    entities: &[Entity],
) -> geojson::FeatureCollection {
    let mut sorted: Vec<&Entity> = entities.iter().collect();
    sorted.sort_by_key(|e| (e.kind, std::cmp::Reverse(e.mentions.len())));
    let features = sorted.iter().map(|e| {
        let mut props = style(e.kind);
        props.insert("id".into(), json!(e.id));
        props.insert("kind".into(), json!(e.kind));
        props.insert("name".into(), json!(e.name));
        props.insert("title".into(), json!(e.name));
        props.insert("count".into(), json!(e.mentions.len()));
        props.insert(
            "mentions".into(),
            serde_json::to_value(&e.mentions).unwrap_or(Value::Null),
        );
        geojson::Feature {
            bbox: None,
            geometry: entity_geometry(g, &e.id).and_then(|v| serde_json::from_value(v).ok()),
            id: Some(geojson::feature::Id::String(e.id.clone())),
            properties: Some(props),
            foreign_members: None,
        }
    });
    let mut fc = geojson::FeatureCollection::new(features);
    let mut foreign = Map::new();
    foreign.insert(
        "article".into(),
        json!({
            "title": article.title,
            "date": article.date,
            "path": article.path.as_ref().map(|p| p.display().to_string()),
        }),
    );
    fc.foreign_members = Some(foreign);
    fc
}
