#![no_main]
//! Arbitrary bytes as an article file, as text and as a saved web page: any encoding is
//! decoded without panicking, and each unreadable byte is a warning, never a refusal.
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    use borderlens_fuzz::article::{decode, looks_binary, Article};
    let d = decode(data);
    assert!(d.warnings.len() <= 11);
    for name in ["a.txt", "a.html"] {
        match Article::from_bytes(Path::new(name), data) {
            Ok(a) => {
                let _ = a.annotation_text();
            }
            Err(_) => assert!(looks_binary(data) || name.ends_with(".html")),
        }
    }
});
