//! The world in the window (under Xvfb, real key and pointer events): `F` on a world file
//! switches to a world projection and shows the continents; zoom-out stops at the world; the
//! conic goes over to the world when zoomed out past its extent; hovering the Black Sea never
//! finds Antarctica; the status bar's projection menu.

use borderlens::map::project::{Projection, ProjectionKind};
use serde_json::Value;

use crate::common::window::*;
use crate::common::{gpu_lock, scratch};
use crate::world_tests::red_world;

/// The projection the frame was drawn in.
fn projection_of(s: &Value) -> Projection {
    let kind = match s["projection"].as_str().unwrap() {
        "lcc" => ProjectionKind::Lcc,
        "mercator" => ProjectionKind::Mercator,
        "equal-earth" => ProjectionKind::EqualEarth,
        other => panic!("unknown projection {other}"),
    };
    Projection::centred_on(kind, s["central"].as_f64().unwrap())
}

fn to_screen(s: &Value, lon: f64, lat: f64) -> [f64; 2] {
    let (x, y) = projection_of(s).project(lon, lat).unwrap();
    cam(s).to_screen([x, y])
}

fn red_at(img: &image::RgbaImage, p: [f64; 2]) -> bool {
    px(img, p[0] as i64, p[1] as i64).is_some_and(|c| c[0] > 180 && c[1] < 90 && c[2] < 90)
}

fn settled(s: &Value) -> bool {
    !s["moving"].as_bool().unwrap()
        && !s["switching"].as_bool().unwrap()
        && !s["refining"].as_bool().unwrap()
        && s["loading"].as_u64() == Some(0)
}

/// The whole world's width and height on screen against the map's free area.
fn world_on_screen(s: &Value) -> ([f64; 2], [f64; 2]) {
    let p = projection_of(s);
    let c = p.central;
    let w = to_screen(s, c + 179.9, 0.0)[0] - to_screen(s, c - 179.9, 0.0)[0];
    let h = to_screen(s, c, -89.9)[1] - to_screen(s, c, 89.9)[1];
    let r = map_rect(s, 0);
    ([w, h], [(r[2] - r[0]) as f64, (r[3] - r[1]) as f64])
}

#[test]
fn window_world_file_fits_the_world_and_zoom_out_stops_there() {
    let _gpu = gpu_lock();
    let dir = scratch("window_world");
    let world = red_world(&dir);
    let v = Viewer::start_with("window_world_run", &[&world], [1000, 650], &[]);
    let park = [990.0, 5.0];
    v.move_to(park);
    let (s0, _) = v.wait_for(0, "the world file loaded", |s| {
        layer(s, "world-red.geojson").is_some() && settled(s)
    });
    assert_eq!(s0["projection"], "lcc");

    // The Black Sea in the conic: sea, never Antarctica (cut away by the conic's domain).
    let sea = to_screen(&s0, 38.3, 43.0);
    let (s1, img1) = v.park(frame(&s0), sea);
    assert!(
        !s1["hovered"].as_str().unwrap_or("").contains("Antarctica"),
        "{}",
        s1["hovered"]
    );
    assert!(!red_at(&img1, sea), "the Black Sea is drawn as land");

    // F: the world, in a world projection, with its continents where they belong.
    v.move_to(park);
    v.key("f");
    let (s2, img2) = v.wait_for(frame(&s1), "the world fitted", |s| {
        s["projection"] == "equal-earth" && settled(s)
    });
    for (name, lon, lat) in [
        ("North America", -100.0, 45.0),
        ("South America", -60.0, -10.0),
        ("Africa", 20.0, 5.0),
        ("Australia", 134.0, -25.0),
        ("Asia", 90.0, 55.0),
    ] {
        let p = to_screen(&s2, lon, lat);
        assert!(red_at(&img2, p), "{name} at {p:?} is not red");
    }
    for (name, lon, lat) in [("Pacific", -150.0, 0.0), ("Atlantic", -30.0, 20.0)] {
        let p = to_screen(&s2, lon, lat);
        assert!(
            px(&img2, p[0] as i64, p[1] as i64).is_some() && !red_at(&img2, p),
            "the {name} at {p:?} is red"
        );
    }
    let ([w, h], [mw, mh]) = world_on_screen(&s2);
    assert!(w <= mw + 2.0 && h <= mh + 2.0, "{w}x{h} in {mw}x{mh}");
    assert!(w >= 0.6 * mw || h >= 0.6 * mh, "{w}x{h} in {mw}x{mh}");

    // Hovering the Black Sea in the world view: not Antarctica either.
    let sea = to_screen(&s2, 34.0, 43.2);
    let (s3, _) = v.park(frame(&s2), sea);
    assert!(
        !s3["hovered"].as_str().unwrap_or("").contains("Antarctica"),
        "{}",
        s3["hovered"]
    );

    // Zooming out stops when the world fits.
    v.move_to(park);
    let mut last = frame(&s3);
    for _ in 0..6 {
        v.key("minus");
        last = frame(&v.wait_for(last, "a frame after the key", |_| true).0);
    }
    let (s4, _) = v.wait_for(last, "the zoom-out at rest", settled);
    let ([w, h], [mw, mh]) = world_on_screen(&s4);
    assert!(
        (w >= 0.95 * mw || h >= 0.95 * mh) && w <= mw + 2.0 && h <= mh + 2.0,
        "zoomed out to {w}x{h} in {mw}x{mh}"
    );
}

