//! GPX → features, read with the `gpx` crate: each waypoint is a Point, each route a
//! LineString and each track a MultiLineString (one line per segment); sub-layers are
//! "waypoints", "routes" and "tracks".

use geo::Geometry;
use serde_json::{Map, Value};

use super::{
    format_error, Collector, Format, LoadError, LoadedFile, Place, SourceInfo, LAYER_PROPERTY,
};

pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let gpx = gpx::read(std::io::Cursor::new(bytes))
        .map_err(|e| format_error(name, Format::Gpx, String::new(), describe(&e)))?;
    if gpx.waypoints.is_empty() && gpx.routes.is_empty() && gpx.tracks.is_empty() {
        return Err(format_error(
            name,
            Format::Gpx,
            String::new(),
            "the file holds no waypoints, routes or tracks: nothing to draw",
        ));
    }
    let mut out = Collector::default();
    let props = |layer: &str, name: &Option<String>, desc: &Option<String>| {
        let mut p = Map::new();
        if let Some(n) = name {
            p.insert("name".into(), n.trim().into());
        }
        if let Some(d) = desc {
            p.insert("description".into(), d.trim().into());
        }
        p.insert(LAYER_PROPERTY.into(), Value::String(layer.into()));
        p
    };
    for w in &gpx.waypoints {
        let mut p = props("waypoints", &w.name, &w.description);
        if let Some(e) = w.elevation {
            p.insert("ele".into(), e.into());
        }
        out.push(Some(Geometry::Point(w.point())), p, Place::default());
    }
    for r in &gpx.routes {
        let p = props("routes", &r.name, &r.description);
        out.push(
            Some(Geometry::LineString(r.linestring())),
            p,
            Place::default(),
        );
    }
    for t in &gpx.tracks {
        let p = props("tracks", &t.name, &t.description);
        out.push(
            Some(Geometry::MultiLineString(t.multilinestring())),
            p,
            Place::default(),
        );
    }
    let info = SourceInfo::with_layers(Format::Gpx, &out.file.features);
    Ok((out.file, info))
}

/// The crate's error with its cause (the XML parser's message carries the position).
fn describe(e: &gpx::errors::GpxError) -> String {
    use std::error::Error;
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}
