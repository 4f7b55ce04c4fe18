#![no_main]
//! Any bytes as a ZippedShapefile file: an error or features, never a panic or a hang.
use borderlens_fuzz::load::{parse_format, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((file, _)) = parse_format(data, Format::ZippedShapefile, "fuzz.zip") {
        for w in &file.warnings {
            let _ = w.to_string();
        }
    }
});
