//! Rendering for real on the software Vulkan driver: pixel probes on images with a known
//! bbox and projection.

use borderlens::gpu::headless::Headless;
use borderlens::map::basemap::SOUTH_CAUCASUS_BBOX;
use borderlens::map::camera::Camera;
use borderlens::map::layer::{LayerKind, MapLayer};
use borderlens::map::load::parse_str;
use borderlens::map::project::{Projection, ProjectionKind};
use borderlens::map::style::{palette, Rgb};
use borderlens::map::Map;
use image::RgbaImage;

use crate::common::{gpu_lock, square};

const SIZE: [u32; 2] = [1600, 1000];

struct Scene {
    map: Map,
    camera: Camera,
    image: RgbaImage,
}

fn render(map: Map, bbox: [f64; 4], size: [u32; 2], hide: &[LayerKind]) -> Scene {
    let _gpu = gpu_lock();
    let camera = Camera::fitting(map.lonlat_box(bbox).unwrap(), size, 1.0, 0.0);
    let mut h =
        Headless::new(&map).expect("the software Vulkan driver (mesa-vulkan-drivers) renders");
    h.hide(&map, hide);
    let image = h.render(&camera).unwrap();
    Scene { map, camera, image }
}

impl Scene {
    fn pixel_at(&self, lon: f64, lat: f64) -> [u8; 3] {
        let (x, y) = self.map.projection.project(lon, lat).unwrap();
        let s = self.camera.world_to_screen([x, y]);
        let p = self.image.get_pixel(s[0] as u32, s[1] as u32);
        [p[0], p[1], p[2]]
    }

    /// The colour most pixels of the 5×5 block at (lon, lat) have.
    fn colour_at(&self, lon: f64, lat: f64) -> [u8; 3] {
        let (x, y) = self.map.projection.project(lon, lat).unwrap();
        let s = self.camera.world_to_screen([x, y]);
        let mut counts: Vec<([u8; 3], usize)> = Vec::new();
        for dy in -2..=2 {
            for dx in -2..=2 {
                let p = self
                    .image
                    .get_pixel((s[0] as i64 + dx) as u32, (s[1] as i64 + dy) as u32);
                let c = [p[0], p[1], p[2]];
                match counts.iter_mut().find(|(k, _)| close(*k, c, 2)) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((c, 1)),
                }
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0
    }
}

fn close(a: [u8; 3], b: [u8; 3], tol: i32) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (*x as i32 - y as i32).abs() <= tol)
}

fn rgb(c: Rgb) -> [u8; 3] {
    [c.0, c.1, c.2]
}

fn dist(a: [u8; 3], b: [u8; 3]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (*x as i32 - y as i32).abs())
        .sum()
}

fn base_scene() -> Scene {
    // Places are hidden so that markers do not cover the probes.
    render(
        Map::new(Projection::new(ProjectionKind::Lcc), true),
        SOUTH_CAUCASUS_BBOX,
        SIZE,
        &[LayerKind::Places],
    )
}

#[test]
fn base_map_colours_by_country() {
    let s = base_scene();
    let arm = rgb(palette::country("ARM", 0));
    let aze = rgb(palette::country("AZE", 0));
    assert!(
        close(s.colour_at(44.5133, 40.1811), arm, 3),
        "Yerevan: {:?} vs {arm:?}",
        s.colour_at(44.5133, 40.1811)
    );
    // Inland Azerbaijan (near Shamakhi) and the interior of Nakhchivan.
    assert!(
        close(s.colour_at(48.3, 40.9), aze, 3),
        "inland AZE: {:?}",
        s.colour_at(48.3, 40.9)
    );
    assert!(
        close(s.colour_at(45.45, 39.25), aze, 3),
        "Nakhchivan: {:?}",
        s.colour_at(45.45, 39.25)
    );
    // Tbilisi is in Georgia, Tabriz in Iran: each country its own colour.
    let geo = s.colour_at(44.79, 41.72);
    assert!(close(geo, rgb(palette::country("GEO", 0)), 3), "{geo:?}");
    assert!(!close(geo, arm, 10) && !close(geo, aze, 10) && !close(arm, aze, 10));
    let water = rgb(palette::WATER);
    assert!(
        close(s.colour_at(50.5, 41.5), water, 3),
        "Caspian: {:?}",
        s.colour_at(50.5, 41.5)
    );
    assert!(
        close(s.colour_at(40.5, 42.5), water, 3),
        "Black Sea: {:?}",
        s.colour_at(40.5, 42.5)
    );
    assert!(
        close(s.colour_at(45.3, 40.35), water, 3),
        "Lake Sevan: {:?}",
        s.colour_at(45.3, 40.35)
    );
}

#[test]
fn armenia_azerbaijan_border_is_drawn() {
    let s = base_scene();
    let borders = parse_str(borderlens::map::basemap::BORDERS, "borders").unwrap();
    let f = borders
        .features
        .iter()
        .find(|f| f.id.as_deref() == Some("ARM-AZE"))
        .unwrap();
    let Some(geo::Geometry::MultiLineString(ml)) = &f.geometry else {
        panic!()
    };
    let line = ml.0.iter().max_by_key(|l| l.0.len()).unwrap();
    let border = rgb(palette::BORDER);
    let (arm, aze) = (
        rgb(palette::country("ARM", 0)),
        rgb(palette::country("AZE", 0)),
    );
    // Vertices along the main line: the border colour is nearer than either fill.
    let mut dark = 0;
    let picks: Vec<_> = line.0.iter().step_by(line.0.len() / 10).take(10).collect();
    for c in &picks {
        let p = s.pixel_at(c.x, c.y);
        if dist(p, border) < dist(p, arm) && dist(p, border) < dist(p, aze) {
            dark += 1;
        }
    }
    assert!(
        dark >= picks.len() - 1,
        "{dark} of {} border probes dark",
        picks.len()
    );
}

fn overlay(map: &mut Map, text: &str) {
    let file = parse_str(text, "overlay.geojson").unwrap();
    let layer = MapLayer::build("overlay", LayerKind::Overlay, file, &map.projection);
    map.add_overlay(layer);
}

#[test]
fn red_overlay_polygon_is_red_inside_only() {
    let mut map = Map::new(Projection::default(), true);
    let sq = square(45.0, 40.5, 1.0);
    overlay(
        &mut map,
        &format!(
            r##"{{"type":"Feature","properties":{{"fill":"#ff0000","fill-opacity":1,"stroke-width":0}},"geometry":{{"type":"Polygon","coordinates":{sq}}}}}"##
        ),
    );
    let s = render(map, SOUTH_CAUCASUS_BBOX, SIZE, &[LayerKind::Places]);
    for (lon, lat) in [(45.5, 41.0), (45.1, 40.6), (45.9, 41.4)] {
        assert_eq!(s.pixel_at(lon, lat), [255, 0, 0], "inside at {lon},{lat}");
    }
    for (lon, lat) in [(44.8, 41.0), (46.2, 41.0), (45.5, 40.3), (45.5, 41.7)] {
        let p = s.pixel_at(lon, lat);
        assert!(dist(p, [255, 0, 0]) > 150, "outside at {lon},{lat}: {p:?}");
    }
}

