#![no_main]
//! Arbitrary text through the geoparser: mentions always lie on char boundaries of the input
//! and quote it exactly.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parser = borderlens_fuzz::article::Geoparser::embedded();
    for e in parser.annotate(&text) {
        for m in &e.mentions {
            assert!(m.start <= m.end && m.end <= text.len());
            assert_eq!(&text[m.start..m.end], m.text);
        }
    }
    let _ = borderlens_fuzz::article::Article::parse(&text);
});
