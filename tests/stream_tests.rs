//! The chunked GeoJSON reader (`load::geojson_stream`) against the whole-text reader: where it
//! keeps a file it must give the same features, warnings (with their lines and columns) and
//! foreign members, at any chunk size; whatever it does not expect it hands back.

use borderlens::map::load::geojson::parse_bytes;
use borderlens::map::load::geojson_stream::parse_reader;
use borderlens::map::load::{load_path, LoadedFile};

use crate::common::{scratch, square};

/// Chunk sizes that cut keys, numbers, strings and escapes at every kind of place.
const CHUNKS: [usize; 6] = [1, 2, 7, 64, 4096, 8 << 20];

fn same(a: &LoadedFile, b: &LoadedFile, what: &str) {
    assert_eq!(a.features.len(), b.features.len(), "{what}: features");
    assert_eq!(
        format!("{:?}", a.features),
        format!("{:?}", b.features),
        "{what}: features differ"
    );
    assert_eq!(a.warnings, b.warnings, "{what}: warnings differ");
    assert_eq!(a.foreign, b.foreign, "{what}: foreign members differ");
}

/// Streams `text` at every chunk size: `true` if it was kept (and then equal to the whole
/// reader's result), `false` if handed back at every size.
fn streams(text: &[u8], what: &str) -> bool {
    let whole = parse_bytes(text, "t.geojson");
    let mut kept = Vec::new();
    for chunk in CHUNKS {
        match parse_reader(text, "t.geojson", chunk) {
            Ok(Some(file)) => {
                let whole = whole
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{what}: kept at {chunk}, whole reader: {e}"));
                same(&file, whole, &format!("{what} at chunk {chunk}"));
                kept.push(true);
            }
            Ok(None) => kept.push(false),
            Err(e) => {
                // The same error as the whole reader (a CRS it does not know).
                let w = whole
                    .as_ref()
                    .expect_err("streamed error, whole reader kept it");
                assert_eq!(e.to_string(), w.to_string(), "{what}");
                kept.push(false);
            }
        }
    }
    assert!(
        kept.iter().all(|&k| k == kept[0]),
        "{what}: kept at some chunk sizes only: {kept:?}"
    );
    kept[0]
}

fn feature(geometry: &str, props: &str) -> String {
    format!("{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{geometry}}}")
}

fn polygon(x: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":{}}}"#,
        square(x, 40.0, 1.0)
    )
}

#[test]
fn real_files_are_streamed_as_the_whole_reader_reads_them() {
    let root = env!("CARGO_MANIFEST_DIR");
    for path in [
        "data/countries.geojson",
        "data/borders.geojson",
        "data/places.geojson",
        "tests/fixtures/world-110m.geojson",
        "tests/fixtures/formats/countries-110m.geojson",
    ] {
        let text = std::fs::read(format!("{root}/{path}")).unwrap();
        assert!(streams(&text, path), "{path} was not streamed");
    }
}

