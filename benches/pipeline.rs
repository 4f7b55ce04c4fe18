//! The map pipeline, step by step: parse, project + tessellate, render (lavapipe or whatever
//! adapter wgpu finds). Inputs: the embedded base map and deterministic synthetic overlays of
//! ~10 MB and ~100 MB. Run: `cargo bench --bench pipeline`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use borderlens::gpu::headless::Headless;
use borderlens::map::basemap;
use borderlens::map::camera::Camera;
use borderlens::map::layer::{LayerKind, MapLayer};
use borderlens::map::load::parse_bytes;
use borderlens::map::project::Projection;
use borderlens::map::Map;

fn synthetic(mb: u64) -> (Vec<u8>, u64) {
    let mut v = Vec::with_capacity((mb * 1_000_000 + 4096) as usize);
    let s = borderlens::map::synth::write_overlay(&mut v, mb * 1_000_000, 1).unwrap();
    (v, s.vertices)
}

fn pipeline(c: &mut Criterion) {
    let projection = Projection::default();
    let base: Vec<(&str, &str)> = vec![
        ("countries", basemap::COUNTRIES),
        ("water", basemap::WATER),
        ("places", basemap::PLACES),
        ("borders", basemap::BORDERS),
    ];
    let base_bytes: usize = base.iter().map(|(_, t)| t.len()).sum();

    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(base_bytes as u64));
    g.bench_function("base map", |b| {
        b.iter(|| {
            base.iter()
                .map(|(n, t)| parse_bytes(t.as_bytes(), n).unwrap().features.len())
                .sum::<usize>()
        })
    });
    let sizes: &[u64] = &[10, 100];
    let inputs: Vec<(u64, Vec<u8>, u64)> = sizes
        .iter()
        .map(|&mb| {
            let (d, v) = synthetic(mb);
            (mb, d, v)
        })
        .collect();
    for (mb, data, _) in &inputs {
        g.throughput(Throughput::Bytes(data.len() as u64));
        if *mb >= 100 {
            g.sample_size(10);
        }
        g.bench_with_input(BenchmarkId::new("synthetic MB", mb), data, |b, d| {
            b.iter(|| parse_bytes(d, "synthetic").unwrap().features.len())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("project+tessellate");
    let countries = parse_bytes(basemap::COUNTRIES.as_bytes(), "countries").unwrap();
    let verts = MapLayer::build("c", LayerKind::Countries, countries.clone(), &projection)
        .mesh
        .vertices
        .len();
    g.throughput(Throughput::Elements(verts as u64));
    g.bench_function("base countries (output vertices)", |b| {
        b.iter(|| {
            MapLayer::build("c", LayerKind::Countries, countries.clone(), &projection)
                .mesh
                .vertices
                .len()
        })
    });
    for (mb, data, input_vertices) in &inputs {
        let file = parse_bytes(data, "synthetic").unwrap();
        g.throughput(Throughput::Elements(*input_vertices));
        if *mb >= 100 {
            g.sample_size(10);
        }
        g.bench_with_input(
            BenchmarkId::new("synthetic MB (input vertices)", mb),
            &file,
            |b, f| {
                b.iter(|| {
                    MapLayer::build("s", LayerKind::Overlay, f.clone(), &projection)
                        .mesh
                        .vertices
                        .len()
                })
            },
        );
    }
    g.finish();

    let mut g = c.benchmark_group("render 1600x1000");
    g.sample_size(20);
    let map = Map::new(projection, true);
    let camera = Camera::fitting(map.home_bounds(), [1600, 1000], 1.0, 0.0);
    let mut headless =
        Headless::new(&map).expect("a wgpu adapter (mesa-vulkan-drivers for lavapipe)");
    eprintln!("adapter: {}", headless.gpu.describe());
    g.bench_function("base map, no labels (draw + readback)", |b| {
        b.iter(|| headless.render(&camera).unwrap().len())
    });
    g.bench_function("base map with labels", |b| {
        b.iter(|| headless.render_labelled(&map, &camera).unwrap().len())
    });
    let mut big = Map::new(projection, true);
    let file = parse_bytes(&inputs[0].1, "synthetic").unwrap();
    big.add_overlay(MapLayer::build("s", LayerKind::Overlay, file, &projection));
    let mut headless = Headless::new(&big).unwrap();
    g.bench_function("base map + 10 MB overlay", |b| {
        b.iter(|| headless.render(&camera).unwrap().len())
    });
    g.finish();
}

/// A heavy overlay streamed as `render` draws it (`Headless::render_streaming`), at its full
/// extent: back to front with every triangle against front to back without the hidden ones
/// (`mesh::cover`) (`cargo bench --bench pipeline -- stream`).
fn streaming(c: &mut Criterion) {
    let projection = Projection::default();
    let (data, _) = synthetic(10);
    let mut g = c.benchmark_group("stream 10 MB overlay 1600x1000");
    g.sample_size(10);
    for front_to_back in [false, true] {
        let mut map = Map::new(projection, false);
        let file = parse_bytes(&data, "synthetic").unwrap();
        map.add_overlay(MapLayer::project(
            "s",
            LayerKind::Overlay,
            file,
            &projection,
        ));
        let camera = Camera::fitting(map.overlay_bounds().unwrap(), [1600, 1000], 1.0, 0.0);
        let tolerance = borderlens::map::layer::MAX_ERROR_PX / camera.scale;
        let mut h = Headless::new(&map).expect("a wgpu adapter");
        h.order = if front_to_back {
            borderlens::mesh::order::Order::FrontToBack
        } else {
            borderlens::mesh::order::Order::BackToFront
        };
        h.render_streaming(&mut map, &camera, false, tolerance)
            .unwrap();
        eprintln!(
            "front to back {front_to_back}: {} triangles drawn, {} hidden",
            h.streamed.triangles, h.streamed.hidden
        );
        let name = if front_to_back {
            "front to back"
        } else {
            "back to front"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                h.render_streaming(&mut map, &camera, false, tolerance)
                    .unwrap()
                    .len()
            })
        });
        if front_to_back {
            // The CPU's share of it: the cover's pass over the layer's triangles.
            let layer = &map.layers[0];
            let mesh = borderlens::mesh::tessellate::tessellate(&layer.tess_inputs(), tolerance);
            let screen = camera.screen();
            g.bench_function("the cover's pass alone", |b| {
                b.iter(|| {
                    let mut cover = borderlens::mesh::cover::Cover::new(
                        screen,
                        &layer.styles,
                        h.layers[0].state,
                    );
                    cover.cull(mesh.clone()).indices.len()
                })
            });
        }
    }
    g.finish();
}

