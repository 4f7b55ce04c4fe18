//! KML and KMZ → features, read with the `kml` crate (KMZ unzipped with `zip`). Placemarks keep
//! their name, description and ExtendedData as properties; folders become sub-layers; KML
//! styles (shared by `styleUrl`, through a StyleMap's "normal" style, or inline) become
//! simplestyle properties, so they draw like the same GeoJSON.

use std::collections::HashMap;
use std::io::Read;

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use kml::types::{Element, Placemark};
use kml::Kml;
use serde_json::{Map, Value};

use super::{
    format_error, geojson::line_col, Collector, Format, LoadError, LoadedFile, Place, SourceInfo,
    DEFAULT_SIZE_LIMIT, LAYER_PROPERTY,
};

/// Nesting of folders and MultiGeometries deeper than this is refused (no stack overflow).
const MAX_DEPTH: usize = 64;

pub fn parse_kml(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    parse(bytes, name, Format::Kml)
}

/// A KMZ: a zip archive whose `doc.kml` (or first .kml) is the document.
pub fn parse_kmz(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let err = |m: String| format_error(name, Format::Kmz, String::new(), m);
    let (mut zip, names) = super::open_zip(bytes, err)?;
    let doc = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| {
            names
                .iter()
                .find(|n| n.to_ascii_lowercase().ends_with(".kml"))
        })
        .ok_or_else(|| {
            err(format!(
                "the archive holds no .kml document (it has: {})",
                names.join(", ")
            ))
        })?
        .clone();
    let mut text = Vec::new();
    zip.by_name(&doc)
        .map_err(|e| err(format!("{doc}: {e}")))?
        .take(DEFAULT_SIZE_LIMIT)
        .read_to_end(&mut text)
        .map_err(|e| err(format!("{doc}: cannot unzip: {e}")))?;
    parse(&text, &format!("{name}/{doc}"), Format::Kmz)
}

fn parse(bytes: &[u8], name: &str, format: Format) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let err = |place: String, m: String| format_error(name, format, place, m);
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            let (l, c) = line_col(bytes, e.valid_up_to());
            err(format!("{l}:{c}"), "not UTF-8 text".into())
        })?;
    let root: Kml<f64> = kml::KmlReader::<_, f64>::from_string(text)
        .read()
        .map_err(|e| describe_error(text, e, &err))?;
    let mut styles = Styles::default();
    styles.collect(&root, 0);
    let mut out = Collector::default();
    walk(&root, None, &styles, &mut out, 0);
    let info = SourceInfo::with_layers(format, &out.file.features);
    Ok((out.file, info))
}

/// A readable message for the `kml` crate's error, with the line and column of a bad number.
fn describe_error(
    text: &str,
    e: kml::Error,
    err: &dyn Fn(String, String) -> LoadError,
) -> LoadError {
    match e {
        kml::Error::NumParse(tok) => {
            let place = find_in_coordinates(text, &tok)
                .map(|o| {
                    let (l, c) = line_col(text.as_bytes(), o);
                    format!("{l}:{c}")
                })
                .unwrap_or_default();
            err(
                place,
                format!("broken coordinate: \"{tok}\" is not a number"),
            )
        }
        kml::Error::InvalidInput(m) => err(String::new(), format!("invalid XML: {m}")),
        other => err(String::new(), other.to_string()),
    }
}

/// Byte offset of `token` inside a `<coordinates>` element (where the crate found it).
fn find_in_coordinates(text: &str, token: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("<coordinates>") {
        let start = from + i;
        let end = text[start..]
            .find("</coordinates>")
            .map_or(text.len(), |e| start + e);
        if let Some(j) = text[start..end].find(token.trim()) {
            return Some(start + j);
        }
        from = end.min(text.len());
        if from == start {
            break;
        }
    }
    None
}

/// A KML style as simplestyle properties (only what the style sets).
#[derive(Debug, Clone, Default)]
struct KmlStyle(Map<String, Value>);

impl KmlStyle {
    fn line(&mut self, color: Option<&str>, width: Option<f64>) {
        if let Some((rgb, a)) = color.and_then(parse_color) {
            self.0.insert("stroke".into(), rgb.into());
            self.0.insert("stroke-opacity".into(), a.into());
        }
        if let Some(w) = width.filter(|w| w.is_finite() && *w >= 0.0) {
            self.0.insert("stroke-width".into(), w.into());
        }
    }

    fn poly(&mut self, color: Option<&str>, fill: bool, outline: bool) {
        if let Some((rgb, a)) = color.and_then(parse_color) {
            self.0.insert("fill".into(), rgb.into());
            self.0.insert("fill-opacity".into(), a.into());
        }
        if !fill {
            self.0.insert("fill-opacity".into(), 0.0.into());
        }
        if !outline {
            self.0.insert("stroke-opacity".into(), 0.0.into());
        }
    }

