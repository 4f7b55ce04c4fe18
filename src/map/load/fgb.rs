//! FlatGeobuf → features, read with the `flatgeobuf` crate (geometry through `geozero`). The
//! header's CRS is reprojected or refused. No text to parse: big files load fast.

use std::io::{Read, Seek};

use flatgeobuf::{FallibleStreamingIterator, FgbReader};
use geozero::{ColumnValue, FeatureProperties, PropertyProcessor, ToGeo};
use serde_json::{Map, Value};

use super::{format_error, Collector, Crs, Format, LoadError, LoadedFile, Place, SourceInfo};

pub fn parse_reader<R: Read + Seek>(
    reader: R,
    name: &str,
) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let err = |m: String| format_error(name, Format::FlatGeobuf, String::new(), m);
    let fgb = FgbReader::open(reader).map_err(|e| err(format!("cannot read the header: {e}")))?;
    let header = fgb.header();
    let crs = match header.crs() {
        None => Crs::wgs84(),
        Some(c) => {
            let r = match (c.org(), c.code(), c.wkt()) {
                (org, code, _)
                    if code > 0 && org.is_none_or(|o| o.eq_ignore_ascii_case("EPSG")) =>
                {
                    Crs::from_epsg(code as u32)
                }
                (_, _, Some(wkt)) => Crs::from_wkt(wkt),
                _ => Ok(Crs::wgs84()),
            };
            r.map_err(|message| LoadError::Crs {
                path: name.to_string(),
                message,
            })?
        }
    };
    let declared = header.crs().is_some();
    let layer_name = header.name().map(str::to_string);
    let mut features = fgb
        .select_all()
        .map_err(|e| err(format!("cannot read the features: {e}")))?;
    let mut out = Collector::default();
    loop {
        let at = Place::record(out.seen + 1);
        let f = match features.next() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                // The stream of features is broken: what follows cannot be found.
                out.skip(
                    at,
                    format!("cannot be read ({e}); the features after it are not read either"),
                );
                break;
            }
        };
        let mut props = Props(Map::new());
        if let Err(e) = f.process_properties(&mut props) {
            out.skip(at, format!("properties cannot be read: {e}"));
            continue;
        }
        let geometry = match f.fbs_feature().geometry() {
            None => None,
            Some(_) => match f.to_geo() {
                Ok(mut g) => {
                    crs.reproject(&mut g);
                    Some(g)
                }
                Err(e) => {
                    out.skip(at, format!("geometry cannot be read: {e}"));
                    continue;
                }
            },
        };
        out.push(geometry, props.0, at);
    }
    let mut info = SourceInfo::plain(Format::FlatGeobuf);
    if let Some(l) = layer_name.filter(|l| !l.is_empty()) {
        info.layers.push((l, out.file.features.len()));
    }
    info.crs = declared.then(|| crs.describe());
    Ok((out.file, info))
}

/// Collects a feature's properties as JSON values, in column order.
struct Props(Map<String, Value>);

impl PropertyProcessor for Props {
    fn property(
        &mut self,
        _idx: usize,
        name: &str,
        value: &ColumnValue,
    ) -> geozero::error::Result<bool> {
        let num = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
        let v = match value {
            ColumnValue::Byte(n) => Value::from(*n),
            ColumnValue::UByte(n) => Value::from(*n),
            ColumnValue::Bool(b) => Value::Bool(*b),
            ColumnValue::Short(n) => Value::from(*n),
            ColumnValue::UShort(n) => Value::from(*n),
            ColumnValue::Int(n) => Value::from(*n),
            ColumnValue::UInt(n) => Value::from(*n),
            ColumnValue::Long(n) => Value::from(*n),
            ColumnValue::ULong(n) => Value::from(*n),
            ColumnValue::Float(x) => num(*x as f64),
            ColumnValue::Double(x) => num(*x),
            ColumnValue::String(s) | ColumnValue::DateTime(s) => Value::String(s.to_string()),
            ColumnValue::Json(s) => {
                serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
            }
            ColumnValue::Binary(_) => return Ok(false),
        };
        self.0.insert(name.to_string(), v);
        Ok(false)
    }
}
