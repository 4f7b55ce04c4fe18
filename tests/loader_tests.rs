//! GeoJSON loading: every geometry type, holes, null geometry, simplestyle, and hostile input.
//! The hostile cases are generated here (at least the kinds of ../shared/hostile, and more).

use borderlens::map::load::{parse_bytes, parse_str, LoadError};
use borderlens::map::style::{MarkerSize, Rgb, Style};
use geo::{Area, Geometry};

use crate::common::square;

fn fc(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn feature(geometry: &str, props: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
}

#[test]
fn every_geometry_type_loads() {
    let geoms = [
        r#"{"type":"Point","coordinates":[44.5,40.2]}"#.to_string(),
        r#"{"type":"MultiPoint","coordinates":[[44.5,40.2],[45,41]]}"#.to_string(),
        r#"{"type":"LineString","coordinates":[[44.5,40.2],[45,41]]}"#.to_string(),
        r#"{"type":"MultiLineString","coordinates":[[[44.5,40.2],[45,41]],[[46,40],[47,41]]]}"#.to_string(),
        format!(r#"{{"type":"Polygon","coordinates":{}}}"#, square(44.0, 40.0, 1.0)),
        format!(r#"{{"type":"MultiPolygon","coordinates":[{},{}]}}"#, square(44.0, 40.0, 1.0), square(46.0, 40.0, 0.5)),
        r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[44,40]},{"type":"LineString","coordinates":[[44,40],[45,41]]}]}"#.to_string(),
    ];
    let features: Vec<String> = geoms.iter().map(|g| feature(g, "{}")).collect();
    let file = parse_str(&fc(&features), "all.geojson").unwrap();
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    let kinds: Vec<&str> = file
        .features
        .iter()
        .map(|f| borderlens::map::load::geometry_type(f.geometry.as_ref().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "GeometryCollection"
        ]
    );
}

#[test]
fn bare_geometry_and_single_feature() {
    let g = parse_str(
        r#"{"type":"LineString","coordinates":[[44,40],[45,41]]}"#,
        "g.json",
    )
    .unwrap();
    assert_eq!(g.features.len(), 1);
    let f = parse_str(
        &feature(
            r#"{"type":"Point","coordinates":[44,40]}"#,
            r#"{"name":"x"}"#,
        ),
        "f.json",
    )
    .unwrap();
    assert_eq!(f.features[0].name(), Some("x"));
}

#[test]
fn holes_are_kept() {
    let poly = r#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}"#;
    let file = parse_str(&fc(&[feature(poly, "{}")]), "h.geojson").unwrap();
    match file.features[0].geometry.as_ref().unwrap() {
        Geometry::Polygon(p) => {
            assert_eq!(p.interiors().len(), 1);
            assert!((p.unsigned_area() - 96.0).abs() < 1e-9);
        }
        g => panic!("{g:?}"),
    }
}

