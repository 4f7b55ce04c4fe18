//! Overlay files → features (geo geometry + properties + style) and a load report.
//!
//! The format is recognised by content (magic bytes, XML root element, `"type": "Topology"`),
//! the extension only breaking ties; each format has its own reader and all of them produce the
//! same `Feature`s, with the same guarantees: a bad feature is skipped with a warning naming it,
//! and nothing in a user's file makes the loader panic.

use std::path::{Path, PathBuf};

use geo::Geometry;
use serde_json::{Map, Value};

use crate::map::style::Style;

mod crs;
mod csv;
mod fgb;
pub mod geojson;
pub mod geojson_stream;
mod gpkg;
mod gpx;
mod kml;
mod properties;
mod shapefile;
mod topojson;

pub use self::crs::Crs;
pub use self::geojson::{clean_geometry, geometry_type, parse_str, Repairs};
pub use self::properties::{PropValue, Properties};
pub use self::shapefile::parse_parts as parse_shapefile_parts;

/// Files larger than this are refused unless the caller raises the limit.
pub const DEFAULT_SIZE_LIMIT: u64 = 2 << 30;

#[derive(Debug, Clone)]
pub struct Feature {
    /// Index of the feature in its file.
    pub index: usize,
    /// `id` member of the feature, or `properties.id`, as a string.
    pub id: Option<String>,
    pub geometry: Option<Geometry<f64>>,
    pub properties: Properties,
    pub style: Style,
}

impl Feature {
    /// The display name: simplestyle `title`, then `name`, then the id.
    pub fn name(&self) -> Option<&str> {
        self.style
            .title
            .as_deref()
            .or_else(|| self.properties.get("name").and_then(|v| v.as_str()))
            .or(self.id.as_deref())
    }

    pub fn prop_str(&self, key: &str) -> Option<&str> {
        self.properties.get(key).and_then(|v| v.as_str())
    }

    /// The sub-layer (KML folder, GeoPackage table, TopoJSON object) the feature came from.
    pub fn layer(&self) -> Option<&str> {
        self.prop_str(LAYER_PROPERTY)
    }
}

/// The property naming a feature's sub-layer.
pub const LAYER_PROPERTY: &str = "layer";

/// Something in the file that was skipped or repaired; the rest loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub feature: Option<usize>,
    /// Byte offset of the feature (or the problem) in the file.
    pub offset: usize,
    /// 1-based line and column of the feature (or the problem) in the file, when known.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Line 0: found after parsing (projection, tessellation), no position in the file.
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        match self.feature {
            Some(i) => write!(f, "feature {i}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct LoadedFile {
    pub features: Vec<Feature>,
    pub warnings: Vec<Warning>,
    /// Members of the top-level object other than `type`, `features`, `bbox`.
    pub foreign: Map<String, Value>,
}

/// Why a whole file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {}", crate::article::io_reason(.source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: file is {size} bytes, over the limit of {limit} bytes (raise it with --max-size)"
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: empty file: expected a GeoJSON object")]
    Empty { path: String },
    #[error("{path}:{line}:{column}: not valid JSON: {message}")]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// `message` starts with `LINE:COLUMN: ` where the problem has a place.
    #[error("{path}:{sep}{message}", sep = if message.starts_with(|c: char| c.is_ascii_digit()) { "" } else { " " })]
    Encoding { path: String, message: String },
    #[error("{path}:{line}:{column}: not GeoJSON: {message}")]
    NotGeoJson {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A file of a known format that its reader cannot use (`place` is a line:column, a record
    /// or a table, or empty).
    #[error("{path}:{place}{sep}not a valid {format} file: {message}", sep = if place.is_empty() { " " } else { ": " })]
    Format {
        path: String,
        format: Format,
        place: String,
        message: String,
    },
    /// A Shapefile part that must sit beside the .shp.
    #[error("{path}: the Shapefile's {part} is missing: expected {expected} (a Shapefile is several files side by side: .shp, .shx, .dbf and .prj)")]
    MissingPart {
        path: String,
        part: &'static str,
        expected: String,
    },
    #[error("{path}: {message}")]
    Crs { path: String, message: String },
}

/// The file formats the loader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    TopoJson,
    Kml,
    Kmz,
    Gpx,
    Shapefile,
    /// A .zip holding a Shapefile's parts.
    ZippedShapefile,
    GeoPackage,
    FlatGeobuf,
    Csv,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::GeoJson => "GeoJSON",
            Format::TopoJson => "TopoJSON",
            Format::Kml => "KML",
            Format::Kmz => "KMZ",
            Format::Gpx => "GPX",
            Format::Shapefile => "Shapefile",
            Format::ZippedShapefile => "Shapefile (zip)",
            Format::GeoPackage => "GeoPackage",
            Format::FlatGeobuf => "FlatGeobuf",
            Format::Csv => "CSV",
        })
    }
}