#[test]
fn skipped_and_repaired_features_keep_their_places_across_chunks() {
    // Pretty-printed over many lines, with features the reader skips or repairs, strings that
    // hold brackets, quotes and escapes, and foreign members before and after the features.
    let bad = [
        feature(r#"{"type":"Hexagon","coordinates":[]}"#, "{}"),
        r#"{"type":"Feature","properties":[1,2],"geometry":null}"#.to_string(),
        r#"{"type":"Thing"}"#.to_string(),
        r#"{"properties":{}}"#.to_string(),
        feature(
            r#"{"type":"Polygon","coordinates":[[[44,40],[45,40],[45,41]]]}"#,
            "{}",
        ),
        feature(r#"{"type":"Point","coordinates":[1e300,0]}"#, "{}"),
        "17".to_string(),
    ];
    let mut features = Vec::new();
    for (i, b) in bad.iter().enumerate() {
        let name =
            format!(r#"{{"name":"a \"q\" ] }} [ {{ \\ \u00e9 {i}","e":"x\"]}}","n":[[{i}]]}}"#);
        features.push(feature(&polygon(44.0 + i as f64), &name));
        features.push(b.replace(',', ",\n    "));
    }
    let text = format!(
        "\u{feff}{{\n  \"name\": \"x\",\n  \"count\": 12,\n  \"flag\": true,\n  \"bbox\": [1,2,3,4],\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n{}\n  ],\n  \"after\": {{\"k\": [null, false]}}\n}}\n",
        features.join(",\n")
    );
    assert!(streams(text.as_bytes(), "pretty"));
    let file = parse_reader(text.as_bytes(), "t.geojson", 7)
        .unwrap()
        .unwrap();
    assert_eq!(file.features.len(), 8, "{:?}", file.warnings);
    assert!(file.warnings.len() >= 6, "{:?}", file.warnings);
    assert!(
        file.warnings.iter().all(|w| w.line > 8),
        "{:?}",
        file.warnings
    );
    assert!(file.foreign.contains_key("after") && !file.foreign.contains_key("bbox"));
}

#[test]
fn a_crs_before_the_features_reprojects_them_and_one_after_hands_the_file_back() {
    let feats = feature(
        r#"{"type":"Point","coordinates":[500000,4500000]}"#,
        r#"{"name":"p"}"#,
    );
    let crs = r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32638"}}"#;
    let before = format!(r#"{{"type":"FeatureCollection",{crs},"features":[{feats}]}}"#);
    assert!(streams(before.as_bytes(), "crs before"));
    let after = format!(r#"{{"type":"FeatureCollection","features":[{feats}],{crs}}}"#);
    assert!(!streams(after.as_bytes(), "crs after"));
    let unknown = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:999999"}},"features":[]}"#;
    streams(unknown.as_bytes(), "unknown crs");
}

#[test]
fn what_is_not_a_well_formed_collection_goes_to_the_whole_reader() {
    let good = feature(&polygon(44.0), r#"{"name":"ok"}"#);
    let cases = [
        String::new(),
        "  \n ".into(),
        "[1,2]".into(),
        format!(r#"{{"type":"Feature","properties":{{}},"geometry":{}}}"#, polygon(44.0)),
        polygon(44.0),
        format!(r#"{{"type":"FeatureCollection","features":[{good}]"#),
        format!(r#"{{"type":"FeatureCollection","features":[{good},]}}"#),
        format!(r#"{{"type":"FeatureCollection","features":[{good}]}} x"#),
        format!(r#"{{"type":"FeatureCollection","features":[{good}],"features":[]}}"#),
        format!(r#"{{"features":[{good}]}}"#),
        format!(r#"{{"type":"Topology","features":[{good}]}}"#),
        format!(r#"{{"type":7,"features":[{good}]}}"#),
        r#"{"type":"FeatureCollection","features":{"a":1}}"#.into(),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]}}]}"#.into(),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1 "b":2}}]}"#.into(),
        r#"{"type":"FeatureCollection" "features":[]}"#.into(),
        // A bad escape before a multi-byte character: serde's column falls inside it.
        "{\"type\":\"FeatureCollection\",\"features\":[{\"a\":\"\\u0\u{20ac}\"}]}".into(),
        // Nested past serde's limit, which counts from the top of the file.
        format!(
            r#"{{"type":"FeatureCollection","features":[],"x":{}{}}}"#,
            "[".repeat(127),
            "]".repeat(127)
        ),
        format!(
            r#"{{"type":"FeatureCollection","x":{}{},"features":[{good}]}}"#,
            "[".repeat(127),
            "]".repeat(127)
        ),
        // A CRS it does not know, in a file whose first problem is another.
        r#"{"crs":"urn:bad:thing","features":[]}"#.into(),
        r#"{"type":"FeatureCollection","crs":"urn:bad:thing","features":[1,]}"#.into(),
        // A geometry with its type last.
        r#"{"coordinates":[[44,40],[45,41]],"type":"MultiPoint"}"#.into(),
    ];
    for (i, text) in cases.iter().enumerate() {
        assert!(
            !streams(text.as_bytes(), &format!("case {i}")),
            "case {i} was kept: {text}"
        );
    }
    // Not UTF-8 inside a feature: the whole reader's error names the byte.
    let mut bytes = format!(r#"{{"type":"FeatureCollection","features":[{good}]}}"#).into_bytes();
    let at = bytes.len() - 20;
    bytes[at] = 0xFF;
    assert!(!streams(&bytes, "not UTF-8"));
    // UTF-16 text.
    let utf16: Vec<u8> = format!(r#"{{"type":"FeatureCollection","features":[{good}]}}"#)
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert!(!streams(&utf16, "UTF-16"));
}

#[test]
fn a_file_on_disk_loads_through_the_chunked_reader_with_its_warnings_placed() {
    let path = scratch("stream-on-disk").join("big.geojson");
    let mut features: Vec<String> = (0..3000)
        .map(|i| {
            feature(
                &polygon(40.0 + (i % 10) as f64),
                &format!(r#"{{"name":"f{i}"}}"#),
            )
        })
        .collect();
    features[2500] = r#"{"type":"Feature","properties":{},"geometry":{"type":"Blob"}}"#.into();
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
        features.join(",\n")
    );
    std::fs::write(&path, &text).unwrap();
    let loaded = load_path(&path, u64::MAX).unwrap();
    assert_eq!(loaded.features.len(), 2999);
    let whole = parse_bytes(text.as_bytes(), &path.display().to_string()).unwrap();
    same(&loaded, &whole, "file");
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].line, 2502, "{}", loaded.warnings[0]);
    assert_eq!(loaded.warnings[0].feature, Some(2500));
}

/// Mutated collections (bytes changed, cut, doubled, structural characters put in): the
/// chunked reader never panics, and whatever it keeps equals the whole reader's result.
#[test]
fn mutated_files_stream_as_the_whole_reader_reads_them_or_go_back_to_it() {
    let base = format!(
        "{{\"type\":\"FeatureCollection\",\"name\":\"m\",\"features\":[\n{},\n{},\n{}\n]}}\n",
        feature(
            &polygon(44.0),
            r#"{"name":"a \"b\" ]","e":"x\"]}","n":[1,{"x":null}]}"#
        ),
        feature(r#"{"type":"Point","coordinates":[45.5,40.25]}"#, "{}"),
        feature(
            r#"{"type":"LineString","coordinates":[[44,40],[45,41],[46,40.5]]}"#,
            r#"{"id":7}"#
        ),
    );
    let base = base.as_bytes();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    const PUT: &[u8] = b"{}[]\",:\\ \n0e-.nulltrue";
    let (mut kept, mut handed_back) = (0, 0);
    for round in 0..1500 {
        let mut text = base.to_vec();
        for _ in 0..1 + next(3) {
            let at = next(text.len());
            match next(4) {
                0 => text[at] = PUT[next(PUT.len())],
                1 => text.truncate(at),
                2 => {
                    let end = (at + next(40)).min(text.len());
                    let piece = text[at..end].to_vec();
                    text.splice(at..at, piece);
                }
                _ => {
                    text.remove(at.min(text.len().saturating_sub(1)));
                }
            }
            if text.is_empty() {
                break;
            }
        }
        let whole = parse_bytes(&text, "t.geojson");
        for chunk in [1, 5, 64] {
            match parse_reader(text.as_slice(), "t.geojson", chunk) {
                Ok(Some(file)) => {
                    let whole = whole.as_ref().unwrap_or_else(|e| {
                        panic!("round {round}: kept at {chunk}, whole reader refused: {e}")
                    });
                    same(&file, whole, &format!("round {round} at chunk {chunk}"));
                    kept += 1;
                }
                Ok(None) => handed_back += 1,
                Err(e) => {
                    let w = whole
                        .as_ref()
                        .expect_err("streamed error, whole reader kept it");
                    assert_eq!(e.to_string(), w.to_string(), "round {round}");
                }
            }
        }
    }
    // Both paths were taken many times.
    assert!(
        kept > 300 && handed_back > 300,
        "kept {kept}, handed back {handed_back}"
    );
}

/// A warning on every feature, on one line and on many: all placed as the whole reader places
/// them (each batch's newlines are counted once, not once a warning).
#[test]
fn a_warning_on_every_feature_is_placed_as_the_whole_reader_places_it() {
    let bad = r#"{"type":"Feature","properties":{"name":"zone"},"geometry":{"type":"Point","coordinates":[1]}}"#;
    for sep in [",", ",\n", ",\r\n  "] {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            vec![bad; 3000].join(sep)
        );
        let whole = parse_bytes(text.as_bytes(), "t.geojson").unwrap();
        assert_eq!(whole.warnings.len(), 3000);
        for chunk in [4096, 8 << 20] {
            let file = parse_reader(text.as_bytes(), "t.geojson", chunk)
                .unwrap()
                .unwrap();
            same(&file, &whole, &format!("{sep:?} at chunk {chunk}"));
        }
    }
}
