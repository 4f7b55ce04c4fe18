//! TopoJSON → features: the `topojson` crate parses the topology; the arcs are decoded here
//! (once each, with index checks), because the crate's own GeoJSON conversion panics on an arc
//! index out of range and on nested collections. Each object becomes a sub-layer.

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::{Map, Value};
use topojson::{Topology, TransformParams, Value as TopoValue};

use super::{
    format_error, Collector, Format, LoadError, LoadedFile, Place, SourceInfo, LAYER_PROPERTY,
};

/// Collections nested deeper than this are refused (as in GeoJSON).
const MAX_DEPTH: usize = 32;

pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let topo = parse_topology(bytes, name)?;
    let arcs = decode_arcs(&topo);
    let mut out = Collector::default();
    for object in &topo.objects {
        let g = &object.geometry;
        // An object that is a GeometryCollection holds one feature per member (as topojson-client
        // makes them); any other object is one feature.
        let members: Vec<&topojson::Geometry> = match &g.value {
            TopoValue::GeometryCollection(list) => list.iter().collect(),
            _ => vec![g],
        };
        for (i, member) in members.into_iter().enumerate() {
            let mut props = member.properties.clone().unwrap_or_default();
            if let Some(id) = &member.id {
                props.entry("id").or_insert_with(|| id.clone());
            }
            props.insert(LAYER_PROPERTY.into(), Value::String(object.name.clone()));
            let at = Place::default();
            match geometry(&member.value, &arcs, topo.transform.as_ref(), 0) {
                Ok(geom) => out.push(geom, props, at),
                Err(m) => out.skip(at, format!("object \"{}\" geometry {i}: {m}", object.name)),
            }
        }
    }
    let info = SourceInfo::with_layers(Format::TopoJson, &out.file.features);
    Ok((out.file, info))
}

fn parse_topology(bytes: &[u8], name: &str) -> Result<Topology, LoadError> {
    let err = |place: String, m: String| format_error(name, Format::TopoJson, place, m);
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            err(
                String::new(),
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
        })?;
    let object: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
        err(
            format!("{}:{}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
    })?;
    match topojson::TopoJson::from_json_object(object) {
        Ok(topojson::TopoJson::Topology(t)) => Ok(t),
        Ok(_) => Err(err(
            String::new(),
            "the top-level \"type\" is not \"Topology\"".into(),
        )),
        Err(e) => Err(err(String::new(), e.to_string())),
    }
}

/// Arcs as absolute coordinates (delta-decoded and transformed when the topology is quantized);
/// positions with fewer than two numbers become NaN (dropped and counted by the cleaning).
fn decode_arcs(topo: &Topology) -> Vec<Vec<Coord<f64>>> {
    let nan = Coord {
        x: f64::NAN,
        y: f64::NAN,
    };
    topo.arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.iter()
                .map(|p| match (p.first(), p.get(1), &topo.transform) {
                    (Some(&px), Some(&py), Some(t)) => {
                        x += px;
                        y += py;
                        Coord {
                            x: x * t.scale[0] + t.translate[0],
                            y: y * t.scale[1] + t.translate[1],
                        }
                    }
                    (Some(&px), Some(&py), None) => Coord { x: px, y: py },
                    _ => nan,
                })
                .collect()
        })
        .collect()
}

fn point(p: &[f64], t: Option<&TransformParams>) -> Result<Point<f64>, String> {
    let (x, y) = match p {
        [x, y, ..] => (*x, *y),
        _ => return Err("a position needs two numbers".into()),
    };
    Ok(match t {
        Some(t) => Point::new(
            x * t.scale[0] + t.translate[0],
            y * t.scale[1] + t.translate[1],
        ),
        None => Point::new(x, y),
    })
}

/// A line made of arcs by index (a negative index `~i` is arc `i` reversed); consecutive arcs
/// share their end point, which is kept once.
fn line(arcs: &[Vec<Coord<f64>>], indexes: &[i32]) -> Result<LineString<f64>, String> {
    let arc_of = |ix: i32| if ix < 0 { (!ix) as usize } else { ix as usize };
    // Sized once: a world file's rings are kept for the session, and a vector grown arc by
    // arc would keep up to twice their coordinates.
    let room: usize = indexes
        .iter()
        .filter_map(|&ix| arcs.get(arc_of(ix)))
        .map(Vec::len)
        .sum();
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(room);
    for &ix in indexes {
        let (i, reversed) = (arc_of(ix), ix < 0);
        let arc = arcs.get(i).ok_or_else(|| {
            format!(
                "arc index {ix} is out of range (the topology has {} arcs)",
                arcs.len()
            )
        })?;
        let skip = usize::from(!out.is_empty());
        if reversed {
            out.extend(arc.iter().rev().skip(skip));
        } else {
            out.extend(arc.iter().skip(skip));
        }
    }
    Ok(LineString(out))
}

fn polygon(arcs: &[Vec<Coord<f64>>], rings: &[Vec<i32>]) -> Result<Polygon<f64>, String> {
    let mut rings = rings
        .iter()
        .map(|r| line(arcs, r))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    let exterior = rings.next().unwrap_or_else(|| LineString(vec![]));
    Ok(Polygon::new(exterior, rings.collect()))
}

fn geometry(
    v: &TopoValue,
    arcs: &[Vec<Coord<f64>>],
    t: Option<&TransformParams>,
    depth: usize,
) -> Result<Option<Geometry<f64>>, String> {
    Ok(Some(match v {
        TopoValue::Point(p) => Geometry::Point(point(p, t)?),
        TopoValue::MultiPoint(ps) => Geometry::MultiPoint(MultiPoint(
            ps.iter().map(|p| point(p, t)).collect::<Result<_, _>>()?,
        )),
        TopoValue::LineString(ix) => Geometry::LineString(line(arcs, ix)?),
        TopoValue::MultiLineString(ls) => Geometry::MultiLineString(MultiLineString(
            ls.iter()
                .map(|ix| line(arcs, ix))
                .collect::<Result<_, _>>()?,
        )),
        TopoValue::Polygon(rings) => Geometry::Polygon(polygon(arcs, rings)?),
        TopoValue::MultiPolygon(ps) => Geometry::MultiPolygon(MultiPolygon(
            ps.iter()
                .map(|p| polygon(arcs, p))
                .collect::<Result<_, _>>()?,
        )),
        TopoValue::GeometryCollection(gs) => {
            if depth >= MAX_DEPTH {
                return Err(format!(
                    "GeometryCollection nested more than {MAX_DEPTH} deep"
                ));
            }
            let mut parts = Vec::with_capacity(gs.len());
            for g in gs {
                parts.extend(geometry(&g.value, arcs, t, depth + 1)?);
            }
            Geometry::GeometryCollection(GeometryCollection(parts))
        }
    }))
}
