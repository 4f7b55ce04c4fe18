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
use borderlens::mesh::order::Order;
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
    // Streamed, overlapping features stack in file order (where the whole mesh's spatial
    // chunks would stack them otherwise): the whole mesh to match is made in that order.
    let mut whole = project();
    whole.mesh =
        borderlens::mesh::tessellate::tessellate_in_file_order(&whole.tess_inputs(), tolerance);
    let streamed = project();
    let inputs = streamed.tess_inputs();
    let batches = borderlens::mesh::tessellate::batches(&inputs, 10_000).len();
    assert!(batches > 3, "{batches} batches");
    drop(inputs);
    let mut images = Vec::new();
    let mut hidden = 0;
    // The whole mesh; streamed back to front; streamed front to back without what is hidden.
    let orders = [
        (whole, false, false),
        (streamed, true, false),
        (project(), true, true),
    ];
    for (layer, stream, front_to_back) in orders {
        let mut map = Map::new(Projection::default(), true);
        map.add_overlay(layer);
        let _gpu = gpu_lock();
        let mut h = Headless::new(&map).unwrap();
        h.stream_vertices = 10_000;
        h.order = if front_to_back {
            Order::FrontToBack
        } else {
            Order::BackToFront
        };
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
            if front_to_back {
                hidden = h.streamed.hidden;
                assert!(h.streamed.triangles > 0);
            }
            first
        } else {
            h.render_labelled(&map, &camera).unwrap()
        };
        images.push(image);
    }
    let (a, b, c) = (&images[0], &images[1], &images[2]);
    assert!(
        a.pixels().filter(|p| p[0] != a.get_pixel(0, 0)[0]).count() > 1000,
        "something drawn"
    );
    assert_eq!(
        differing(a, b, 0, |_, _| true),
        0,
        "streaming changed the picture"
    );
    // Front to back, blending rounds otherwise (a level or two), and the hidden triangles are
    // not drawn at all.
    let rounded = differing(a, c, 2, |_, _| true);
    let off = differing(a, c, 4, |_, _| true);
    assert_eq!(
        off, 0,
        "front to back changed the picture ({rounded} pixels by over 2)"
    );
    assert!(
        rounded * 1000 < (a.width() * a.height()) as usize,
        "{rounded} pixels differ by over 2"
    );
    assert!(hidden > 1000, "{hidden} triangles hidden");
}

#[test]
fn a_zoomed_render_streams_only_the_features_it_shows() {
    // A streamed layer is taken in runs of the file's order, whose boxes span the layer: a
    // zoomed picture must still tessellate and draw only the features that reach it.
    let text = synth_geojson(3_000_000, 5);
    let file = parse_str(&text, "synth.geojson").unwrap();
    let layer = MapLayer::project("synth", LayerKind::Overlay, file, &Projection::default());
    let bounds = layer.bounds.unwrap();
    let mut map = Map::new(Projection::default(), false);
    map.add_overlay(layer);
    let _gpu = gpu_lock();
    let mut h = Headless::new(&map).unwrap();
    h.order = Order::BackToFront;
    let full = Camera::fitting(bounds, [400, 300], 1.0, 0.0);
    let mut zoomed = full;
    zoomed.scale *= 8.0;
    let mut triangles = Vec::new();
    for camera in [full, zoomed] {
        let tolerance = borderlens::map::layer::MAX_ERROR_PX / camera.scale;
        h.render_streaming(&mut map, &camera, false, tolerance)
            .unwrap();
        triangles.push(h.streamed.triangles);
    }
    // An 8× zoom shows a 64th of the layer's area; its features' triangles are finer too.
    assert!(
        triangles[1] * 8 < triangles[0],
        "zoomed 8×, {} triangles against {} at the full extent",
        triangles[1],
        triangles[0]
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
    cache_frame_reusing(h, cache, camera, budget, false)
}

/// [`cache_frame`], showing part of the cached image where the view is one (`reuse`).
fn cache_frame_reusing(
    h: &mut Headless,
    cache: &mut borderlens::gpu::cache::MapCache,
    camera: Camera,
    budget: Option<u64>,
    reuse: bool,
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
        (false, reuse),
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
fn a_pan_by_whole_pixels_within_the_margin_shows_part_of_the_image_exact() {
    use borderlens::gpu::cache::{MapCache, MapSource};
    use borderlens::gpu::offscreen::FORMAT;
    let map = Map::new(Projection::default(), true);
    let _gpu = gpu_lock();
    let mut h = Headless::new(&map).unwrap();
    let size = [400, 300];
    let home = Camera::fitting(map.lonlat_box(SOUTH_CAUCASUS_BBOX).unwrap(), size, 1.0, 0.0);
    // A light map (the base map) is drawn again for a pan: its margin would cost more pixels.
    let mut light = MapCache::new(&h.gpu.device, FORMAT);
    let mut near = home;
    near.pan_pixels(-20.0, 15.0);
    assert_eq!(
        cache_frame_reusing(&mut h, &mut light, home, None, true).0,
        MapSource::Drawn
    );
    assert_eq!(
        cache_frame_reusing(&mut h, &mut light, near, None, true).0,
        MapSource::Drawn
    );
    // Taken for heavy (as a map of more than a million triangles is).
    let mut cache = MapCache::new(&h.gpu.device, FORMAT);
    cache.margin_above = 0;
    let mut frame = |camera: Camera| cache_frame_reusing(&mut h, &mut cache, camera, None, true);
    assert_eq!(frame(home).0, MapSource::Drawn);
    // The margin is a sixteenth of the view: 25 by 19 px each side here.
    let (source, shown) = frame(near);
    assert_eq!(source, MapSource::Cached, "nothing drawn");
    let mut beyond = home;
    beyond.pan_pixels(30.0, 0.0);
    let mut half = home;
    half.pan_pixels(10.5, 0.0);
    let (beyond_source, _) = frame(beyond);
    let (half_source, _) = frame(half);
    let exact = h.render(&near).unwrap();
    // Pixel for pixel, within a unit of rounding: the image is drawn with a margin, so its clip
    // transform rounds a few edge pixels the other way (at most 1/255; 37 pixels here).
    assert_eq!(
        differing(&shown, &exact, 1, |_, _| true),
        0,
        "pixel for pixel"
    );
    // Past the margin, or half a pixel off: drawn again.
    assert_eq!(beyond_source, MapSource::Drawn);
    assert_eq!(half_source, MapSource::Drawn);
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
