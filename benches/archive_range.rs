//! A range change in the viewer's archive mode on 100,000 articles: the sums over the days in
//! the range (counts kept in memory per day and entity), the counts layer's style table and the
//! range's most mentioned entities. Target (issue 16): under 50 ms. The GPU upload of the style
//! table (a few KB) is not in it.
//! With `BORDERLENS_BENCH_ARCHIVE=DIR` (an archive folder; indexed first where needed), also
//! the reading of its per-day counts into memory when the viewer opens it.
//! Run: `cargo bench --bench archive_range`.

use borderlens::app::archive::counts::{DayCounts, RangeSum};
use borderlens::app::archive::{range_styles, top_entities};
use borderlens::archive::DayRange;
use borderlens::mesh::vertex::FeatureStyle;
use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};

const KINDS: [&str; 4] = ["country", "region", "border", "place"];

/// 100,000 articles over `days` days, each day mentioning `ids` entities (every entity every day:
/// the most the per-day table can hold), as the index's rows.
fn counts(days: u64, ids: usize) -> DayCounts {
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let per_day = 100_000 / days;
    let day = |d: u64| (first + Days::new(d)).format("%Y-%m-%d").to_string();
    let day_rows: Vec<(String, u64)> = (0..days).map(|d| (day(d), per_day)).collect();
    let mut rows = Vec::new();
    for d in 0..days {
        for e in 0..ids {
            let n = 1 + (d as usize * 7 + e * 13) % per_day as usize;
            rows.push((day(d), format!("e{e}"), KINDS[e % 4].to_string(), n as u64));
        }
    }
    DayCounts::from_rows(day_rows, rows)
}

fn range_change(c: &mut Criterion) {
    let from = NaiveDate::from_ymd_opt(2024, 3, 1);
    let to = NaiveDate::from_ymd_opt(2024, 8, 31);
    for (name, days, ids, range) in [
        (
            "100k articles, 1 year, 70 ids, 6 months",
            366,
            70,
            DayRange { from, to },
        ),
        (
            "100k articles, 10 years, 300 ids, all dates",
            3650,
            300,
            DayRange::all(),
        ),
    ] {
        let counts = counts(days, ids);
        let base = vec![
            FeatureStyle {
                fill: [0.8, 0.2, 0.1, 0.5],
                stroke: [0.8, 0.1, 0.3, 0.9],
                marker: [0.3, 0.2, 0.6, 1.0],
                stroke_width: 2.0,
                marker_radius: 4.0,
                flags: 0,
                min_scale: 0.0
            };
            ids
        ];
        let feature_entity: Vec<Option<usize>> = (0..ids)
            .map(|i| counts.entity_index(&format!("e{i}")))
            .collect();
        let mut styles = base.clone();
        let mut sum = RangeSum::default();
        c.bench_function(&format!("range change: {name}"), |b| {
            b.iter(|| {
                counts.sum_into(range, &mut sum);
                range_styles(&counts, &sum, &base, &feature_entity, &mut styles);
                std::hint::black_box(top_entities(&counts, &sum, 12));
            })
        });
    }
}

/// The per-day counts of an indexed archive read into memory (what the viewer does once
/// indexing is done).
fn load_counts(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("BORDERLENS_BENCH_ARCHIVE") else {
        return;
    };
    let mut archive = borderlens::archive::Archive::open(std::path::Path::new(&dir)).unwrap();
    // Indexes what is not indexed yet (the first run on a folder takes a while).
    archive
        .sync(borderlens::archive::DEFAULT_BATCH, &|_| {})
        .unwrap();
    let counts = borderlens::app::archive::worker::day_counts(&archive, None).unwrap();
    let name = format!(
        "per-day counts into memory: {} articles, {} days, {} ids",
        counts.total(),
        counts.days.len(),
        counts.entities.len()
    );
    c.bench_function(&name, |b| {
        b.iter(|| borderlens::app::archive::worker::day_counts(&archive, None).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = range_change
}
criterion_group! {
    name = loading;
    config = Criterion::default().sample_size(10);
    targets = load_counts
}
criterion_main!(benches, loading);
