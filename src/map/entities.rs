//! An article's entities as map features: each entity's geometry comes from the base map's
//! lon/lat features (a border is the derived shared line, all its parts), with simplestyle
//! styling per kind; the settlements and crossings the open-world pass finds are points. A
//! border whose stretch the article localises is cut at build time (great-circle distance to
//! the places it is localised by): the stretch keeps the border's strong style, the rest of the
//! line follows as a faint feature. The same features become the viewer's article layer
//! directly and, for `annotate`, a GeoJSON FeatureCollection.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{
    Coord, Distance, Geometry, GeometryCollection, Haversine, InterpolatePoint, LineString,
    MultiLineString, MultiPolygon, Point,
};
use serde_json::{json, Map, Value};

use crate::article::{
    Article, Entity, EntityKind, Gazetteer, Located, Mention, OpenAnnotation, Via, World,
};
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

/// The `kind` of the faint rest of a border (the stretch is a `border`).
pub const REST_KIND: &str = "rest of border";

/// The faint rest of a border whose stretch an article localises: thin and pale, so that the
/// stretch reads as where the story is and the rest as where the border goes on.
fn faint_border_props() -> Map<String, Value> {
    let c = kind_colour(EntityKind::Border);
    json!({"stroke": c, "stroke-width": 2.5, "stroke-opacity": 0.5, "fill-opacity": 0})
        .as_object()
        .cloned()
        .unwrap_or_default()
}

/// An article's overlay: its entities in feature order (the geoparser's, then the settlements
/// and crossings it names as places), one feature per entity, then the faint rest of each
/// border whose stretch it localises (`features.len() >= entities.len()`).
#[derive(Debug, Clone, Default)]
pub struct ArticleOverlay {
    pub entities: Vec<Entity>,
    pub features: Vec<Feature>,
}

/// Id of a settlement's place entity (GeoNames id; a valid SVG group id once prefixed).
pub fn settlement_entity_id(geonames: u32) -> String {
    format!("geonames-{geonames}")
}

/// The places of the open-world pass as entities with their points: each settlement named as a
/// place (not those that are a gazetteer place already) and each crossing none of whose
/// settlements is named.
fn located_places(
    g: &Gazetteer,
    world: &World,
    text: &str,
    located: &Located,
) -> Vec<(Entity, [f64; 2])> {
    let mention = |start: usize, end: usize, sentence: usize| Mention {
        start,
        end,
        text: text.get(start..end).unwrap_or_default().to_string(),
        sentence,
    };
    let mut out: Vec<(Entity, [f64; 2])> = Vec::new();
    for m in &located.settlements {
        if matches!(m.via, Via::Gazetteer(_)) {
            continue;
        }
        let id = settlement_entity_id(m.id);
        let men = mention(m.start, m.end, m.sentence);
        match out.iter_mut().find(|(e, _)| e.id == id) {
            Some((e, _)) => e.mentions.push(men),
            None => out.push((
                Entity {
                    id,
                    kind: EntityKind::Place,
                    name: m.name.clone(),
                    mentions: vec![men],
                },
                [m.lon, m.lat],
            )),
        }
    }
    let named: Vec<u32> = located.settlements.iter().map(|m| m.id).collect();
    for c in &located.crossings {
        let Some(x) = world.crossings().iter().find(|x| x.id == c.id) else {
            continue;
        };
        if x.settlements.iter().any(|s| named.contains(s)) || g.get(&c.id).is_some() {
            continue;
        }
        let men = mention(c.start, c.end, c.sentence);
        match out.iter_mut().find(|(e, _)| e.id == c.id) {
            Some((e, _)) => e.mentions.push(men),
            None => out.push((
                Entity {
                    id: c.id.clone(),
                    kind: EntityKind::Place,
                    name: x.names.first().cloned().unwrap_or_else(|| c.id.clone()),
                    mentions: vec![men],
                },
                [c.lon, c.lat],
            )),
        }
    }
    for (e, _) in &mut out {
        e.mentions.sort_by_key(|m| m.start);
    }
    out
}

