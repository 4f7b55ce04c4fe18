//! Levels of detail never change the picture: at three zooms, the level the window would draw
//! gives the full-detail frame within antialiasing (headless, on the software Vulkan driver).
//! The window makes a heavy file's levels as its views need them (under Xvfb, real keys).

use borderlens::gpu::headless::Headless;
use borderlens::map::camera::Camera;
use borderlens::map::layer::{LayerKind, MapLayer};
use borderlens::map::load::parse_bytes;
use borderlens::map::lod;
use borderlens::map::project::Projection;
use borderlens::map::Map;
use borderlens::mesh::tessellate::Mesh;

use serde_json::Value;

use crate::common::window::*;
use crate::common::{gpu_lock, scratch};

/// The frame of the file alone (no base map) drawn with `mesh` in place of its full mesh.
fn render_frame(bytes: &[u8], mesh: Option<Mesh>, camera: &Camera) -> image::RgbaImage {
    let file = parse_bytes(bytes, "synth.geojson").unwrap();
    let mut layer = MapLayer::build("synth", LayerKind::Overlay, file, &Projection::default());
    if let Some(m) = mesh {
        layer.mesh = m;
    }
    let mut map = Map::new(Projection::default(), false);
    map.add_overlay(layer);
    let mut h = Headless::new(&map).expect("the software Vulkan driver renders");
    h.render(camera).unwrap()
}

#[test]
fn each_level_draws_the_full_detail_picture_within_antialiasing() {
    let _gpu = gpu_lock();
    // A synthetic file of the benchmarks' kind (~1 MB: 13k polygons' worth of vertices).
    let mut bytes = Vec::new();
    borderlens::map::synth::write_overlay(&mut bytes, 4_000_000, 7).unwrap();
    let file = parse_bytes(&bytes, "synth.geojson").unwrap();
    let layer = MapLayer::project("synth", LayerKind::Overlay, file, &Projection::default());
    assert!(lod::is_heavy(&layer.projected), "a heavy layer gets levels");
    let full_mesh = lod::level_mesh(&layer.projected, &layer.styles, 0.0);
    let bounds = layer.bounds.unwrap();
    let full = Camera::fitting(bounds, [800, 500], 1.0, 0.0);
    let mut compared = Vec::new();
    for zoom_out in [1.0, 8.0, 32.0] {
        let mut camera = full;
        camera.min_scale = 0.0;
        camera.scale = full.scale / zoom_out;
        // The level the window asks for at this view.
        let tolerance = lod::tolerance_for(camera.scale);
        assert!(tolerance > 0.0);
        let level = lod::level_mesh(&layer.projected, &layer.styles, tolerance);
        assert!(
            level.indices.len() < full_mesh.indices.len(),
            "zoomed out {zoom_out}x: the level is lighter"
        );
        compared.push(level.indices.len());
        let exact = render_frame(&bytes, None, &camera);
        let coarse = render_frame(&bytes, Some(level), &camera);
        let (mut sum, mut far) = (0u64, 0usize);
        for (a, b) in exact.pixels().zip(coarse.pixels()) {
            let d = (0..3)
                .map(|c| (a[c] as i32 - b[c] as i32).unsigned_abs())
                .max()
                .unwrap();
            sum += d as u64;
            far += (d > 96) as usize;
        }
        let n = (exact.width() * exact.height()) as f64;
        let mean = sum as f64 / n;
        // Antialiasing moves edge pixels a little; a coarser picture would move many a lot.
        assert!(
            mean < 1.0 && (far as f64) < 0.002 * n,
            "zoomed out {zoom_out}x, level {tolerance} km: mean difference {mean:.2}, {far} pixels far off"
        );
    }
    assert!(
        compared.windows(2).all(|w| w[1] < w[0]),
        "zooming out draws less: {compared:?}"
    );
}

#[test]
fn a_level_of_the_part_around_a_view_draws_it_as_the_whole_layers_level_does() {
    // A view zoomed in on part of a heavy layer asks for a level of the features around it only
    // (a world file at the region's view): fewer vertices, the same picture in that view and in
    // every view it holds (panned within its slack).
    let _gpu = gpu_lock();
    let mut bytes = Vec::new();
    borderlens::map::synth::write_overlay(&mut bytes, 4_000_000, 5).unwrap();
    let file = parse_bytes(&bytes, "synth.geojson").unwrap();
    let layer = MapLayer::project("synth", LayerKind::Overlay, file, &Projection::default());
    let bounds = layer.bounds.unwrap();
    let mut camera = Camera::fitting(bounds, [800, 500], 1.0, 0.0);
    // Zoomed in 16 times on a point a third of the way in.
    camera.scale *= 16.0;
    camera.center = [
        bounds.min().x + bounds.width() * 0.3,
        bounds.min().y + bounds.height() * 0.6,
    ];
    let cover =
        lod::coverage_for(&camera, lod::SLACK_PX, Some(bounds)).expect("a part of the layer");
    let (parts, kept, total) = lod::parts_within(&layer.projected, &cover);
    assert!(
        kept * 3 < total,
        "the part holds {kept} of {total} vertices"
    );
    let tolerance = lod::tolerance_for(camera.scale);
    let whole = lod::level_mesh(&layer.projected, &layer.styles, tolerance);
    let part = lod::part_mesh(&layer.projected, &parts, &layer.styles, tolerance);
    assert!(part.triangles() * 3 < whole.triangles());
    let level = lod::Level {
        tolerance_km: tolerance,
        mesh: (),
        used: 0,
        streamed: false,
        lossy: false,
        covers: Some(cover),
    };
    // The view, and the view panned by its width each way: still held.
    let width = 800.0 / camera.scale;
    for dx in [0.0, -width, width] {
        let mut view = camera;
        view.center[0] += dx;
        assert!(
            level.covers(&lod::needs(&view, lod::SLACK_PX)),
            "panned {dx} km"
        );
        let a = render_frame(&bytes, Some(whole.clone()), &view);
        let b = render_frame(&bytes, Some(part.clone()), &view);
        // Chunked as the whole layer, its overlapping translucent features stack alike.
        let (far, max) = rounding(&a, &b);
        assert!(
            far == 0,
            "panned {dx} km: {far} pixels differ (by up to {max}/255)"
        );
    }
    // Two views' widths away, the part is not enough.
    let mut away = camera;
    away.center[0] += 2.0 * width;
    assert!(!level.covers(&lod::needs(&away, lod::SLACK_PX)));
    assert_ne!(
        rounding(
            &render_frame(&bytes, Some(whole), &away),
            &render_frame(&bytes, Some(part), &away)
        )
        .0,
        0,
        "the features there are not in the part"
    );
}

/// The world-km box a frame dump's view shows (min x, min y, max x, max y).
fn visible_world(s: &Value) -> [f64; 4] {
    let c = |i: usize| s["center"][i].as_f64().unwrap();
    let scale = s["scale"].as_f64().unwrap();
    let half = |i: usize| s["size"][i].as_f64().unwrap() / 2.0 / scale;
    [
        c(0) - half(0),
        c(1) - half(1),
        c(0) + half(0),
        c(1) + half(1),
    ]
}

