//! GeoJSON file → features (geo geometry + properties + style) and a load report.
//!
//! The top level is parsed into borrowed raw JSON slices, then each feature is parsed on its own
//! (in parallel): a bad feature becomes a warning that names its index and position, and the rest
//! of the file still loads. No `serde_json::Value` tree of the whole file is ever built.

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use rayon::prelude::*;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{Feature, LoadError, LoadedFile, Warning};
use crate::map::style::Style;

/// Geometry nesting (GeometryCollection in GeometryCollection) deeper than this is refused.
const MAX_COLLECTION_DEPTH: usize = 32;

/// Parses GeoJSON from bytes: UTF-8 (with or without BOM) or UTF-16 (with a BOM or without).
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<LoadedFile, LoadError> {
    let text = decode_text(bytes).map_err(|message| LoadError::Encoding {
        path: name.to_string(),
        message,
    })?;
    parse_str(&text, name)
}

fn decode_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    use std::borrow::Cow;
    let utf16 = |le: bool, skip: usize| {
        if !(bytes.len() - skip).is_multiple_of(2) {
            return Err("invalid UTF-16 text: an odd number of bytes".to_string());
        }
        let units = bytes[skip..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|e| format!("invalid UTF-16 text: {e}"))
    };
    // Without a BOM, JSON's first two characters are ASCII, so where the zero bytes of the
    // first four fall tells UTF-16's byte order (RFC 4627, section 3).
    match bytes {
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => return utf16(false, 0),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => return utf16(true, 0),
        _ => {}
    }
    if crate::article::looks_binary(bytes) {
        return Err("not a text file (it holds binary data)".into());
    }
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|e| utf8_error(rest, e)),
        [0xFF, 0xFE, ..] => utf16(true, 2),
        [0xFE, 0xFF, ..] => utf16(false, 2),
        _ => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| utf8_error(bytes, e)),
    }
}

fn utf8_error(bytes: &[u8], e: std::str::Utf8Error) -> String {
    let (line, column) = line_col(&bytes[..e.valid_up_to()], e.valid_up_to());
    format!(
        "{line}:{column}: not UTF-8 text (GeoJSON must be UTF-8): invalid byte at offset {}",
        e.valid_up_to()
    )
}

/// 1-based line and column of byte `offset` in `text`.
pub(super) fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, offset - line_start + 1)
}

/// The top level of a GeoJSON text, with features kept as raw slices.
#[derive(Deserialize)]
struct RawTop<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow, default)]
    features: Option<FeatureList<'a>>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// The `features` array, each feature left as raw text for a parallel parse; split in the same