/// Rows of column `x` whose pixel is closer to `colour` than the background.
fn thickness(img: &RgbaImage, x: u32, colour: [u8; 3]) -> usize {
    (0..img.height())
        .filter(|&y| {
            let p = img.get_pixel(x, y);
            dist([p[0], p[1], p[2]], colour) < 200
        })
        .count()
}

#[test]
fn stroke_width_is_constant_on_screen() {
    let line = r##"{"type":"Feature","properties":{"stroke":"#0000ff","stroke-width":6},"geometry":{"type":"LineString","coordinates":[[40,41],[50,41]]}}"##;
    let widths: Vec<usize> = [[42.0, 39.0, 48.0, 43.0], [44.5, 40.5, 45.5, 41.5]]
        .iter()
        .map(|bbox| {
            let mut map = Map::new(Projection::default(), false);
            overlay(&mut map, line);
            let s = render(map, *bbox, [800, 500], &[]);
            thickness(&s.image, 400, [0, 0, 255])
        })
        .collect();
    assert!((5..=7).contains(&widths[0]), "{widths:?}");
    assert!(widths[0].abs_diff(widths[1]) <= 1, "{widths:?}");
}

/// How much of pixel (x, y) red covers over a black background (0 = none, 1 = all): blending is
/// linear, so the sRGB byte is decoded first.
fn red_share(img: &RgbaImage, x: u32, y: u32) -> f64 {
    let c = img.get_pixel(x, y)[0] as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

#[test]
fn edges_are_antialiased_without_msaa() {
    // A slanted red triangle with no outline, and a slanted white line, on a black background:
    // pixels cut by an edge get a share of the colour in proportion to how much they cover.
    let mut map = Map::new(Projection::default(), false);
    overlay(
        &mut map,
        r##"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"fill":"#ff0000","fill-opacity":1,"stroke-width":0},
         "geometry":{"type":"Polygon","coordinates":[[[44.1,40.1],[45.9,40.3],[44.3,41.9],[44.1,40.1]]]}}]}"##,
    );
    let mut scene = {
        let _gpu = gpu_lock();
        let camera = Camera::fitting(
            map.lonlat_box([44.0, 40.0, 46.0, 42.0]).unwrap(),
            [400, 400],
            1.0,
            0.0,
        );
        let mut h = Headless::new(&map).unwrap();
        h.renderer.background = wgpu::Color::BLACK;
        let image = h.render(&camera).unwrap();
        Scene { map, camera, image }
    };
    let img = &mut scene.image;
    let (mut partial, mut area) = (0, 0.0);
    for y in 0..400 {
        for x in 0..400 {
            let r = red_share(img, x, y);
            area += r;
            if r > 0.05 && r < 0.95 {
                partial += 1;
            }
        }
    }
    // The edges are about 1,000 px long; without antialiasing no pixel would be partly covered.
    assert!(partial > 300, "{partial} partly covered pixels");
    // Antialiasing neither grows nor shrinks the shape much (area within 1.5 % of the exact one).
    let corners = [[44.1, 40.1], [45.9, 40.3], [44.3, 41.9]].map(|[lon, lat]| {
        let (x, y) = scene.map.projection.project(lon, lat).unwrap();
        scene.camera.world_to_screen([x, y])
    });
    let [a, b, c] = corners;
    let exact = 0.5 * ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs();
    assert!(
        (area / exact - 1.0).abs() < 0.015,
        "area {area:.0} vs {exact:.0}"
    );
}

/// A synthetic overlay of about `bytes` (`borderlens synth`).
fn synth_geojson(bytes: u64, seed: u64) -> String {
    let mut text = Vec::new();
    borderlens::map::synth::write_overlay(&mut text, bytes, seed).unwrap();
    String::from_utf8(text).unwrap()
}

#[test]
fn culled_chunks_are_never_in_view() {
    // A layer big enough to be split into chunks, drawn zoomed in, looks exactly like the same
    // layer as one chunk (which is never culled), while most of its triangles are skipped.
    let text = synth_geojson(3_000_000, 7);
    let build = || {
        let file = parse_str(&text, "synth.geojson").unwrap();
        MapLayer::build("synth", LayerKind::Overlay, file, &Projection::default())
    };
    let chunked = build();
    let mut whole = build();
    assert!(
        chunked.mesh.chunks.len() > 8,
        "{} chunks",
        chunked.mesh.chunks.len()
    );
    // One chunk: its sections are the spans of the chunks' sections.
    let c = &whole.mesh.chunks;
    use borderlens::mesh::chunks::{PerSection, Section};
    let span = |s: Section| c[0].sections[s].start..c[c.len() - 1].sections[s].end;
    whole.mesh.chunks = vec![borderlens::mesh::tessellate::Chunk {
        sections: PerSection {
            fills: span(Section::Fills),
            strokes: span(Section::Strokes),
            markers: span(Section::Markers),
        },
        vertices: 0..whole.mesh.vertices.len() as u32,
        bounds: [f32::MIN, f32::MIN, f32::MAX, f32::MAX],
    }];
    let bbox = [44.2, 40.2, 44.8, 40.6];
    let mut images = Vec::new();
    for layer in [chunked, whole] {
        let mut map = Map::new(Projection::default(), false);
        map.add_overlay(layer);
        let _gpu = gpu_lock();
        let camera = Camera::fitting(map.lonlat_box(bbox).unwrap(), [400, 300], 1.0, 0.0);
        let mut h = Headless::new(&map).unwrap();
        let total = map.layers[0].mesh.triangles() as u64;
        let drawn = h.layers[0].visible_triangles(&camera);
        images.push((h.render(&camera).unwrap(), drawn, total));
    }
    let (a, drawn, total) = &images[0];
    assert!(*drawn * 4 < *total, "{drawn} of {total} triangles drawn");
    assert_eq!(images[1].1, images[1].2, "one chunk is always drawn");
    assert!(
        a.pixels().any(|p| p[3] > 0 && p[0] != a.get_pixel(0, 0)[0]),
        "something drawn"
    );
    assert!(a == &images[1].0, "culling changed the picture");
}

