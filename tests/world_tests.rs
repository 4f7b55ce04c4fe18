//! Any GeoJSON from anywhere on Earth: projections against PROJ, the antimeridian, the poles,
//! world files and the world around the region.

use borderlens::map::project::{Projection, ProjectionKind};

/// Reference values made by PROJ (tests/fixtures/projections/make.py).
const REFERENCE: &str = include_str!("fixtures/projections/reference.csv");

fn projection_named(name: &str) -> Projection {
    match name {
        "lcc" => Projection::new(ProjectionKind::Lcc),
        "mercator" => Projection::new(ProjectionKind::Mercator),
        "equal-earth" => Projection::new(ProjectionKind::EqualEarth),
        "equal-earth-180" => Projection::centred_on(ProjectionKind::EqualEarth, 180.0),
        other => panic!("unknown projection {other} in the fixture"),
    }
}

#[test]
fn projections_match_proj_and_invert() {
    let mut checked = 0;
    for line in REFERENCE.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let p = projection_named(f[0]);
        let v: Vec<f64> = f[1..].iter().map(|s| s.parse().unwrap()).collect();
        let (lon, lat, x, y) = (v[0], v[1], v[2], v[3]);
        let (px, py) = p
            .project(lon, lat)
            .unwrap_or_else(|| panic!("{line}: not projected"));
        // One metre.
        assert!(
            (px - x).abs() < 1e-3 && (py - y).abs() < 1e-3,
            "{line}: got {px:.6},{py:.6}"
        );
        let (ulon, ulat) = p.unproject(px, py).unwrap();
        let dlon = (ulon - lon + 540.0).rem_euclid(360.0) - 180.0;
        assert!(
            dlon.abs() < 1e-7 && (ulat - lat).abs() < 1e-7,
            "{line}: back to {ulon},{ulat}"
        );
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} reference points");
}

use borderlens::map::camera::Camera;
use borderlens::map::Map;
use image::RgbaImage;

use crate::common::{borderlens, gpu_lock, scratch};

const WORLD_110M: &str = include_str!("fixtures/world-110m.geojson");
const SIZE: [u32; 2] = [1000, 600];

/// The world file with every feature filled red and no outline.
pub(crate) fn red_world(dir: &std::path::Path) -> std::path::PathBuf {
    let red = WORLD_110M.replace(
        r#""properties":{"#,
        r##""properties":{"fill":"#ff0000","fill-opacity":1,"stroke-opacity":0,"##,
    );
    let p = dir.join("world-red.geojson");
    std::fs::write(&p, red).unwrap();
    p
}

fn render(args: &[&str], files: &[&std::path::Path], out: &std::path::Path) -> RgbaImage {
    let _g = gpu_lock();
    let o = borderlens()
        .arg("render")
        .args(files)
        .args(args)
        .args([
            "--size",
            &format!("{}x{}", SIZE[0], SIZE[1]),
            "--no-labels",
            "-o",
        ])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    image::open(out).unwrap().to_rgba8()
}

fn is_red(img: &RgbaImage, x: u32, y: u32) -> bool {
    let p = img.get_pixel(x, y).0;
    p[0] > 200 && p[1] < 60 && p[2] < 60
}

/// The pixel where `render --bbox BBOX --projection KIND` puts lon/lat (the same fit as `render`).
fn pixel_of(kind: ProjectionKind, bbox: [f64; 4], lon: f64, lat: f64) -> (u32, u32) {
    let map = Map::new(Projection::new(kind), false);
    let camera = Camera::fitting(map.lonlat_box(bbox).unwrap(), SIZE, 1.0, 0.0);
    let (x, y) = map.projection.project(lon, lat).unwrap();
    let [sx, sy] = camera.world_to_screen([x, y]);
    assert!(
        sx >= 0.0 && sy >= 0.0 && sx < SIZE[0] as f64 && sy < SIZE[1] as f64,
        "{lon},{lat} off the image"
    );
    (sx as u32, sy as u32)
}

#[test]
fn a_world_file_fitted_shows_the_world_in_a_world_projection() {
    let dir = scratch("world-fit");
    let world = red_world(&dir);
    let img = render(&["--fit"], &[&world], &dir.join("fit.png"));
    let red = img
        .enumerate_pixels()
        .filter(|(x, y, _)| is_red(&img, *x, *y))
        .count();
    let share = red as f64 / (SIZE[0] * SIZE[1]) as f64;
    assert!(
        (0.08..=0.70).contains(&share),
        "red covers {:.1} %",
        share * 100.0
    );
}

#[test]
fn the_world_in_web_mercator_has_no_streaks_and_its_continents_in_place() {
    let dir = scratch("world-mercator");
    let world = red_world(&dir);
    let bbox = [-180.0, -60.0, 180.0, 80.0];
    let img = render(
        &[
            "--bbox",
            "-180,-60,180,80",
            "--projection",
            "mercator",
            "--no-base",
        ],
        &[&world],
        &dir.join("mercator.png"),
    );
    for y in 0..SIZE[1] {
        let red = (0..SIZE[0]).filter(|&x| is_red(&img, x, y)).count();
        assert!(
            red < SIZE[0] as usize * 9 / 10,
            "row {y} is red across {red} px: a streak"
        );
    }
    let probe = |lon, lat| {
        let (x, y) = pixel_of(ProjectionKind::Mercator, bbox, lon, lat);
        is_red(&img, x, y)
    };
    for (name, lon, lat) in [
        ("North America", -100.0, 45.0),
        ("South America", -60.0, -10.0),
        ("Australia", 134.0, -25.0),
        ("Russia's Chukotka", 172.0, 66.0),
        ("Russia's west", 40.0, 56.0),
    ] {
        assert!(probe(lon, lat), "{name} is not drawn");
    }
    for (name, lon, lat) in [("the Pacific", -140.0, 0.0), ("the Atlantic", -30.0, 20.0)] {
        assert!(!probe(lon, lat), "{name} is red");
    }
}