    fn icon(&mut self, color: Option<&str>, scale: Option<f64>) {
        if let Some((rgb, _)) = color.and_then(parse_color) {
            self.0.insert("marker-color".into(), rgb.into());
        }
        if let Some(s) = scale {
            let size = if s < 0.8 {
                "small"
            } else if s > 1.2 {
                "large"
            } else {
                "medium"
            };
            self.0.insert("marker-size".into(), size.into());
        }
    }

    fn from_parsed(s: &kml::types::Style) -> KmlStyle {
        let mut k = KmlStyle::default();
        if let Some(l) = &s.line {
            k.line(Some(&l.color), Some(l.width));
        }
        if let Some(p) = &s.poly {
            k.poly(Some(&p.color), p.fill, p.outline);
        }
        if let Some(i) = &s.icon {
            k.icon(Some(&i.color), Some(i.scale));
        }
        k
    }

    /// An inline `<Style>` inside a Placemark (which the crate keeps as a generic element).
    fn from_element(e: &Element) -> KmlStyle {
        let mut k = KmlStyle::default();
        let child = |e: &Element, name: &str| -> Option<String> {
            e.children
                .iter()
                .find(|c| c.name == name)
                .and_then(|c| c.content.clone())
        };
        let flag = |e: &Element, name: &str| child(e, name).is_none_or(|v| v.trim() != "0");
        for c in &e.children {
            let color = child(c, "color");
            match c.name.as_str() {
                "LineStyle" => k.line(
                    color.as_deref(),
                    child(c, "width").and_then(|w| w.trim().parse().ok()),
                ),
                "PolyStyle" => k.poly(color.as_deref(), flag(c, "fill"), flag(c, "outline")),
                "IconStyle" => k.icon(
                    color.as_deref(),
                    child(c, "scale").and_then(|w| w.trim().parse().ok()),
                ),
                _ => {}
            }
        }
        k
    }
}

/// KML's `aabbggrr` colour → `#rrggbb` and opacity.
fn parse_color(s: &str) -> Option<(String, f64)> {
    let h = s.trim().trim_start_matches('#');
    if h.len() != 8 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    let (a, b, g, r) = (byte(0)?, byte(2)?, byte(4)?, byte(6)?);
    Some((
        format!("#{r:02x}{g:02x}{b:02x}"),
        (a as f64 / 255.0 * 1000.0).round() / 1000.0,
    ))
}

/// Shared styles by id, and StyleMaps' "normal" style URLs.
#[derive(Default)]
struct Styles {
    by_id: HashMap<String, KmlStyle>,
    maps: HashMap<String, String>,
}

impl Styles {
    fn collect(&mut self, k: &Kml<f64>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match k {
            Kml::Style(s) => {
                if let Some(id) = &s.id {
                    self.by_id.insert(id.clone(), KmlStyle::from_parsed(s));
                }
            }
            Kml::StyleMap(m) => {
                if let (Some(id), Some(p)) = (&m.id, m.pairs.iter().find(|p| p.key == "normal")) {
                    self.maps.insert(id.clone(), p.style_url.clone());
                }
            }
            _ => children(k).iter().for_each(|c| self.collect(c, depth + 1)),
        }
    }

    /// The style a `styleUrl` (`#id`, through at most one StyleMap) names.
    fn resolve(&self, url: &str) -> Option<&KmlStyle> {
        let id = url.rsplit('#').next()?;
        self.by_id.get(id).or_else(|| {
            let normal = self.maps.get(id)?;
            self.by_id.get(normal.rsplit('#').next()?)
        })
    }
}

fn children(k: &Kml<f64>) -> &[Kml<f64>] {
    match k {
        Kml::KmlDocument(d) => &d.elements,
        Kml::Document { elements, .. } => elements,
        Kml::Folder(f) => &f.elements,
        _ => &[],
    }
}

fn walk(k: &Kml<f64>, folder: Option<&str>, styles: &Styles, out: &mut Collector, depth: usize) {
    if depth > MAX_DEPTH {
        out.skip(
            Place::default(),
            format!("folders nested more than {MAX_DEPTH} deep are not read"),
        );
        return;
    }
    match k {
        Kml::Placemark(p) => placemark(p, folder, styles, out),
        Kml::Folder(f) => {
            let own = f.name.clone().unwrap_or_else(|| "Folder".into());
            let path = match folder {
                Some(parent) => format!("{parent}/{own}"),
                None => own,
            };
            f.elements
                .iter()
                .for_each(|c| walk(c, Some(&path), styles, out, depth + 1));
        }
        _ => children(k)
            .iter()
            .for_each(|c| walk(c, folder, styles, out, depth + 1)),
    }
}