#[test]
fn null_geometry_is_kept_without_geometry() {
    let file = parse_str(
        &fc(&[
            feature("null", r#"{"name":"nothing"}"#),
            feature(
                &format!(
                    r#"{{"type":"Polygon","coordinates":{}}}"#,
                    square(44.0, 41.0, 1.0)
                ),
                "{}",
            ),
        ]),
        "n.geojson",
    )
    .unwrap();
    assert_eq!(file.features.len(), 2);
    assert!(file.features[0].geometry.is_none());
    assert!(file.features[1].geometry.is_some());
    assert!(file.warnings.is_empty());
}

#[test]
fn properties_ids_and_foreign_members_are_kept() {
    let text = r#"{"type":"FeatureCollection","article":{"title":"T"},"features":[{"type":"Feature","id":42,"properties":{"name":"A","n":1,"nested":{"k":[1,2]}},"geometry":null}]}"#;
    let file = parse_str(text, "p.geojson").unwrap();
    let f = &file.features[0];
    assert_eq!(f.id.as_deref(), Some("42"));
    assert_eq!(f.properties.value("nested")["k"][1], 2);
    assert_eq!(file.foreign["article"]["title"], "T");
}

#[test]
fn simplestyle_defaults_and_values() {
    let d = Style::default();
    assert_eq!(
        (
            d.fill,
            d.fill_opacity,
            d.stroke,
            d.stroke_width,
            d.stroke_opacity
        ),
        (Rgb(0x55, 0x55, 0x55), 0.6, Rgb(0x55, 0x55, 0x55), 2.0, 1.0)
    );
    assert_eq!(
        (d.marker_color, d.marker_size),
        (Rgb(0x7e, 0x7e, 0x7e), MarkerSize::Medium)
    );
    let props = r##"{"fill":"#ff0000","fill-opacity":1,"stroke":"#00f","stroke-width":4.5,"stroke-opacity":0.25,"marker-color":"#123456","marker-size":"large","title":"T","description":"D"}"##;
    let file = parse_str(
        &fc(&[feature(r#"{"type":"Point","coordinates":[44,40]}"#, props)]),
        "s.geojson",
    )
    .unwrap();
    let s = &file.features[0].style;
    assert_eq!(s.fill, Rgb(255, 0, 0));
    assert_eq!(s.fill_opacity, 1.0);
    assert_eq!(s.stroke, Rgb(0, 0, 255));
    assert_eq!((s.stroke_width, s.stroke_opacity), (4.5, 0.25));
    assert_eq!(
        (s.marker_color, s.marker_size),
        (Rgb(0x12, 0x34, 0x56), MarkerSize::Large)
    );
    assert_eq!(
        (s.title.as_deref(), s.description.as_deref()),
        (Some("T"), Some("D"))
    );
    assert_eq!(file.features[0].name(), Some("T"));
}

#[test]
fn bad_style_values_warn_and_keep_defaults() {
    let props = r##"{"fill":"red-ish","fill-opacity":7,"marker-size":"huge"}"##;
    let file = parse_str(
        &fc(&[feature(r#"{"type":"Point","coordinates":[44,40]}"#, props)]),
        "s.geojson",
    )
    .unwrap();
    assert_eq!(file.features.len(), 1);
    assert_eq!(file.features[0].style.fill, Style::default().fill);
    assert_eq!(file.features[0].style.fill_opacity, 0.6);
    let all: String = file.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        all.contains("\"fill\"") && all.contains("fill-opacity") && all.contains("marker-size"),
        "{all}"
    );
}

// --- hostile input -------------------------------------------------------------------------

fn good_square() -> String {
    feature(
        &format!(
            r#"{{"type":"Polygon","coordinates":{}}}"#,
            square(44.0, 41.0, 1.0)
        ),
        r#"{"name":"ok"}"#,
    )
}

/// Loads `text`, expecting the good square to survive and exactly `skipped` warnings.
fn survives(text: &str, skipped: usize) -> borderlens::map::load::LoadedFile {
    let file =
        parse_str(text, "hostile.geojson").unwrap_or_else(|e| panic!("whole file rejected: {e}"));
    assert!(
        file.features.iter().any(|f| f.name() == Some("ok")),
        "the valid square was lost"
    );
    assert_eq!(file.warnings.len(), skipped, "{:?}", file.warnings);
    file
}

#[test]
fn truncated_file_gives_a_position() {
    let text = fc(&[good_square()]);
    let cut = &text[..text.len() - 30];
    match parse_str(cut, "cut.geojson") {
        Err(LoadError::Json {
            path, line, column, ..
        }) => {
            assert_eq!(path, "cut.geojson");
            assert_eq!(line, 1);
            assert!(column > 1);
        }
        other => panic!("{other:?}"),
    }
    let msg = parse_str(cut, "cut.geojson").unwrap_err().to_string();
    assert!(msg.starts_with("cut.geojson:1:"), "{msg}");
}

#[test]
fn empty_and_blank_files_are_errors() {
    for text in ["", "   \n"] {
        assert!(matches!(
            parse_str(text, "e.geojson"),
            Err(LoadError::Empty { .. })
        ));
    }
    assert!(matches!(
        parse_bytes(b"", "e.geojson"),
        Err(LoadError::Empty { .. })
    ));
}

#[test]
fn nan_and_infinity_never_draw() {
    // Not JSON: rejected as such, with a position.
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,Infinity]}}]}"#;
    let e = parse_str(text, "nan.geojson").unwrap_err();
    assert!(matches!(e, LoadError::Json { line: 1, .. }), "{e}");
    // Numbers too big for f64 are rejected the same way.
    assert!(parse_str(r#"{"type":"Point","coordinates":[1e999,0]}"#, "big.geojson").is_err());
}

#[test]
fn features_not_an_array_is_an_error() {
    let e = parse_str(
        r#"{"type":"FeatureCollection","features":{"a":1}}"#,
        "x.geojson",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("\"features\" must be an array"),
        "{e}"
    );
    assert!(parse_str(r#"{"type":"FeatureCollection"}"#, "x.geojson").is_err());
    assert!(parse_str(r#"[1,2,3]"#, "x.geojson").is_err());
    assert!(parse_str(r#"{"no":"type"}"#, "x.geojson").is_err());
}

#[test]
fn unknown_geometry_type_skips_the_feature() {
    let text = fc(&[
        feature(
            r#"{"type":"Circle","coordinates":[44,41],"radius":5}"#,
            "{}",
        ),
        good_square(),
    ]);
    let file = survives(&text, 1);
    let w = &file.warnings[0];
    assert_eq!(w.feature, Some(0));
    assert!(w.message.contains("Circle"));
    assert!(w.column > 1);
}

#[test]
fn wrong_coordinate_depth_skips_the_feature() {
    let bad = [
        r#"{"type":"Polygon","coordinates":[44,41]}"#,
        r#"{"type":"Point","coordinates":[[44,41]]}"#,
        r#"{"type":"LineString","coordinates":[44,41]}"#,
        r#"{"type":"MultiPolygon","coordinates":[[44,41]]}"#,
        r#"{"type":"Point","coordinates":[44]}"#,
        r#"{"type":"Point","coordinates":["44","41"]}"#,
        r#"{"type":"Point"}"#,
    ];
    let mut features: Vec<String> = bad.iter().map(|g| feature(g, "{}")).collect();
    features.push(good_square());
    survives(&fc(&features), bad.len());
}

#[test]
fn extra_dimensions_are_ignored() {
    let text = fc(&[feature(
        r#"{"type":"Polygon","coordinates":[[[44,41,100],[45,41],[45,42,5,6],[44,42,1],[44,41,100]]]}"#,
        r#"{"name":"ok"}"#,
    )]);
    let file = survives(&text, 0);
    assert_eq!(
        file.features[0]
            .geometry
            .as_ref()
            .map(geo::CoordsIter::coords_count),
        Some(5)
    );
}

#[test]
fn empty_geometries_are_skipped() {
    let empties = [
        r#"{"type":"Polygon","coordinates":[]}"#,
        r#"{"type":"Polygon","coordinates":[[]]}"#,
        r#"{"type":"MultiPolygon","coordinates":[[[]]]}"#,
        r#"{"type":"LineString","coordinates":[]}"#,
        r#"{"type":"GeometryCollection","geometries":[]}"#,
    ];
    let mut features: Vec<String> = empties.iter().map(|g| feature(g, "{}")).collect();
    features.push(good_square());
    survives(&fc(&features), empties.len());
}

#[test]
fn unclosed_ring_is_closed() {
    let text = fc(&[feature(
        r#"{"type":"Polygon","coordinates":[[[44,41],[45,41],[45,42],[44,42]]]}"#,
        r#"{"name":"ok"}"#,
    )]);
    // Drawn, with a note that the ring was closed.
    let file = survives(&text, 1);
    assert!(
        file.warnings[0].message.contains("1 unclosed rings closed"),
        "{}",
        file.warnings[0]
    );
    match file.features[0].geometry.as_ref().unwrap() {
        Geometry::Polygon(p) => assert_eq!(p.exterior().0.first(), p.exterior().0.last()),
        g => panic!("{g:?}"),
    }
}

#[test]
fn degenerate_rings_and_out_of_range_positions() {
    // A ring of identical points, a ring of two points, positions outside lon/lat.
    let text = fc(&[
        feature(
            r#"{"type":"Polygon","coordinates":[[[44,41],[44,41],[44,41],[44,41]]]}"#,
            "{}",
        ),
        feature(
            r#"{"type":"Polygon","coordinates":[[[44,41],[45,41],[44,41]]]}"#,
            "{}",
        ),
        feature(r#"{"type":"Point","coordinates":[500,41]}"#, "{}"),
        feature(
            r#"{"type":"LineString","coordinates":[[44,41],[45,95],[46,42]]}"#,
            r#"{"name":"line"}"#,
        ),
        good_square(),
    ]);
    let file = survives(&text, 4);
    let line = file
        .features
        .iter()
        .find(|f| f.name() == Some("line"))
        .unwrap();
    assert_eq!(
        geo::CoordsIter::coords_count(line.geometry.as_ref().unwrap()),
        2
    );
    assert!(file
        .warnings
        .iter()
        .any(|w| w.message.contains("out-of-range")));
}

#[test]
fn bowtie_loads() {
    survives(
        &fc(&[feature(
            r#"{"type":"Polygon","coordinates":[[[44,41],[45,42],[45,41],[44,42],[44,41]]]}"#,
            r#"{"name":"ok"}"#,
        )]),
        0,
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut g = format!(
        r#"{{"type":"Polygon","coordinates":{}}}"#,
        square(44.0, 41.0, 1.0)
    );
    for _ in 0..200 {
        g = format!(r#"{{"type":"GeometryCollection","geometries":[{g}]}}"#);
    }
    let file = survives(&fc(&[feature(&g, "{}"), good_square()]), 1);
    assert!(
        file.warnings[0].message.contains("nested"),
        "{}",
        file.warnings[0]
    );
    // Deeply nested arrays in properties and coordinates: an error for the feature, no stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = fc(&[
        feature(
            r#"{"type":"Point","coordinates":[44,41]}"#,
            &format!(r#"{{"deep":{deep}}}"#),
        ),
        good_square(),
    ]);
    let r = parse_str(&text, "deep.geojson");
    assert!(r.is_err() || r.unwrap().features.iter().any(|f| f.name() == Some("ok")));
    let text = fc(&[
        feature(&format!(r#"{{"type":"Point","coordinates":{deep}}}"#), "{}"),
        good_square(),
    ]);
    let _ = parse_str(&text, "deep2.geojson");
}

#[test]
fn byte_order_marks_and_encodings() {
    let text = fc(&[good_square()]);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(parse_bytes(&bom, "bom.geojson").unwrap().features.len(), 1);
    // UTF-16 with a BOM, and without one (as Windows tools write it): JSON begins with ASCII,
    // so the zero bytes tell the byte order. A name beyond ASCII comes through.
    let text = text.replacen(r#"{"name":"ok"}"#, r#"{"name":"Şəki"}"#, 1);
    assert!(text.contains("Şəki"), "{text}");
    for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
        let mut utf16 = match (le, bom) {
            (_, false) => vec![],
            (true, true) => vec![0xFF, 0xFE],
            (false, true) => vec![0xFE, 0xFF],
        };
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let file = parse_bytes(&utf16, "utf16.geojson")
            .unwrap_or_else(|e| panic!("le={le} bom={bom}: {e}"));
        assert_eq!(file.features.len(), 1, "le={le} bom={bom}");
        assert_eq!(file.features[0].name(), Some("Şəki"), "le={le} bom={bom}");
    }
    // Cut short by a byte: an error naming the file, not a panic.
    let mut odd: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    odd.pop();
    let e = parse_bytes(&odd, "odd.geojson").unwrap_err().to_string();
    assert!(e.contains("odd.geojson") && e.contains("UTF-16"), "{e}");
    let mut latin1 = text.clone().into_bytes();
    latin1.insert(60, 0xE9);
    let e = parse_bytes(&latin1, "latin1.geojson")
        .unwrap_err()
        .to_string();
    assert!(e.contains("latin1.geojson") && e.contains("UTF-8"), "{e}");
}

#[test]
fn enormous_property_strings_load() {
    let big = "x".repeat(20 << 20);
    let text = fc(&[feature(
        &format!(
            r#"{{"type":"Polygon","coordinates":{}}}"#,
            square(44.0, 41.0, 1.0)
        ),
        &format!(r#"{{"name":"ok","blob":"{big}"}}"#),
    )]);
    let file = survives(&text, 0);
    assert_eq!(
        file.features[0].prop_str("blob").map(str::len),
        Some(20 << 20)
    );
}

#[test]
fn bad_feature_objects_are_skipped() {
    let text = fc(&[
        r#"{"type":"Feature","properties":[1],"geometry":null}"#.into(),
        r#"{"type":"Nope"}"#.into(),
        "17".into(),
        r#"{"properties":{}}"#.into(),
        good_square(),
    ]);
    let file = survives(&text, 4);
    assert_eq!(
        file.warnings
            .iter()
            .map(|w| w.feature.unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
}

#[test]
fn size_limit_is_enforced() {
    let dir = crate::common::scratch("size-limit");
    let p = dir.join("big.geojson");
    std::fs::write(&p, fc(&[good_square()])).unwrap();
    let e = borderlens::map::load::load_path(&p, 10).unwrap_err();
    assert!(matches!(e, LoadError::TooLarge { .. }));
    assert!(e.to_string().contains("big.geojson"));
    assert!(
        borderlens::map::load::load_path(&dir.join("missing.geojson"), 1 << 20)
            .unwrap_err()
            .to_string()
            .contains("missing.geojson")
    );
}

#[test]
fn bad_geometry_is_reported_where_it_is() {
    let text = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[44,40]}},
{"type":"Feature","properties":{},
 "geometry":{"type":"Polygon","coordinates":"x"}},
{"type":"Feature","properties":{}, "geometry":{"type":"Blob","coordinates":[1,2]}}
]}"#;
    let file = parse_str(text, "bad.geojson").unwrap();
    assert_eq!(file.features.len(), 1);
    let w: Vec<_> = file
        .warnings
        .iter()
        .map(|w| (w.line, w.column, w.message.as_str()))
        .collect();
    // The bad coordinates are on line 4 (after `"coordinates":`), the unknown type's geometry
    // member on line 5 at column 36.
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].0 == 4 && w[0].1 > 30 && w[0].2.starts_with("invalid geometry"),
        "{w:?}"
    );
    assert!(
        w[1].0 == 5 && w[1].1 == 36 && w[1].2.contains("unknown geometry type"),
        "{w:?}"
    );
}

/// The features of a file share their property keys: keys of their own took 48 bytes a key a
/// feature, more than the points of a point file with a dozen properties.
#[test]
fn features_share_their_property_keys() {
    let features: Vec<String> = (0..300)
        .map(|i| {
            feature(
                &format!(
                    r#"{{"type":"Point","coordinates":[{},{}]}}"#,
                    44.0 + i as f64 * 0.01,
                    40.5
                ),
                &format!(
                    r#"{{"name":"village {i}","population":{},"admin":"Tavush"}}"#,
                    100 + i
                ),
            )
        })
        .collect();
    let text = fc(&features);
    let path = crate::common::scratch("shared_keys").join("villages.geojson");
    std::fs::write(&path, &text).unwrap();
    let from_text = parse_str(&text, "villages.geojson").unwrap();
    let from_file = borderlens::map::load::load_path(&path, u64::MAX).unwrap();
    // Nor is the features' vector kept with the room it grew by (300 pushed: 512).
    assert_eq!(from_file.features.capacity(), from_file.features.len());
    // A chunk-at-a-time read parses on several threads, each sharing its own keys.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) + 1;
    for loaded in [from_text, from_file] {
        assert_eq!(loaded.features.len(), 300);
        let mut distinct: Vec<&borderlens::map::load::Properties> = Vec::new();
        for f in &loaded.features {
            let keys: Vec<&str> = f.properties.keys().collect();
            assert_eq!(keys, ["admin", "name", "population"], "feature {}", f.index);
            if !distinct.iter().any(|d| d.shares_keys_with(&f.properties)) {
                distinct.push(&f.properties);
            }
        }
        assert!(
            distinct.len() <= threads,
            "{} copies of the same keys for 300 features",
            distinct.len()
        );
        assert_eq!(loaded.features[7].properties.value("name"), "village 7");
    }
}

/// A ring's coordinates are held in a vector of their own size, from the text and from a
/// file read a chunk at a time: a 100 MB file's rings are kept for the whole session (projected
/// in place), and vectors grown by doubling held up to twice their coordinates.
#[test]
fn rings_hold_no_more_room_than_their_positions() {
    // 37 positions: not a size a doubling vector ends at.
    let ring: Vec<String> = (0..36)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / 36.0;
            format!("[{},{}]", 44.0 + a.cos(), 40.0 + a.sin())
        })
        .chain(std::iter::once("[45,40]".to_string()))
        .collect();
    let polygon = format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        ring.join(",")
    );
    // The same ring left unclosed: closed on loading, in the room kept for it.
    let unclosed = format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        ring[..36].join(",")
    );
    let text = fc(&[feature(&polygon, "{}"), feature(&unclosed, "{}")]);
    let path = crate::common::scratch("exact_rings").join("ring.geojson");
    std::fs::write(&path, &text).unwrap();
    let from_text = parse_str(&text, "ring.geojson").unwrap();
    let from_file = borderlens::map::load::load_path(&path, u64::MAX).unwrap();
    for loaded in [from_text, from_file] {
        for f in &loaded.features {
            let Some(Geometry::Polygon(p)) = &f.geometry else {
                panic!("a polygon: {:?}", f.geometry);
            };
            let coords = &p.exterior().0;
            assert_eq!(coords.len(), 37);
            assert_eq!(coords.first(), coords.last());
            assert_eq!(coords.capacity(), coords.len());
        }
    }
}