/// The overlay of an open-world annotation of `text` (the article's annotation text).
pub fn article_overlay(
    g: &Gazetteer,
    world: &World,
    text: &str,
    open: OpenAnnotation,
) -> ArticleOverlay {
    let OpenAnnotation {
        mut entities,
        located,
    } = open;
    let mut points: HashMap<String, [f64; 2]> = HashMap::new();
    for (e, p) in located_places(g, world, text, &located) {
        if !entities.iter().any(|x| x.id == e.id) {
            points.insert(e.id.clone(), p);
            entities.push(e);
        }
    }
    let order = draw_order(&entities);
    let mut features = Vec::with_capacity(order.len());
    let mut rests = Vec::new();
    for &i in &order {
        let e = &entities[i];
        let mut props = style_props(e.kind);
        let mut geometry = match points.get(&e.id) {
            Some(&[lon, lat]) => Some(Geometry::Point(Point::new(lon, lat))),
            None => entity_geometry(g, &e.id),
        };
        let stretch = located.stretches.iter().find(|s| s.border == e.id);
        if let (Some(s), Some(whole)) = (stretch, &geometry) {
            let near: Vec<[f64; 2]> = s.near.iter().map(|p| [p.lon, p.lat]).collect();
            let (strong, rest) = split_by_distance(whole, &near, s.radius_km);
            if !strong.0.is_empty() {
                geometry = Some(Geometry::MultiLineString(strong));
                props.insert("part".into(), json!("stretch"));
                props.insert("border".into(), json!(s.border));
                let ids: Vec<u32> = s.near.iter().filter_map(|p| p.settlement).collect();
                props.insert("near".into(), json!(ids));
                // A crossing not named after a settlement goes by its id: show its name.
                let names: Vec<&str> = s
                    .near
                    .iter()
                    .map(|p| match p.settlement {
                        Some(_) => p.name.as_str(),
                        None => world
                            .crossings()
                            .iter()
                            .find(|x| x.id == p.name)
                            .and_then(|x| x.names.first())
                            .map_or(p.name.as_str(), String::as_str),
                    })
                    .collect();
                props.insert("near_names".into(), json!(names));
                props.insert("radius_km".into(), json!(s.radius_km));
                if !rest.0.is_empty() {
                    rests.push((e.id.clone(), e.name.clone(), rest));
                }
            }
        }
        if let Some(Geometry::Point(_)) = geometry.as_ref().filter(|_| points.contains_key(&e.id)) {
            if let Some(n) = e.id.strip_prefix("geonames-") {
                props.insert("geonames".into(), json!(n.parse::<u32>().ok()));
            }
        }
        let (style, _) = Style::from_properties(&props);
        props.insert("id".into(), json!(e.id));
        props.insert("kind".into(), json!(e.kind));
        props.insert("name".into(), json!(e.name));
        props.insert("count".into(), json!(e.mentions.len()));
        features.push(Feature {
            index: features.len(),
            id: Some(e.id.clone()),
            geometry,
            properties: props.into(),
            style,
        });
    }
    for (border, name, rest) in rests {
        let mut props = faint_border_props();
        let (style, _) = Style::from_properties(&props);
        let id = format!("{border}-rest");
        props.insert("id".into(), json!(id));
        // A kind of its own, so that a legend grouping features by kind tells it from the
        // stretch.
        props.insert("kind".into(), json!(REST_KIND));
        props.insert("part".into(), json!("rest"));
        props.insert("border".into(), json!(border));
        props.insert("name".into(), json!(name));
        features.push(Feature {
            index: features.len(),
            id: Some(id),
            geometry: Some(Geometry::MultiLineString(rest)),
            properties: props.into(),
            style,
        });
    }
    let mut entities: Vec<Option<Entity>> = entities.into_iter().map(Some).collect();
    let entities = order.iter().filter_map(|&i| entities[i].take()).collect();
    ArticleOverlay { entities, features }
}

/// Steps (km) at which a segment is probed for the edge of the radius; the edge itself is then
/// found by bisection to a few metres.
const PROBE_KM: f64 = 0.5;