/// What `info` reports beside the features: the format, the sub-layers and the file's CRS.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub format: Format,
    /// Sub-layers (KML folders, GeoPackage tables, TopoJSON objects) with their feature counts,
    /// in file order; empty for single-layer formats.
    pub layers: Vec<(String, usize)>,
    /// The CRS the file declared and how it was handled; `None` when none is declared (WGS84).
    pub crs: Option<String>,
}

/// File extensions the loader reads (for a file dialog's filter), lower case, without the dot.
pub fn supported_extensions() -> &'static [&'static str] {
    &[
        "geojson", "json", "topojson", "kml", "kmz", "gpx", "shp", "zip", "gpkg", "fgb", "csv",
        "tsv",
    ]
}

/// The files a loaded `path` was read from: the path itself, and for a Shapefile its .shx, .dbf,
/// .prj and .cpg beside it (those that exist), so that a change to any of them can reload it.
pub fn companion_files(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    if shapefile::is_shapefile_path(path) {
        out.extend(shapefile::existing_parts(path));
    }
    out
}

/// Reads and parses an overlay file of any supported format; `limit` is the largest size accepted.
pub fn load_path(path: &Path, limit: u64) -> Result<LoadedFile, LoadError> {
    load_path_described(path, limit).map(|(file, _)| file)
}

/// [`load_path`], with what the file is.
pub fn load_path_described(path: &Path, limit: u64) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let name = path.display().to_string();
    let io = |source| LoadError::Io {
        path: name.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limit {
        return Err(LoadError::TooLarge {
            path: name,
            size,
            limit,
        });
    }
    let t = std::time::Instant::now();
    let head = read_head(path).map_err(io)?;
    let format = detect(&head, path);
    // Formats read from disk directly: no copy of the whole file in memory.
    let r = match format {
        Format::Shapefile => shapefile::load_path(path, &name),
        Format::GeoPackage => gpkg::load_path(path, &name),
        Format::FlatGeobuf => {
            let file = std::fs::File::open(path).map_err(io)?;
            fgb::parse_reader(std::io::BufReader::with_capacity(1 << 20, file), &name)
        }
        // Read a chunk at a time; read whole only when the streaming reader hands it back.
        Format::GeoJson => {
            let file = std::fs::File::open(path).map_err(io)?;
            match geojson_stream::parse_reader(file, &name, geojson_stream::CHUNK)? {
                Some(file) => geojson_described(file, &name),
                None => {
                    let bytes = std::fs::read(path).map_err(io)?;
                    parse_format(&bytes, format, &name)
                }
            }
        }
        _ => {
            let bytes = std::fs::read(path).map_err(io)?;
            parse_format(&bytes, format, &name)
        }
    };
    log::info!(
        "{name}: read and parsed {size} bytes as {format} in {:?}",
        t.elapsed()
    );
    r.map(tight)
}

