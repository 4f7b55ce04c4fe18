//! ESRI Shapefile → features, read with the `shapefile` crate (its .dbf through `dbase`): the
//! .shp and .shx and .dbf beside it, or all of them in one .zip. The .prj, when there is one,
//! says the CRS: a common one is reprojected to WGS84, others are refused.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use ::shapefile::dbase;
use serde_json::{Map, Value};

use super::{
    format_error, Collector, Crs, Format, LoadError, LoadedFile, Place, SourceInfo,
    DEFAULT_SIZE_LIMIT,
};

/// Whether `path` names a Shapefile (by its extension: the parts are found by name).
pub fn is_shapefile_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"))
}

/// `path` with another extension, in the case the .shp used (`.SHP` → `.DBF`).
fn sibling(path: &Path, ext: &str) -> PathBuf {
    let upper = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.chars().all(|c| c.is_ascii_uppercase()));
    let want = if upper {
        ext.to_ascii_uppercase()
    } else {
        ext.to_string()
    };
    let p = path.with_extension(&want);
    if p.exists() {
        return p;
    }
    // Mixed case on disk: look for any case of the extension.
    let alt = path.with_extension(if upper {
        ext.to_string()
    } else {
        ext.to_ascii_uppercase()
    });
    if alt.exists() {
        alt
    } else {
        p
    }
}

/// The .shx, .dbf, .prj and .cpg beside a .shp that exist.
pub fn existing_parts(path: &Path) -> Vec<PathBuf> {
    ["shx", "dbf", "prj", "cpg"]
        .iter()
        .map(|e| sibling(path, e))
        .filter(|p| p.exists())
        .collect()
}

pub fn load_path(path: &Path, name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let open = |ext: &'static str, part: &'static str| {
        let p = sibling(path, ext);
        std::fs::File::open(&p)
            .map(std::io::BufReader::new)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    LoadError::MissingPart {
                        path: name.to_string(),
                        part,
                        expected: p.display().to_string(),
                    }
                } else {
                    LoadError::Io {
                        path: p.display().to_string(),
                        source: e,
                    }
                }
            })
    };
    let shp = open("shp", ".shp (geometry)")?;
    let shx = open("shx", ".shx (index)")?;
    let dbf = open("dbf", ".dbf (attributes)")?;
    let prj = std::fs::read(sibling(path, "prj")).ok();
    read(shp, shx, dbf, prj.as_deref(), name, Format::Shapefile)
}

/// The parts of a Shapefile as bytes (`None` for a part that is missing).
pub fn parse_parts(
    shp: &[u8],
    shx: Option<&[u8]>,
    dbf: Option<&[u8]>,
    prj: Option<&[u8]>,
    name: &str,
) -> Result<LoadedFile, LoadError> {
    let missing = |part| LoadError::MissingPart {
        path: name.to_string(),
        part,
        expected: format!("{part} beside {name}"),
    };
    let shx = shx.ok_or_else(|| missing(".shx (index)"))?;
    let dbf = dbf.ok_or_else(|| missing(".dbf (attributes)"))?;
    let c = std::io::Cursor::new;
    read(c(shp), c(shx), c(dbf), prj, name, Format::Shapefile).map(|(f, _)| f)
}