/// Hover: the feature under the pointer, topmost layer first (as the window picks), at 400
/// points over the region's home view; the base map with the world layer beneath it against
/// the base map as it was before that layer (`cargo bench --bench pipeline -- hover`).
fn hover(c: &mut Criterion) {
    use borderlens::map::hit::HitIndex;
    let map = Map::new(Projection::default(), true);
    let indexed: Vec<(&MapLayer, HitIndex)> =
        map.layers.iter().map(|l| (l, HitIndex::build(l))).collect();
    let home = map.home_bounds();
    let scale = 1600.0 / home.width();
    let points: Vec<[f64; 2]> = (0..20)
        .flat_map(|i| (0..20).map(move |j| (i, j)))
        .map(|(i, j)| {
            [
                home.min().x + home.width() * (i as f64 + 0.5) / 20.0,
                home.min().y + home.height() * (j as f64 + 0.5) / 20.0,
            ]
        })
        .collect();
    let pick = |layers: &[&(&MapLayer, HitIndex)]| {
        points
            .iter()
            .filter(|&&p| {
                layers
                    .iter()
                    .rev()
                    .filter(|(l, _)| l.kind != LayerKind::Seas)
                    .find_map(|(l, h)| h.pick(l, p, scale))
                    .is_some()
            })
            .count()
    };
    let with: Vec<&(&MapLayer, HitIndex)> = indexed.iter().collect();
    let without: Vec<&(&MapLayer, HitIndex)> = indexed
        .iter()
        .filter(|(l, _)| l.kind != LayerKind::World)
        .collect();
    let mut g = c.benchmark_group("hover");
    g.throughput(Throughput::Elements(points.len() as u64));
    g.bench_function("region view, base map without the world layer", |b| {
        b.iter(|| pick(&without))
    });
    g.bench_function("region view, base map with the world layer", |b| {
        b.iter(|| pick(&with))
    });
    g.finish();
}

criterion_group!(benches, hover, pipeline, streaming);
criterion_main!(benches);