#[test]
fn wide_strokes_just_out_of_view_are_not_culled() {
    // An 80 px wide line whose centre runs 37 px left of the view still paints its left edge
    // (a fixed 32 px culling margin dropped it).
    let mut map = Map::new(Projection::default(), false);
    let bbox = [44.0, 40.0, 46.0, 42.0];
    let camera = Camera::fitting(map.lonlat_box(bbox).unwrap(), [400, 400], 1.0, 0.0);
    let w = camera.screen_to_world([-37.0, 200.0]);
    let (lon, _) = map.projection.unproject(w[0], w[1]).unwrap();
    overlay(
        &mut map,
        &format!(
            r##"{{"type":"Feature","properties":{{"stroke":"#0000ff","stroke-width":80}},"geometry":{{"type":"LineString","coordinates":[[{lon},39.0],[{lon},43.0]]}}}}"##
        ),
    );
    let _gpu = gpu_lock();
    let mut h = Headless::new(&map).unwrap();
    assert!(h.layers[0].visible_triangles(&camera) > 0, "culled");
    let img = h.render(&camera).unwrap();
    let p = img.get_pixel(0, 200);
    assert!(p[2] > 200 && p[0] < 80, "left edge {p:?}");
}

#[test]
fn markers_are_round_and_sized_in_pixels() {
    let pt = r##"{"type":"Feature","properties":{"marker-color":"#00ff00","marker-size":"large"},"geometry":{"type":"Point","coordinates":[45,41]}}"##;
    let mut map = Map::new(Projection::default(), false);
    overlay(&mut map, pt);
    let s = render(map, [44.0, 40.0, 46.0, 42.0], [400, 400], &[]);
    let is_green = |p: &image::Rgba<u8>| p[1] > 200 && p[0] < 80;
    let green = (0..400)
        .flat_map(|y| (0..400).map(move |x| (x, y)))
        .filter(|&(x, y)| is_green(s.image.get_pixel(x, y)));
    let n = green.count() as f64;
    // Large = radius 9: the green core is a disc of about π·7.5² (inside the white ring).
    assert!((100.0..260.0).contains(&n), "{n} green pixels");
    // Round, not square: the corners of the marker's bounding square (11.3 px from the centre,
    // inside the 9 px half-width of the square) show the background, while the points 5 px
    // from the centre on the axes and diagonals are the marker's green.
    let (x, y) = s.map.projection.project(45.0, 41.0).unwrap();
    let c = s.camera.world_to_screen([x, y]);
    let at = |dx: f64, dy: f64| {
        let p = s.image.get_pixel((c[0] + dx) as u32, (c[1] + dy) as u32);
        *p
    };
    let background = at(40.0, 40.0);
    for (dx, dy) in [
        (5.0, 0.0),
        (-5.0, 0.0),
        (0.0, 5.0),
        (0.0, -5.0),
        (3.5, 3.5),
        (-3.5, -3.5),
    ] {
        assert!(
            is_green(&at(dx, dy)),
            "({dx}, {dy}) from the centre: {:?}",
            at(dx, dy)
        );
    }
    for (dx, dy) in [(8.0, 8.0), (-8.0, 8.0), (8.0, -8.0), (-8.0, -8.0)] {
        let p = at(dx, dy);
        assert!(
            close([p[0], p[1], p[2]], [background[0], background[1], background[2]], 4),
            "corner ({dx}, {dy}) of the marker's square is {p:?}, not the background {background:?}"
        );
    }
}

#[test]
fn mercator_renders_too() {
    let s = render(
        Map::new(Projection::new(ProjectionKind::Mercator), true),
        SOUTH_CAUCASUS_BBOX,
        [800, 500],
        &[LayerKind::Places],
    );
    assert!(close(
        s.colour_at(44.5133, 40.1811),
        rgb(palette::country("ARM", 0)),
        3
    ));
    assert!(close(s.colour_at(50.5, 41.5), rgb(palette::WATER), 3));
}

#[test]
fn labels_do_not_overlap_and_sit_inside_their_polygons() {
    use geo::Contains;
    let map = Map::new(Projection::default(), true);
    for zoom in [1.0, 2.5, 6.0] {
        let mut camera = Camera::fitting(map.home_bounds(), SIZE, 1.0, 0.0);
        camera.zoom_about([800.0, 500.0], zoom);
        let labels = borderlens::map::labels::place_labels(&map.layers, &camera, &[]);
        assert!(
            labels.len() >= 8,
            "zoom {zoom}: only {} labels",
            labels.len()
        );
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                let o = a.rect[0] < b.rect[2]
                    && b.rect[0] < a.rect[2]
                    && a.rect[1] < b.rect[3]
                    && b.rect[1] < a.rect[3];
                assert!(!o, "{} overlaps {}", a.text, b.text);
            }
            let layer = &map.layers[a.layer];
            if matches!(layer.kind, LayerKind::Countries | LayerKind::Regions) {
                let c = a.center();
                let w = camera.screen_to_world([c[0] as f64, c[1] as f64]);
                let g = layer.projected[a.feature].as_ref().unwrap();
                assert!(
                    g.contains(&geo::Point::new(w[0], w[1])),
                    "{} label outside its polygon",
                    a.text
                );
            }
        }
        let texts: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        assert!(texts.contains(&"ARMENIA") || zoom > 2.0, "{texts:?}");
        assert!(
            texts.contains(&"Yerevan") || zoom > 3.0,
            "zoom {zoom}: {texts:?}"
        );
    }
}

/// Draws the map with `drawn` into a fresh cache, then shows the cache as `camera` sees it in a
/// texture with `usage` (with `COPY_DST` a pan is copied, otherwise sampled).
fn through_cache(
    h: &mut Headless,
    drawn: Camera,
    camera: Camera,
    usage: wgpu::TextureUsages,
) -> RgbaImage {
    use borderlens::gpu::cache::{Drawn, MapCache};
    use borderlens::gpu::offscreen::FORMAT;
    let device = &h.gpu.device;
    let mut cache = MapCache::new(device, FORMAT);
    let mut encoder = device.create_command_encoder(&Default::default());
    let view = cache.view(device, drawn.size);
    h.renderer
        .render(&h.gpu.queue, &mut encoder, view, &drawn, &h.layers);
    cache.drawn = Some(Drawn {
        camera: drawn,
        fingerprint: 0,
    });
    show_cache(h, &cache, encoder, camera, usage)
}

/// Finishes `encoder` with the cached image shown as `camera` sees it, in a texture with `usage`
/// besides rendering and copying, and reads that texture back.
fn show_cache(
    h: &Headless,
    cache: &borderlens::gpu::cache::MapCache,
    mut encoder: wgpu::CommandEncoder,
    camera: Camera,
    usage: wgpu::TextureUsages,
) -> RgbaImage {
    use borderlens::gpu::offscreen::{Readback, FORMAT};
    let device = &h.gpu.device;
    let texture = borderlens::gpu::texture_2d(
        device,
        "target",
        camera.size,
        FORMAT,
        usage | wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        &[],
    );
    let target = texture.create_view(&Default::default());
    assert!(cache.show(
        &h.gpu.queue,
        &mut encoder,
        (&texture, &target),
        &camera,
        h.renderer.background
    ));
    let rb = Readback::new(device, camera.size, FORMAT);
    rb.copy(&mut encoder, &texture);
    h.gpu.queue.submit([encoder.finish()]);
    rb.read(device).unwrap()
}

