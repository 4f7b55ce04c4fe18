#![no_main]
//! Arbitrary text through the geoparser (and its open-world pass): mentions always lie on char
//! boundaries of the input and quote it exactly.
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
    // the open-world pass: its mentions lie on char boundaries of the input too
    let open = parser.annotate_open(&text);
    for m in &open.located.settlements {
        assert!(m.start <= m.end && m.end <= text.len());
        assert!(text.get(m.start..m.end).is_some());
    }
    for b in &open.located.inferred_borders {
        assert!(text.get(b.start..b.end).is_some());
    }
    let _ = borderlens_fuzz::article::Article::parse(&text);
});
