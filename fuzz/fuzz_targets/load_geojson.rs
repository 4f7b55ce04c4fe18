#![no_main]
//! Any bytes as a GeoJSON file: an error or features, never a panic or a hang.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = borderlens_fuzz::load::parse_bytes(data, "fuzz.geojson") {
        for w in &file.warnings {
            let _ = w.to_string();
        }
    }
});