#[test]
fn window_fits_a_heavy_world_file_that_keeps_no_lonlat() {
    // Over the hold (1000 vertices here, a million by default), a file keeps its coordinates
    // once, projected: `F` fits it from the extent kept beside it, and the switch to the
    // world projection reads the file again.
    let _gpu = gpu_lock();
    let dir = scratch("window_world_heavy");
    let world = red_world(&dir);
    let v = Viewer::start_env(
        "window_world_heavy_run",
        &[&world],
        [1000, 650],
        &["--no-demo"],
        &[("BORDERLENS_HOLD_VERTICES", std::path::Path::new("1000"))],
    );
    let park = [990.0, 5.0];
    v.move_to(park);
    let (s0, _) = v.wait_for(0, "the world file loaded", |s| {
        layer(s, "world-red.geojson").is_some() && settled(s)
    });
    assert_eq!(s0["projection"], "lcc");
    assert_eq!(layer(&s0, "world-red.geojson").unwrap()["lonlat"], false);
    v.key("f");
    let (s1, img) = v.wait_for(frame(&s0), "the world fitted", |s| {
        s["projection"] == "equal-earth" && settled(s)
    });
    for (name, lon, lat) in [("South America", -60.0, -10.0), ("Australia", 134.0, -25.0)] {
        let p = to_screen(&s1, lon, lat);
        assert!(red_at(&img, p), "{name} at {p:?} is not red");
    }
    let ([w, h], [mw, mh]) = world_on_screen(&s1);
    assert!(w <= mw + 2.0 && h <= mh + 2.0, "{w}x{h} in {mw}x{mh}");
    assert!(w >= 0.6 * mw || h >= 0.6 * mh, "{w}x{h} in {mw}x{mh}");
}

#[test]
fn window_projection_menu_and_zooming_out_of_the_conic() {
    let _gpu = gpu_lock();
    let v = Viewer::start_with("window_projection_run", &[], [1000, 650], &["--no-demo"]);
    let park = [990.0, 5.0];
    v.move_to(park);
    let (s0, _) = v.wait_for(0, "the base map", settled);
    assert_eq!(s0["projection"], "lcc");

    // The menu: Web Mercator, with the same place in the middle of the map.
    let before = screen_to_lonlat(&cam(&s0), [500.0, 300.0]);
    let s1 = choose_projection(&v, &s0, "Web Mercator");
    v.move_to(park);
    let (s2, _) = v.wait_for(frame(&s1), "the view in Web Mercator", |s| {
        s["projection"] == "mercator" && settled(s)
    });
    let c = cam(&s2);
    let w = c.to_world([500.0, 300.0]);
    let (lon, lat) = projection_of(&s2).unproject(w[0], w[1]).unwrap();
    assert!(
        haversine_km(before, [lon, lat]) < 30.0,
        "{before:?} became {lon},{lat}"
    );

    // Back to the conic, then zoom out: past the conic's extent the view goes to the world.
    let s3 = choose_projection(&v, &s2, "Caucasus conic");
    v.move_to(park);
    let (s4, _) = v.wait_for(frame(&s3), "the conic again", |s| {
        s["projection"] == "lcc" && settled(s)
    });
    let mut last = frame(&s4);
    let mut switched = false;
    for _ in 0..20 {
        v.key("minus");
        let (s, _) = v.wait_for(last, "a frame after the key", |_| true);
        last = frame(&s);
        if s["projection"] == "equal-earth" || s["switching"].as_bool().unwrap() {
            switched = true;
            break;
        }
    }
    assert!(switched, "zooming out never left the conic");
    let (s5, img5) = v.wait_for(last, "the world view", |s| {
        s["projection"] == "equal-earth" && settled(s)
    });
    img5.save("/tmp/auto-world.png").unwrap();
    // The world around the region, with no cut edge: land west of the old box (Europe) and
    // east of it (Kazakhstan) is drawn as land, not as the sea.
    let europe = to_screen(&s5, 20.0, 48.0);
    let china = to_screen(&s5, 68.0, 48.0);
    let (e, ch) = (
        px(&img5, europe[0] as i64, europe[1] as i64).unwrap(),
        px(&img5, china[0] as i64, china[1] as i64).unwrap(),
    );
    let sea = to_screen(&s5, 18.0, 34.0);
    let sea = px(&img5, sea[0] as i64, sea[1] as i64).unwrap();
    assert!(
        diff(e, sea) > 30 && diff(ch, sea) > 30,
        "land {e:?} {ch:?} sea {sea:?}"
    );
}