/// pass that reads the top level (a big file is scanned once before the parallel part).
struct FeatureList<'a>(Vec<&'a RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for FeatureList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = FeatureList<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of Feature objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(f) = seq.next_element::<&'de RawValue>()? {
                    v.push(f);
                }
                Ok(FeatureList(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                _: A,
            ) -> Result<Self::Value, A::Error> {
                Err(serde::de::Error::custom(
                    "\"features\" must be an array of Feature objects, not an object",
                ))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

pub fn parse_str(text: &str, name: &str) -> Result<LoadedFile, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: name.to_string(),
        });
    }
    let json_err = |e: serde_json::Error| LoadError::Json {
        path: name.to_string(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    };
    let not_geojson = |line, column, message: String| LoadError::NotGeoJson {
        path: name.to_string(),
        line,
        column,
        message,
    };

    let top: RawTop = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => not_geojson(e.line(), e.column(), strip_position(&e)),
        _ => json_err(e),
    })?;
    let kind = top
        .kind
        .as_deref()
        .ok_or_else(|| not_geojson(1, 1, "the top-level object has no \"type\"".into()))?;
    // A `crs` member (GeoJSON of 2008): positions are reprojected as they are read, before
    // they are checked as lon/lat.
    let declared = super::legacy_crs(&top.rest, name)?;
    let mut out = LoadedFile::default();
    note_crs(&top.rest, declared.as_ref(), &mut out);
    let crs = declared.as_ref().filter(|c| !c.is_wgs84());
    match kind {
        "FeatureCollection" => {
            let items = top
                .features
                .ok_or_else(|| {
                    not_geojson(1, 1, "FeatureCollection has no \"features\" array".into())
                })?
                .0;
            let parsed: Vec<Result<(Feature, Vec<Warning>), Warning>> = items
                .par_iter()
                .enumerate()
                .map(|(index, raw)| parse_feature(text, index, raw.get(), crs))
                .collect();
            for r in parsed {
                match r {
                    Ok((f, notes)) => {
                        out.features.push(f);
                        out.warnings.extend(notes);
                    }
                    Err(w) => out.warnings.push(w),
                }
            }
            out.foreign.extend(top.rest);
            out.foreign.remove("bbox");
        }
        "Feature" => {
            let raw: &RawValue = serde_json::from_str(text).map_err(json_err)?;
            let (f, notes) = parse_feature(text, 0, raw.get(), crs).map_err(|w| {
                let (line, column) = line_col(text.as_bytes(), w.offset);
                not_geojson(line, column, w.message)
            })?;
            out.warnings.extend(notes);
            out.features.push(f);
        }
        _ => {
            let mut repairs = Repairs::default();
            let mut geometry = parse_geometry_value(text, &mut repairs.closed_rings)
                .map_err(|m| not_geojson(1, 1, m))?;
            if let (Some(c), Some(g)) = (crs, geometry.as_mut()) {
                c.reproject(g);
            }
            let geometry = geometry.and_then(|g| clean_geometry(g, &mut repairs));
            if let Some(message) = repairs.describe() {
                out.warnings.push(Warning {
                    feature: Some(0),
                    offset: 0,
                    line: 1,
                    column: 1,
                    message,
                });
            }
            out.features.push(Feature {
                index: 0,
                id: None,
                geometry,
                properties: super::Properties::new(),
                style: Style::default(),
            });
        }
    }
    // Warnings of features come out in file order.
    out.warnings.sort_by_key(|w| w.offset);
    resolve_positions(text, &mut out.warnings);
    Ok(out)
}

/// A `crs` member that names no known CRS is a warning; a known one is kept for `info`.
pub(super) fn note_crs(
    top: &Map<String, Value>,
    declared: Option<&super::Crs>,
    out: &mut LoadedFile,
) {
    match top.get("crs") {
        Some(member) if declared.is_none() && !member.is_null() => out.warnings.push(Warning {
            feature: None,
            offset: 0,
            line: 1,
            column: 1,
            message: format!(
                "the \"crs\" member {member} names no CRS this reader knows; positions are read as WGS 84 lon/lat"
            ),
        }),
        // Kept for `info` whatever the top level is.
        Some(member) => {
            out.foreign.insert("crs".into(), member.clone());
        }
        None => {}
    }
}