#[test]
fn the_region_in_web_mercator_keeps_its_seas() {
    let dir = scratch("world-region");
    let world = red_world(&dir);
    let bbox = [36.0, 36.0, 52.0, 46.0];
    let img = render(
        &["--bbox", "36,36,52,46", "--projection", "mercator"],
        &[&world],
        &dir.join("region.png"),
    );
    let probe = |lon, lat| {
        let (x, y) = pixel_of(ProjectionKind::Mercator, bbox, lon, lat);
        is_red(&img, x, y)
    };
    assert!(!probe(39.0, 42.8), "the Black Sea is red");
    assert!(!probe(51.0, 41.0), "the Caspian is red");
    assert!(probe(44.9, 40.3), "Armenia is not red");
    assert!(probe(47.0, 37.0), "Iran is not red");
}

/// A red square 3° across written across 180° in two ways: a jump from 178.5 to -178.5, and
/// longitudes up to 181.5.
#[test]
fn a_square_across_the_antimeridian_is_a_small_square_near_fiji() {
    let dir = scratch("world-antimeridian");
    for (name, ring) in [
        (
            "jump",
            "[[178.5,-18],[-178.5,-18],[-178.5,-15],[178.5,-15],[178.5,-18]]",
        ),
        (
            "beyond",
            "[[178.5,-18],[181.5,-18],[181.5,-15],[178.5,-15],[178.5,-18]]",
        ),
    ] {
        let p = dir.join(format!("{name}.geojson"));
        std::fs::write(&p, format!(r##"{{"type":"Feature","properties":{{"fill":"#ff0000","fill-opacity":1,"stroke-opacity":0}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}"##)).unwrap();
        let img = render(
            &["--fit", "--no-base"],
            &[&p],
            &dir.join(format!("{name}.png")),
        );
        let red: Vec<(u32, u32)> = img
            .enumerate_pixels()
            .filter(|(x, y, _)| is_red(&img, *x, *y))
            .map(|(x, y, _)| (x, y))
            .collect();
        // `info` reports the box across the antimeridian (RFC 7946 §5.2: west > east).
        let o = borderlens().arg("info").arg(&p).output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("bbox (W,S,E,N): 178.50000,-18.00000,-178.50000,-15.00000"),
            "{name}: {out}"
        );
        assert!(red.len() > 10_000, "{name}: {} red px", red.len());
        let (x0, x1) = (
            red.iter().map(|p| p.0).min().unwrap(),
            red.iter().map(|p| p.0).max().unwrap(),
        );
        let (y0, y1) = (
            red.iter().map(|p| p.1).min().unwrap(),
            red.iter().map(|p| p.1).max().unwrap(),
        );
        let (w, h) = ((x1 - x0 + 1) as f64, (y1 - y0 + 1) as f64);
        // One compact square: its box is about as wide as high and nearly all red.
        assert!((0.8..1.25).contains(&(w / h)), "{name}: {w}x{h}");
        assert!(
            red.len() as f64 > 0.95 * w * h,
            "{name}: {} of {w}x{h}",
            red.len()
        );
    }
}

#[test]
fn a_feature_keeps_its_parts_inside_the_projections_domain() {
    let dir = scratch("world-poles");
    let p = dir.join("poles.geojson");
    std::fs::write(&p, r##"{"type":"Feature","properties":{"marker-color":"#ff0000","marker-size":"large"},"geometry":{"type":"MultiPoint","coordinates":[[0,90],[0,-90],[44.9,40.3]]}}"##).unwrap();
    let img = render(&["--hide", "places"], &[&p], &dir.join("poles.png"));
    let map = Map::new(Projection::new(ProjectionKind::Lcc), false);
    let camera = Camera::fitting(map.home_bounds(), SIZE, 1.0, 0.0);
    let (x, y) = map.projection.project(44.9, 40.3).unwrap();
    let [sx, sy] = camera.world_to_screen([x, y]);
    assert!(
        is_red(&img, sx as u32, sy as u32),
        "the point in Armenia is not drawn"
    );
}

#[test]
fn the_base_map_shows_land_and_sea_around_the_region() {
    let dir = scratch("world-base");
    let bbox = [0.0, 25.0, 70.0, 60.0];
    let img = render(
        &["--bbox", "0,25,70,60", "--projection", "mercator"],
        &[],
        &dir.join("base.png"),
    );
    let water = borderlens::map::style::palette::WATER;
    let is_water = |lon, lat| {
        let (x, y) = pixel_of(ProjectionKind::Mercator, bbox, lon, lat);
        let p = img.get_pixel(x, y).0;
        [p[0], p[1], p[2]] == [water.0, water.1, water.2]
    };
    assert!(!is_water(10.0, 51.0), "Germany is sea");
    assert!(!is_water(30.0, 26.0), "Egypt is sea");
    assert!(is_water(18.0, 34.0), "the Mediterranean is land");
    assert!(is_water(-0.0 + 5.0, 55.5), "the North Sea is land");
}