/// What a level must hold to draw the view of a frame dump exactly (`lod::needs`), for a
/// layer whose strokes reach less than `lod::SLACK_PX`.
fn need(s: &Value) -> [f64; 4] {
    let [x0, y0, x1, y1] = visible_world(s);
    let slack =
        (x1 - x0).max(y1 - y0) * lod::SLACK_VIEWS + lod::SLACK_PX / s["scale"].as_f64().unwrap();
    [x0 - slack, y0 - slack, x1 + slack, y1 + slack]
}

/// `outer`, a box in a frame dump (`null`: none), holds `inner`.
fn holds(outer: &Value, inner: [f64; 4]) -> bool {
    let o = |i: usize| outer[i].as_f64();
    o(0).zip(o(1))
        .zip(o(2).zip(o(3)))
        .is_some_and(|((x0, y0), (x1, y1))| {
            x0 <= inner[0] && y0 <= inner[1] && x1 >= inner[2] && y1 >= inner[3]
        })
}

/// A frame at rest with the heavy layer drawn from a part that holds the view.
fn parted(s: &Value) -> bool {
    at_rest_with_the_layer(s) && holds(&heavy_layer(s).unwrap()["drawn_part"], visible_world(s))
}

/// Zooms in 16 times on a frame at rest `s0` (real keys) and waits for the zoomed view drawn
/// from a part of the heavy layer that holds it, and `ok`.
fn zoomed_to_a_part(v: &Viewer, s0: &Value, ok: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..4 {
        v.key("plus");
    }
    let scale0 = s0["scale"].as_f64().unwrap();
    v.wait_for(frame(s0), "the zoomed view's part drawn", |s| {
        s["scale"].as_f64().unwrap() > 15.0 * scale0 && parted(s) && ok(s)
    })
    .0
}

/// A synthetic file's features spread four times as far apart around the region (44°E, 41°N):
/// bigger than the region's view, so that every zoom in asks for a part of it (a smaller file
/// asks for its whole level where a part would hold most of it, and that level then serves
/// the views further in).
fn spread(json: &mut Value) {
    fn walk(v: &mut Value) {
        match v.as_array_mut() {
            Some(a) if a.len() >= 2 && a[0].is_number() => {
                let (x, y) = (a[0].as_f64().unwrap(), a[1].as_f64().unwrap());
                a[0] = (44.0 + (x - 44.0) * 4.0).into();
                a[1] = (41.0 + (y - 41.0) * 4.0).clamp(-80.0, 80.0).into();
            }
            Some(a) => a.iter_mut().for_each(walk),
            None => {}
        }
    }
    for f in json["features"].as_array_mut().unwrap() {
        walk(&mut f["geometry"]["coordinates"]);
    }
}

#[test]
fn window_makes_levels_of_the_part_of_a_heavy_layer_around_a_zoomed_view() {
    // Zoomed in on a heavy file, the window makes the level of the features around the view,
    // not of the whole file; a pan past it makes the next part, and the first stays for a
    // way back (real keys under Xvfb).
    let _gpu = gpu_lock();
    let file = heavy_file("window_parts", 3, spread);
    let v = Viewer::start_with("window_parts_run", &[&file], [900, 600], &["--no-demo"]);
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest_with_the_layer);
    let want = |s: &Value| lod::tolerance_for(s["scale"].as_f64().unwrap());
    let exact_part = |s: &Value| parted(s) && heavy_layer(s).unwrap()["drawn_km"] == want(s);
    // In 16 times: the level of a part of the layer, holding the view.
    let s1 = zoomed_to_a_part(&v, &s0, exact_part);
    let first = heavy_layer(&s1).unwrap()["drawn_part"].clone();
    // Panned 1,320 px right: past what the part holds around the view (a view and a half,
    // less the slack); the next part is made.
    let panned = keys_at_rest(&v, &["Right"; 11]);
    let (s2, _) = v.wait_for(
        frame(&panned) - 1,
        "the panned view's part drawn",
        exact_part,
    );
    let second = heavy_layer(&s2).unwrap()["drawn_part"].clone();
    assert_ne!(first, second, "another part");
    // The view and its slack (`lod::needs`): what the first part did not hold.
    assert!(holds(&second, need(&s2)) && !holds(&first, need(&s2)));
    let parts: Vec<&Value> = heavy_layer(&s2).unwrap()["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p[0] == want(&s2))
        .map(|p| &p[1])
        .collect();
    assert!(
        parts.contains(&&first) && parts.contains(&&second),
        "both parts kept: {parts:?}"
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// `n` villages on a grid over the region and four times around it (spread as [`spread`]
/// does), written to `heavy.geojson`: a point file heavy enough for levels of detail.
/// The viewer on `file` in a 900×600 window, without the demo article, with test hooks `env`
/// (name, value).
fn open_with(run: &str, file: &std::path::Path, env: &[(&str, &str)]) -> Viewer {
    let env: Vec<(&str, &std::path::Path)> = env
        .iter()
        .map(|&(k, v)| (k, std::path::Path::new(v)))
        .collect();
    Viewer::start_env(run, &[file], [900, 600], &["--no-demo"], &env)
}

fn village_file(name: &str, n: usize) -> std::path::PathBuf {
    let side = (n as f64).sqrt().ceil() as usize;
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let (x, y) = (
                (i % side) as f64 / side as f64,
                (i / side) as f64 / side as f64,
            );
            serde_json::json!({
                "type": "Feature",
                "properties": {"name": format!("village {i}"), "population": i % 5000},
                "geometry": {"type": "Point", "coordinates": [24.0 + 40.0 * x, 31.0 + 20.0 * y]},
            })
        })
        .collect();
    let file = scratch(name).join("heavy.geojson");
    let json = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    file
}

/// Zoomed in 16 times with real keys (`+` four times) from the view of `s0`, at rest with the
/// heavy layer drawn exact.
fn zoomed_16x_at_rest(v: &Viewer, s0: &Value) -> Value {
    for _ in 0..4 {
        v.key("plus");
    }
    let scale0 = s0["scale"].as_f64().unwrap();
    let (s1, _) = v.wait_for(frame(s0), "the zoomed view at rest", |s| {
        s["scale"].as_f64().unwrap() > 15.0 * scale0 && at_rest_with_the_layer(s)
    });
    s1
}

