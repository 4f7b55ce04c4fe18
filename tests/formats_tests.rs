//! Every overlay format beside GeoJSON: the fixtures of tests/fixtures/formats (made by GDAL's
//! ogr2ogr from the project's GeoJSON, see its README) load with the right counts in `info`,
//! render like their GeoJSON twin, and malformed variants fail clearly or warn per feature.

use std::path::{Path, PathBuf};

use borderlens::map::load::{
    companion_files, detect, load_path, load_path_described, parse_bytes, supported_extensions,
    Format, LoadError,
};
use image::RgbaImage;
use serde_json::Value;

use crate::common::{borderlens, gpu_lock, scratch};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// `borderlens info FILE`'s output; the command must succeed.
fn info(path: &Path) -> String {
    let out = borderlens().arg("info").arg(path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "info {}: {}{}",
        path.display(),
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn line_value<'a>(info: &'a str, key: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.trim().strip_prefix(key))
        .unwrap_or_else(|| panic!("no \"{key}\" in:\n{info}"))
        .trim()
}

fn render(path: &Path, out: &Path) -> RgbaImage {
    let _gpu = gpu_lock();
    let r = borderlens()
        .arg("render")
        .arg(path)
        .args([
            "--fit",
            "--no-base",
            "--no-labels",
            "--projection",
            "mercator",
            "--size",
            "640x480",
            "-o",
        ])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        r.status.success(),
        "render {}: {}",
        path.display(),
        String::from_utf8_lossy(&r.stderr)
    );
    image::open(out).unwrap().to_rgba8()
}

fn dist(a: &image::Rgba<u8>, b: &image::Rgba<u8>) -> i32 {
    (0..3)
        .map(|i| (a[i] as i32 - b[i] as i32).abs())
        .max()
        .unwrap()
}

/// Of the pixels drawn (not background) in either image, the share drawn in both in the same
/// colour (each channel within 12 of 255).
fn agreement(a: &RgbaImage, b: &RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let bg = a.get_pixel(0, 0);
    assert_eq!(dist(bg, b.get_pixel(0, 0)), 0, "the backgrounds differ");
    let (mut either, mut same) = (0usize, 0usize);
    for (pa, pb) in a.pixels().zip(b.pixels()) {
        let (da, db) = (dist(pa, bg) > 3, dist(pb, bg) > 3);
        if da || db {
            either += 1;
            if da && db && dist(pa, pb) <= 12 {
                same += 1;
            }
        }
    }
    assert!(either > 1000, "almost nothing drawn ({either} pixels)");
    same as f64 / either as f64
}

/// Renders `file` and its GeoJSON `twin` and checks they agree on >= 95 % of drawn pixels.
fn renders_like(file: &Path, twin: &Path, dir: &Path) {
    let stem = file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace('.', "_");
    let a = render(file, &dir.join(format!("{stem}.png")));
    let b = render(twin, &dir.join(format!("{stem}-twin.png")));
    let share = agreement(&a, &b);
    assert!(
        share >= 0.95,
        "{}: only {:.1} % of drawn pixels match the GeoJSON twin",
        file.display(),
        share * 100.0
    );
}