pub(super) fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Byte offset in `text` of serde_json's 1-based `line` and `column` (clamped to the text, and
/// back to a character's start: serde's column can fall inside one after a bad escape).
fn offset_in(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let mut at = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte offset of a slice that borrows from `text`.
fn offset_of(text: &str, slice: &str) -> usize {
    (slice.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len())
}

/// Fills in line and column of warnings from their offsets, with one pass over the text.
fn resolve_positions(text: &str, warnings: &mut [Warning]) {
    if warnings.is_empty() {
        return;
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    for w in warnings {
        let line = line_starts.partition_point(|&s| s <= w.offset);
        w.line = line;
        w.column = w.offset - line_starts[line - 1] + 1;
    }
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    id: Option<Value>,
    /// Read in the same pass as the rest of the feature (no second scan of big coordinates).
    #[serde(borrow, default)]
    geometry: Option<RawGeometry<'a>>,
    #[serde(default)]
    properties: Option<Value>,
}

/// Parses one feature, `raw` (a slice of `text`: warnings give offsets in `text`). `Err` skips
/// it; the `Vec` holds notes on repairs made to a kept feature.
pub(super) fn parse_feature(
    text: &str,
    index: usize,
    raw: &str,
    crs: Option<&super::Crs>,
) -> Result<(Feature, Vec<Warning>), Warning> {
    // Line and column are filled in later, for the warnings only (see `resolve_positions`).
    let (offset, line, column) = (offset_of(text, raw), 0, 0);
    let warn = |message: String| Warning {
        feature: Some(index),
        offset,
        line,
        column,
        message,
    };
    let rf: RawFeature = serde_json::from_str(raw).map_err(|e| {
        // Where in the feature serde stopped (its line and column count within the slice).
        let inner = offset_in(raw, e.line(), e.column());
        let what = if raw[..inner].contains("\"geometry\"") {
            "invalid geometry"
        } else {
            "cannot read this feature"
        };
        Warning {
            offset: offset + inner,
            ..warn(format!("{what}: {}", strip_position(&e)))
        }
    })?;
    match rf.kind.as_deref() {
        Some("Feature") => {}
        Some(other) => {
            return Err(warn(format!(
                "\"type\" is \"{other}\", expected \"Feature\""
            )))
        }
        None => return Err(warn("no \"type\" member".into())),
    }
    let properties = match rf.properties {
        Some(Value::Object(m)) => m,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(warn("\"properties\" must be an object or null".into())),
    };
    let mut repairs = Repairs::default();
    let geometry = match rf.geometry {
        None => None,
        Some(g) => geometry_from_raw(g, 0, &mut repairs.closed_rings).map_err(|m| {
            // Point at the geometry member (found again only on this error path).
            let at = raw.find("\"geometry\"").unwrap_or(0);
            Warning {
                offset: offset + at,
                ..warn(m)
            }
        })?,
    };
    let mut geometry = geometry;
    if let (Some(c), Some(g)) = (crs, geometry.as_mut()) {
        c.reproject(g);
    }
    super::finish_feature(index, geometry, repairs, properties, rf.id, warn)
}

/// A coordinates array of any depth. Positions (arrays of numbers) are read without a `Vec` of
/// their own: a big file has millions of them.
enum Coords {
    Num(f64),
    /// An array of two or more numbers; those after the second (z, m) are dropped.
    Pos(f64, f64),
    List(Vec<Coords>),
    /// An array that is neither a position nor a list of arrays (`[1]`, `[1, [2]]`, ...).
    Invalid,
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Coords;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or an array of coordinates")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Coords, E> {
                Ok(Coords::Num(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Coords, E> {
                Ok(Coords::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Coords, E> {
                Ok(Coords::Num(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
                let Some(first) = seq.next_element::<Coords>()? else {
                    return Ok(Coords::List(Vec::new()));
                };
                if let Coords::Num(x) = first {
                    // A position: the rest must be numbers too.
                    let mut y = None;
                    let mut valid = true;
                    while let Some(c) = seq.next_element::<Coords>()? {
                        match c {
                            Coords::Num(v) => {
                                y.get_or_insert(v);
                            }
                            _ => valid = false,
                        }
                    }
                    return Ok(match (valid, y) {
                        (true, Some(y)) => Coords::Pos(x, y),
                        _ => Coords::Invalid,
                    });
                }
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(8).max(4));
                v.push(first);
                while let Some(c) = seq.next_element()? {
                    v.push(c);
                }
                Ok(Coords::List(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    coordinates: Option<Coords>,
    #[serde(borrow, default)]
    geometries: Option<Vec<&'a RawValue>>,
}

/// Parses one geometry object; `Ok(None)` for an empty one. Rings given unclosed are counted
/// in `unclosed` (geo closes them).
fn parse_geometry_value(json: &str, unclosed: &mut usize) -> Result<Option<Geometry<f64>>, String> {
    parse_geometry_depth(json, 0, unclosed)
}

fn parse_geometry_depth(
    json: &str,
    depth: usize,
    unclosed: &mut usize,
) -> Result<Option<Geometry<f64>>, String> {
    if depth > MAX_COLLECTION_DEPTH {
        return Err(format!(
            "GeometryCollection nested more than {MAX_COLLECTION_DEPTH} deep"
        ));
    }
    let raw: RawGeometry = serde_json::from_str(json)
        .map_err(|e| format!("invalid geometry: {}", strip_position(&e)))?;
    geometry_from_raw(raw, depth, unclosed)
}

fn geometry_from_raw(
    raw: RawGeometry,
    depth: usize,
    unclosed: &mut usize,
) -> Result<Option<Geometry<f64>>, String> {
    let kind = raw.kind.as_deref().ok_or("geometry has no \"type\"")?;
    if kind == "GeometryCollection" {
        let parts = raw
            .geometries
            .ok_or("GeometryCollection has no \"geometries\" array")?;
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            if let Some(g) = parse_geometry_depth(p.get(), depth + 1, unclosed)? {
                out.push(g);
            }
        }
        return Ok(Some(Geometry::GeometryCollection(GeometryCollection(out))));
    }
    let coords = match raw.coordinates {
        Some(c) => c,
        None => return Err(format!("{kind} has no \"coordinates\"")),
    };
    let depth_err = |want: &str| format!("{kind} coordinates must be {want}");
    Ok(Some(match kind {
        "Point" => Geometry::Point(Point(position(&coords).ok_or_else(|| depth_err("a position [lon, lat]"))?)),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint(positions(&coords).ok_or_else(|| depth_err("an array of positions"))?.into_iter().map(Point).collect())),
        "LineString" => Geometry::LineString(LineString(positions(&coords).ok_or_else(|| depth_err("an array of positions"))?)),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(
            list(&coords).ok_or_else(|| depth_err("an array of arrays of positions"))?.iter().map(|c| positions(c).map(LineString)).collect::<Option<_>>().ok_or_else(|| depth_err("an array of arrays of positions"))?,
        )),
        "Polygon" => Geometry::Polygon(polygon(&coords, unclosed).ok_or_else(|| depth_err("an array of linear rings"))?),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon(
            list(&coords).ok_or_else(|| depth_err("an array of polygons"))?.iter().map(|p| polygon(p, unclosed)).collect::<Option<_>>().ok_or_else(|| depth_err("an array of polygons"))?,
        )),
        other => return Err(format!("unknown geometry type \"{other}\" (RFC 7946 has Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection)")),
    }))
}

fn list(c: &Coords) -> Option<&[Coords]> {
    match c {
        Coords::List(v) => Some(v),
        _ => None,
    }
}

/// A position: at least two numbers; elements after the second (z, m) are ignored. Range checks
/// come later (`clean_geometry`), so that one bad position does not lose its feature.
fn position(c: &Coords) -> Option<Coord<f64>> {
    match c {
        Coords::Pos(x, y) => Some(Coord { x: *x, y: *y }),
        _ => None,
    }
}

/// A list of positions as coordinates, in a vector of exactly their number: collected
/// through `Option`, it would grow by doubling, and a big file's rings would keep up to twice
/// the memory their coordinates need (they are projected in place and kept).
fn positions(c: &Coords) -> Option<Vec<Coord<f64>>> {
    positions_with_room(c, 0)
}

/// [`positions`], with room for `more`.
fn positions_with_room(c: &Coords, more: usize) -> Option<Vec<Coord<f64>>> {
    let list = list(c)?;
    let mut out = Vec::with_capacity(list.len() + more);
    for p in list {
        out.push(position(p)?);
    }
    Some(out)
}

/// A ring's positions, with room for the closing one where it lacks it (`Polygon::new`
/// closes it).
fn ring(c: &Coords) -> Option<Vec<Coord<f64>>> {
    let l = list(c)?;
    let unclosed = l.len() > 1 && l.first().and_then(position) != l.last().and_then(position);
    positions_with_room(c, usize::from(unclosed))
}

fn polygon(c: &Coords, unclosed: &mut usize) -> Option<Polygon<f64>> {
    let rings = list(c)?
        .iter()
        .map(|r| ring(r).map(LineString))
        .collect::<Option<Vec<_>>>()?;
    *unclosed += rings
        .iter()
        .filter(|r| r.0.len() > 1 && r.0.first() != r.0.last())
        .count();
    let mut it = rings.into_iter();
    let exterior = it.next().unwrap_or_else(|| LineString(vec![]));
    Some(Polygon::new(exterior, it.collect()))
}

/// What cleaning changed in a geometry, for the load report.
#[derive(Debug, Default)]
pub struct Repairs {
    pub dropped_positions: usize,
    pub closed_rings: usize,
    pub dropped_parts: usize,
}

impl Repairs {
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.dropped_positions > 0 {
            parts.push(format!(
                "{} non-finite or out-of-range positions dropped",
                self.dropped_positions
            ));
        }
        if self.closed_rings > 0 {
            parts.push(format!("{} unclosed rings closed", self.closed_rings));
        }
        if self.dropped_parts > 0 {
            parts.push(format!(
                "{} empty or degenerate parts skipped",
                self.dropped_parts
            ));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Valid lon/lat position. Longitudes past ±180° (to ±360°, as files that cross
/// the antimeridian write them) are kept: the map cuts them at its seam (`map::domain`).
fn valid(c: &Coord<f64>) -> bool {
    c.x.is_finite()
        && c.y.is_finite()
        && (-360.0..=360.0).contains(&c.x)
        && (-90.0..=90.0).contains(&c.y)
}

fn clean_line(l: LineString<f64>, min: usize, r: &mut Repairs) -> Option<LineString<f64>> {
    let n = l.0.len();
    let mut pts: Vec<Coord<f64>> = l.0.into_iter().filter(valid).collect();
    r.dropped_positions += n - pts.len();
    pts.dedup();
    let ok = pts.len() >= min;
    if !ok && n > 0 {
        r.dropped_parts += 1;
    }
    ok.then_some(LineString(pts))
}

fn clean_ring(l: LineString<f64>, r: &mut Repairs) -> Option<LineString<f64>> {
    let mut l = clean_line(l, 3, r)?;
    if l.0.first() != l.0.last() {
        l.0.push(l.0[0]);
        r.closed_rings += 1;
    }
    // A ring needs three distinct corners.
    if l.0.len() < 4 {
        r.dropped_parts += 1;
        return None;
    }
    Some(l)
}

fn clean_polygon(p: Polygon<f64>, r: &mut Repairs) -> Option<Polygon<f64>> {
    let (ext, holes) = p.into_inner();
    let ext = clean_ring(ext, r)?;
    Some(Polygon::new(
        ext,
        holes.into_iter().filter_map(|h| clean_ring(h, r)).collect(),
    ))
}

/// Closes rings, drops invalid positions and empty parts; `None` when nothing is left.
pub fn clean_geometry(g: Geometry<f64>, r: &mut Repairs) -> Option<Geometry<f64>> {
    match g {
        Geometry::Point(p) => {
            let ok = valid(&p.0);
            r.dropped_positions += usize::from(!ok);
            ok.then_some(Geometry::Point(p))
        }
        Geometry::MultiPoint(mp) => {
            let n = mp.0.len();
            let v: Vec<Point<f64>> = mp.0.into_iter().filter(|p| valid(&p.0)).collect();
            r.dropped_positions += n - v.len();
            (!v.is_empty()).then_some(Geometry::MultiPoint(MultiPoint(v)))
        }
        Geometry::LineString(l) => clean_line(l, 2, r).map(Geometry::LineString),
        Geometry::MultiLineString(ml) => {
            let v: Vec<_> =
                ml.0.into_iter()
                    .filter_map(|l| clean_line(l, 2, r))
                    .collect();
            (!v.is_empty()).then_some(Geometry::MultiLineString(MultiLineString(v)))
        }
        Geometry::Polygon(p) => clean_polygon(p, r).map(Geometry::Polygon),
        Geometry::MultiPolygon(mp) => {
            let v: Vec<_> =
                mp.0.into_iter()
                    .filter_map(|p| clean_polygon(p, r))
                    .collect();
            (!v.is_empty()).then_some(Geometry::MultiPolygon(MultiPolygon(v)))
        }
        Geometry::GeometryCollection(gc) => {
            let v: Vec<_> =
                gc.0.into_iter()
                    .filter_map(|g| clean_geometry(g, r))
                    .collect();
            (!v.is_empty()).then_some(Geometry::GeometryCollection(GeometryCollection(v)))
        }
        other => Some(other),
    }
}

/// The GeoJSON type name of a geometry.
pub fn geometry_type(g: &geo::Geometry<f64>) -> &'static str {
    use geo::Geometry::*;
    match g {
        Point(_) => "Point",
        MultiPoint(_) => "MultiPoint",
        LineString(_) | Line(_) => "LineString",
        MultiLineString(_) => "MultiLineString",
        Polygon(_) | Rect(_) | Triangle(_) => "Polygon",
        MultiPolygon(_) => "MultiPolygon",
        GeometryCollection(_) => "GeometryCollection",
    }
}