#[test]
fn window_draws_a_heavy_point_file_zoomed_in_from_the_level_it_has() {
    // Points look the same at every level (markers keep their size on screen): zoomed in 16
    // times on a heavy point file, the window draws the level it made for the first view,
    // exact, and makes no level of a part (before, a part's level was made at each zoom: 75 MB
    // more at the peak on a 300,000-point file).
    let _gpu = gpu_lock();
    let file = village_file("window_points", 60_000);
    let v = Viewer::start_with("window_points_run", &[&file], [900, 600], &["--no-demo"]);
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest_with_the_layer);
    let first = levels_of(&s0);
    assert_eq!(first.len(), 1, "one level for the first view: {first:?}");
    let s1 = zoomed_16x_at_rest(&v, &s0);
    let layer = heavy_layer(&s1).unwrap();
    // (The file spans 40° by 20°, the zoomed view about one: a layer of polygons would ask
    // for a level of the part around it here.)
    assert_eq!(levels_of(&s1), first, "no other level made");
    assert_eq!(layer["drawn_km"], first[0]);
    assert!(layer["drawn_part"].is_null() && layer["parts"] == serde_json::json!([]));
    assert_eq!(layer["asked"], serde_json::json!([]), "none asked for");
    assert_eq!(layer["levels_cancelled"], 0);
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_streams_a_point_file_of_many_markers_into_images() {
    // Markers cost a frame their discs' pixels, many deep where villages crowd: a point file of
    // more than a tenth of the hold in markers is streamed into images, like a heavy file of
    // polygons, rather than kept and drawn whole every frame. The hold is 200,000 here (20,000
    // markers), the file 60,000 points (heavy: over `lod::HEAVY_VERTICES`). Real keys under Xvfb.
    let _gpu = gpu_lock();
    let file = village_file("window_points_streamed", 60_000);
    let v = open_with(
        "window_points_streamed_run",
        &file,
        &[("BORDERLENS_HOLD_VERTICES", "200000")],
    );
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest_with_the_layer);
    let layer = heavy_layer(&s0).unwrap();
    assert!(
        !streamed_of(&s0).is_empty(),
        "the point file's level is streamed: {layer}"
    );
    assert_eq!(layer["image"], true, "drawn from its image: {layer}");
    let made = layer["images_made"].as_u64().unwrap();
    let s1 = zoomed_16x_at_rest(&v, &s0);
    let layer = heavy_layer(&s1).unwrap();
    assert_eq!(
        layer["image"], true,
        "zoomed, drawn from its image: {layer}"
    );
    assert!(
        layer["images_made"].as_u64().unwrap() > made,
        "a new image for the zoomed view: {layer}"
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_comes_to_rest_on_the_stand_in_when_a_streamed_image_fails() {
    // Every layer image fails (`BORDERLENS_IMAGE_FAIL`, as a device that cannot draw it): the
    // streamed level's stand-in is the best there is, so the window counts it exact and comes
    // to rest, rather than waiting for an image that never comes. For a file of polygons, and
    // for one of points (whose levels all stand for the ladder's own at a scale).
    let _gpu = gpu_lock();
    let polygons = heavy_file("window_image_fails", 7, |_| {});
    let points = village_file("window_points_image_fails", 60_000);
    for (name, file, hold) in [
        ("window_image_fails_run", &polygons, "1000"),
        ("window_points_image_fails_run", &points, "200000"),
    ] {
        let v = open_with(
            name,
            file,
            &[
                ("BORDERLENS_HOLD_VERTICES", hold),
                ("BORDERLENS_IMAGE_FAIL", "1"),
            ],
        );
        let (s0, _) = v.wait_for(
            0,
            "the file at rest on its stand-in",
            at_rest_with_the_layer,
        );
        let layer = heavy_layer(&s0).unwrap();
        assert!(!streamed_of(&s0).is_empty(), "{name}: streamed: {layer}");
        assert_eq!(layer["image"], false, "{name}: no image: {layer}");
        assert!(
            v.log().contains("no image of layer"),
            "{name}: the image failed:\n{}",
            v.log()
        );
        assert!(v.alive(), "the viewer closed:\n{}", v.log());
    }
}

#[test]
fn window_stops_the_part_asked_for_a_view_it_has_panned_past() {
    // A part of a heavy layer asked for a view the user has panned on from is not made: the
    // loading threads make the part of the view the user is at. Real keys under Xvfb; each
    // level waits 5 s on its loading thread before it starts, so that the pans come first on
    // any machine.
    let _gpu = gpu_lock();
    let file = heavy_file("window_parts_stopped", 3, spread);
    let v = open_with(
        "window_parts_stopped_run",
        &file,
        &[("BORDERLENS_LEVEL_DELAY_MS", "5000")],
    );
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest_with_the_layer);
    let s1 = zoomed_to_a_part(&v, &s0, |_| true);
    // The part asked for the view of `s`, if any.
    let asked_for = |s: &Value| {
        heavy_layer(s).unwrap()["asked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a[1].clone())
            .find(|part| holds(part, visible_world(s)))
    };
    let cancelled = |s: &Value| {
        heavy_layer(s).unwrap()["levels_cancelled"]
            .as_u64()
            .unwrap()
    };
    // Panned past the part: the next one is asked for, and waits its turn.
    let (s2, _) = keys_then(&v, &s1, |s| asked_for(s).is_some());
    let passed = asked_for(&s2).unwrap();
    assert!(
        !holds(&heavy_layer(&s1).unwrap()["drawn_part"], need(&s2)),
        "the pan did not leave the first part"
    );
    // Panned on past that one before it is made: it is stopped, the new view's is asked for.
    let (s3, _) = keys_then(&v, &s2, |s| asked_for(s).is_some_and(|a| a != passed));
    let asked: Vec<Value> = heavy_layer(&s3).unwrap()["asked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a[1].clone())
        .collect();
    assert!(
        !asked.contains(&passed),
        "the part of the view panned on from is still asked for: {asked:?}"
    );
    let made = |s: &Value| -> Vec<Value> {
        heavy_layer(s).unwrap()["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[1].clone())
            .collect()
    };
    assert!(
        !made(&s3).contains(&passed),
        "no longer asked for because it was made, not stopped"
    );
    assert!(
        cancelled(&s3) > cancelled(&s2),
        "{}",
        heavy_layer(&s3).unwrap()
    );
    // At rest, with the view's part drawn; the part passed was never made.
    let (s4, _) = v.wait_for(frame(&s3), "the view's part drawn", parted);
    let parts = made(&s4);
    assert!(
        !parts.contains(&passed),
        "the passed part was made: {parts:?}"
    );
    assert!(
        v.log().contains("not made: the view moved on"),
        "{}",
        v.log()
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_reprojects_a_zoomed_heavy_layer_with_its_part_and_a_whole_level() {
    // Switching the projection makes a layer again at the carried view: a heavy one comes back
    // with the level of the part around that view, and a light whole level to stand in where
    // the part does not reach (there is no fitted view's level then).
    let _gpu = gpu_lock();
    let file = heavy_file("window_parts_reprojected", 5, spread);
    let v = Viewer::start_with(
        "window_parts_reprojected_run",
        &[&file],
        [1000, 650],
        &["--no-demo"],
    );
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest_with_the_layer);
    let s1 = zoomed_to_a_part(&v, &s0, |_| true);
    choose_projection(&v, &s1, "Web Mercator");
    let (s2, _) = v.wait_for(frame(&s1), "the layer made again, its part drawn", |s| {
        s["projection"] == "mercator" && s["switching"] == false && parted(s)
    });
    let l = heavy_layer(&s2).unwrap();
    let levels = levels_of(&s2);
    let parts = l["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 1, "{l}");
    assert_eq!(levels.len(), 2, "the part and a whole level: {levels:?}");
    let whole = levels.iter().find(|&&t| t != parts[0][0]).unwrap();
    assert!(*whole > parts[0][0].as_f64().unwrap(), "{levels:?}");
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// The file's overlay in a frame dump.
pub(crate) fn heavy_layer(s: &Value) -> Option<&Value> {
    s["layers"]
        .as_array()?
        .iter()
        .find(|l| l["name"] == "heavy.geojson")
}

fn levels_of(s: &Value) -> Vec<f64> {
    heavy_layer(s).map_or_else(Vec::new, |l| {
        l["levels_km"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    })
}

/// A 4 MB synthetic overlay (`seed`), changed by `edit`, written to `heavy.geojson` in a
/// scratch folder of its own: heavy enough for the window's levels of detail.
pub(crate) fn heavy_file(
    name: &str,
    seed: u64,
    edit: impl FnOnce(&mut Value),
) -> std::path::PathBuf {
    let file = scratch(name).join("heavy.geojson");
    let mut bytes = Vec::new();
    borderlens::map::synth::write_overlay(&mut bytes, 4_000_000, seed).unwrap();
    let mut json: Value = serde_json::from_slice(&bytes).unwrap();
    edit(&mut json);
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    file
}

#[test]
fn window_makes_a_heavy_files_levels_as_its_views_need_them() {
    let _gpu = gpu_lock();
    let file = heavy_file("window_levels", 3, |_| {});
    let v = Viewer::start_with("window_levels_run", &[&file], [900, 600], &["--no-demo"]);
    let at_rest = |s: &Value| s["moving"] == false && s["loading"] == 0 && !levels_of(s).is_empty();
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest);
    // Only the level this view needs was made, and it is the one drawn.
    let scale0 = s0["scale"].as_f64().unwrap();
    let want0 = lod::tolerance_for(scale0);
    assert!(want0 > 0.0, "the region's view needs a simplified level");
    assert_eq!(levels_of(&s0), [want0]);
    assert_eq!(heavy_layer(&s0).unwrap()["drawn_km"], want0);
    // Zoomed out four times: a level four times coarser is made on a loading thread and drawn,
    // and the first one is kept.
    v.key("minus");
    v.key("minus");
    let (s1, _) = v.wait_for(frame(&s0), "the coarser level drawn", |s| {
        at_rest(s) && s["scale"].as_f64().unwrap() < scale0 / 3.0 && levels_of(s).len() == 2
    });
    let want1 = lod::tolerance_for(s1["scale"].as_f64().unwrap());
    assert_eq!(
        want1,
        4.0 * want0,
        "two steps up the ladder: scale {scale0} then {}",
        s1["scale"]
    );
    assert_eq!(levels_of(&s1), [want1, want0], "coarsest first");
    assert_eq!(heavy_layer(&s1).unwrap()["drawn_km"], want1);
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn a_heavy_world_file_comes_with_the_level_of_the_widest_view() {
    // A file that spans the world, opened at the region's view: zoomed out as far as the
    // window goes (where the map shows the whole projection's extent), the level drawn is the
    // coarse one the load made. The load once fitted the file without the window's zoom-out
    // limit and made a level too coarse for any view.
    let _gpu = gpu_lock();
    // And an outline of the whole world, as a world file has.
    let file = heavy_file("window_widest", 11, |json| {
        json["features"].as_array_mut().unwrap().push(serde_json::json!({
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[-179, -80], [179, -80], [179, 80], [-179, 80]]}
        }))
    });
    let v = Viewer::start_with("window_widest_run", &[&file], [900, 600], &["--no-demo"]);
    let at_rest = |s: &Value| s["moving"] == false && s["loading"] == 0 && !levels_of(s).is_empty();
    let (s0, _) = v.wait_for(0, "the file at rest", at_rest);
    let made = levels_of(&s0);
    assert_eq!(
        made.len(),
        2,
        "the region's level and the widest view's: {made:?}"
    );
    // Out by halves until the scale stops at the limit (a press past it would go over to the
    // world projection).
    let mut last = s0;
    loop {
        let scale = last["scale"].as_f64().unwrap();
        v.key("minus");
        let (s, _) = v.wait_for(frame(&last), "a zoom out at rest", |s| {
            at_rest(s) && s["scale"].as_f64().unwrap() < scale
        });
        let limited = s["scale"].as_f64().unwrap() > scale / 2.0 + 1e-12;
        last = s;
        if limited {
            break;
        }
    }
    assert_eq!(last["projection"], "lcc");
    let drawn = heavy_layer(&last).unwrap()["drawn_km"].as_f64().unwrap();
    assert_eq!(
        drawn,
        lod::tolerance_for(last["scale"].as_f64().unwrap()),
        "the widest view draws the level it needs"
    );
    assert_eq!(drawn, made[0], "made with the load: {made:?}");
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn a_layer_uploaded_a_batch_at_a_time_draws_the_same_pixels_as_one_mesh() {
    let _gpu = gpu_lock();
    let (map, mut h, camera) = synth_alone(2_000_000, 11, [800, 500]);
    let whole = h.render(&camera).unwrap();
    let layer = &map.layers[0];
    let up = h.renderer.uploader(&h.gpu.device);
    let (streamed, skipped) = up
        .tessellate_upload_by(&layer.tess_inputs(), 0.0, &layer.styles, 4_000)
        .unwrap();
    assert!(skipped.is_empty());
    assert!(streamed.page_count() > 3, "{} pages", streamed.page_count());
    assert_eq!(streamed.vertex_count(), h.layers[0].vertex_count());
    h.layers[0] = streamed;
    let batched = h.render(&camera).unwrap();
    let differ = whole
        .pixels()
        .zip(batched.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differ, 0, "pixels that differ");
}

/// A layer's levels of detail draw with the layer's own style table (a table each held 19 MB a
/// level on a file of 300,000 points): a style written to the layer shows in a level made with
/// `sharing_styles`, and not in one made with a table of its own.
#[test]
fn levels_share_their_layers_style_table() {
    let _gpu = gpu_lock();
    let (map, mut h, camera) = synth_alone(300_000, 5, [400, 300]);
    let (inputs, styles) = (map.layers[0].tess_inputs(), map.layers[0].styles.clone());
    let up = h.renderer.uploader(&h.gpu.device);
    let shared = up.sharing_styles(&h.layers[0]);
    let (level, _) = shared.tessellate_upload(&inputs, 0.0, &styles).unwrap();
    let (own, _) = up.tessellate_upload(&inputs, 0.0, &styles).unwrap();
    assert!(level.shares_styles_with(&h.layers[0]));
    assert!(!own.shares_styles_with(&h.layers[0]));
    // Styles of another feature count get a table of their own.
    let (fewer, _) = shared
        .tessellate_upload(&inputs[..1], 0.0, &styles[..1])
        .unwrap();
    assert!(!fewer.shares_styles_with(&h.layers[0]));
    // Every fill and outline an opaque red, written to the layer's table only.
    let red: Vec<_> = styles
        .iter()
        .map(|s| {
            let mut s = *s;
            (s.fill, s.stroke) = ([1.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0]);
            s
        })
        .collect();
    let q = h.gpu.queue.clone();
    h.renderer.update_styles(&q, &mut h.layers[0], &red);
    let layer_frame = h.render(&camera).unwrap();
    let full = std::mem::replace(&mut h.layers[0], level);
    let level_frame = h.render(&camera).unwrap();
    h.layers[0] = own;
    let own_frame = h.render(&camera).unwrap();
    drop(full);
    let reds = |img: &image::RgbaImage| img.pixels().filter(|p| p[0] > 240 && p[1] < 15).count();
    assert!(
        reds(&layer_frame) > 5_000,
        "{} red pixels",
        reds(&layer_frame)
    );
    assert!(
        level_frame == layer_frame,
        "the level drawn in the layer's new styles"
    );
    assert!(reds(&own_frame) < 100, "{} red pixels", reds(&own_frame));
}

/// A synthetic overlay of `bytes` (`seed`) alone: the map, its headless renderer, and a camera
/// of `size` fitting it.
fn synth_alone(bytes: u64, seed: u64, size: [u32; 2]) -> (Map, Headless, Camera) {
    let mut text = Vec::new();
    borderlens::map::synth::write_overlay(&mut text, bytes, seed).unwrap();
    let file = parse_bytes(&text, "synth.geojson").unwrap();
    let layer = MapLayer::build("synth", LayerKind::Overlay, file, &Projection::default());
    let camera = Camera::fitting(layer.bounds.unwrap(), size, 1.0, 0.0);
    let mut map = Map::new(Projection::default(), false);
    map.add_overlay(layer);
    let h = Headless::new(&map).expect("the software Vulkan driver renders");
    (map, h, camera)
}

/// A 1 MB synthetic overlay (`seed`) over the base map: the map, its headless renderer, the
/// overlay's index and its bounds.
fn synth_over_base(seed: u64) -> (Map, Headless, usize, geo::Rect<f64>) {
    let mut bytes = Vec::new();
    borderlens::map::synth::write_overlay(&mut bytes, 1_000_000, seed).unwrap();
    let file = parse_bytes(&bytes, "synth.geojson").unwrap();
    let layer = MapLayer::build("synth", LayerKind::Overlay, file, &Projection::default());
    let bounds = layer.bounds.unwrap();
    let mut map = Map::new(Projection::default(), true);
    map.add_overlay(layer);
    let h = Headless::new(&map).expect("the software Vulkan driver renders");
    let at = map
        .layers
        .iter()
        .position(|l| l.kind == LayerKind::Overlay)
        .unwrap();
    (map, h, at, bounds)
}

/// Pixels of two frames more than 2/255 apart in a channel, and the largest difference.
fn rounding(a: &image::RgbaImage, b: &image::RgbaImage) -> (usize, u8) {
    let (mut far, mut max) = (0, 0);
    for (p, q) in a.pixels().zip(b.pixels()) {
        let d = (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap();
        max = max.max(d);
        far += (d > 2) as usize;
    }
    (far, max)
}

#[test]
fn a_layer_drawn_from_its_image_gives_the_frame_its_triangles_give() {
    // A raster level: the layer drawn alone at the view's scale, then composited over what is
    // below it, pixel for pixel, for any view at that scale and a whole-pixel offset.
    let _gpu = gpu_lock();
    let (_map, mut h, at, bounds) = synth_over_base(13);
    let view = Camera::fitting(bounds, [600, 400], 1.0, 0.0);
    // The image covers the view and 50 px around it.
    let mut image_camera = view;
    image_camera.size = [700, 500];
    let up = h.renderer.uploader(&h.gpu.device);
    let shared = up.share(&h.layers[at]);
    let image = h
        .renderer
        .for_thread(&h.gpu.device)
        .draw_image(
            &h.gpu.device,
            &h.gpu.queue,
            &shared,
            image_camera,
            7,
            [true; 4],
            &mut |_| true,
        )
        .unwrap();
    let mut panned = view;
    panned.pan_pixels(-31.0, 17.0);
    let mut off = view;
    off.pan_pixels(0.5, 0.0);
    assert!(image.shows(&view) && image.shows(&panned));
    assert!(!image.shows(&off), "half a pixel off: not pixel for pixel");
    let mut far = view;
    far.pan_pixels(80.0, 0.0);
    assert!(!image.shows(&far), "past its edge");
    let direct = [h.render(&view).unwrap(), h.render(&panned).unwrap()];
    // Run again by the next test with passes of a few thousand triangles: many of them.
    if let Some(pass) = borderlens::hooks::number::<u64>("BORDERLENS_PASS_TRIANGLES") {
        let triangles = h.layers[at].visible_triangles(&image_camera);
        assert!(
            triangles > 4 * pass,
            "{triangles} triangles in passes of {pass}"
        );
    }
    let mesh = std::mem::replace(&mut h.layers[at], up.image_layer(image).unwrap());
    assert_eq!(h.layers[at].visible_triangles(&view), 1);
    let from_image = [h.render(&view).unwrap(), h.render(&panned).unwrap()];
    drop(mesh);
    for (a, b) in direct.iter().zip(&from_image) {
        let (far, max) = rounding(a, b);
        // Rounding only: the image stores premultiplied sums in 8 bits where the frame stored
        // blended colours (13 pixels of 240,000 moved by 3-4 levels of 255 here).
        assert!(
            max <= 6 && (far as f64) < 0.001 * (600.0 * 400.0),
            "{far} pixels more than 2/255 off (at most {max})"
        );
    }
}

/// The test above with the image drawn in many render passes of one submission (a kept level's
/// image of over 250,000 triangles is): the same frame. The pass size is read once a process,
/// so the test runs again in a process of its own.
#[test]
fn a_layer_drawn_from_its_image_in_many_passes_gives_the_same_frame() {
    let _gpu = gpu_lock();
    let name = "lod_tests::a_layer_drawn_from_its_image_gives_the_frame_its_triangles_give";
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--test-threads", "1"])
        .env("BORDERLENS_PASS_TRIANGLES", "2000")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn window_draws_a_heavy_layer_from_its_image_and_a_hover_over_it_without_a_new_image() {
    let _gpu = gpu_lock();
    let file = heavy_file("window_image", 5, |_| {});
    // A small file takes an image here as a 100 MB one does at a million triangles.
    let v = open_with(
        "window_image_run",
        &file,
        &[("BORDERLENS_IMAGE_ABOVE", "1000")],
    );
    let imaged = |s: &Value| heavy_layer(s).is_some_and(|l| l["image"] == true);
    let images = |s: &Value| heavy_layer(s).unwrap()["images_made"].as_u64().unwrap();
    // The pointer over the layers panel: nothing hovered on the map.
    let (s0, before) = v.park_when(0, [40.0, 560.0], |s| imaged(s) && s["hovered"].is_null());
    assert_eq!(
        s0["moving"], false,
        "drawn from its image, the map is exact"
    );
    // Hovering one of its rings: the highlight is drawn over the same image, at once.
    let centre = [(s0["map_rect"][0].as_f64().unwrap() + 900.0) / 2.0, 287.0];
    let (s1, after) = v.park_when(frame(&s0), centre, |s| {
        s["hovered"]
            .as_str()
            .is_some_and(|h| h.starts_with("heavy.geojson/"))
    });
    assert!(
        imaged(&s1),
        "the hovered layer is still drawn from its image"
    );
    assert_eq!(s1["moving"], false);
    assert_eq!(images(&s1), images(&s0), "a hover made a new image");
    // The pixel under the pointer (in the hovered ring) turned towards the highlight's yellow.
    let scale = after.width() as f64 / 900.0;
    let at = |img: &image::RgbaImage| {
        let p = img
            .get_pixel((centre[0] * scale) as u32, (centre[1] * scale) as u32)
            .0;
        (p[0] as i32 + p[1] as i32) / 2 - p[2] as i32
    };
    assert!(
        at(&after) > at(&before) + 20,
        "no highlight under the pointer: yellowness {} before, {} after",
        at(&before),
        at(&after)
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn a_view_streamed_into_an_image_gives_the_frame_its_triangles_give_and_stops_when_cancelled() {
    // A streamed level: the view's features tessellated from the geometry a batch at a time
    // into the image, no mesh of the layer kept; at the full extent and zoomed in 8x (where
    // only the features that reach the image are tessellated).
    use std::sync::atomic::{AtomicBool, Ordering};
    let _gpu = gpu_lock();
    let (mut map, _, at, bounds) = synth_over_base(17);
    // The frame to match draws the layer's overlapping features in file order, as streaming
    // does (not in the spatial chunks of a kept level).
    map.layers[at].mesh =
        borderlens::mesh::tessellate::tessellate_in_file_order(&map.layers[at].tess_inputs(), 0.0);
    let mut h = Headless::new(&map).expect("the software Vulkan driver renders");
    let inputs = map.layers[at].tess_inputs();
    let full = Camera::fitting(bounds, [600, 400], 1.0, 0.0);
    let mut zoomed = full;
    zoomed.scale *= 8.0;
    let up = h.renderer.uploader(&h.gpu.device);
    let cancel = AtomicBool::new(false);
    let styles = &map.layers[at].styles;
    let source = |front_to_back| borderlens::gpu::raster::StreamSource {
        inputs: &inputs,
        styles,
        tolerance_km: 0.0,
        batch_vertices: 10_000,
        order: if front_to_back {
            borderlens::mesh::order::Order::FrontToBack
        } else {
            borderlens::mesh::order::Order::BackToFront
        },
        precise: false,
    };
    // Back to front with every triangle, and front to back without the hidden ones.
    for (view, front_to_back) in [(full, false), (full, true), (zoomed, false), (zoomed, true)] {
        let mut image_camera = view;
        image_camera.size = [700, 500];
        let mut streamed = up.share(&h.layers[at]);
        let (image, made) = h
            .renderer
            .for_thread(&h.gpu.device)
            .stream_image(
                &h.gpu.device,
                &h.gpu.queue,
                &mut streamed,
                source(front_to_back),
                image_camera,
                7,
                [true; 4],
                &mut |_| !cancel.load(Ordering::Relaxed),
            )
            .unwrap();
        assert!(made.skipped.is_empty(), "{:?}", made.skipped);
        if front_to_back && view.scale == full.scale {
            assert!(
                made.hidden * 10 > made.triangles,
                "{made:?}: few hidden at the full extent"
            );
        }
        if !front_to_back {
            assert_eq!(made.hidden, 0);
        }
        assert_eq!(
            streamed.vertex_bytes(),
            0,
            "the streamed batches stay on the device"
        );
        let direct = h.render(&view).unwrap();
        let mesh = std::mem::replace(&mut h.layers[at], up.image_layer(image).unwrap());
        let from_image = h.render(&view).unwrap();
        h.layers[at] = mesh;
        let (far, max) = rounding(&direct, &from_image);
        // Front to back in 8 bits, each translucent layer's rounding stays (`StreamSource`).
        let (most, share) = if front_to_back {
            (8, 0.005)
        } else {
            (6, 0.001)
        };
        assert!(
            max <= most && (far as f64) < share * (600.0 * 400.0),
            "scale {}, front to back {front_to_back}: {far} pixels more than 2/255 off (at most {max})",
            view.scale
        );
    }
    // Cancelled (the view moved on): it stops with no image.
    cancel.store(true, Ordering::Relaxed);
    let mut streamed = up.share(&h.layers[at]);
    let r = h.renderer.for_thread(&h.gpu.device).stream_image(
        &h.gpu.device,
        &h.gpu.queue,
        &mut streamed,
        source(true),
        full,
        7,
        [true; 4],
        &mut |_| !cancel.load(Ordering::Relaxed),
    );
    assert!(
        matches!(r, Err(borderlens::gpu::GpuError::Cancelled)),
        "not cancelled"
    );
}

fn streamed_of(s: &Value) -> Vec<f64> {
    heavy_layer(s).map_or_else(Vec::new, |l| {
        l["streamed_km"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    })
}

/// Nothing moving, nothing loading, and the heavy layer there, drawn exact (its image in,
/// when its level is streamed; the level of its part of the layer made, when it has parts).
fn at_rest_with_the_layer(s: &Value) -> bool {
    s["moving"] == false && s["loading"] == 0 && heavy_layer(s).is_some_and(|l| l["exact"] == true)
}

#[test]
fn window_streams_a_heavy_view_into_its_image_with_the_kept_levels_picture() {
    let _gpu = gpu_lock();
    let file = heavy_file("window_streamed", 7, |_| {});
    let exact = at_rest_with_the_layer;
    // The pointer over the layers panel: nothing hovered on the map.
    let corner = [40.0, 560.0];
    let kept = Viewer::start_with("window_streamed_kept", &[&file], [900, 600], &["--no-demo"]);
    let (k, kept_png) = kept.park_when(0, corner, exact);
    assert!(streamed_of(&k).is_empty(), "{k}");
    assert_eq!(heavy_layer(&k).unwrap()["image"], false);
    drop(kept);
    // Levels over 1000 vertices are not kept: the view's is streamed into the layer's image,
    // and a coarse stand-in is the only level kept.
    let v = open_with(
        "window_streamed_run",
        &file,
        &[("BORDERLENS_HOLD_VERTICES", "1000")],
    );
    let (s0, png) = v.park_when(0, corner, |s| {
        exact(s) && heavy_layer(s).unwrap()["image"] == true
    });
    let scale0 = s0["scale"].as_f64().unwrap();
    assert_eq!(scale0, k["scale"].as_f64().unwrap(), "the same first view");
    let want0 = lod::tolerance_for(scale0);
    assert_eq!(streamed_of(&s0), [want0]);
    assert_eq!(heavy_layer(&s0).unwrap()["drawn_km"], want0);
    let levels = levels_of(&s0);
    assert_eq!(levels.len(), 2, "{levels:?}");
    assert!(levels[0] > want0, "a coarser stand-in kept: {levels:?}");
    // The same map as the kept level's triangles, within antialiasing and rounding (in the
    // map's area, clear of the panels and toasts; the labels may sit a little apart, as the
    // layers panel was laid out).
    let (far, seen) = map_pixels_apart(&k, &kept_png, &s0, &png);
    assert!(
        (far as f64) < 0.01 * seen as f64,
        "{far} of {seen} map pixels more than 8/255 off"
    );
    // Zoomed in: that view's image is streamed in turn.
    v.key("plus");
    v.key("plus");
    let (s1, _) = v.wait_for(frame(&s0), "the zoomed view's image", |s| {
        exact(s)
            && s["scale"].as_f64().unwrap() > 3.0 * scale0
            && heavy_layer(s).unwrap()["image"] == true
    });
    let want1 = lod::tolerance_for(s1["scale"].as_f64().unwrap());
    assert!(streamed_of(&s1).contains(&want1), "{:?}", streamed_of(&s1));
    assert_eq!(heavy_layer(&s1).unwrap()["drawn_km"], want1);
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// Pixels of the map's area (clear of the panels and toasts) more than 8/255 apart between two
/// frames, and the pixels compared. The labels may sit a little apart, as the layers panel was
/// laid out.
fn map_pixels_apart(
    a: &Value,
    a_png: &image::RgbaImage,
    b: &Value,
    b_png: &image::RgbaImage,
) -> (usize, usize) {
    let x0 = a["map_rect"][0]
        .as_f64()
        .unwrap()
        .max(b["map_rect"][0].as_f64().unwrap());
    let (mut far, mut seen) = (0, 0);
    for y in 5..b_png.height() - 80 {
        for x in (x0 as u32 + 8)..b_png.width() - 5 {
            let (p, q) = (a_png.get_pixel(x, y), b_png.get_pixel(x, y));
            let d = (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap();
            far += (d > 8) as usize;
            seen += 1;
        }
    }
    (far, seen)
}

/// Presses each key and waits for the view to come to rest after it (an arrow key's pan is
/// animated: the next key then starts from where it ended, as in the other run).
/// Presses Right 11 times without waiting (1,320 px, past what a part holds around the view),
/// then waits for a frame of the view panned there that satisfies `ok` (a coarser level may
/// stand in: the view is not at rest until its part is in).
fn keys_then(v: &Viewer, s: &Value, ok: impl Fn(&Value) -> bool) -> (Value, image::RgbaImage) {
    let x = s["center"][0].as_f64().unwrap();
    let there = x + 1_319.0 / s["scale"].as_f64().unwrap();
    for _ in 0..11 {
        v.key("Right");
    }
    v.wait_for(frame(s), "the view panned", |t| {
        t["center"][0].as_f64().unwrap() >= there && ok(t)
    })
}

fn keys_at_rest(v: &Viewer, keys: &[&str]) -> Value {
    let mut s = v.state().expect("a frame before the keys");
    for key in keys {
        let before = frame(&s);
        let scale = s["scale"].as_f64().unwrap();
        let center = s["center"].clone();
        v.key(key);
        s = v
            .wait_for(before, "the view at rest after a key", |t| {
                t["moving"] == false
                    && (t["scale"].as_f64().unwrap() != scale || t["center"] != center)
            })
            .0;
    }
    s
}

/// A view zoomed in on a streamed layer and panned past the edge of its image: once at rest,
/// the layer's image is streamed again for the new view, and the map is the kept level's at
/// that view (not the old image moved, with the coarse stand-in where it does not reach).
#[test]
fn window_streams_a_new_image_when_a_pan_leaves_the_last_one() {
    let _gpu = gpu_lock();
    let file = heavy_file("window_pan_streamed", 11, |_| {});
    let exact = at_rest_with_the_layer;
    let corner = [40.0, 560.0];
    let zoom = ["plus", "plus"];
    // Well past the quarter of a view around the view that an image covers
    // (`gpu::raster::image_camera`).
    let pans = [
        "Right", "Right", "Right", "Right", "Right", "Down", "Down", "Down",
    ];
    let kept = Viewer::start_with("window_pan_kept", &[&file], [900, 600], &["--no-demo"]);
    kept.wait_for(0, "the file at rest", exact);
    keys_at_rest(&kept, &zoom);
    let end = keys_at_rest(&kept, &pans);
    let (k, kept_png) = kept.park_when(frame(&end), corner, exact);
    assert!(streamed_of(&k).is_empty(), "{k}");
    drop(kept);

    let v = open_with(
        "window_pan_streamed_run",
        &file,
        &[("BORDERLENS_HOLD_VERTICES", "1000")],
    );
    v.wait_for(0, "the file at rest", exact);
    let zoomed = keys_at_rest(&v, &zoom);
    let (z, _) = v.wait_for(frame(&zoomed) - 1, "the zoomed view's image", |s| {
        exact(s) && heavy_layer(s).unwrap()["image"] == true
    });
    let made = heavy_layer(&z).unwrap()["images_made"].as_u64().unwrap();
    let end = keys_at_rest(&v, &pans);
    let (s, png) = v.park_when(frame(&end), corner, |s| {
        exact(s)
            && heavy_layer(s).unwrap()["image"] == true
            && heavy_layer(s).unwrap()["images_made"].as_u64().unwrap() > made
    });
    assert_eq!(s["scale"], k["scale"], "the same zoom in both runs");
    assert_eq!(s["center"], k["center"], "the same pans in both runs");
    let want = lod::tolerance_for(s["scale"].as_f64().unwrap());
    assert!(streamed_of(&s).contains(&want), "{:?}", streamed_of(&s));
    assert_eq!(heavy_layer(&s).unwrap()["drawn_km"], want);
    let (far, seen) = map_pixels_apart(&k, &kept_png, &s, &png);
    assert!(
        (far as f64) < 0.01 * seen as f64,
        "{far} of {seen} map pixels more than 8/255 off the kept level's"
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// A viewer of a heavy file (`seed`) streamed at every view, each batch delayed `batch_delay_ms`
/// (`BORDERLENS_IMAGE_BATCH_DELAY_MS`), zoomed in once its first view's image is in: the viewer,
/// the state with that first image, and the state once the zoomed view's image is being made.
fn zoomed_while_streaming(name: &str, seed: u64, batch_delay_ms: &str) -> (Viewer, Value, Value) {
    let file = heavy_file(name, seed, |_| {});
    let v = open_with(
        &format!("{name}_run"),
        &file,
        &[
            ("BORDERLENS_HOLD_VERTICES", "1000"),
            ("BORDERLENS_IMAGE_BATCH_DELAY_MS", batch_delay_ms),
        ],
    );
    let layer = |s: &Value| heavy_layer(s).cloned().unwrap_or(Value::Null);
    let (s0, _) = v.wait_for(0, "the first view's image", |s| {
        s["moving"] == false && s["loading"] == 0 && layer(s)["image"] == true
    });
    let scale0 = s0["scale"].as_f64().unwrap();
    v.key("plus");
    let (z, _) = v.wait_for(frame(&s0), "the zoomed view's image being made", |s| {
        s["scale"].as_f64().unwrap() > 1.5 * scale0 && layer(s)["image_pending"] == true
    });
    (v, s0, z)
}

/// Moves the pointer over the map at a user's pace (a move every 15 ms, a drag's) until a
/// frame's state satisfies `done`; fails past [`SETTLE`], naming `what` it waited for.
fn move_pointer_until(v: &Viewer, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let started = std::time::Instant::now();
    let mut step = 0;
    loop {
        step += 1;
        v.move_to([
            300.0 + (step % 40) as f64 * 5.0,
            250.0 + (step % 7) as f64 * 9.0,
        ]);
        std::thread::sleep(std::time::Duration::from_millis(15));
        let s = v.state().unwrap();
        if done(&s) {
            return s;
        }
        assert!(
            started.elapsed() < SETTLE,
            "{what} did not come while the pointer moved: {}",
            heavy_layer(&s).cloned().unwrap_or(Value::Null)
        );
    }
}

/// A view panned past a layer's image while that image is still being made: the image stops
/// (it would not hold the view), and once the view is at rest the new view's image is made.
/// Each streamed batch waits 800 ms (`BORDERLENS_IMAGE_BATCH_DELAY_MS`), so that the pans
/// arrive while the zoomed view's image is being made on any machine.
#[test]
fn window_stops_an_image_being_made_when_the_view_pans_past_it() {
    let _gpu = gpu_lock();
    let (v, s0, z) = zoomed_while_streaming("window_pan_stop", 13, "800");
    let layer = |s: &Value| heavy_layer(s).cloned().unwrap_or(Value::Null);
    assert_eq!(layer(&s0)["images_stopped"], 0);
    let made = layer(&z)["images_made"].as_u64().unwrap();
    for _ in 0..5 {
        v.key("Right");
    }
    let (s, _) = v.wait_for(frame(&z), "the panned view's image", |s| {
        s["moving"] == false
            && s["loading"] == 0
            && layer(s)["image"] == true
            && layer(s)["image_pending"] == false
            && layer(s)["images_made"].as_u64().unwrap() > made
    });
    // At least the zoomed view's (a machine slow to send the keys may let the view rest
    // between two, and an image asked then stops too).
    assert!(
        layer(&s)["images_stopped"].as_u64().unwrap() >= 1,
        "the zoomed view's image stopped once the view left it: {}",
        layer(&s)
    );
    assert_eq!(
        layer(&s)["images_made"].as_u64().unwrap(),
        made + 1,
        "one image taken in after the zoom, the panned view's: {}",
        layer(&s)
    );
    let moved = s["center"][0].as_f64().unwrap() - z["center"][0].as_f64().unwrap();
    assert!(
        moved * s["scale"].as_f64().unwrap() > 500.0,
        "panned {moved} km at {} px/km",
        s["scale"]
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_holds_an_image_while_the_pointer_moves_and_finishes_it_at_rest() {
    let _gpu = gpu_lock();
    // Each streamed batch waits first, so that the pointer moves while it streams on any machine.
    let (v, _, z) = zoomed_while_streaming("window_yield", 14, "400");
    let layer = |s: &Value| heavy_layer(s).cloned().unwrap_or(Value::Null);
    let count = |s: &Value, k: &str| layer(s)[k].as_u64().unwrap();
    let (made, stopped, held) = (
        count(&z, "images_made"),
        count(&z, "images_stopped"),
        count(&z, "image_passes_held"),
    );
    // The pointer moves over the map (input that keeps the view) until a render pass of the
    // image waits for it, or the image is done without one having waited. The first pass goes
    // at once (its cost is not known); fills and strokes are streamed as separate batches, so
    // there is a second. The pause is a user's pace (a move every 15 ms is a drag's), well
    // within the 100 ms that input holds a pass.
    let s = move_pointer_until(&v, "a pass waiting or the image", |s| {
        count(s, "image_passes_held") > held || count(s, "images_made") > made
    });
    assert!(
        count(&s, "image_passes_held") > held,
        "a pass of the zoomed view's image waited while the pointer moved: {}",
        layer(&s)
    );
    // At rest, the image is finished: the same one (hovering does not move the view).
    let (done, _) = v.wait_for(frame(&s), "the zoomed view's image, at rest", |s| {
        s["moving"] == false && layer(s)["image_pending"] == false && count(s, "images_made") > made
    });
    assert_eq!(count(&done, "images_made"), made + 1, "{}", layer(&done));
    assert_eq!(count(&done, "images_stopped"), stopped, "{}", layer(&done));
    assert_eq!(layer(&done)["image"], true, "{}", layer(&done));
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// A kept level's image does not wait for the user: until it is in, every frame draws the
/// level itself (a world file's 1.4 million triangles), so holding it would keep the frames
/// slow for longer. The pointer moves over the map from the zoom key until the zoomed view's
/// image is in; no pass of it waited. The image is drawn in passes of 2,000 triangles
/// (`BORDERLENS_PASS_TRIANGLES`), so that it has many passes that could wait.
#[test]
fn window_draws_a_kept_levels_image_without_waiting_for_the_pointer() {
    let _gpu = gpu_lock();
    let file = heavy_file("window_kept_image", 15, |_| {});
    let v = open_with(
        "window_kept_image_run",
        &file,
        &[
            ("BORDERLENS_IMAGE_ABOVE", "1000"),
            ("BORDERLENS_PASS_TRIANGLES", "2000"),
        ],
    );
    let layer = |s: &Value| heavy_layer(s).cloned().unwrap_or(Value::Null);
    let count = |s: &Value, k: &str| layer(s)[k].as_u64().unwrap();
    let (s0, _) = v.wait_for(0, "the first view's image", |s| {
        s["moving"] == false && s["loading"] == 0 && layer(s)["image"] == true
    });
    let kept = |s: &Value| {
        layer(s)["streamed_km"]
            .as_array()
            .is_some_and(|a| a.is_empty())
    };
    assert!(kept(&s0), "the level is kept, not streamed: {}", layer(&s0));
    let (made, held) = (count(&s0, "images_made"), count(&s0, "image_passes_held"));
    let scale0 = s0["scale"].as_f64().unwrap();
    v.key("plus");
    // A user's pace over the map (a move every 15 ms), well within the 100 ms that input
    // would hold a streamed image's pass.
    let s = move_pointer_until(&v, "the zoomed view's image", |s| {
        s["scale"].as_f64().unwrap() > 1.5 * scale0
            && s["moving"] == false
            && layer(s)["image_pending"] == false
            && count(s, "images_made") > made
    });
    assert_eq!(
        count(&s, "image_passes_held"),
        held,
        "a pass of a kept level's image waited for the pointer: {}",
        layer(&s)
    );
    assert_eq!(layer(&s)["image"], true, "{}", layer(&s));
    assert!(kept(&s), "the zoomed level is kept: {}", layer(&s));
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}