/// The features' vector without the room it grew by: a vector grown by doubling keeps up to
/// as much again (41 MB of a 105 MB file of 300,000 points).
fn tight((mut file, info): (LoadedFile, SourceInfo)) -> (LoadedFile, SourceInfo) {
    file.features.shrink_to_fit();
    (file, info)
}

/// Parses an overlay file from bytes, of any supported format (a Shapefile only as a .zip).
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<LoadedFile, LoadError> {
    parse_bytes_described(bytes, name).map(|(file, _)| file)
}

/// [`parse_bytes`], with what the file is.
pub fn parse_bytes_described(
    bytes: &[u8],
    name: &str,
) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let format = detect(bytes, Path::new(name));
    parse_format(bytes, format, name).map(tight)
}

/// Parses bytes as the given format (no detection): for the fuzz targets and for callers that
/// know the format.
pub fn parse_format(
    bytes: &[u8],
    format: Format,
    name: &str,
) -> Result<(LoadedFile, SourceInfo), LoadError> {
    match format {
        Format::GeoJson => geojson_described(geojson::parse_bytes(bytes, name)?, name),
        Format::TopoJson => topojson::parse_bytes(bytes, name),
        Format::Kml => kml::parse_kml(bytes, name),
        Format::Kmz => kml::parse_kmz(bytes, name),
        Format::Gpx => gpx::parse_bytes(bytes, name),
        Format::Shapefile => Err(LoadError::MissingPart {
            path: name.to_string(),
            part: ".shx and .dbf",
            expected: "them beside the .shp, or all parts in one .zip".into(),
        }),
        Format::ZippedShapefile => shapefile::parse_zip(bytes, name),
        Format::GeoPackage => gpkg::parse_bytes(bytes, name),
        Format::FlatGeobuf => fgb::parse_reader(std::io::Cursor::new(bytes), name),
        Format::Csv => csv::parse_bytes(bytes, name),
    }
}

fn geojson_described(file: LoadedFile, name: &str) -> Result<(LoadedFile, SourceInfo), LoadError> {
    let mut info = SourceInfo::plain(Format::GeoJson);
    info.crs = legacy_crs(&file.foreign, name)?.map(|c| c.describe());
    Ok((file, info))
}

