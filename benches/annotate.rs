//! Throughput of `Geoparser::annotate` on ~10 MB of generated text (the sample articles of
//! `data/articles/` repeated). Target: >= 50 MB/s per core.
//! Run: `cargo bench --bench annotate` (needs `[[bench]] name = "annotate", harness = false`).

use std::path::{Path, PathBuf};

use borderlens::article::{Article, Geoparser};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn articles_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("data/articles").is_dir() {
        return manifest.join("data/articles");
    }
    let f = Path::new(file!());
    f.parent()
        .and_then(|p| p.parent())
        .map(|r| r.join("data/articles"))
        .unwrap_or_default()
}

/// The sample articles (title + body) concatenated and repeated to about `target` bytes.
fn corpus(target: usize) -> String {
    let mut texts: Vec<String> = std::fs::read_dir(articles_dir())
        .expect("data/articles")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| Article::from_path(&p).expect("article").annotation_text())
        .collect();
    texts.sort();
    assert!(!texts.is_empty(), "no sample articles");
    let mut out = String::with_capacity(target + 4096);
    'outer: loop {
        for t in &texts {
            out.push_str(t);
            out.push_str("\n\n");
            if out.len() >= target {
                break 'outer;
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let parser = Geoparser::embedded();
    let text = corpus(10 * 1024 * 1024);
    let ascii: String = text
        .chars()
        .map(|ch| if ch.is_ascii() { ch } else { '-' })
        .collect();
    let mut g = c.benchmark_group("annotate");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("sample_articles_10MB", |b| {
        b.iter(|| parser.annotate(std::hint::black_box(&text)))
    });
    g.throughput(Throughput::Bytes(ascii.len() as u64));
    g.bench_function("sample_articles_10MB_ascii", |b| {
        b.iter(|| parser.annotate(std::hint::black_box(&ascii)))
    });
    g.finish();
    c.bench_function("build_parser", |b| {
        b.iter(|| Geoparser::new(borderlens::article::Gazetteer::embedded()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