/// Pixels of `a` and `b` (same size) that differ by more than `tol` in some channel, among
/// those `keep` selects.
fn differing(a: &RgbaImage, b: &RgbaImage, tol: u8, keep: impl Fn(u32, u32) -> bool) -> usize {
    a.enumerate_pixels()
        .filter(|(x, y, p)| {
            keep(*x, *y)
                && p.0
                    .iter()
                    .zip(b.get_pixel(*x, *y).0)
                    .any(|(u, v)| u.abs_diff(v) > tol)
        })
        .count()
}

#[test]
fn the_cached_map_moves_and_scales_with_the_view() {
    let map = Map::new(Projection::default(), true);
    let _gpu = gpu_lock();
    let mut h = Headless::new(&map).unwrap();
    h.hide(&map, &[LayerKind::Places]);
    let size = [400, 300];
    let home = Camera::fitting(map.lonlat_box(SOUTH_CAUCASUS_BBOX).unwrap(), size, 1.0, 0.0);
    let mut panned = home;
    panned.pan_pixels(37.0, -21.0);
    let exact = h.render(&panned).unwrap();
    // Moved by whole pixels, copied or sampled, the cached image is the exact map where it
    // reaches (the strip it does not reach is background).
    // pan_pixels moves every point by (37, -21): the cached image reaches all but a strip on
    // the left and one at the bottom.
    let inside = |x: u32, y: u32| x >= 37 && y < 300 - 21;
    for usage in [wgpu::TextureUsages::COPY_DST, wgpu::TextureUsages::empty()] {
        let shown = through_cache(&mut h, home, panned, usage);
        assert_eq!(differing(&shown, &exact, 2, inside), 0, "{usage:?}");
        assert!(differing(&shown, &exact, 2, |x, y| !inside(x, y)) > 1000);
        let bg = shown.get_pixel(0, 150);
        assert!(
            (0..300).all(|y| shown.get_pixel(0, y) == bg),
            "the uncovered strip is background"
        );
    }
    // Zoomed 1.5× about the centre: the same picture, enlarged (blurrier, so mostly close).
    let mut zoomed = home;
    zoomed.scale *= 1.5;
    let exact = h.render(&zoomed).unwrap();
    let shown = through_cache(&mut h, home, zoomed, wgpu::TextureUsages::COPY_DST);
    let far = differing(&shown, &exact, 40, |_, _| true);
    assert!(
        far < 400 * 300 / 20,
        "{far} pixels far from the exact zoomed map"
    );
}

#[test]
fn streamed_layers_draw_like_whole_ones() {
    // `render` tessellates a big overlay a batch at a time while it draws; the picture must be
    // the one the whole mesh gives: fills, strokes and markers stacked the same, base layers
    // above and below, labels on top.
    let text = synth_geojson(3_000_000, 11);
    let project = || {
        let file = parse_str(&text, "synth.geojson").unwrap();
        MapLayer::project("synth", LayerKind::Overlay, file, &Projection::default())
    };
    // At `render`'s tolerance (half a pixel): base layers, tessellated at full detail, must
    // not be tessellated again at it.
    let camera = Camera::fitting(
        Map::new(Projection::default(), false).home_bounds(),
        [500, 320],
        1.0,
        0.0,
    );
    let tolerance = borderlens::map::layer::MAX_ERROR_PX / camera.scale;
    let mut whole = project();
    whole.tessellate(tolerance);
    let streamed = project();
    let inputs = streamed.tess_inputs();
    let batches = borderlens::mesh::tessellate::batches(&inputs, 10_000).len();
    assert!(batches > 3, "{batches} batches");
    drop(inputs);
    let mut images = Vec::new();
    for (layer, stream) in [(whole, false), (streamed, true)] {
        let mut map = Map::new(Projection::default(), true);
        map.add_overlay(layer);
        let _gpu = gpu_lock();
        let mut h = Headless::new(&map).unwrap();
        h.stream_vertices = 10_000;
        let image = if stream {
            // As `render` does: the meshes leave memory once uploaded (the base layers' are on
            // the device, and are not tessellated again).
            for l in &mut map.layers {
                l.mesh = Default::default();
            }
            let first = h
                .render_streaming(&mut map, &camera, true, tolerance)
                .unwrap();
            let again = h
                .render_streaming(&mut map, &camera, true, tolerance)
                .unwrap();
            assert!(first == again, "a second render draws the same");
            first
        } else {
            h.render_labelled(&map, &camera).unwrap()
        };
        images.push(image);
    }
    let (a, b) = (&images[0], &images[1]);
    assert!(
        a.pixels().filter(|p| p[0] != a.get_pixel(0, 0)[0]).count() > 1000,
        "something drawn"
    );
    assert_eq!(
        differing(a, b, 0, |_, _| true),
        0,
        "streaming changed the picture"
    );
}

/// One window frame through a map cache, headless: the cache brought up to date for `camera`
/// (as `MapCache::update`, never moving the image, with `budget` triangles a frame), then the
/// picture the window would show.
fn cache_frame(
    h: &mut Headless,
    cache: &mut borderlens::gpu::cache::MapCache,
    camera: Camera,
    budget: Option<u64>,
) -> (borderlens::gpu::cache::MapSource, RgbaImage) {
    use borderlens::gpu::cache::Drawn;
    let device = &h.gpu.device;
    let mut encoder = device.create_command_encoder(&Default::default());
    let layers: Vec<&borderlens::gpu::GpuLayer> = h.layers.iter().collect();
    let want = Drawn {
        camera,
        fingerprint: 1,
    };
    let source = cache.update(
        device,
        &h.gpu.queue,
        &mut encoder,
        &mut h.renderer,
        &layers,
        &want,
        false,
        budget,
    );
    let shown = show_cache(h, cache, encoder, camera, wgpu::TextureUsages::empty());
    (source, shown)
}

#[test]
fn a_heavy_map_is_drawn_over_several_frames_then_shown_exact() {
    // The window's cache draws a map heavier than a frame's budget a pass per frame into its
    // second texture, showing the last image moved meanwhile; the finished image is the map
    // drawn whole, pixel for pixel.
    use borderlens::gpu::cache::{MapCache, MapSource};
    use borderlens::gpu::offscreen::FORMAT;
    let map = Map::new(Projection::default(), true);
    let _gpu = gpu_lock();
    let mut h = Headless::new(&map).unwrap();
    let size = [400, 300];
    let home = Camera::fitting(map.lonlat_box(SOUTH_CAUCASUS_BBOX).unwrap(), size, 1.0, 0.0);
    let mut panned = home;
    panned.pan_pixels(40.0, 0.0);
    let exact_home = h.render(&home).unwrap();
    let exact = h.render(&panned).unwrap();
    let triangles: u64 = h.layers.iter().map(|l| l.visible_triangles(&panned)).sum();
    let budget = triangles / 5;
    let mut cache = MapCache::new(&h.gpu.device, FORMAT);
    let mut frame =
        |camera: Camera, budget: Option<u64>| cache_frame(&mut h, &mut cache, camera, budget);
    // Nothing cached yet: drawn whole whatever the budget.
    let (source, first) = frame(home, Some(budget));
    assert_eq!(source, MapSource::Drawn);
    assert_eq!(differing(&first, &exact_home, 0, |_, _| true), 0);
    // The panned view: the cached image, moved, while the passes draw.
    let moved_only = |x: u32, _: u32| x >= 40;
    let mut sources = Vec::new();
    loop {
        let (source, shown) = frame(panned, Some(budget));
        sources.push(source);
        if source == MapSource::Refining {
            assert_eq!(differing(&shown, &exact, 2, moved_only), 0, "moved image");
            assert!(sources.len() < 50, "never finishes");
            continue;
        }
        assert_eq!(source, MapSource::Refined);
        assert_eq!(
            differing(&shown, &exact, 0, |_, _| true),
            0,
            "the exact map"
        );
        break;
    }
    assert!(sources.len() >= 5, "{sources:?}");
    // Shown again: cached.
    assert_eq!(frame(panned, Some(budget)).0, MapSource::Cached);
}