/// A GeoJSON file made of features of `sources` (all, or those whose id is in `ids`), each
/// with `extra` properties added.
fn twin(
    dir: &Path,
    name: &str,
    sources: &[PathBuf],
    ids: Option<&[&str]>,
    extra: &[(&str, Value)],
) -> PathBuf {
    let mut features = Vec::new();
    for s in sources {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(s).unwrap()).unwrap();
        for mut f in v["features"].as_array().unwrap().clone() {
            let id = f["properties"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if ids.is_some_and(|ids| !ids.contains(&id.as_str())) {
                continue;
            }
            for (k, v) in extra {
                f["properties"][*k] = v.clone();
            }
            features.push(f);
        }
    }
    let p = dir.join(name);
    std::fs::write(
        &p,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    p
}

#[test]
fn shapefile_loads_and_renders_like_geojson() {
    let dir = scratch("formats-shp");
    for f in ["countries.shp", "countries-shp.zip"] {
        let text = info(&fixture(f));
        assert_eq!(line_value(&text, "features:"), "9", "{f}:\n{text}");
        assert!(
            line_value(&text, "format:").starts_with("Shapefile"),
            "{text}"
        );
        assert!(line_value(&text, "crs:").contains("4326"), "{text}");
        renders_like(&fixture(f), &data("countries.geojson"), &dir);
    }
    // Attributes come from the .dbf, named as GDAL wrote them (10 characters).
    let file = load_path(&fixture("countries.shp"), 1 << 30).unwrap();
    assert_eq!(file.features[0].prop_str("name"), Some("Armenia"));
    assert_eq!(file.features[0].properties.value("color_inde"), 2);
}

#[test]
fn utm_and_web_mercator_files_are_reprojected() {
    let dir = scratch("formats-crs");
    let twin = twin(
        &dir,
        "arm-geo.geojson",
        &[data("countries.geojson")],
        Some(&["ARM", "GEO"]),
        &[],
    );
    for (f, crs) in [
        ("countries_utm38.shp", "32638"),
        ("countries_3857.gpkg", "3857"),
        ("countries_3857.fgb", "3857"),
    ] {
        let text = info(&fixture(f));
        assert_eq!(line_value(&text, "features:"), "2", "{f}:\n{text}");
        let c = line_value(&text, "crs:");
        assert!(c.contains(crs) && c.contains("reprojected"), "{f}: {c}");
        renders_like(&fixture(f), &twin, &dir);
    }
    // Positions land within a few centimetres of the original lon/lat.
    let orig = load_path(&twin, 1 << 30).unwrap();
    let utm = load_path(&fixture("countries_utm38.shp"), 1 << 30).unwrap();
    use geo::CoordsIter;
    let a: Vec<_> = orig.features[0]
        .geometry
        .as_ref()
        .unwrap()
        .coords_iter()
        .collect();
    let b: Vec<_> = utm.features[0]
        .geometry
        .as_ref()
        .unwrap()
        .coords_iter()
        .collect();
    assert_eq!(a.len(), b.len());
    // The Shapefile writer reorders rings (clockwise outer rings): match each position to the
    // nearest original one.
    let worst = b
        .iter()
        .map(|q| {
            a.iter()
                .map(|p| (p.x - q.x).abs().max((p.y - q.y).abs()))
                .fold(f64::MAX, f64::min)
        })
        .fold(0.0, f64::max);
    assert!(worst < 1e-6, "UTM positions are off by {worst} degrees");
}

#[test]
fn geopackage_tables_become_layers() {
    let dir = scratch("formats-gpkg");
    let text = info(&fixture("countries.gpkg"));
    assert_eq!(line_value(&text, "format:"), "GeoPackage");
    assert_eq!(line_value(&text, "features:"), "24", "{text}");
    assert!(
        text.contains("countries: 9 features") && text.contains("borders: 15 features"),
        "{text}"
    );
    let file = load_path(&fixture("countries.gpkg"), 1 << 30).unwrap();
    assert_eq!(file.features[0].layer(), Some("countries"));
    assert_eq!(file.features[23].layer(), Some("borders"));
    let twin = twin(
        &dir,
        "both.geojson",
        &[data("countries.geojson"), data("borders.geojson")],
        None,
        &[],
    );
    renders_like(&fixture("countries.gpkg"), &twin, &dir);
}

#[test]
fn flatgeobuf_loads_and_renders_like_geojson() {
    let dir = scratch("formats-fgb");
    let text = info(&fixture("countries.fgb"));
    assert_eq!(line_value(&text, "format:"), "FlatGeobuf");
    assert_eq!(line_value(&text, "features:"), "9", "{text}");
    assert!(text.contains("MultiPolygon: 9"), "{text}");
    renders_like(&fixture("countries.fgb"), &data("countries.geojson"), &dir);
}

#[test]
fn kml_and_kmz_render_like_geojson_with_their_styles() {
    let dir = scratch("formats-kml");
    // GDAL writes each placemark with a red outline and no fill: the twin says the same in
    // simplestyle.
    let twin = twin(
        &dir,
        "styled.geojson",
        &[data("countries.geojson")],
        None,
        &[
            ("stroke", "#ff0000".into()),
            ("stroke-opacity", 1.0.into()),
            ("fill-opacity", 0.0.into()),
        ],
    );
    for f in ["countries.kml", "countries.kmz"] {
        let text = info(&fixture(f));
        assert_eq!(line_value(&text, "features:"), "9", "{f}:\n{text}");
        assert!(
            text.contains("countries: 9 features"),
            "the KML folder is a layer:\n{text}"
        );
        renders_like(&fixture(f), &twin, &dir);
    }
}

#[test]
fn gpx_tracks_render_like_geojson_lines() {
    let dir = scratch("formats-gpx");
    let text = info(&fixture("borders.gpx"));
    assert_eq!(line_value(&text, "format:"), "GPX");
    assert_eq!(line_value(&text, "features:"), "15", "{text}");
    assert!(
        text.contains("tracks: 15 features") && text.contains("MultiLineString: 15"),
        "{text}"
    );
    renders_like(&fixture("borders.gpx"), &data("borders.geojson"), &dir);
}

#[test]
fn topojson_world_atlas_renders_like_gdal_geojson() {
    let dir = scratch("formats-topojson");
    let text = info(&fixture("countries-110m.json"));
    assert_eq!(line_value(&text, "format:"), "TopoJSON");
    assert_eq!(line_value(&text, "features:"), "178", "{text}");
    assert!(
        text.contains("countries: 177 features") && text.contains("land: 1 features"),
        "{text}"
    );
    renders_like(
        &fixture("countries-110m.json"),
        &fixture("countries-110m.geojson"),
        &dir,
    );
}

#[test]
fn csv_points_and_wkt_render_like_geojson() {
    let dir = scratch("formats-csv");
    let text = info(&fixture("places.csv"));
    assert_eq!(line_value(&text, "format:"), "CSV");
    assert_eq!(line_value(&text, "features:"), "178", "{text}");
    renders_like(&fixture("places.csv"), &data("places.geojson"), &dir);
    let file = load_path(&fixture("places.csv"), 1 << 30).unwrap();
    assert_eq!(file.features[0].prop_str("name"), Some("Baku"));
    assert_eq!(file.features[0].properties.value("population"), 2351300);
    let text = info(&fixture("countries_wkt.csv"));
    assert_eq!(line_value(&text, "features:"), "9", "{text}");
    renders_like(
        &fixture("countries_wkt.csv"),
        &data("countries.geojson"),
        &dir,
    );
}

#[test]
fn formats_are_recognised_by_content_not_extension() {
    let dir = scratch("formats-detect");
    for (f, want) in [
        ("countries.gpkg", Format::GeoPackage),
        ("countries.fgb", Format::FlatGeobuf),
        ("countries.kml", Format::Kml),
        ("countries.kmz", Format::Kmz),
        ("countries-shp.zip", Format::ZippedShapefile),
        ("borders.gpx", Format::Gpx),
        ("countries-110m.json", Format::TopoJson),
        ("places.csv", Format::Csv),
    ] {
        let renamed = dir.join(format!("{f}.dat"));
        std::fs::copy(fixture(f), &renamed).unwrap();
        let bytes = std::fs::read(&renamed).unwrap();
        assert_eq!(detect(&bytes, &renamed), want, "{f}");
        let (file, source) = load_path_described(&renamed, 1 << 30).unwrap();
        assert_eq!(source.format, want, "{f}");
        assert!(!file.features.is_empty(), "{f}");
    }
    assert_eq!(
        detect(
            b"{\"type\":\"FeatureCollection\",\"features\":[]}",
            Path::new("a.json")
        ),
        Format::GeoJson
    );
}

#[test]
fn truncated_shp_keeps_the_records_before_the_cut() {
    let dir = scratch("formats-shp-truncated");
    for e in ["shx", "dbf", "prj"] {
        std::fs::copy(
            fixture(&format!("countries.{e}")),
            dir.join(format!("cut.{e}")),
        )
        .unwrap();
    }
    let shp = std::fs::read(fixture("countries.shp")).unwrap();
    std::fs::write(dir.join("cut.shp"), &shp[..shp.len() / 2]).unwrap();
    let file = load_path(&dir.join("cut.shp"), 1 << 30).unwrap();
    assert!(
        (1..9).contains(&file.features.len()),
        "{} features",
        file.features.len()
    );
    let w = file
        .warnings
        .iter()
        .find(|w| w.message.contains("record"))
        .expect("a warning names the record");
    assert!(w.to_string().contains("not read either"), "{w}");
}

#[test]
fn missing_dbf_or_shx_is_a_clear_error() {
    let dir = scratch("formats-shp-missing");
    std::fs::copy(fixture("countries.shp"), dir.join("a.shp")).unwrap();
    std::fs::copy(fixture("countries.shx"), dir.join("a.shx")).unwrap();
    let e = load_path(&dir.join("a.shp"), 1 << 30).unwrap_err();
    assert!(matches!(e, LoadError::MissingPart { .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains(".dbf") && msg.contains("a.dbf"), "{msg}");
    std::fs::remove_file(dir.join("a.shx")).unwrap();
    std::fs::copy(fixture("countries.dbf"), dir.join("a.dbf")).unwrap();
    let msg = load_path(&dir.join("a.shp"), 1 << 30)
        .unwrap_err()
        .to_string();
    assert!(msg.contains(".shx"), "{msg}");
    // A .shp alone as bytes (no folder to look in) says what is needed.
    let msg = parse_bytes(&std::fs::read(fixture("countries.shp")).unwrap(), "x.shp")
        .unwrap_err()
        .to_string();
    assert!(msg.contains(".shx and .dbf"), "{msg}");
}

#[test]
fn unknown_datum_in_prj_is_refused_clearly() {
    let dir = scratch("formats-prj");
    for e in ["shp", "shx", "dbf"] {
        std::fs::copy(
            fixture(&format!("countries.{e}")),
            dir.join(format!("p.{e}")),
        )
        .unwrap();
    }
    std::fs::write(dir.join("p.prj"), r#"PROJCS["Local grid",GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krassowsky_1940",6378245.0,298.3]]],PROJECTION["Transverse_Mercator"]]"#).unwrap();
    let e = load_path(&dir.join("p.shp"), 1 << 30).unwrap_err();
    assert!(matches!(e, LoadError::Crs { .. }), "{e}");
    assert!(
        e.to_string().contains(".prj") && e.to_string().contains("EPSG:4326"),
        "{e}"
    );
}

#[test]
fn kml_with_a_broken_coordinate_names_its_line() {
    let text = std::fs::read_to_string(fixture("countries.kml")).unwrap();
    let good = "45.03825,41.23055";
    let line = text[..text.find(good).unwrap()].lines().count();
    let broken = text.replacen(good, "45.03825,4l.23055", 1);
    let e = parse_bytes(broken.as_bytes(), "broken.kml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(&format!("broken.kml:{line}:")), "{e}");
    assert!(e.contains("4l.23055") && e.contains("not a number"), "{e}");
}

#[test]
fn kml_styles_and_folders_map_to_simplestyle_and_layers() {
    let kml = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Style id="area"><LineStyle><color>ff00ff00</color><width>4</width></LineStyle>
    <PolyStyle><color>7f0000ff</color></PolyStyle></Style>
  <Style id="pin"><IconStyle><color>ffff0000</color><scale>1.5</scale></IconStyle></Style>
  <StyleMap id="pinmap"><Pair><key>normal</key><styleUrl>#pin</styleUrl></Pair>
    <Pair><key>highlight</key><styleUrl>#area</styleUrl></Pair></StyleMap>
  <Folder><name>Zones</name>
    <Placemark><name>Z</name><styleUrl>#area</styleUrl>
      <ExtendedData><Data name="note"><value>hello</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>44,40 45,40 45,41 44,40</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
    <Folder><name>Pins</name>
      <Placemark><name>P</name><styleUrl>#pinmap</styleUrl><Point><coordinates>44.5,40.5</coordinates></Point></Placemark>
    </Folder>
  </Folder>
  <Placemark><name>Loose</name><Style><LineStyle><color>80ffffff</color></LineStyle></Style>
    <LineString><coordinates>44,40 45,41</coordinates></LineString></Placemark>
</Document></kml>"##;
    let file = parse_bytes(kml.as_bytes(), "styles.kml").unwrap();
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    let [z, p, loose] = &file.features[..] else {
        panic!("{} features", file.features.len())
    };
    assert_eq!(z.layer(), Some("Zones"));
    assert_eq!(z.prop_str("note"), Some("hello"));
    assert_eq!(z.style.stroke.hex(), "#00ff00");
    assert_eq!(z.style.stroke_width, 4.0);
    assert_eq!(z.style.fill.hex(), "#ff0000");
    assert!(
        (z.style.fill_opacity - 0.498).abs() < 0.01,
        "{}",
        z.style.fill_opacity
    );
    assert_eq!(p.layer(), Some("Zones/Pins"));
    assert_eq!(p.style.marker_color.hex(), "#0000ff");
    assert_eq!(
        p.style.marker_size,
        borderlens::map::style::MarkerSize::Large
    );
    assert_eq!(loose.layer(), None);
    assert_eq!(loose.style.stroke.hex(), "#ffffff");
    assert!((loose.style.stroke_opacity - 0.502).abs() < 0.01);
}

#[test]
fn gpx_without_points_is_an_error_and_an_empty_track_a_warning() {
    let empty = r#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"></gpx>"#;
    let e = parse_bytes(empty.as_bytes(), "empty.gpx")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("empty.gpx") && e.contains("no waypoints, routes or tracks"),
        "{e}"
    );
    let one_empty = r#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
<trk><name>nothing</name><trkseg></trkseg></trk>
<trk><name>walk</name><trkseg><trkpt lat="40" lon="44"/><trkpt lat="40.1" lon="44.1"/></trkseg></trk></gpx>"#;
    let file = parse_bytes(one_empty.as_bytes(), "t.gpx").unwrap();
    assert_eq!(file.features.len(), 1);
    assert_eq!(file.features[0].prop_str("name"), Some("walk"));
    assert_eq!(file.warnings.len(), 1);
    assert!(
        file.warnings[0]
            .to_string()
            .starts_with("feature 0: geometry is empty"),
        "{}",
        file.warnings[0]
    );
}

#[test]
fn topojson_arc_index_out_of_range_skips_that_geometry() {
    let topo = r#"{"type":"Topology","arcs":[[[44,40],[45,40],[45,41],[44,40]]],
      "objects":{"zones":{"type":"GeometryCollection","geometries":[
        {"type":"Polygon","arcs":[[0]],"properties":{"name":"ok"}},
        {"type":"Polygon","arcs":[[7]],"properties":{"name":"bad"}},
        {"type":"LineString","arcs":[-1],"properties":{"name":"reversed"}}]}}}"#;
    let file = parse_bytes(topo.as_bytes(), "t.topojson").unwrap();
    let names: Vec<_> = file
        .features
        .iter()
        .map(|f| f.prop_str("name").unwrap())
        .collect();
    assert_eq!(names, ["ok", "reversed"]);
    assert_eq!(file.warnings.len(), 1);
    let w = file.warnings[0].to_string();
    assert!(
        w.starts_with("feature 1: ")
            && w.contains("arc index 7 is out of range (the topology has 1 arcs)"),
        "{w}"
    );
}

#[test]
fn csv_row_with_text_for_a_number_is_skipped_with_its_line() {
    let csv = "name;Latitude;Longitude\nA;40,1;44,5\nB;forty;44.6\nC;41.0;45.0\n";
    let file = parse_bytes(csv.as_bytes(), "t.csv").unwrap();
    let names: Vec<_> = file
        .features
        .iter()
        .map(|f| f.prop_str("name").unwrap())
        .collect();
    assert_eq!(names, ["A", "C"]);
    let w = file.warnings[0].to_string();
    assert!(
        w.starts_with("3:1: feature 1: latitude (column \"Latitude\") is \"forty\", not a number"),
        "{w}"
    );
    let e = parse_bytes(b"name,place\nA,B\n", "t.csv")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no coordinate columns") && e.contains("latitude"),
        "{e}"
    );
}

#[test]
fn the_app_gets_extensions_and_a_shapefiles_companions() {
    for e in [
        "geojson", "topojson", "kml", "kmz", "gpx", "shp", "gpkg", "fgb", "csv", "zip",
    ] {
        assert!(supported_extensions().contains(&e), "{e}");
    }
    let files = companion_files(&fixture("countries.shp"));
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "countries.shp",
            "countries.shx",
            "countries.dbf",
            "countries.prj"
        ]
    );
    assert_eq!(companion_files(&fixture("countries.fgb")).len(), 1);
}