fn placemark(p: &Placemark<f64>, folder: Option<&str>, styles: &Styles, out: &mut Collector) {
    let mut props = Map::new();
    if let Some(n) = &p.name {
        props.insert("name".into(), n.trim().into());
    }
    if let Some(d) = &p.description {
        props.insert("description".into(), d.trim().into());
    }
    for c in &p.children {
        if c.name == "ExtendedData" {
            extended_data(c, &mut props);
        }
    }
    let mut style = p
        .style_url
        .as_deref()
        .and_then(|u| styles.resolve(u))
        .cloned()
        .unwrap_or_default();
    for c in p.children.iter().filter(|c| c.name == "Style") {
        style.0.extend(KmlStyle::from_element(c).0);
    }
    for (k, v) in style.0 {
        props.entry(k).or_insert(v);
    }
    if let Some(f) = folder {
        props.insert(LAYER_PROPERTY.into(), f.into());
    }
    let label = p
        .name
        .as_deref()
        .map(|n| format!(" (\"{}\")", n.trim()))
        .unwrap_or_default();
    match p.geometry.as_ref().map(|g| geometry(g, 0)) {
        Some(Err(m)) => out.skip(Place::default(), format!("Placemark{label}: {m}")),
        Some(Ok(g)) => out.push(g, props, Place::default()),
        None => out.push(None, props, Place::default()),
    }
}

/// `<Data name><value>` and `<SchemaData><SimpleData name>` pairs.
fn extended_data(e: &Element, props: &mut Map<String, Value>) {
    for c in &e.children {
        match c.name.as_str() {
            "Data" => {
                if let Some(name) = c.attrs.get("name") {
                    let v = c
                        .children
                        .iter()
                        .find(|v| v.name == "value")
                        .and_then(|v| v.content.clone());
                    props.insert(name.clone(), v.unwrap_or_default().into());
                }
            }
            "SchemaData" => extended_data(c, props),
            "SimpleData" => {
                if let Some(name) = c.attrs.get("name") {
                    props.insert(name.clone(), c.content.clone().unwrap_or_default().into());
                }
            }
            _ => {}
        }
    }
}

fn coords(c: &[kml::types::Coord<f64>]) -> Vec<Coord<f64>> {
    c.iter().map(|c| Coord { x: c.x, y: c.y }).collect()
}

fn geometry(g: &kml::types::Geometry<f64>, depth: usize) -> Result<Option<Geometry<f64>>, String> {
    use kml::types::Geometry as K;
    if depth > MAX_DEPTH {
        return Err(format!("MultiGeometry nested more than {MAX_DEPTH} deep"));
    }
    Ok(Some(match g {
        K::Point(p) => Geometry::Point(Point::new(p.coord.x, p.coord.y)),
        K::LineString(l) => Geometry::LineString(LineString(coords(&l.coords))),
        K::LinearRing(r) => Geometry::Polygon(Polygon::new(LineString(coords(&r.coords)), vec![])),
        K::Polygon(p) => Geometry::Polygon(Polygon::new(
            LineString(coords(&p.outer.coords)),
            p.inner.iter().map(|r| LineString(coords(&r.coords))).collect(),
        )),
        K::MultiGeometry(m) => {
            let mut parts = Vec::with_capacity(m.geometries.len());
            for g in &m.geometries {
                parts.extend(geometry(g, depth + 1)?);
            }
            homogeneous(parts)
        }
        K::Element(e) => return Err(format!("<{}> geometry is not supported (only Point, LineString, LinearRing, Polygon, MultiGeometry)", e.name)),
        _ => return Err("this geometry type is not supported (only Point, LineString, LinearRing, Polygon, MultiGeometry)".into()),
    }))
}

/// A MultiGeometry of one kind becomes the matching Multi* geometry.
fn homogeneous(parts: Vec<Geometry<f64>>) -> Geometry<f64> {
    if !parts.is_empty() && parts.iter().all(|g| matches!(g, Geometry::Polygon(_))) {
        return Geometry::MultiPolygon(MultiPolygon(
            parts
                .into_iter()
                .filter_map(|g| match g {
                    Geometry::Polygon(p) => Some(p),
                    _ => None,
                })
                .collect(),
        ));
    }
    if !parts.is_empty() && parts.iter().all(|g| matches!(g, Geometry::LineString(_))) {
        return Geometry::MultiLineString(MultiLineString(
            parts
                .into_iter()
                .filter_map(|g| match g {
                    Geometry::LineString(l) => Some(l),
                    _ => None,
                })
                .collect(),
        ));
    }
    if !parts.is_empty() && parts.iter().all(|g| matches!(g, Geometry::Point(_))) {
        return Geometry::MultiPoint(MultiPoint(
            parts
                .into_iter()
                .filter_map(|g| match g {
                    Geometry::Point(p) => Some(p),
                    _ => None,
                })
                .collect(),
        ));
    }
    Geometry::GeometryCollection(GeometryCollection(parts))
}