#[test]
fn a_resized_window_shows_the_old_image_while_the_new_one_is_drawn() {
    use borderlens::gpu::cache::{MapCache, MapSource};
    use borderlens::gpu::offscreen::FORMAT;
    let map = Map::new(Projection::default(), true);
    let _gpu = gpu_lock();
    let mut h = Headless::new(&map).unwrap();
    let bounds = map.lonlat_box(SOUTH_CAUCASUS_BBOX).unwrap();
    let small = Camera::fitting(bounds, [400, 300], 1.0, 0.0);
    let big = Camera::fitting(bounds, [480, 360], 1.0, 0.0);
    let exact_big = h.render(&big).unwrap();
    let budget = h
        .layers
        .iter()
        .map(|l| l.visible_triangles(&big))
        .sum::<u64>()
        / 4;
    let mut cache = MapCache::new(&h.gpu.device, FORMAT);
    let mut frame = |camera: Camera| cache_frame(&mut h, &mut cache, camera, Some(budget));
    assert_eq!(frame(small).0, MapSource::Drawn);
    // The window grows: the old image, scaled, until the new one is done; never a whole draw.
    let (source, shown) = frame(big);
    assert_eq!(source, MapSource::Refining);
    let far = differing(&shown, &exact_big, 40, |_, _| true);
    assert!(far < 480 * 360 / 10, "{far} pixels far from the map");
    let mut n = 1;
    let last = loop {
        let (source, shown) = frame(big);
        n += 1;
        assert!(n < 50, "never finishes");
        if source != MapSource::Refining {
            assert_eq!(source, MapSource::Refined);
            break shown;
        }
    };
    assert_eq!(differing(&last, &exact_big, 0, |_, _| true), 0);
}

#[test]
fn a_streamed_layer_that_draws_nothing_leaves_the_background() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
        "properties":{"fill-opacity":0,"stroke-opacity":0},
        "geometry":{"type":"Polygon","coordinates":[[[44,40],[45,40],[45,41],[44,40]]]}}]}"#;
    let file = parse_str(text, "invisible.geojson").unwrap();
    let layer = MapLayer::project_moving(
        "invisible",
        LayerKind::Overlay,
        file,
        &Projection::default(),
    );
    let mut map = Map::new(Projection::default(), false);
    map.add_overlay(layer);
    let _gpu = gpu_lock();
    let camera = Camera::fitting(map.overlay_bounds().unwrap(), [200, 100], 1.0, 0.0);
    let mut h = Headless::new(&map).unwrap();
    let image = h.render_streaming(&mut map, &camera, false, 0.0).unwrap();
    let bg = h.renderer.background;
    let expected = [bg.r, bg.g, bg.b].map(|c| (c.powf(1.0 / 2.2) * 255.0).round() as i32);
    let p = image.get_pixel(100, 50);
    assert_eq!(p[3], 255, "opaque background, not an uncleared image");
    assert!(
        (0..3).all(|i| (p[i] as i32 - expected[i]).abs() <= 3),
        "{p:?} against {expected:?}"
    );
    assert!(image.pixels().all(|q| q == p));
}

/// A figure of the demo article (Iran–Azerbaijan border) showing `bbox`, drawn as a PNG and
/// written as SVG.
struct FigureScene {
    figure: borderlens::figure::Figure,
    png: RgbaImage,
    svg: String,
}

fn figure_scene(bbox: [f64; 4], size: [u32; 2]) -> FigureScene {
    use borderlens::figure::{plan, png, svg, FigureOptions};
    let _gpu = gpu_lock();
    let mut map = Map::new(Projection::default(), true);
    map.add_overlay(borderlens::map::overlay::demo_layer(&map.projection));
    let bounds = map.lonlat_box(bbox).unwrap();
    let mut h = Headless::new(&map).expect("the software Vulkan driver renders");
    let visible = h.visibility();
    let figure = plan(&map, bounds, size, &visible, &FigureOptions::default());
    let svg = svg::write(&map, &figure, &visible, true);
    let png = png::draw(&mut h, &mut map, &figure, true, 0.0).unwrap();
    FigureScene { figure, png, svg }
}