#[test]
fn a_geojson_crs_member_is_read_and_its_coordinates_reprojected() {
    // GeoJSON of the 2008 specification, as GDAL still writes it: a `crs` member.
    let dir = scratch("formats-geojson-crs");
    let web_mercator = |lon: f64, lat: f64| {
        let r = 6_378_137.0_f64;
        let y = (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
        (r * lon.to_radians(), r * y)
    };
    let ring: Vec<(f64, f64)> = [(44.0, 40.0), (45.0, 40.0), (45.0, 41.0), (44.0, 40.0)].into();
    let file = |crs: &str, ring: &[(f64, f64)]| {
        let coords: Vec<String> = ring.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{crs}"}}}},
            "features":[{{"type":"Feature","properties":{{"name":"a"}},
            "geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
            coords.join(",")
        )
    };
    let projected: Vec<(f64, f64)> = ring.iter().map(|&(x, y)| web_mercator(x, y)).collect();
    let p = dir.join("mercator.geojson");
    std::fs::write(&p, file("urn:ogc:def:crs:EPSG::3857", &projected)).unwrap();
    let loaded = load_path(&p, 1 << 20).unwrap();
    use geo::CoordsIter;
    let got: Vec<_> = loaded.features[0]
        .geometry
        .as_ref()
        .unwrap()
        .coords_iter()
        .collect();
    for (c, (x, y)) in got.iter().zip(&ring) {
        assert!((c.x - x).abs() < 1e-6 && (c.y - y).abs() < 1e-6, "{c:?}");
    }
    let c = line_value(&info(&p), "crs:").to_string();
    assert!(c.contains("3857") && c.contains("reprojected"), "{c}");
    // CRS84 is lon/lat: left as it is.
    let p = dir.join("crs84.geojson");
    std::fs::write(&p, file("urn:ogc:def:crs:OGC:1.3:CRS84", &ring)).unwrap();
    assert!(line_value(&info(&p), "crs:").contains("CRS84 (WGS 84 lon/lat)"));
    // The EPSG form of the member, and a bare geometry.
    let p = dir.join("code.geojson");
    let text = file("x", &projected).replace(
        r#"{"type":"name","properties":{"name":"x"}}"#,
        r#"{"type":"EPSG","properties":{"code":3857}}"#,
    );
    std::fs::write(&p, text).unwrap();
    assert_eq!(load_path(&p, 1 << 20).unwrap().features.len(), 1);
    let coords: Vec<String> = projected
        .iter()
        .map(|(x, y)| format!("[{x},{y}]"))
        .collect();
    let p = dir.join("bare.geojson");
    std::fs::write(
        &p,
        format!(
            r#"{{"type":"Polygon","crs":{{"type":"name","properties":{{"name":"EPSG:3857"}}}},"coordinates":[[{}]]}}"#,
            coords.join(",")
        ),
    )
    .unwrap();
    let bare = load_path(&p, 1 << 20).unwrap();
    let first = bare.features[0]
        .geometry
        .as_ref()
        .unwrap()
        .coords_iter()
        .next()
        .unwrap();
    assert!(
        (first.x - 44.0).abs() < 1e-6 && (first.y - 40.0).abs() < 1e-6,
        "{first:?}"
    );
    assert!(line_value(&info(&p), "crs:").contains("3857"));
    // A member of another form (a link) is read as lon/lat, with a warning.
    let p = dir.join("link.geojson");
    let text = file("x", &ring).replace(
        r#"{"type":"name","properties":{"name":"x"}}"#,
        r#"{"type":"link","properties":{"href":"http://example.com/crs","type":"proj4"}}"#,
    );
    std::fs::write(&p, text).unwrap();
    let linked = load_path(&p, 1 << 20).unwrap();
    assert_eq!(linked.features.len(), 1);
    assert!(linked
        .warnings
        .iter()
        .any(|w| w.message.contains("\"crs\"")));
    // A CRS it does not know is an error naming the file and the member, not a wrong map.
    let p = dir.join("odd.geojson");
    std::fs::write(&p, file("urn:example:crs:local-grid", &ring)).unwrap();
    let e = load_path(&p, 1 << 20).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{}:", p.display())) && e.contains("\"crs\""),
        "{e}"
    );
}

/// A TopoJSON ring joined from several arcs is held in a vector sized for them, not grown arc by
/// arc (a world file's rings are kept for the session).
#[test]
fn topojson_rings_hold_about_the_room_of_their_arcs() {
    let topo = r#"{"type":"Topology","arcs":[[[44,40],[45,40],[45,41]],[[45,41],[44.5,41.5],[44,40]]],
      "objects":{"zones":{"type":"GeometryCollection","geometries":[
        {"type":"Polygon","arcs":[[0,1]],"properties":{"name":"two arcs"}}]}}}"#;
    let file = parse_bytes(topo.as_bytes(), "t.topojson").unwrap();
    let Some(geo::Geometry::Polygon(p)) = &file.features[0].geometry else {
        panic!("a polygon: {:?}", file.features[0].geometry);
    };
    let ring = &p.exterior().0;
    assert_eq!(ring.len(), 5, "the shared end point is kept once");
    // One spare place for the end point the two arcs share.
    assert!(ring.capacity() <= ring.len() + 1, "{}", ring.capacity());
}