/// A .zip holding a Shapefile: the first .shp in it and its parts by the same stem.
pub fn parse_zip(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let err = |m: String| format_error(name, Format::ZippedShapefile, String::new(), m);
    let (mut zip, names) = super::open_zip(bytes, err)?;
    let shp = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with(".shp"))
        .ok_or_else(|| err("the archive holds no .shp".into()))?;
    let stem = &shp[..shp.len() - 4];
    let mut part = |ext: &str| -> Result<Option<Vec<u8>>, LoadError> {
        let Some(n) = names.iter().find(|n| {
            n.len() == stem.len() + 4
                && n.starts_with(stem)
                && n[stem.len()..].eq_ignore_ascii_case(ext)
        }) else {
            return Ok(None);
        };
        let mut v = Vec::new();
        zip.by_name(n)
            .map_err(|e| err(format!("{n}: {e}")))?
            .take(DEFAULT_SIZE_LIMIT)
            .read_to_end(&mut v)
            .map_err(|e| err(format!("{n}: cannot unzip: {e}")))?;
        Ok(Some(v))
    };
    let shp_bytes = part(".shp")?.unwrap_or_default();
    let (shx, dbf, prj) = (part(".shx")?, part(".dbf")?, part(".prj")?);
    let inner = format!("{name}/{shp}");
    let missing = |p| LoadError::MissingPart {
        path: inner.clone(),
        part: p,
        expected: format!("{stem}{} in the archive", &p[..4]),
    };
    let shx = shx.ok_or_else(|| missing(".shx (index)"))?;
    let dbf = dbf.ok_or_else(|| missing(".dbf (attributes)"))?;
    let c = std::io::Cursor::new;
    let (file, mut info) = read(
        c(&shp_bytes[..]),
        c(&shx[..]),
        c(&dbf[..]),
        prj.as_deref(),
        &inner,
        Format::ZippedShapefile,
    )?;
    info.format = Format::ZippedShapefile;
    Ok((file, info))
}

fn read<S, X, D>(
    shp: S,
    shx: X,
    dbf: D,
    prj: Option<&[u8]>,
    name: &str,
    format: Format,
) -> Result<(LoadedFile, SourceInfo), LoadError>
where
    S: Read + Seek,
    X: Read + Seek,
    D: Read + Seek,
{
    let err = |m: String| format_error(name, format, String::new(), m);
    let crs = match prj {
        None => None,
        Some(p) => {
            Some(
                Crs::from_wkt(&String::from_utf8_lossy(p)).map_err(|m| LoadError::Crs {
                    path: name.to_string(),
                    message: format!(".prj: {m}"),
                })?,
            )
        }
    };
    let shapes =
        shapefile::ShapeReader::with_shx(shp, shx).map_err(|e| err(format!(".shp/.shx: {e}")))?;
    let count = shapes.shape_count().unwrap_or(0);
    let table = dbase::Reader::new(dbf).map_err(|e| err(format!(".dbf: {e}")))?;
    let fields: Vec<String> = table
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let mut reader = shapefile::Reader::new(shapes, table);
    let mut out = Collector::default();
    for (i, r) in reader.iter_shapes_and_records().enumerate() {
        let at = Place::record(i + 1);
        let (shape, mut record) = match r {
            Ok(sr) => sr,
            Err(e) => {
                // A truncated or corrupt file: the records after this one cannot be trusted.
                let rest = count.saturating_sub(i + 1);
                out.skip(
                    at,
                    format!("cannot be read ({e}); {rest} records after it are not read either"),
                );
                break;
            }
        };
        let mut props = Map::new();
        for f in &fields {
            if let Some(v) = record.remove(f) {
                props.insert(f.to_string(), field_value(v));
            }
        }
        let geometry = match geo::Geometry::<f64>::try_from(shape) {
            Ok(mut g) => {
                if let Some(c) = &crs {
                    c.reproject(&mut g);
                }
                Some(g)
            }
            Err(shapefile::Error::UnsupportedConversion) => None,
            Err(e) => {
                out.skip(at, format!("geometry cannot be used: {e}"));
                continue;
            }
        };
        out.push(geometry, props, at);
    }
    let mut info = SourceInfo::plain(format);
    info.crs = crs.map(|c| c.describe());
    Ok((out.file, info))
}

fn field_value(v: dbase::FieldValue) -> Value {
    use dbase::FieldValue as F;
    let num = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
    match v {
        F::Character(s) => s.map_or(Value::Null, |s| Value::String(s.trim_end().to_string())),
        F::Memo(s) => Value::String(s),
        F::Numeric(n) => n.map_or(Value::Null, |n| {
            if n.fract() == 0.0 && n.abs() < 9e15 {
                Value::from(n as i64)
            } else {
                num(n)
            }
        }),
        F::Float(n) => n.map_or(Value::Null, |n| num(n as f64)),
        F::Double(n) | F::Currency(n) => num(n),
        F::Integer(n) => Value::from(n),
        F::Logical(b) => b.map_or(Value::Null, Value::Bool),
        F::Date(d) => d.map_or(Value::Null, |d| {
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }),
        other => Value::String(format!("{other}")),
    }
}
