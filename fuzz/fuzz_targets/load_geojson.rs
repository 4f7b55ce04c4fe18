#![no_main]
//! Any bytes as a GeoJSON file: an error or features, never a panic or a hang; and the
//! chunked reader, where it keeps the file, gives what the whole-text reader gives.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The GeoJSON reader itself (format detection could send a collection elsewhere).
    let whole = borderlens_fuzz::load::geojson::parse_bytes(data, "fuzz.geojson");
    if let Ok(file) = &whole {
        for w in &file.warnings {
            let _ = w.to_string();
        }
    }
    let chunk = 1 + data.first().map_or(0, |&b| b as usize % 13);
    if let Ok(Some(streamed)) =
        borderlens_fuzz::load::geojson_stream::parse_reader(data, "fuzz.geojson", chunk)
    {
        let whole = whole.expect("the chunked reader kept a file the whole reader refuses");
        assert_eq!(format!("{:?}", streamed.features), format!("{:?}", whole.features));
        assert_eq!(streamed.warnings, whole.warnings);
        assert_eq!(streamed.foreign, whole.foreign);
    }
});
