//! GeoPackage → features: SQLite through `rusqlite` (bundled SQLite), geometry blobs (the
//! GeoPackage header + WKB) decoded with `geozero`. Every feature table is read, in the order
//! of `gpkg_contents`, and becomes a sub-layer; its declared CRS is reprojected or refused.

use std::path::Path;

use geozero::ToGeo;
use rayon::prelude::*;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value};

use super::{
    format_error, make_feature, Collector, Crs, Format, LoadError, LoadedFile, Place, SourceInfo,
    LAYER_PROPERTY,
};

pub fn load_path(path: &Path, name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(name, e))?;
    read(&conn, name)
}

pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let mut conn = Connection::open_in_memory().map_err(|e| sql_error(name, e))?;
    conn.deserialize_read_exact(
        rusqlite::MAIN_DB,
        std::io::Cursor::new(bytes),
        bytes.len(),
        true,
    )
    .map_err(|e| sql_error(name, e))?;
    read(&conn, name)
}

fn sql_error(name: &str, e: rusqlite::Error) -> LoadError {
    format_error(
        name,
        Format::GeoPackage,
        String::new(),
        format!("SQLite: {e}"),
    )
}

/// A feature table of `gpkg_contents`.
struct Table {
    name: String,
    srs_id: i64,
    geometry_column: String,
}

fn read(conn: &Connection, name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let tables = feature_tables(conn).map_err(|e| {
        format_error(
            name,
            Format::GeoPackage,
            String::new(),
            format!("no GeoPackage feature tables (gpkg_contents, gpkg_geometry_columns): {e}"),
        )
    })?;
    let mut out = Collector::default();
    let mut crs_notes: Vec<String> = Vec::new();
    for t in &tables {
        let crs = table_crs(conn, t.srs_id).map_err(|m| LoadError::Crs {
            path: name.to_string(),
            message: format!("table \"{}\": {m}", t.name),
        })?;
        if !crs.is_wgs84() || tables.len() == 1 {
            crs_notes.push(if tables.len() == 1 {
                crs.describe()
            } else {
                format!("{}: {}", t.name, crs.describe())
            });
        }
        let rows = read_rows(conn, t).map_err(|e| {
            format_error(
                name,
                Format::GeoPackage,
                format!("table \"{}\"", t.name),
                format!("SQLite: {e}"),
            )
        })?;
        // Decoding the blobs is the costly part: in parallel, then pushed in file order.
        let first = out.seen;
        let made: Vec<_> = rows
            .into_par_iter()
            .enumerate()
            .map(|(i, (blob, mut props))| {
                let at = Place::record(i + 1);
                let prefix = format!("table \"{}\" ", t.name);
                props.insert(LAYER_PROPERTY.into(), Value::String(t.name.clone()));
                let geometry = match blob {
                    None => None,
                    Some(b) => match GpkgBlob(&b).decode() {
                        Ok(mut g) => {
                            crs.reproject(&mut g);
                            Some(g)
                        }
                        Err(m) => {
                            return Err(at.warning(
                                first + i,
                                format!("{prefix}geometry cannot be read: {m}"),
                            ))
                        }
                    },
                };
                make_feature(first + i, geometry, props, at).map_err(|mut w| {
                    w.message = format!("{prefix}{}", w.message);
                    w
                })
            })
            .collect();
        out.seen += made.len();
        for r in made {
            out.push_result(r);
        }
    }
    let mut info = SourceInfo::with_layers(Format::GeoPackage, &out.file.features);
    info.crs = (!crs_notes.is_empty()).then(|| crs_notes.join("; "));
    Ok((out.file, info))
}

fn feature_tables(conn: &Connection) -> rusqlite::Result<Vec<Table>> {
    let mut st = conn.prepare(
        "SELECT c.table_name, c.srs_id, g.column_name FROM gpkg_contents c \
         JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
         WHERE c.data_type = 'features' ORDER BY c.rowid",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Table {
            name: r.get(0)?,
            srs_id: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            geometry_column: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The CRS of an `srs_id`: by its EPSG code, else its WKT definition. 0 and -1 are the
/// GeoPackage's "undefined" geographic and Cartesian systems, read as lon/lat.
fn table_crs(conn: &Connection, srs_id: i64) -> Result<Crs, String> {
    if srs_id == 0 || srs_id == -1 || srs_id == 4326 {
        return Ok(Crs::wgs84());
    }
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok();
    match row {
        Some((org, code, _)) if org.eq_ignore_ascii_case("EPSG") => Crs::from_epsg(
            u32::try_from(code).map_err(|_| format!("EPSG code {code} is out of range"))?,
        ),
        Some((_, _, wkt)) => Crs::from_wkt(&wkt),
        None => Err(format!("srs_id {srs_id} is not in gpkg_spatial_ref_sys")),
    }
}

type Row = (Option<Vec<u8>>, Map<String, Value>);

fn read_rows(conn: &Connection, t: &Table) -> rusqlite::Result<Vec<Row>> {
    let quoted = format!("\"{}\"", t.name.replace('"', "\"\""));
    let mut st = conn.prepare(&format!("SELECT * FROM {quoted}"))?;
    let columns: Vec<String> = st.column_names().map(|c| c.to_string()).collect();
    let geom_index = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&t.geometry_column));
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut props = Map::new();
        let mut blob = None;
        for (i, c) in columns.iter().enumerate() {
            let v = r.get_ref(i)?;
            if Some(i) == geom_index {
                if let ValueRef::Blob(b) = v {
                    blob = Some(b.to_vec());
                }
                continue;
            }
            let json = match v {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => {
                    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
                }
                ValueRef::Text(s) => Value::String(String::from_utf8_lossy(s).into_owned()),
                // Binary attributes have no place in a feature's properties.
                ValueRef::Blob(_) => continue,
            };
            props.insert(c.clone(), json);
        }
        out.push((blob, props));
    }
    Ok(out)
}

/// A GeoPackage geometry blob.
struct GpkgBlob<'a>(&'a [u8]);

impl GpkgBlob<'_> {
    fn decode(&self) -> Result<geo::Geometry<f64>, String> {
        let b = self.0;
        if b.len() < 8 || &b[..2] != b"GP" {
            return Err("not a GeoPackage geometry blob (no \"GP\" header)".into());
        }
        // Flags bit 4: the geometry is empty (nothing to draw; the feature is kept without one).
        if b[3] & 0x10 != 0 {
            return Err("the geometry is empty".into());
        }
        geozero::wkb::GpkgWkb(b).to_geo().map_err(|e| e.to_string())
    }
}
