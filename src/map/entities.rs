//! An article's entities as map features: each entity's geometry comes from the base map's
//! lon/lat features (a border is the derived shared line, all its parts), with simplestyle
//! styling per kind. The same features become the viewer's article layer directly and, for
//! `annotate`, a GeoJSON FeatureCollection.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{Geometry, GeometryCollection, MultiPolygon};
use serde_json::{json, Map, Value};

use crate::article::{Article, Entity, EntityKind, Gazetteer};
use crate::map::basemap;
use crate::map::load::Feature;
use crate::map::style::Style;

/// Overlay colours per kind (also used to highlight mentions in the article panel).
pub fn kind_colour(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Country => "#f0a030",
        EntityKind::Region => "#e34a33",
        EntityKind::Border => "#c2185b",
        EntityKind::Place => "#5e3c99",
    }
}

/// Base-map lon/lat geometries by file name and feature id, parsed once per process (an
/// article layer never builds the base map's layers again).
fn base_geometries() -> &'static HashMap<(&'static str, String), Geometry<f64>> {
    static GEOMETRIES: OnceLock<HashMap<(&'static str, String), Geometry<f64>>> = OnceLock::new();
    GEOMETRIES.get_or_init(|| {
        let mut m = HashMap::new();
        for (file, text) in basemap::FILES {
            for f in basemap::embedded(file, text).features {
                if let (Some(id), Some(g)) = (f.prop_str("id").map(str::to_owned), f.geometry) {
                    m.insert((*file, id), g);
                }
            }
        }
        m
    })
}

/// The base-map geometry of an entity id (gazetteer reference, or a border `ARM-AZE`).
pub fn entity_geometry(g: &Gazetteer, id: &str) -> Option<Geometry<f64>> {
    let geoms = base_geometries();
    let parts: Vec<&Geometry<f64>> = match g.get(id) {
        Some(e) if !e.geometry.ids.is_empty() => {
            let file = e.geometry.file.as_str();
            e.geometry
                .ids
                .iter()
                .filter_map(|i| {
                    basemap::FILES
                        .iter()
                        .find(|(f, _)| *f == file)
                        .and_then(|(f, _)| geoms.get(&(*f, i.clone())))
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
                match p {
                    Geometry::Polygon(p) => polys.push(p.clone()),
                    Geometry::MultiPolygon(mp) => polys.extend(mp.0.iter().cloned()),
                    _ => {
                        let all = many.iter().map(|g| (*g).clone()).collect();
                        return Some(Geometry::GeometryCollection(GeometryCollection(all)));
                    }
                }
            }
            Some(Geometry::MultiPolygon(MultiPolygon(polys)))
        }
    }
}

/// simplestyle properties of an entity kind.
fn style_props(kind: EntityKind) -> Map<String, Value> {
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

/// Entities in draw order: countries first, then regions, borders and places, so that finer
/// features draw on top; within a kind, the most mentioned first.
pub fn draw_order(entities: &[Entity]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by_key(|&i| {
        (
            entities[i].kind,
            std::cmp::Reverse(entities[i].mentions.len()),
        )
    });
    order
}

/// One map feature per entity, in [`draw_order`]. Properties are what a reader sees (id, kind,
/// name, mention count) plus the style; the mentions themselves stay typed on the layer. An
/// entity without base-map geometry (the Karabakh line of contact) has a null geometry.
pub fn entity_features(g: &Gazetteer, entities: &[Entity], order: &[usize]) -> Vec<Feature> {
    order
        .iter()
        .enumerate()
        .map(|(index, &i)| {
            let e = &entities[i];
            let mut props = style_props(e.kind);
            let (style, _) = Style::from_properties(&props);
            props.insert("id".into(), json!(e.id));
            props.insert("kind".into(), json!(e.kind));
            props.insert("name".into(), json!(e.name));
            props.insert("count".into(), json!(e.mentions.len()));
            Feature {
                index,
                id: Some(e.id.clone()),
                geometry: entity_geometry(g, &e.id),
                properties: props,
                style,
            }
        })
        .collect()
}

/// The overlay of an annotated article as GeoJSON (what `annotate` writes): the same features
/// with their mentions, and the article's title, date and path as a foreign member.
pub fn article_geojson(
    g: &Gazetteer,
    article: &Article,
    entities: &[Entity],
) -> geojson::FeatureCollection {
    let order = draw_order(entities);
    let features = entity_features(g, entities, &order)
        .into_iter()
        .zip(&order)
        .map(|(f, &i)| {
            let mut props = f.properties;
            props.insert("title".into(), json!(entities[i].name));
            props.insert(
                "mentions".into(),
                serde_json::to_value(&entities[i].mentions).unwrap_or(Value::Null),
            );
            geojson::Feature {
                bbox: None,
                geometry: f.geometry.as_ref().map(geojson::Geometry::from),
                id: f.id.map(geojson::feature::Id::String),
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
