//! CSV (a spreadsheet's export) → point features, read with the `csv` crate: the latitude and
//! longitude columns are found by their usual names, or a WKT column gives any geometry
//! (parsed with `geozero`). The other columns become properties. A row whose coordinate is not
//! a number is skipped with a warning naming its line.

use geo::{Geometry, Point};
use geozero::ToGeo;
use serde_json::{Map, Value};

use super::{
    format_error, geojson::line_col, Collector, Format, LoadError, LoadedFile, Place, SourceInfo,
};

const LAT_NAMES: &[&str] = &["lat", "latitude", "y"];
const LON_NAMES: &[&str] = &["lon", "lng", "long", "longitude", "x"];
const WKT_NAMES: &[&str] = &["wkt", "geometry", "geom", "the_geom", "shape"];

/// The first line of `text` as lower-case header names, split at the likeliest delimiter.
fn header_names(text: &[u8]) -> (u8, Vec<String>) {
    let line_end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
    let line = String::from_utf8_lossy(&text[..line_end]);
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let names = line
        .split(delimiter as char)
        .map(|h| h.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect();
    (delimiter, names)
}

/// True when the first line looks like a CSV header with coordinate or WKT columns.
pub fn looks_like_csv(text: &[u8]) -> bool {
    let (_, names) = header_names(text);
    names.len() > 1
        && names
            .iter()
            .any(|n| LAT_NAMES.contains(&n.as_str()) || WKT_NAMES.contains(&n.as_str()))
}

enum Columns {
    LatLon { lat: usize, lon: usize },
    Wkt(usize),
}

pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let err = |place: String, m: String| format_error(name, Format::Csv, place, m);
    let (delimiter, names) = header_names(bytes);
    let find = |wanted: &[&str]| {
        wanted
            .iter()
            .find_map(|w| names.iter().position(|n| n == w))
    };
    let columns = match (find(LAT_NAMES), find(LON_NAMES), find(WKT_NAMES)) {
        (Some(lat), Some(lon), _) => Columns::LatLon { lat, lon },
        (_, _, Some(w)) => Columns::Wkt(w),
        _ => {
            return Err(err(
                "1:1".into(),
                format!(
                    "no coordinate columns in the header ({}): expected latitude ({}) and longitude ({}) columns, or a WKT column ({})",
                    names.join(", "),
                    LAT_NAMES.join(", "),
                    LON_NAMES.join(", "),
                    WKT_NAMES.join(", ")
                ),
            ))
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err("1:1".into(), e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut out = Collector::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let pos = reader.position().clone();
        let (line, column) = line_col(bytes, pos.byte() as usize);
        let at = Place::line(line, column);
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.skip(at, format!("row cannot be read: {e}"));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let field = |i: usize| {
            String::from_utf8_lossy(record.get(i).unwrap_or_default())
                .trim()
                .to_string()
        };
        let geometry = match &columns {
            Columns::LatLon { lat, lon } => {
                let number = |i: usize, what: &str| -> Result<f64, String> {
                    let v = field(i);
                    v.replace(',', ".").parse::<f64>().map_err(|_| {
                        format!(
                            "{what} (column \"{}\") is \"{v}\", not a number",
                            headers.get(i).map_or("", |h| h.as_str())
                        )
                    })
                };
                match (number(*lat, "latitude"), number(*lon, "longitude")) {
                    (Ok(y), Ok(x)) => Ok(Geometry::Point(Point::new(x, y))),
                    (Err(m), _) | (_, Err(m)) => Err(m),
                }
            }
            Columns::Wkt(i) => {
                let v = field(*i);
                geozero::wkt::Wkt(v.as_str()).to_geo().map_err(|e| {
                    format!(
                        "WKT (column \"{}\") cannot be read: {e}",
                        headers.get(*i).map_or("", |h| h.as_str())
                    )
                })
            }
        };
        let geometry = match geometry {
            Ok(g) => g,
            Err(m) => {
                out.skip(at, m);
                continue;
            }
        };
        let skip = match columns {
            Columns::LatLon { lat, lon } => [Some(lat), Some(lon)],
            Columns::Wkt(w) => [Some(w), None],
        };
        let mut props = Map::new();
        for (i, h) in headers.iter().enumerate() {
            if skip.contains(&Some(i)) {
                continue;
            }
            props.insert(h.clone(), value(&field(i)));
        }
        out.push(Some(geometry), props, at);
    }
    Ok((out.file, SourceInfo::plain(Format::Csv)))
}

/// A cell as JSON: empty → null, a number → number, else text.
fn value(s: &str) -> Value {
    if s.is_empty() {
        return Value::Null;
    }
    if let Ok(n) = s.parse::<i64>() {
        return Value::from(n);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && s.bytes().any(|b| b.is_ascii_digit()) => {
            serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
        }
        _ => match s {
            "true" | "TRUE" | "True" => Value::Bool(true),
            "false" | "FALSE" | "False" => Value::Bool(false),
            _ => Value::String(s.to_string()),
        },
    }
}