/// The CRS a GeoJSON file's `crs` member names (2008 specification), if it has one: the reader
/// reprojects positions from it. A name or EPSG code it does not know is an error that names it
/// (the coordinates would be drawn in the wrong place); a member of another form (a link) is
/// `None`, and the reader warns that positions are read as lon/lat.
pub(crate) fn legacy_crs(
    top: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<Crs>, LoadError> {
    let err = |message: String| LoadError::Crs {
        path: name.to_string(),
        message,
    };
    let crs = match top.get("crs") {
        Some(Value::String(n)) => Crs::from_geojson_name(n),
        Some(member @ Value::Object(_)) => {
            let kind = member.get("type").and_then(Value::as_str).unwrap_or("");
            let props = member.get("properties");
            let code = props.and_then(|p| p.get("code")).and_then(Value::as_u64);
            match (
                props.and_then(|p| p.get("name")).and_then(Value::as_str),
                code,
            ) {
                (Some(n), _) => Crs::from_geojson_name(n),
                (None, Some(code)) if kind.eq_ignore_ascii_case("epsg") => u32::try_from(code)
                    .map_err(|_| format!("\"crs\": EPSG code {code} is not a code"))
                    .and_then(Crs::from_epsg)
                    .map_err(|e| format!("\"crs\": {e}")),
                _ => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    crs.map(Some).map_err(err)
}

impl SourceInfo {
    pub(crate) fn plain(format: Format) -> SourceInfo {
        SourceInfo {
            format,
            layers: Vec::new(),
            crs: None,
        }
    }

    /// Counts features by their `layer` property, in order of first appearance.
    pub(crate) fn with_layers(format: Format, features: &[Feature]) -> SourceInfo {
        let mut layers: Vec<(String, usize)> = Vec::new();
        for f in features {
            let Some(l) = f.layer() else { continue };
            match layers.iter_mut().find(|(n, _)| n == l) {
                Some((_, n)) => *n += 1,
                None => layers.push((l.to_string(), 1)),
            }
        }
        SourceInfo {
            format,
            layers,
            crs: None,
        }
    }
}

/// The first bytes of a file, enough to recognise its format.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(path)?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

const HEAD_BYTES: usize = 64 << 10;

/// Recognises a file's format from its first bytes; `path`'s extension breaks ties for text
/// that could be several things (CSV versus a broken JSON).
pub fn detect(head: &[u8], path: &Path) -> Format {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if head.starts_with(b"PK\x03\x04") {
        return if ext == "kmz" || !zip_holds_shp(head) {
            Format::Kmz
        } else {
            Format::ZippedShapefile
        };
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Format::GeoPackage;
    }
    if head.len() >= 7 && &head[..3] == b"fgb" && head[3] == 3 && &head[4..7] == b"fgb" {
        return Format::FlatGeobuf;
    }
    if head.starts_with(&[0x00, 0x00, 0x27, 0x0A]) {
        return Format::Shapefile;
    }
    let text = skip_bom_and_space(head);
    match text.first() {
        Some(b'<') => match xml_root(text).as_deref() {
            Some("gpx") => Format::Gpx,
            _ => Format::Kml,
        },
        Some(b'{') if is_topology(text) || ext == "topojson" => Format::TopoJson,
        Some(b'{' | b'[') => Format::GeoJson,
        _ if matches!(ext.as_str(), "csv" | "tsv") => Format::Csv,
        _ if csv::looks_like_csv(text) => Format::Csv,
        _ => Format::GeoJson,
    }
}

fn skip_bom_and_space(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

/// The name of the first element of an XML text (after the declaration, comments, doctype),
/// lower case and without a namespace prefix.
fn xml_root(text: &[u8]) -> Option<String> {
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let lt = rest.iter().position(|&c| c == b'<')?;
        let tag = &rest[lt + 1..];
        if tag.starts_with(b"?") || tag.starts_with(b"!") {
            let end = tag.iter().position(|&c| c == b'>')?;
            i += lt + 1 + end + 1;
            continue;
        }
        let name: Vec<u8> = tag
            .iter()
            .take_while(|c| !c.is_ascii_whitespace() && **c != b'>' && **c != b'/')
            .copied()
            .collect();
        let name = String::from_utf8_lossy(&name).to_ascii_lowercase();
        return Some(name.rsplit(':').next().unwrap_or_default().to_string());
    }
    None
}

/// True when the JSON text's top-level `type` is "Topology" (looked for near the start).
fn is_topology(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(&text[..text.len().min(4096)])
        .or_else(|e| std::str::from_utf8(&text[..e.valid_up_to()]))
    else {
        return false;
    };
    let mut rest = s;
    while let Some(i) = rest.find("\"type\"") {
        let after = rest[i + 6..].trim_start();
        if let Some(v) = after.strip_prefix(':') {
            if v.trim_start().starts_with("\"Topology\"") {
                return true;
            }
        }
        rest = &rest[i + 6..];
    }
    false
}

/// A zip archive read from bytes in memory.
pub(crate) type ZipInMemory<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// A zip archive in memory and the names of its entries; `err` makes the error for an
/// unreadable one.
pub(crate) fn open_zip(
    bytes: &[u8],
    err: impl Fn(String) -> LoadError,
) -> Result<(ZipInMemory<'_>, Vec<String>), LoadError> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| err(format!("not a readable zip archive: {e}")))?;
    let names = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    Ok((zip, names))
}

/// Whether a zip archive's central directory names a .shp (looked for in the first bytes'
/// local headers: the parts of a zipped Shapefile are small archives' first entries).
fn zip_holds_shp(head: &[u8]) -> bool {
    head.windows(4).any(|w| w.eq_ignore_ascii_case(b".shp"))
        && !head.windows(4).any(|w| w.eq_ignore_ascii_case(b".kml"))
}

/// Makes a feature from a reader's geometry and properties, with the same cleaning and style as
/// GeoJSON's: `Err` skips it with a warning; the `Vec` holds notes on repairs.
pub(crate) fn make_feature(
    index: usize,
    geometry: Option<Geometry<f64>>,
    properties: Map<String, Value>,
    at: Place,
) -> Result<(Feature, Vec<Warning>), Warning> {
    let warn = |message: String| at.warning(index, message);
    finish_feature(index, geometry, Repairs::default(), properties, None, warn)
}

/// The end every reader's feature goes through: its geometry cleaned (an empty one skips the
/// feature, with a warning saying why), its id (the feature's own, else its `id` property),
/// its simplestyle read; the `Vec` holds notes on repairs and style values.
pub(crate) fn finish_feature(
    index: usize,
    geometry: Option<Geometry<f64>>,
    mut repairs: Repairs,
    properties: Map<String, Value>,
    id: Option<Value>,
    warn: impl Fn(String) -> Warning,
) -> Result<(Feature, Vec<Warning>), Warning> {
    let geometry = match geometry.map(|g| clean_geometry(g, &mut repairs)) {
        Some(None) => {
            let why = repairs
                .describe()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            return Err(warn(format!("geometry is empty{why}; nothing to draw")));
        }
        Some(g) => g,
        None => None,
    };
    let id = id
        .or_else(|| properties.get("id").cloned())
        .and_then(|v| match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
    let (style, mut notes) = Style::from_properties(&properties);
    notes.extend(repairs.describe());
    let notes = notes.into_iter().map(warn).collect();
    Ok((
        Feature {
            index,
            id,
            geometry,
            properties: properties.into(),
            style,
        },
        notes,
    ))
}

/// Where a feature is in its file, for warnings: a line and column of a text format, or a
/// record number (said in the message) of a binary one.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Place {
    pub line: usize,
    pub column: usize,
    /// 1-based record (row) number of a table format; 0 when a line is given instead.
    pub record: usize,
}

impl Place {
    pub fn line(line: usize, column: usize) -> Place {
        Place {
            line,
            column,
            record: 0,
        }
    }

    pub fn record(record: usize) -> Place {
        Place {
            record,
            ..Place::default()
        }
    }

    pub fn warning(&self, index: usize, message: String) -> Warning {
        let message = if self.record > 0 {
            format!("record {}: {message}", self.record)
        } else {
            message
        };
        Warning {
            feature: Some(index),
            offset: 0,
            line: self.line,
            column: self.column,
            message,
        }
    }
}

/// Collects features made by [`make_feature`] into a file, numbering them in order.
#[derive(Default)]
pub(crate) struct Collector {
    pub file: LoadedFile,
    /// Features seen, kept or skipped (the next feature's index).
    pub seen: usize,
}

impl Collector {
    pub fn push(
        &mut self,
        geometry: Option<Geometry<f64>>,
        properties: Map<String, Value>,
        at: Place,
    ) {
        let index = self.seen;
        self.seen += 1;
        self.push_result(make_feature(index, geometry, properties, at));
    }

    pub fn push_result(&mut self, r: Result<(Feature, Vec<Warning>), Warning>) {
        match r {
            Ok((f, notes)) => {
                self.file.features.push(f);
                self.file.warnings.extend(notes);
            }
            Err(w) => self.file.warnings.push(w),
        }
    }

    /// Skips the next feature with a warning.
    pub fn skip(&mut self, at: Place, message: String) {
        let index = self.seen;
        self.seen += 1;
        self.file.warnings.push(at.warning(index, message));
    }
}

/// A `Format` error for a reader.
pub(crate) fn format_error(
    name: &str,
    format: Format,
    place: String,
    message: impl std::fmt::Display,
) -> LoadError {
    LoadError::Format {
        path: name.to_string(),
        format,
        place,
        message: message.to_string(),
    }
}