/// Splits the lines of `geometry` (lon/lat) into the parts within `radius_km` of any of `near`
/// (great-circle distance) and the rest. The cut points lie on the circles; the vertices
/// between them are the line's own, so the parts join the way the line ran.
pub fn split_by_distance(
    geometry: &Geometry<f64>,
    near: &[[f64; 2]],
    radius_km: f64,
) -> (MultiLineString<f64>, MultiLineString<f64>) {
    let radius_m = radius_km * 1000.0;
    let inside = |c: Coord<f64>| {
        near.iter()
            .any(|p| Haversine.distance(Point::from(c), Point::new(p[0], p[1])) <= radius_m)
    };
    let mut strong = Vec::new();
    let mut rest = Vec::new();
    for line in lines_of(geometry) {
        let Some(&first) = line.0.first() else {
            continue;
        };
        let mut state = inside(first);
        let mut run = vec![first];
        for seg in line.lines() {
            let (a, b) = (Point::from(seg.start), Point::from(seg.end));
            let steps = (Haversine.distance(a, b) / (PROBE_KM * 1000.0))
                .ceil()
                .max(1.0) as usize;
            let at = |t: f64| Haversine.point_at_ratio_between(a, b, t).0;
            let mut t0 = 0.0;
            for k in 1..=steps {
                let t1 = k as f64 / steps as f64;
                if inside(at(t1)) != state {
                    // Bisect the edge of the circle between t0 and t1.
                    let (mut lo, mut hi) = (t0, t1);
                    for _ in 0..16 {
                        let mid = 0.5 * (lo + hi);
                        if inside(at(mid)) == state {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    let cut = at(hi);
                    run.push(cut);
                    let done = std::mem::replace(&mut run, vec![cut]);
                    if state { &mut strong } else { &mut rest }.push(LineString(done));
                    state = !state;
                }
                t0 = t1;
            }
            run.push(seg.end);
        }
        if run.len() > 1 {
            if state { &mut strong } else { &mut rest }.push(LineString(run));
        }
    }
    (MultiLineString(strong), MultiLineString(rest))
}

/// The line strings of a (multi)line or a collection of them; polygons give none.
fn lines_of(g: &Geometry<f64>) -> Vec<&LineString<f64>> {
    match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(m) => m.0.iter().collect(),
        Geometry::GeometryCollection(c) => c.0.iter().flat_map(lines_of).collect(),
        _ => Vec::new(),
    }
}

/// The overlay of an annotated article as GeoJSON (what `annotate` writes): the same features
/// with their entities' mentions (a border's stretch carries its `border` and `near` GeoNames
/// ids), and the article's title, date and path as a foreign member.
pub fn article_geojson(article: &Article, overlay: &ArticleOverlay) -> geojson::FeatureCollection {
    let features = overlay.features.iter().enumerate().map(|(i, f)| {
        let mut props = f.properties.to_map();
        if let Some(e) = overlay.entities.get(i) {
            props.insert("title".into(), json!(e.name));
            props.insert(
                "mentions".into(),
                serde_json::to_value(&e.mentions).unwrap_or(Value::Null),
            );
        }
        geojson::Feature {
            bbox: None,
            geometry: f.geometry.as_ref().map(geojson::Geometry::from),
            id: f.id.clone().map(geojson::feature::Id::String),
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Length;

    fn km(a: Coord<f64>, b: [f64; 2]) -> f64 {
        Haversine.distance(Point::from(a), Point::new(b[0], b[1])) / 1000.0
    }

    #[test]
    fn a_line_is_cut_on_the_circle_around_its_places() {
        // 2° of longitude at 40° N (about 170 km), a place on it in the middle.
        let line = Geometry::LineString(LineString::from(vec![(45.0, 40.0), (47.0, 40.0)]));
        let (strong, rest) = split_by_distance(&line, &[[46.0, 40.0]], 25.0);
        assert_eq!(strong.0.len(), 1);
        assert_eq!(rest.0.len(), 2);
        let s = &strong.0[0];
        for end in [s.0[0], s.0[s.0.len() - 1]] {
            assert!((km(end, [46.0, 40.0]) - 25.0).abs() < 0.01, "{end:?}");
        }
        let strong_km = Haversine.length(s) / 1000.0;
        assert!((strong_km - 50.0).abs() < 0.1, "{strong_km}");
        // The parts meet: the rest ends where the stretch begins.
        assert_eq!(rest.0[0].0.last(), s.0.first());
        assert_eq!(rest.0[1].0.first(), s.0.last());
        // Far from every place: all of it is the rest; no line: nothing.
        let (strong, rest) = split_by_distance(&line, &[[46.0, 42.0]], 25.0);
        assert!(strong.0.is_empty() && rest.0.len() == 1);
        let (strong, rest) = split_by_distance(
            &Geometry::Point(Point::new(46.0, 40.0)),
            &[[46.0, 40.0]],
            25.0,
        );
        assert!(strong.0.is_empty() && rest.0.is_empty());
    }
}
