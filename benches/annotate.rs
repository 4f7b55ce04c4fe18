//! Throughput of `Geoparser::annotate` (and `annotate_open`, with the settlement pass) on ~10 MB
//! of generated text (the sample articles of `data/articles/` repeated). Target: >= 50 MB/s per
//! core.
//! Run: `cargo bench --bench annotate` (needs `[[bench]] name = "annotate", harness = false`).

use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};
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
    g.bench_function("sample_articles_10MB_open_world", |b| {
        b.iter(|| parser.annotate_open(std::hint::black_box(&text)))
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

/// FNV-1a, the hasher the word sets used before; kept here only as the baseline of
/// `word_sets`.
#[derive(Default, Clone, Copy)]
struct FnvBuild;
struct Fnv(u64);
impl BuildHasher for FnvBuild {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}
impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Every word of `data/lexicon.toml`.
fn lexicon_words() -> Vec<Vec<u8>> {
    let src = borderlens::article::EMBEDDED_LEXICON;
    let table: toml::Table = toml::from_str(src).expect("lexicon");
    table
        .values()
        .filter_map(|v| v.as_array())
        .flatten()
        .filter_map(|w| w.as_str())
        .map(|w| w.as_bytes().to_vec())
        .collect()
}

/// Lower-cased words of a text (what the context rules look up).
fn tokens(text: &str) -> Vec<Vec<u8>> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= 32)
        .map(|w| w.to_ascii_lowercase().into_bytes())
        .collect()
}

fn lookups<S: BuildHasher + Default>(words: &[Vec<u8>], toks: &[Vec<u8>]) -> usize {
    let set: HashSet<&[u8], S> = words.iter().map(|w| w.as_slice()).collect();
    toks.iter().filter(|t| set.contains(t.as_slice())).count()
}

/// The word-set hasher: FNV-1a (own, before), std's SipHash, rustc-hash (Fx, used), foldhash.
fn word_sets(c: &mut Criterion) {
    let words = lexicon_words();
    let toks = tokens(&corpus(1024 * 1024));
    let mut g = c.benchmark_group("word_sets");
    g.throughput(Throughput::Elements(toks.len() as u64));
    g.bench_function("fnv1a", |b| b.iter(|| lookups::<FnvBuild>(&words, &toks)));
    g.bench_function("std_siphash", |b| {
        b.iter(|| lookups::<std::hash::RandomState>(&words, &toks))
    });
    g.bench_function("rustc_hash_fx", |b| {
        b.iter(|| lookups::<rustc_hash::FxBuildHasher>(&words, &toks))
    });
    g.bench_function("foldhash_fast", |b| {
        b.iter(|| lookups::<foldhash::fast::FixedState>(&words, &toks))
    });
    g.finish();
}

criterion_group!(benches, bench, word_sets);
criterion_main!(benches);