/// Pixels of `img` inside `a` darker than mid grey.
fn dark_pixels(img: &RgbaImage, a: &borderlens::figure::layout::Area) -> usize {
    let mut n = 0;
    for y in a.y as u32..(a.bottom() as u32).min(img.height()) {
        for x in a.x as u32..(a.right() as u32).min(img.width()) {
            let p = img.get_pixel(x, y);
            if (p[0] as u32 + p[1] as u32 + p[2] as u32) < 3 * 110 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_figure_has_its_parts_where_the_layout_puts_them() {
    use borderlens::figure::content::Swatch;
    // Zoomed in on Nakhchivan, far closer than the region: the inset appears.
    let s = figure_scene([44.6, 38.7, 46.4, 39.9], [1600, 1000]);
    let l = &s.figure.layout;
    let img = &s.png;
    let px = |x: f32, y: f32| {
        let p = img.get_pixel(x as u32, y as u32);
        [p[0], p[1], p[2]]
    };
    // The page is white around the map; text is dark where the layout put it.
    assert_eq!(px(2.0, 2.0), [255, 255, 255]);
    assert_eq!(px(l.map.x + 40.0, l.map.bottom() + 3.0), [255, 255, 255]);
    assert_eq!(
        l.title[0].text,
        "Iran and Azerbaijan reopen crossings along their shared border"
    );
    for t in l.texts() {
        assert!(dark_pixels(img, &t.area()) > 20, "no text at {t:?}");
    }
    // Nothing is drawn where no text is: the strip between the title and the map is blank.
    let gap = borderlens::figure::layout::Area {
        x: l.map.x,
        y: l.subtitle.as_ref().unwrap().area().bottom() + 1.0,
        w: l.map.w,
        h: (l.map.y - 2.0 - (l.subtitle.as_ref().unwrap().area().bottom() + 1.0)).max(1.0),
    };
    assert_eq!(dark_pixels(img, &gap), 0);
    // The legend names the mentioned borders with their line colour.
    let legend = l.legend.as_ref().expect("a legend");
    let names: Vec<&str> = legend.rows.iter().map(|r| r.text.text.as_str()).collect();
    assert!(names.iter().any(|n| n.contains("border")), "{names:?}");
    for row in &legend.rows {
        if let Swatch::Line { color } = row.swatch {
            let a = &row.swatch_area;
            let p = px(a.x + a.w / 2.0, a.y + a.h / 2.0);
            // Over the legend's near-white panel.
            let a = color[3] as f32 / 255.0;
            let want = [0, 1, 2].map(|c| (color[c] as f32 * a + 255.0 * (1.0 - a)) as u8);
            assert!(close(p, want, 12), "{p:?} vs {want:?}");
        }
    }
    // The scale bar: dark left half, light right half, as long as its km at the map's scale.
    let bar = &s.figure.layout.scale_bar.as_ref().unwrap().bar;
    let km = s.figure.layout.scale_bar.as_ref().unwrap().km;
    assert!((bar.w as f64 - km * s.figure.camera.scale).abs() < 0.5);
    let mid = bar.y + bar.h / 2.0;
    assert!(px(bar.x + bar.w * 0.25, mid).iter().all(|&c| c < 60));
    assert!(px(bar.x + bar.w * 0.75, mid).iter().all(|&c| c > 200));
    // The inset shows the view as a red box.
    let inset = s.figure.inset.as_ref().expect("zoomed in: an inset");
    let area = l.inset.unwrap();
    let f = inset.frame;
    let (cx, cy) = ((f[0] + f[2]) / 2.0, (f[1] + f[3]) / 2.0);
    let half_h = ((f[3] - f[1]) / 2.0).max(3.0);
    let red = px(area.x + cx, area.y + cy - half_h);
    assert!(red[0] > 150 && red[1] < 100 && red[2] < 100, "{red:?}");
    // The map itself lies in its box: its centre is not the page's white.
    assert_ne!(
        px(l.map.x + l.map.w / 2.0, l.map.y + l.map.h / 2.0),
        [255, 255, 255]
    );
}

#[test]
fn a_figure_reads_back_by_ocr() {
    let s = figure_scene([44.0, 37.5, 50.0, 42.0], [1600, 1000]);
    let dir = std::env::temp_dir().join(format!("borderlens-ocr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("figure.png");
    s.png.save(&path).unwrap();
    let out = std::process::Command::new("tesseract")
        .arg(&path)
        .arg("-")
        .output()
        .expect("tesseract (apt-get install tesseract-ocr tesseract-ocr-eng)");
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "Iran and Azerbaijan reopen crossings",
        "Natural Earth",
        "GeoNames",
        "km",
        "border",
        "projection",
    ] {
        assert!(text.contains(want), "OCR lacks {want:?}:\n{text}");
    }
}

#[test]
fn a_figure_svg_has_vector_layers_and_matches_the_png() {
    let s = figure_scene([44.6, 38.7, 46.4, 39.9], [1200, 800]);
    // Groups per layer and per mentioned entity, text as text, no raster.
    for id in [
        "id=\"countries\"",
        "id=\"borders\"",
        "id=\"entity-aze-irn\"",
        "id=\"entity-nakhchivan\"",
        "id=\"legend\"",
        "id=\"scale-bar\"",
        "id=\"inset\"",
        "id=\"credits\"",
    ] {
        assert!(s.svg.contains(id), "no {id}");
    }
    assert!(s.svg.contains(">Iran and Azerbaijan reopen crossings"));
    assert!(!s.svg.contains("<image"));
    let mut opt = resvg::usvg::Options::default();
    // egui's own font, so that text lies where the PNG has it.
    for data in egui::FontDefinitions::default().font_data.values() {
        opt.fontdb_mut()
            .load_font_data((*data.font).as_ref().to_vec());
    }
    let tree = resvg::usvg::Tree::from_str(&s.svg, &opt).expect("the SVG parses");
    let [w, h] = s.figure.layout.size;
    assert_eq!(
        (tree.size().width(), tree.size().height()),
        (w as f32, h as f32)
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
    // Kept for a look when the comparison fails.
    let dir = std::env::temp_dir();
    let _ = s.png.save(dir.join("borderlens-figure-png.png"));
    let _ = pixmap.save_png(dir.join("borderlens-figure-svg.png"));
    // Pixel by pixel, most of the picture agrees. Antialiasing and glyph edges differ, and
    // translucent fills blend in linear light on the GPU but in sRGB in an SVG renderer, a
    // few levels across the map (8.5 on average here).
    let mut far = 0usize;
    let mut total = 0u64;
    for (i, p) in s.png.pixels().enumerate() {
        let q = &pixmap.data()[i * 4..i * 4 + 3];
        let d = (0..3)
            .map(|c| (p[c] as i32 - q[c] as i32).unsigned_abs())
            .max()
            .unwrap();
        total += d as u64;
        if d > 40 {
            far += 1;
        }
    }
    let n = (w * h) as f64;
    let (far_share, mean) = (far as f64 / n, total as f64 / n);
    eprintln!(
        "SVG vs PNG: {:.2} % of pixels differ by more than 40, mean difference {mean:.2}",
        100.0 * far_share
    );
    assert!(far_share < 0.03 && mean < 12.0, "{far_share} {mean}");
}

#[test]
fn render_refuses_figures_beyond_the_device_texture_limit() {
    let out = crate::common::borderlens()
        .args([
            "render",
            "--size",
            "16000x16000",
            "--scale",
            "8",
            "--no-base",
            "-o",
        ])
        .arg(std::env::temp_dir().join("borderlens-too-big.png"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("128000x128000") && err.contains("at most"),
        "{err}"
    );
}

/// An article of our own about gunfire at a border village (Tegh, on the Armenia–Azerbaijan
/// border), in the sample format: headline, date, source, body.
const TEGH_ARTICLE: &str = "Gunfire near Tegh keeps farmers from their fields
2025-06-12
borderlens test

Residents of Tegh, a village in southern Armenia on the border with Azerbaijan, said that \
shots were fired from Azerbaijani positions on Wednesday evening. No one was hurt, the head \
of the village said, but farmers stayed away from the fields closest to the border for two \
days.
";

/// Tegh (GeoNames 174743).
const TEGH: [f64; 2] = [46.4805, 39.5583];

/// The framed figure of an article, fitted as `render ARTICLE` fits it, without labels (so that
/// pixel probes see the strokes and markers only); with the faint rest of its borders made
/// transparent when `hide_rest`.
fn article_figure(text: &str, hide_rest: bool) -> (Map, borderlens::figure::Figure, RgbaImage) {
    use borderlens::figure::{plan, png, FigureOptions};
    use borderlens::map::overlay::{article_layer, article_view};
    let _gpu = gpu_lock();
    let mut map = Map::new(Projection::default(), true);
    let layer = article_layer(borderlens::article::Article::parse(text), &map.projection);
    let mut layer = layer;
    if hide_rest {
        for (f, s) in layer.features.iter().zip(&mut layer.styles) {
            if f.prop_str("part") == Some("rest") {
                s.stroke[3] = 0.0;
            }
        }
    }
    let bounds = article_view(&layer).expect("the article is about somewhere");
    map.add_overlay(layer);
    let mut h = Headless::new(&map).expect("the software Vulkan driver renders");
    let visible = h.visibility();
    let figure = plan(
        &map,
        bounds,
        [1600, 1000],
        &visible,
        &FigureOptions::default(),
    );
    let png = png::draw(&mut h, &mut map, &figure, false, 0.0).unwrap();
    (map, figure, png)
}

/// Page pixel of (lon, lat) in a figure.
fn figure_px(map: &Map, figure: &borderlens::figure::Figure, p: [f64; 2]) -> [f32; 2] {
    let (x, y) = map.projection.project(p[0], p[1]).unwrap();
    let s = figure.camera.world_to_screen([x, y]);
    [
        s[0] as f32 + figure.layout.map.x,
        s[1] as f32 + figure.layout.map.y,
    ]
}

/// The pixels of `img` within `r` of `at`.
fn around(img: &RgbaImage, at: [f32; 2], r: i64) -> Vec<[u8; 3]> {
    let mut v = Vec::new();
    for dy in -r..=r {
        for dx in -r..=r {
            let (x, y) = (at[0] as i64 + dx, at[1] as i64 + dy);
            if x >= 0 && y >= 0 && (x as u32) < img.width() && (y as u32) < img.height() {
                let p = img.get_pixel(x as u32, y as u32);
                v.push([p[0], p[1], p[2]]);
            }
        }
    }
    v
}

/// The border's strong stroke (#c2185b at 0.9 over the map): deep pink, green far below red
/// and blue.
fn is_strong(p: [u8; 3]) -> bool {
    p[0] > 150 && (p[1] as i32) < 110 && p[2] as i32 > p[1] as i32 + 10
}

/// Distance in km along the great circle.
fn km(a: [f64; 2], b: [f64; 2]) -> f64 {
    use geo::{Distance, Haversine, Point};
    Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1])) / 1000.0
}

#[test]
fn an_article_about_a_border_village_draws_that_stretch_strong_and_the_rest_faint() {
    let (map, figure, img) = article_figure(TEGH_ARTICLE, false);
    let l = &figure.layout;
    // The figure fits the stretch: Tegh in view, at least 150 km across, not the whole
    // 1,000 km border.
    let view = figure.camera.visible_world();
    let (w, h) = (view.width(), view.height());
    assert!(w.min(h) >= 149.0 && w.max(h) < 400.0, "{w} x {h} km");
    let tegh = figure_px(&map, &figure, TEGH);
    assert!(l.map.contains(&borderlens::figure::layout::Area {
        x: tegh[0],
        y: tegh[1],
        w: 1.0,
        h: 1.0
    }));
    // The village is marked: the place colour (#5e3c99) on its point.
    let marker = around(&img, tegh, 3);
    assert!(
        marker.iter().any(|p| close(*p, [0x5e, 0x3c, 0x99], 30)),
        "no marker at Tegh: {:?}",
        &marker[..5]
    );
    // The border line, from the base map.
    let border = borderlens::map::entities::entity_geometry(
        borderlens::article::Gazetteer::embedded(),
        "ARM-AZE",
    )
    .unwrap();
    let geo::Geometry::MultiLineString(lines) = border else {
        panic!("the border is lines");
    };
    let points: Vec<[f64; 2]> = lines
        .0
        .iter()
        .flat_map(|l| l.0.iter().map(|c| [c.x, c.y]))
        .collect();
    // Clear of the legend, scale bar and inset.
    let boxes: Vec<_> = [
        l.legend.as_ref().map(|g| g.area),
        l.scale_bar.as_ref().map(|s| s.area),
        l.inset,
    ]
    .into_iter()
    .flatten()
    .collect();
    let open = |px: [f32; 2]| {
        let a = borderlens::figure::layout::Area {
            x: px[0] - 8.0,
            y: px[1] - 8.0,
            w: 16.0,
            h: 16.0,
        };
        l.map.contains(&a) && !boxes.iter().any(|b| b.overlaps(&a))
    };
    // Near the village, within the stretch's 25 km: the strong stroke.
    let near: Vec<[f64; 2]> = points
        .iter()
        .copied()
        .filter(|&p| km(p, TEGH) < 12.0)
        .collect();
    assert!(!near.is_empty());
    for p in &near {
        let px = figure_px(&map, &figure, *p);
        let strong = around(&img, px, 3)
            .into_iter()
            .filter(|&q| is_strong(q))
            .count();
        assert!(
            strong > 0,
            "no strong stroke {:.1} km from Tegh at {p:?}",
            km(*p, TEGH)
        );
    }
    // 70 to 110 km away, the same border is there, but faint: no strong pixel, and pinker
    // than the map beside it.
    let far: Vec<[f64; 2]> = points
        .iter()
        .copied()
        .filter(|&p| (70.0..110.0).contains(&km(p, TEGH)))
        .filter(|&p| open(figure_px(&map, &figure, p)))
        .collect();
    assert!(
        far.len() >= 3,
        "too few border points 70-110 km away in view"
    );
    for p in &far {
        let px = figure_px(&map, &figure, *p);
        let win = around(&img, px, 4);
        let strong: Vec<_> = win.iter().filter(|&&q| is_strong(q)).collect();
        assert!(
            strong.is_empty(),
            "strong stroke {:.0} km from Tegh at {p:?}: {:?}",
            km(*p, TEGH),
            strong
        );
    }
    // The faint rest is drawn there: without it those pixels are less pink (more green).
    let (_, _, bare) = article_figure(TEGH_ARTICLE, true);
    let faint = far
        .iter()
        .filter(|&&p| {
            let px = figure_px(&map, &figure, p);
            around(&img, px, 2)
                .iter()
                .zip(around(&bare, px, 2))
                .any(|(q, b)| b[1] as i32 - q[1] as i32 > 12)
        })
        .count();
    assert!(
        faint * 4 >= far.len() * 3,
        "the faint rest shows at {faint} of {} points",
        far.len()
    );
}

#[test]
fn annotate_writes_the_stretch_as_its_own_feature_with_its_places() {
    let dir = crate::common::scratch("annotate-stretch");
    let article = dir.join("tegh.txt");
    std::fs::write(&article, TEGH_ARTICLE).unwrap();
    let out = dir.join("tegh.geojson");
    let status = crate::common::borderlens()
        .args(["annotate", "-o"])
        .arg(&out)
        .arg(&article)
        .status()
        .unwrap();
    assert!(status.success());
    let fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let features = fc["features"].as_array().unwrap();
    let part = |p: &str| {
        features
            .iter()
            .find(|f| f["properties"]["part"] == p)
            .unwrap_or_else(|| panic!("no {p} feature"))
    };
    let stretch = part("stretch");
    assert_eq!(stretch["properties"]["border"], "ARM-AZE");
    assert_eq!(stretch["properties"]["near"], serde_json::json!([174743]));
    assert_eq!(stretch["geometry"]["type"], "MultiLineString");
    // Every vertex of the stretch lies within its 25 km of Tegh (the cut points on the circle).
    for line in stretch["geometry"]["coordinates"].as_array().unwrap() {
        for c in line.as_array().unwrap() {
            let p = [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()];
            assert!(km(p, TEGH) <= 25.01, "{p:?} is {} km away", km(p, TEGH));
        }
    }
    let rest = part("rest");
    assert_eq!(rest["properties"]["border"], "ARM-AZE");
    // Fainter and thinner than the stretch.
    for key in ["stroke-opacity", "stroke-width"] {
        let (r, s) = (&rest["properties"][key], &stretch["properties"][key]);
        assert!(
            r.as_f64().unwrap() < s.as_f64().unwrap(),
            "{key}: {r} vs {s}"
        );
    }
    // The village is a point feature with its GeoNames id.
    let village = features
        .iter()
        .find(|f| f["properties"]["geonames"] == 174743)
        .expect("Tegh as a feature");
    assert_eq!(village["geometry"]["type"], "Point");
    assert_eq!(village["properties"]["name"], "Tegh");
}

/// Two more articles of our own whose figures OCR once could not read: one fitted to the
/// whole region (every country mentioned), one about a crossing on a map of almost one colour.
const REGION_ARTICLE: &str = "Six neighbours meet on trade routes across the South Caucasus
2025-10-21
borderlens test

Foreign ministers of Armenia, Azerbaijan, Georgia, Iran, Russia and Turkey met in Istanbul on \
Tuesday to discuss railways and roads across the region. Officials said the Armenia-Azerbaijan \
border and the Iran-Azerbaijan border would both need new crossings.
";

const UPPER_LARS_ARTICLE: &str = "Queues return at the Upper Lars crossing
2025-01-14
borderlens test

Hundreds of trucks waited on Tuesday at the Upper Lars crossing on the Georgia-Russia border \
after snow closed the road for two days, Georgian officials said. Drivers in Kazbegi said they \
had been stuck since Sunday.
";

#[test]
fn figures_of_articles_read_back_by_ocr() {
    let dir = crate::common::scratch("ocr-articles");
    for (name, text, wants) in [
        (
            "tegh",
            TEGH_ARTICLE,
            &["Gunfire near Tegh keeps", "Azerbaijan border near Tegh"][..],
        ),
        (
            "region",
            REGION_ARTICLE,
            &[
                "Six neighbours meet on trade routes",
                "Armenia-Azerbaijan border",
            ][..],
        ),
        (
            "upper-lars",
            UPPER_LARS_ARTICLE,
            &[
                "Queues return at the Upper Lars crossing",
                "Russia border near Upper Lars",
            ][..],
        ),
    ] {
        let article = dir.join(format!("{name}.txt"));
        std::fs::write(&article, text).unwrap();
        let png = dir.join(format!("{name}.png"));
        let out = crate::common::borderlens()
            .arg("render")
            .arg(&article)
            .arg("-o")
            .arg(&png)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Plain tesseract, default options, as a newsroom or a search engine would run it.
        let ocr = std::process::Command::new("tesseract")
            .arg(&png)
            .arg("-")
            .output()
            .expect("tesseract (apt-get install tesseract-ocr tesseract-ocr-eng)");
        let text = String::from_utf8_lossy(&ocr.stdout);
        for want in wants.iter().chain(&["km", "Natural Earth", "GeoNames"]) {
            assert!(text.contains(want), "{name}: OCR lacks {want:?}:\n{text}");
        }
    }
}

#[test]
fn a_border_label_leaves_the_mentioned_places_clear() {
    use borderlens::figure::labels::figure_labels;
    use borderlens::figure::{plan, FigureOptions};
    use borderlens::map::overlay::{article_layer, article_view};
    // Kornidzor sits on a short, winding stretch: the label's middle spot would cover it.
    let text = "New checkpoint at Kornidzor
2025-03-02
borderlens test

Armenian border guards opened a new post at Kornidzor, a village on the border with \\
Azerbaijan, on Sunday. Drivers from Goris said the road through Kornidzor was quiet.
";
    let mut map = Map::new(Projection::default(), true);
    let layer = article_layer(borderlens::article::Article::parse(text), &map.projection);
    let bounds = article_view(&layer).unwrap();
    map.add_overlay(layer);
    let visible = vec![true; map.layers.len()];
    let figure = plan(
        &map,
        bounds,
        [1600, 1000],
        &visible,
        &FigureOptions::default(),
    );
    let (labels, along) = figure_labels(&map, &figure, &visible);
    let layer = map.layers.iter().find(|l| l.article.is_some()).unwrap();
    let markers: Vec<[f64; 2]> = layer
        .projected
        .iter()
        .flatten()
        .filter_map(|g| match g {
            geo::Geometry::Point(p) => Some(figure.camera.world_to_screen([p.x(), p.y()])),
            _ => None,
        })
        .collect();
    assert!(markers.len() >= 2, "Kornidzor and Goris marked");
    let border = along
        .iter()
        .find(|a| a.text.contains("border"))
        .expect("the border is labelled");
    // The label's box (turned with it) stays a marker's radius and a half line off each marker.
    let half = border.text.chars().count() as f32 * 0.53 * border.size / 2.0;
    let (s, c) = border.angle.sin_cos();
    for m in &markers {
        let d = [
            m[0] as f32 - border.center[0],
            m[1] as f32 - border.center[1],
        ];
        let (along_d, across_d) = (d[0] * c + d[1] * s, -d[0] * s + d[1] * c);
        assert!(
            along_d.abs() > half + 4.0 || across_d.abs() > border.size * 0.6 + 4.0,
            "{border:?} covers the marker at {m:?}"
        );
    }
    // Nor does it run over the places' own labels.
    let place_labels: Vec<_> = labels
        .iter()
        .filter(|l| l.kind == borderlens::map::labels::LabelKind::Overlay)
        .collect();
    assert!(!place_labels.is_empty());
    for l in place_labels {
        for k in -4..=4 {
            let t = k as f32 / 4.0 * half;
            let p = [border.center[0] + c * t, border.center[1] + s * t];
            let r = l.rect;
            assert!(
                !(p[0] >= r[0] && p[0] <= r[2] && p[1] >= r[1] && p[1] <= r[3]),
                "{border:?} runs over {l:?}"
            );
        }
    }
}
