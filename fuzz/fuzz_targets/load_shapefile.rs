#![no_main]
//! Any bytes as a Shapefile's .shp, .shx and .dbf (split by the first two bytes' lengths): an
//! error or features, never a panic or a hang.
use borderlens_fuzz::load::parse_shapefile_parts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let a = u16::from_le_bytes([data[0], data[1]]) as usize;
    let b = u16::from_le_bytes([data[2], data[3]]) as usize;
    let rest = &data[4..];
    let a = a.min(rest.len());
    let (shp, rest) = rest.split_at(a);
    let b = b.min(rest.len());
    let (shx, dbf) = rest.split_at(b);
    if let Ok(file) = parse_shapefile_parts(shp, Some(shx), Some(dbf), None, "fuzz.shp") {
        for w in &file.warnings {
            let _ = w.to_string();
        }
    }
});
