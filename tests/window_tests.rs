//! The viewer end to end: a real window under Xvfb on the software Vulkan driver, driven by real
//! input events (xdotool). The viewer writes each presented frame and its camera
//! (`BORDERLENS_FRAME_DUMP`); the checks compare pixels between frames and the camera's state.
//!
//! Needs `Xvfb`, `xdotool` and `mesa-vulkan-drivers` (tests/run.sh installs them).

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::window::*;
use crate::common::{gpu_lock, scratch};

#[test]
fn window_drag_wheel_and_home() {
    let _gpu = gpu_lock();
    let dir = scratch("window_nav");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_nav_run", &[&file]);
    // Park the pointer over the layers panel: no hover, no tooltip over the map.
    let park = [100.0, 500.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (first, img0) = v.park(0, park);
    let c0 = cam(&first);
    // Off the middle, where the area's label is.
    let area = lonlat_to_screen(&c0, 44.25, 40.25);
    let p = px(&img0, area[0] as i64, area[1] as i64).unwrap();
    assert!(
        p[0] > 150 && p[1] < 80 && p[2] < 80,
        "the red overlay is drawn: {p:?} at {area:?}"
    );

    // Drag by (dx, dy), resting before the release so there is no fling.
    let (dx, dy) = (-83.0, 47.0);
    let start = lonlat_to_screen(&c0, 45.0, 40.0);
    v.move_to(start);
    v.xdotool(&["mousedown", "1"]);
    v.move_to([start[0] + dx / 2.0, start[1] + dy / 2.0]);
    let end = [start[0] + dx, start[1] + dy];
    v.move_to(end);
    // Release only once the viewer has drawn the pointer at the end and it has rested there
    // longer than the fling's velocity window (by the viewer's own frame clock): no fling.
    let (at_end, _) = v.wait_for(frame(&first), "the drag's last frame", |s| {
        at_pointer(s, end)
    });
    v.wait_until_older(&at_end, Duration::from_millis(250));
    v.xdotool(&["mouseup", "1"]);
    let (s1, img1) = v.park_when(frame(&first), park, |s| cam(s).center != c0.center);
    let c1 = cam(&s1);
    let moved = c1.to_screen(c0.to_world(start));
    assert!(
        (moved[0] - (start[0] + dx)).abs() <= 2.0 && (moved[1] - (start[1] + dy)).abs() <= 2.0,
        "camera: the point under the pointer went from {start:?} to {moved:?}, expected a move of ({dx}, {dy})"
    );
    let region = map_rect(&s1, 100);
    let (shift, err) = find_shift(&img0, &img1, region, [dx as i64, dy as i64], 6);
    assert!(
        (shift[0] as f64 - dx).abs() <= 2.0 && (shift[1] as f64 - dy).abs() <= 2.0 && err < 12.0,
        "pixels moved by {shift:?} (mean diff {err:.1}), expected ({dx}, {dy})"
    );

    // Wheel at P: the geographic point under P stays under P.
    let p_zoom = lonlat_to_screen(&c1, 44.0, 41.0);
    let (before, img_b) = v.park(frame(&s1), p_zoom);
    let cb = cam(&before);
    v.xdotool(&["click", "4"]);
    let (after, img_a) = v.wait_for(frame(&before), "the zoomed view", |s| {
        !s["moving"].as_bool().unwrap() && cam(s).scale > cb.scale * 1.05
    });
    let ca = cam(&after);
    let w = cb.to_world(p_zoom);
    let q = ca.to_screen(w);
    assert!(
        (q[0] - p_zoom[0]).abs() <= 2.0 && (q[1] - p_zoom[1]).abs() <= 2.0,
        "camera: the point under the cursor moved from {p_zoom:?} to {q:?}"
    );
    let f = ca.scale / cb.scale;
    let (anchor, err) = find_zoom_anchor(&img_b, &img_a, p_zoom, f, 5);
    assert!(
        (anchor[0] - p_zoom[0].round()).abs() <= 2.0
            && (anchor[1] - p_zoom[1].round()).abs() <= 2.0
            && err < 25.0,
        "pixels: the zoom (x{f:.2}) kept {anchor:?} fixed (mean diff {err:.1}), expected {p_zoom:?}"
    );

    // Home restores the first view.
    v.hover(park);
    v.key("Home");
    let (home, img_h) = v.wait_for(frame(&after), "the home view", |s| {
        let c = cam(s);
        !s["moving"].as_bool().unwrap() && (c.scale - c0.scale).abs() < 1e-9
    });
    let ch = cam(&home);
    assert!(
        (ch.center[0] - c0.center[0]).abs() < 1e-6 && (ch.center[1] - c0.center[1]).abs() < 1e-6,
        "home centre {:?} != first {:?}",
        ch.center,
        c0.center
    );
    let (shift, err) = find_shift(&img0, &img_h, map_rect(&home, 60), [0, 0], 0);
    assert!(
        shift == [0, 0] && err < 3.0,
        "home view differs from the first: mean diff {err:.1}"
    );
}

#[test]
fn window_watched_overlay_reloads_and_survives_bad_json() {
    let _gpu = gpu_lock();
    let dir = scratch("window_reload");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_reload_run", &[&file]);
    v.move_to([100.0, 500.0]);
    v.wait_for(0, "the overlay on screen", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#d01010")
    });
    let (s0, img0) = v.park(0, [100.0, 500.0]);
    let c0 = cam(&s0);
    // Off the middle, where the area's label is.
    let at = lonlat_to_screen(&c0, 44.25, 40.25);
    let (x, y) = (at[0] as i64, at[1] as i64);
    let red = px(&img0, x, y).unwrap();
    assert!(red[0] > 150 && red[2] < 80, "red overlay: {red:?}");

    // Another fill: the pixels change within 2 s (from the write to the frame's presentation).
    let written = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    write_overlay(&file, "#1030e0");
    let (s1, img1) = v.wait_for(frame(&s0), "the reloaded overlay", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#1030e0") && s["refining"] == false
    });
    let took = Duration::from_millis(
        (s1["presented_ms"].as_u64().unwrap() as u128).saturating_sub(written) as u64,
    );
    let blue = px(&img1, x, y).unwrap();
    assert!(blue[2] > 150 && blue[0] < 80, "blue overlay: {blue:?}");
    assert!(took < Duration::from_secs(2), "the reload took {took:?}");
    let n_layers = s1["layers"].as_array().unwrap().len();

    // Invalid JSON: the old layer stays, and a toast names file, line and column.
    std::fs::write(
        &file,
        "{\"type\": \"FeatureCollection\",\n  \"features\": [ oops ]\n}",
    )
    .unwrap();
    let (s2, _) = v.wait_for(frame(&s1), "the error toast", |s| {
        s["toast_error"].as_bool() == Some(true)
    });
    let toast = s2["toast"].as_str().unwrap();
    assert!(
        toast.contains("area.geojson:2:"),
        "the toast names the file, line and column: {toast}"
    );
    assert_eq!(s2["layers"].as_array().unwrap().len(), n_layers);
    assert_eq!(overlay_state(&s2).unwrap()["fill"], "#1030e0");
    // The layer keeps a visible badge while its file is broken.
    let (s2, img2) = v.wait_for(frame(&s1), "the reload badge", |s| {
        control(s, "badge:area.geojson").is_some()
    });
    let b = control(&s2, "badge:area.geojson").unwrap();
    let badge = (b[0] as i64..b[2] as i64)
        .filter(|&x| {
            px(&img2, x, (b[1] + 2.0) as i64).is_some_and(|p| diff(p, [0x8a, 0x5a, 0x00]) < 20)
        })
        .count();
    assert!(badge >= 20, "{badge} badge-coloured pixels in {b:?}");
    let still = px(&img2, x, y).unwrap();
    assert!(
        diff(still, blue) < 10,
        "the previous layer stays: {still:?} vs {blue:?}"
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_hover_select_hide_and_save() {
    let _gpu = gpu_lock();
    let dir = scratch("window_ui");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_ui_run", &[&file]);
    let park = [100.0, 560.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (s0, img0) = v.park(0, park);
    let c0 = cam(&s0);
    // Off the middle, where the area's label is.
    let at = lonlat_to_screen(&c0, 44.25, 40.25);
    let (ax, ay) = (at[0] as i64, at[1] as i64);
    let plain = px(&img0, ax, ay).unwrap();
    // Hover: the overlay's feature is found, named and lit.
    let inside = lonlat_to_screen(&c0, 44.8, 40.8);
    v.move_to(inside);
    let (s1, img1) = v.wait_for(frame(&s0), "the hovered overlay", |s| {
        s["hovered"] == "area.geojson/Test area"
    });
    let hovered = px(&img1, ax, ay).unwrap();
    assert!(
        diff(hovered, plain) > 30,
        "the hover shows: {hovered:?} vs {plain:?}"
    );
    // Click selects; the selection stays lit with the pointer away from it. Esc clears.
    v.xdotool(&["click", "1"]);
    let (s2, _) = v.wait_for(frame(&s1), "the selection", |s| {
        s["selected"] == "area.geojson/Test area"
    });
    let (s2, img2) = v.park_when(frame(&s2), park, |s| s["hovered"].is_null());
    let selected = px(&img2, ax, ay).unwrap();
    assert!(
        diff(selected, plain) > 30,
        "the selection shows without the pointer: {selected:?} vs {plain:?}"
    );
    v.key("Escape");
    let (s3, _) = v.wait_for(frame(&s2), "the cleared selection", |s| {
        s["selected"].is_null()
    });

    // With the pointer parked off the map, the overlay is drawn as before the hover and the
    // selection: neither highlight is left in its pixels.
    let (s4, img4) = v.park(frame(&s3), park);
    assert!(s4["hovered"].is_null() && s4["selected"].is_null());
    assert_eq!(cam(&s4).center, c0.center);
    let red = px(&img4, ax, ay).unwrap();
    assert!(red[0] > 150 && red[2] < 80, "red overlay: {red:?}");
    assert!(
        diff(red, plain) < 10,
        "no highlight left: {red:?}, before the hover {plain:?}"
    );
    let r: Vec<f64> = s4["controls"]["visible:area.geojson"]
        .as_array()
        .expect("the overlay's checkbox in the layers panel")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // The box itself is at the left end of the checkbox's row.
    let check = [r[0] + 8.0, (r[1] + r[3]) / 2.0];
    v.hover(check);
    v.click();
    v.move_to(park);
    // A heavy map may be drawn over several frames while the last image stands in: wait for
    // the exact one.
    let (s5, img5) = v.wait_for(frame(&s4), "the hidden overlay", |s| {
        overlay_state(s).is_some_and(|l| l["visible"] == false) && s["refining"] == false
    });
    let gone = px(&img5, at[0] as i64, at[1] as i64).unwrap();
    assert!(diff(gone, red) > 100, "the overlay is hidden: {gone:?}");

    // F12 saves the view where --screenshot says, and a toast says so.
    v.key("F12");
    let (s6, _) = v.wait_for(frame(&s5), "the saved-view toast", |s| {
        s["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("Saved the view"))
    });
    let shot = image::open(v.dir.join("shot.png"))
        .expect("the saved view")
        .to_rgba8();
    // The map's area, without the panels.
    let r = map_rect(&s6, 0);
    assert_eq!(
        shot.dimensions(),
        ((r[2] - r[0]) as u32, (r[3] - r[1]) as u32)
    );

    // Ctrl+O without a desktop portal: a toast, and the window stays.
    v.key("ctrl+o");
    let (s7, _) = v.wait_for(frame(&s6), "the no-dialog toast", |s| {
        s["toast_error"] == true
            && s["toast"]
                .as_str()
                .is_some_and(|t| t.contains("file dialog"))
    });
    // A path field stands in for the dialog: typing a path and Enter opens it.
    let (s8, _) = v.wait_for(frame(&s7), "the path field", |s| {
        control(s, "open-path").is_some()
    });
    let second = dir.join("second.geojson");
    write_overlay(&second, "#20a020");
    v.xdotool(&["windowfocus", "--sync", &v.window]);
    v.xdotool(&["type", "--delay", "15", second.to_str().unwrap()]);
    v.xdotool(&["key", "Return"]);
    v.move_to([600.0, 300.0]);
    let (s9, _) = v.wait_for(frame(&s8), "the typed file loaded", |s| {
        layer(s, "second.geojson").is_some()
    });
    assert!(control(&s9, "open-path").is_none(), "the field closes");
}

#[test]
fn window_reload_under_stress_keeps_the_last_good_version() {
    let _gpu = gpu_lock();
    let dir = scratch("window_reload_stress");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_reload_stress_run", &[&file]);
    v.move_to([100.0, 500.0]);
    let (s0, _) = v.wait_for(0, "the overlay on screen", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#d01010")
    });
    let n_layers = s0["layers"].as_array().unwrap().len();

    // 100 rewrites in a row, in place (not atomic), the last one good and green.
    let colours = ["#2040c0", "#c0a000", "#10c020"];
    for i in 0..100 {
        write_overlay(&file, colours[i % 2]);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, &text).unwrap();
    }
    write_overlay(&file, colours[2]);
    let (s1, _) = v.wait_for(frame(&s0), "the last good rewrite", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == colours[2])
    });

    // Truncated mid-write: never drawn; the green version stays and an error says why.
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &good[..good.len() / 2]).unwrap();
    let (s2, _) = v.wait_for(frame(&s1), "the truncation's error", |s| {
        s["toast_error"].as_bool() == Some(true)
    });
    assert_eq!(overlay_state(&s2).unwrap()["fill"], colours[2]);
    assert_eq!(s2["layers"].as_array().unwrap().len(), n_layers);

    // Deleted: the reload fails and says so on the layer, which stays. Recreated good: it
    // recovers and the mark goes.
    std::fs::remove_file(&file).unwrap();
    let (s3, _) = v.wait_for(frame(&s2), "the deleted file's reload error", |s| {
        overlay_state(s).is_some_and(|l| {
            l["reload_error"]
                .as_str()
                .is_some_and(|e| e.contains("area.geojson") && e.contains("cannot read"))
        })
    });
    assert_eq!(overlay_state(&s3).unwrap()["fill"], colours[2]);
    write_overlay(&file, "#e000e0");
    let (s4, _) = v.wait_for(frame(&s3), "the recreated file", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#e000e0")
    });
    assert_eq!(s4["layers"].as_array().unwrap().len(), n_layers);
    assert!(overlay_state(&s4).unwrap()["reload_error"].is_null());
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_loading_alone_spends_a_tenth_of_its_time_on_frames() {
    // The spinner would redraw without pause while a file loads; on a software rasterizer
    // those frames take the cores the load needs. Without input, a tenth of the time in frames,
    // 5 a second at most and one in 2 s at least (`app::frame::spinner_pace`).
    let _gpu = gpu_lock();
    let dir = scratch("window_loading_pace");
    let file = dir.join("big.geojson");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    borderlens::map::synth::write_overlay(&mut out, 30_000_000, 5).unwrap();
    drop(out);
    // Its level kept (not streamed into an image), so that the window draws it itself. The
    // load waits 3 s first, so that a fast machine still loads for long enough to tell.
    let v = Viewer::start_env(
        "window_loading_pace_run",
        &[&file],
        SIZE,
        &[],
        &[
            (
                "BORDERLENS_HOLD_VERTICES",
                std::path::Path::new("100000000"),
            ),
            ("BORDERLENS_LOAD_DELAY_MS", std::path::Path::new("3000")),
        ],
    );
    let (first, _) = v.wait_for(0, "a frame while the file loads", |s| {
        s["loading"].as_u64() == Some(1)
    });
    let t = Instant::now();
    let mut last = first.clone();
    while t.elapsed() < Duration::from_millis(3000) {
        match v.state() {
            Some(s) if s["loading"].as_u64() == Some(1) => last = s,
            Some(_) => break,
            None => {}
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let frames = frame(&last) - frame(&first);
    let ms = last["presented_ms"].as_u64().unwrap() - first["presented_ms"].as_u64().unwrap();
    assert!(
        ms >= 600,
        "{frames} frames in {ms} ms: the spinner stopped, or the file loaded too fast to tell"
    );
    assert!(
        frames as f64 <= ms as f64 / 200.0 + 1.0,
        "{frames} frames in {ms} ms while loading"
    );
    // What a frame takes while the file loads (the first frame's is not known yet).
    let frame_ms = last["last_frame_ms"].as_f64().unwrap();
    assert!(
        frames as f64 <= paced_frames_at_most(ms, frame_ms),
        "{frames} frames of {frame_ms:.0} ms in {ms} ms while loading"
    );
    // The file arrives; on a software rasterizer a map this heavy is drawn over several frames
    // (the old image meanwhile, "drawing the map"), then shown exact.
    let has_file = |s: &Value| {
        s["layers"]
            .as_array()
            .is_some_and(|l| l.iter().any(|l| l["name"] == "big.geojson"))
    };
    let (refining, _) = v.wait_for(frame(&last), "the new map drawn over frames", |s| {
        has_file(s) && s["refining"] == true
    });
    assert_eq!(
        refining["moving"], true,
        "a refining frame is not the view at rest"
    );
    let (exact, img) = v.wait_for(frame(&refining), "the new map exact", |s| {
        has_file(s) && s["refining"] == false && s["moving"] == false
    });
    assert_eq!(exact["loading"], 0);
    // The overlay is on screen: some of its fill colours are in the map area.
    let [x0, y0, x1, y1] = map_rect(&exact, 20);
    let coloured = (y0..y1)
        .step_by(4)
        .flat_map(|y| (x0..x1).step_by(4).map(move |x| (x, y)))
        .filter(|&(x, y)| px(&img, x, y).is_some_and(|p| diff(p, [0x55, 0x55, 0x55]) < 30))
        .count();
    assert!(coloured > 100, "{coloured} outline pixels");
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// Opening a file adds its row to the layers panel: the panel keeps its width, so the map does
/// not move under the user, and the view fitted to the file is the same whenever it is fitted.
#[test]
fn window_opening_a_file_leaves_the_layers_panel_its_width() {
    let _gpu = gpu_lock();
    let dir = scratch("window_panel_width");
    let file = overlay(&dir, "#cc3311");
    let v = Viewer::start_with(
        "window_panel_width_run",
        &[&file],
        [900, 600],
        &["--no-demo"],
    );
    let (loaded, _) = v.wait_for(0, "the file loaded, at rest", |s| {
        s["moving"] == false && s["loading"] == 0 && overlay_state(s).is_some()
    });
    // A later frame with the pointer moved onto the map: a panel that grew a frame after the
    // file came would show by then.
    let (s, _) = v.park(frame(&loaded), [600.0, 300.0]);
    let panel = control(&s, "layers-panel").expect("the layers panel");
    let want = borderlens::app::ui::PANEL_WIDTH as f64 * s["pixel_ratio"].as_f64().unwrap();
    assert!(
        (map_rect(&s, 0)[0] as f64 - want).abs() <= 1.0 && (panel[2] - want).abs() <= 1.0,
        "the map starts at {:?}, the panel ends at {}, wanted {want}",
        s["map_rect"],
        panel[2]
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_article_leaves_the_map_most_of_the_width() {
    let _gpu = gpu_lock();
    for (size, share) in [([1280, 800], 0.65), ([1000, 650], 0.55)] {
        let (_v, s, img) = map_share_with_demo(&format!("window_room_{}", size[0]), size);
        // The article opened: its panel is readable and the layers panel folded away.
        assert!(control(&s, "layers-panel").is_none(), "layers panel open");
        let panel = control(&s, "article-panel").expect("the article panel");
        assert!(panel[2] - panel[0] >= 320.0, "article panel {panel:?}");
        let title = control(&s, "article-title").unwrap();
        assert!(
            title[0] >= panel[0] && title[2] <= size[0] as f64 && title[1] >= 0.0,
            "the title is visible: {title:?} in {panel:?}"
        );
        // The status bar's two ends do not overlap, with the article's button in it.
        let (menu, home) = (
            control(&s, "projection-menu").unwrap(),
            control(&s, "home-button").unwrap(),
        );
        assert!(
            menu[2] <= home[0],
            "projection menu {menu:?}, Home {home:?}"
        );
        // On the pixels: the columns that are not panel background.
        let bg = px(&img, panel[2] as i64 - 4, panel[3] as i64 - 6).unwrap();
        let rows = [40, size[1] as i64 - 60];
        let map = size[0] as usize - panel_columns(&img, bg, rows);
        let measured = map as f64 / size[0] as f64;
        let rect = map_rect(&s, 0);
        let from_layout = (rect[2] - rect[0]) as f64 / size[0] as f64;
        assert!(
            measured >= share && (measured - from_layout).abs() < 0.05,
            "{size:?}: the map has {measured:.3} of the width on screen ({from_layout:.3} by the layout), wanted {share}"
        );
        eprintln!("{size:?}: map share {measured:.3} (layout {from_layout:.3})");
    }
}

#[test]
fn window_hovering_a_mention_lights_its_entity_and_only_it() {
    let _gpu = gpu_lock();
    let (v, s0, _) = map_share_with_demo("window_mention_hover", [1280, 800]);
    // A resting frame with the pointer in the panel's margin, lighting nothing.
    let panel = control(&s0, "article-panel").unwrap();
    let quiet = [panel[2] - 6.0, panel[3] - 10.0];
    let (s1, before) = v.park(frame(&s0), quiet);
    assert!(s1["hovered"].is_null());
    let mention = control(&s1, "mention:Nakhchivan").expect("a mention of Nakhchivan");
    let (s2, after) = v.park_when(frame(&s1), centre(mention), |s| {
        s["hovered"] == format!("{DEMO}/Nakhchivan")
    });
    assert_eq!(cam(&s2).center, cam(&s1).center, "the view did not move");
    let r: Vec<f64> = s2["hovered_rect"]
        .as_array()
        .expect("the lit entity's place on screen")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // The map's pixels change at the entity, and nowhere else on the map.
    let [x0, y0, x1, y1] = map_rect(&s2, 0);
    let (mut near, mut elsewhere) = (0, 0);
    for y in y0..y1 {
        for x in x0..x1 {
            if diff(px(&before, x, y).unwrap(), px(&after, x, y).unwrap()) > 30 {
                let m = 24.0;
                let (xf, yf) = (x as f64, y as f64);
                if xf >= r[0] - m && xf <= r[2] + m && yf >= r[1] - m && yf <= r[3] + m {
                    near += 1;
                } else {
                    elsewhere += 1;
                }
            }
        }
    }
    assert!(
        near >= 20 && elsewhere <= 5,
        "{near} pixels changed at Nakhchivan {r:?}, {elsewhere} elsewhere"
    );
    // Off the mention, the light goes.
    let (s3, _) = v.park_when(frame(&s2), quiet, |s| s["hovered"].is_null());
    assert!(s3["hovered_rect"].is_null());

    // A click on the mention flies there and opens the card beside the entity, not over it,
    // with what a reader wants and no internals.
    let mention = control(&s3, "mention:Nakhchivan").unwrap();
    v.hover(centre(mention));
    v.click();
    let (s4, _) = v.park_when(frame(&s3), quiet, |s| {
        s["selected"] == format!("{DEMO}/Nakhchivan") && control(s, "card").is_some()
    });
    let card = control(&s4, "card").unwrap();
    let at: Vec<f64> = s4["selected_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        !(at[0] >= card[0] && at[0] <= card[2] && at[1] >= card[1] && at[1] <= card[3]),
        "the card {card:?} covers the feature at {at:?}"
    );
    let rect = map_rect(&s4, 0);
    assert!(
        at[0] >= rect[0] as f64 && at[0] <= rect[2] as f64,
        "the feature is in view"
    );
    assert!(control(&s4, "card:field:kind").is_some());
    assert!(control(&s4, "card:field:mentions").is_some());
    // Only fields a reader wants; styling keys, ids and counters stay under "All properties".
    let reader = [
        "kind",
        "country",
        "population",
        "also called",
        "about",
        "mentions",
    ];
    for k in s4["controls"].as_object().unwrap().keys() {
        if let Some(field) = k.strip_prefix("card:field:") {
            assert!(reader.contains(&field), "the card shows {field:?}");
        }
    }
}

#[test]
fn window_hovering_an_entity_lights_and_scrolls_to_its_mention() {
    let _gpu = gpu_lock();
    let dir = scratch("window_entity_scroll");
    let file = long_article(&dir);
    let v = Viewer::start_with("window_entity_scroll_run", &[&file], [1280, 800], &[]);
    let name = "A long letter about trains and weather";
    v.move_to([640.0, 790.0]);
    let (s0, _) = v.wait_for(0, "the article, settled", |s| {
        layer(s, name).is_some() && !s["moving"].as_bool().unwrap() && s["loading"] == 0
    });
    let panel = control(&s0, "article-panel").unwrap();
    let first = control(&s0, "mention:Gyumri").expect("the mention of Gyumri");
    assert!(
        first[1] > panel[3],
        "the mention starts out of view: {first:?} {panel:?}"
    );
    assert!(control(&s0, "lit-mention").is_none());
    // Hover Gyumri on the map: its mention lights up and the text scrolls to it.
    let at = lonlat_to_screen(&cam(&s0), 43.84635, 40.79305);
    let (s1, _) = v.park_when(frame(&s0), at, |s| {
        // The town under the pointer (the base map's place, drawn over the article's).
        s["hovered"]
            .as_str()
            .is_some_and(|h| h.ends_with("/Gyumri"))
            && control(s, "lit-mention").is_some_and(|r| r[1] >= panel[1] && r[3] <= panel[3])
    });
    let lit = control(&s1, "lit-mention").unwrap();
    assert_eq!(lit, control(&s1, "mention:Gyumri").unwrap());
}

#[test]
fn window_double_click_only_zooms_and_a_click_selects_after_the_interval() {
    let _gpu = gpu_lock();
    let dir = scratch("window_clicks");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_clicks_run", &[&file]);
    let park = [100.0, 560.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (s0, _) = v.park(0, park);
    let inside = lonlat_to_screen(&cam(&s0), 44.5, 40.5);
    let (s1, _) = v.park_when(frame(&s0), inside, |s| {
        s["hovered"] == "area.geojson/Test area"
    });
    v.xdotool(&["click", "--repeat", "2", "--delay", "80", "1"]);
    let (s2, _) = v.wait_for(frame(&s1), "the double-click's zoom", |s| {
        !s["moving"].as_bool().unwrap() && cam(s).scale > cam(&s1).scale * 1.9
    });
    // Past the double-click interval, still nothing is selected and no card opened.
    v.wait_until_older(&s2, Duration::from_millis(600));
    v.move_to([inside[0] + 3.0, inside[1]]);
    let (s3, _) = v.wait_for(frame(&s2), "a frame after the interval", |s| {
        at_pointer(s, [inside[0] + 3.0, inside[1]])
    });
    assert!(
        s3["selected"].is_null(),
        "a double-click selected {}",
        s3["selected"]
    );
    assert!(control(&s3, "card").is_none());
    // A single click selects, once the double-click interval has passed.
    let clicked_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    v.xdotool(&["click", "1"]);
    let (s4, _) = v.wait_for(frame(&s3), "the selection", |s| {
        s["selected"] == "area.geojson/Test area" && control(s, "card").is_some()
    });
    let after = s4["presented_ms"].as_u64().unwrap() - clicked_ms;
    assert!(after >= 380, "selected {after} ms after the click");
}

#[test]
fn window_pastes_an_article_from_the_clipboard() {
    let _gpu = gpu_lock();
    let dir = scratch("window_paste");
    let v = Viewer::start_with("window_paste_run", &[], SIZE, &["--no-demo"]);
    v.move_to([600.0, 300.0]);
    let (s0, img0) = v.wait_for(0, "the base map", |s| {
        s["loading"] == 0 && !s["moving"].as_bool().unwrap()
    });
    let text = "Talks in Tbilisi about the road to Batumi\n2025-06-01\n\nMinisters met in Tbilisi on Monday to discuss repairs to the mountain road that links the capital with Batumi on the coast.\n";
    let file = dir.join("clip.txt");
    std::fs::write(&file, text).unwrap();
    let xclip = serve_clipboard(&v.display, &file);
    v.key("ctrl+v");
    let title = "Talks in Tbilisi about the road to Batumi";
    let (s1, img1) = v.wait_for(frame(&s0), "the pasted article, settled", |s| {
        layer(s, title).is_some_and(|l| l["features"].as_u64().unwrap() >= 2)
            && control(s, "article-title").is_some()
            && !s["moving"].as_bool().unwrap()
    });
    drop(xclip);
    // Its overlay is drawn: at Batumi, the pixels differ from the map before the paste.
    let changed = changed_at(&(&s0, &img0), &(&s1, &img1), [41.6367, 41.6168]);
    assert!(changed >= 5, "Batumi's marker: {changed} pixels differ");

    // Shift+F12 saves the map with the article panel beside it.
    v.key("shift+F12");
    let (s2, _) = v.wait_for(frame(&s1), "the saved view", |s| {
        s["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("Saved the view"))
    });
    let (m, a) = (map_rect(&s2, 0), control(&s2, "article-panel").unwrap());
    let shot = image::open(v.dir.join("shot.png")).unwrap().to_rgba8();
    let want = (
        a[2] as i64 - m[0],
        m[3].max(a[3] as i64) - m[1].min(a[1] as i64),
    );
    assert_eq!(shot.dimensions(), (want.0 as u32, want.1 as u32));

    // A text that names no place opens all the same, and its panel says so.
    std::fs::write(&file, "A note on the weather\n\nIt rained all week.\n").unwrap();
    let xclip = serve_clipboard(&v.display, &file);
    v.key("ctrl+v");
    v.wait_for(frame(&s2), "the empty article", |s| {
        layer(s, "A note on the weather").is_some() && control(s, "no-mentions").is_some()
    });
    drop(xclip);
}

#[test]
fn window_save_png_twice_gives_two_clean_files() {
    let _gpu = gpu_lock();
    let dir = scratch("window_save");
    let shots = dir.join("shots");
    std::fs::create_dir_all(&shots).unwrap();
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start_with(
        "window_save_run",
        &[&file],
        SIZE,
        &["--screenshot", shots.to_str().unwrap()],
    );
    let park = [100.0, 560.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (s0, img0) = v.park(0, park);
    // Off the middle, where the area's label is.
    let inside = lonlat_to_screen(&cam(&s0), 44.25, 40.25);
    // Selected and hovered: both highlights on screen.
    v.move_to(inside);
    v.xdotool(&["click", "1"]);
    let (s1, img1) = v.wait_for(frame(&s0), "the selection", |s| {
        s["selected"] == "area.geojson/Test area" && s["hovered"] == "area.geojson/Test area"
    });
    let at = [inside[0] as i64, inside[1] as i64];
    let plain = px(&img0, at[0], at[1]).unwrap();
    let lit = px(&img1, at[0], at[1]).unwrap();
    assert!(
        diff(plain, lit) > 30,
        "the selection shows: {lit:?} vs {plain:?}"
    );
    v.key("F12");
    v.xdotool(&["key", "F12"]);
    let t = Instant::now();
    let files = loop {
        let mut files: Vec<_> = std::fs::read_dir(&shots)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        if files.len() >= 2 {
            files.sort();
            break files;
        }
        assert!(t.elapsed() < SETTLE, "saved: {files:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let (s2, _) = v.wait_for(frame(&s1), "a toast naming a saved file", |s| {
        s["toast"].as_str().is_some_and(|t| {
            t.starts_with("Saved the view to ")
                && files
                    .iter()
                    .any(|f| t.contains(f.file_name().unwrap().to_str().unwrap()))
        })
    });
    let r = map_rect(&s2, 0);
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("borderlens-") && name.len() >= "borderlens-YYYYMMDD-HHMMSS.png".len()
        );
        let shot = image::open(f).unwrap().to_rgba8();
        assert_eq!(
            shot.dimensions(),
            ((r[2] - r[0]) as u32, (r[3] - r[1]) as u32)
        );
        // The saved feature is drawn plain: no hover, no selection.
        let p = px(&shot, at[0] - r[0], at[1] - r[1]).unwrap();
        assert!(
            diff(p, plain) < 12,
            "{name}: {p:?}, plain {plain:?}, lit {lit:?}"
        );
    }
    // And the window shows the highlights again.
    assert_eq!(s2["selected"], "area.geojson/Test area");
}

/// On a slow machine Ctrl+F, the name typed after it and the Enter come in one frame: the box
/// that opens in that frame must take the typing, and the letters are not map shortcuts too
/// ("g" would switch the grid on).
#[test]
fn window_search_opened_and_typed_in_one_slow_frame_finds_the_place() {
    let _gpu = gpu_lock();
    let v = Viewer::start_env(
        "window_search_slow_typing_run",
        &[],
        SIZE,
        &[],
        &[("BORDERLENS_FRAME_DELAY_MS", std::path::Path::new("800"))],
    );
    let park = [300.0, 300.0];
    let (s0, _) = v.park(0, park);
    assert_eq!(s0["graticule"], false);
    v.xdotool(&["windowfocus", "--sync", &v.window]);
    // One xdotool run: the move starts a (slow) frame, and the keys arrive while it is drawn
    // (`--args 1`: `type` takes one argument, and the Enter follows).
    v.move_then(
        [park[0] + 20.0, park[1]],
        &[
            "key", "ctrl+f", "type", "--delay", "5", "--args", "1", "ganja", "key", "Return",
        ],
    );
    let (s1, _) = v.wait_for(frame(&s0), "the found place selected", |s| {
        s["selected"] == "Places/Ganja"
    });
    assert!(control(&s1, "search").is_none(), "the search box closes");
    assert_eq!(
        s1["graticule"], false,
        "a letter typed into the search was a map shortcut too"
    );

    // A click on a button that takes no typing (Home), and G in the same frame: held until
    // that frame has shown no text field took the focus, then the map's shortcut.
    let home = control(&s1, "home-button").unwrap();
    v.move_then(
        [(home[0] + home[2]) / 2.0, (home[1] + home[3]) / 2.0],
        &["click", "1", "key", "g"],
    );
    v.wait_for(frame(&s1), "the grid on", |s| s["graticule"] == true);
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_search_copy_measure_graticule_and_about() {
    let _gpu = gpu_lock();
    let dir = scratch("window_tools");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_tools_run", &[&file]);
    let park = [100.0, 560.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (s0, _) = v.park(0, park);
    // At half a 1920 px screen's width the status bar's two ends do not overlap.
    let (menu, home) = (
        control(&s0, "projection-menu").unwrap(),
        control(&s0, "home-button").unwrap(),
    );
    assert!(
        menu[2] <= home[0] && home[2] <= control(&s0, "about-button").unwrap()[0],
        "projection menu {menu:?}, Home {home:?}"
    );

    // Search, diacritics folded: "seki" finds Sheki through its name "Şəki"; Enter flies there.
    v.key("ctrl+f");
    let (s1, _) = v.wait_for(frame(&s0), "the search box", |s| {
        control(s, "search").is_some()
    });
    v.xdotool(&["type", "--delay", "30", "seki"]);
    let (s2, _) = v.wait_for(frame(&s1), "a result", |s| {
        control(s, "search-result:0").is_some()
    });
    v.xdotool(&["key", "Return"]);
    let (s3, _) = v.wait_for(frame(&s2), "the found place selected", |s| {
        s["selected"] == "Places/Sheki" && !s["moving"].as_bool().unwrap()
    });
    assert!(control(&s3, "search").is_none(), "the search box closes");
    v.key("Escape");
    v.key("Home");
    let (s4, _) = v.park_when(frame(&s3), park, |s| {
        s["selected"].is_null() && cam(s).scale == cam(&s0).scale
    });

    // Right-click copies the lon/lat under the pointer.
    let c = cam(&s4);
    let p = lonlat_to_screen(&c, 45.2, 41.3);
    v.hover(p);
    v.xdotool(&["click", "3"]);
    let (s5, _) = v.wait_for(frame(&s4), "the copy toast", |s| {
        s["toast"].as_str().is_some_and(|t| t.starts_with("Copied"))
    });
    let text = clipboard_text(&v.display);
    let ll: Vec<f64> = text.split(',').map(|t| t.trim().parse().unwrap()).collect();
    let want = screen_to_lonlat(&c, [p[0].round(), p[1].round()]);
    assert!(
        (ll[0] - want[0]).abs() < 1e-3 && (ll[1] - want[1]).abs() < 1e-3,
        "copied {text:?}, the pointer is at {want:?}"
    );

    // Measure: two clicks, the great-circle distance between them.
    v.key("m");
    let (a, b) = (
        lonlat_to_screen(&c, 44.2, 40.2),
        lonlat_to_screen(&c, 46.0, 41.0),
    );
    v.hover(a);
    v.click();
    v.hover(b);
    v.click();
    let (s6, _) = v.wait_for(frame(&s5), "the measured distance", |s| {
        s["measure_km"].as_f64().is_some_and(|d| d > 1.0)
    });
    let km = s6["measure_km"].as_f64().unwrap();
    let want = haversine_km(
        screen_to_lonlat(&c, [a[0].round(), a[1].round()]),
        screen_to_lonlat(&c, [b[0].round(), b[1].round()]),
    );
    assert!(
        (km - want).abs() < 0.5,
        "measured {km:.2} km, expected {want:.2}"
    );
    assert!(control(&s6, "measure").is_some(), "the distance is shown");
    assert!(s6["selected"].is_null(), "measuring selects nothing");
    v.key("Escape");
    let (s7, img7) = v.park_when(frame(&s6), park, |s| s["measure_km"].is_null());

    // The graticule draws lines over the map: many pixels change, the camera does not.
    v.key("g");
    let (s8, img8) = v.park_when(frame(&s7), park, |s| s["graticule"] == true);
    assert_eq!(cam(&s8).center, cam(&s7).center);
    let [x0, y0, x1, y1] = map_rect(&s8, 0);
    let changed = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| diff(px(&img7, x, y).unwrap(), px(&img8, x, y).unwrap()) > 20)
        .count();
    assert!(changed > 500, "{changed} pixels of graticule");

    // About: the box with the data credits.
    let about = control(&s8, "about-button").unwrap();
    v.hover(centre(about));
    v.click();
    v.wait_for(frame(&s8), "the About box", |s| {
        control(s, "about").is_some()
    });
}

#[test]
fn window_opens_every_article_of_a_folder_and_a_bigger_one_as_an_archive() {
    let _gpu = gpu_lock();
    let dir = scratch("window_folder");
    let (news, archive) = folders(&dir);
    let v = Viewer::start("window_folder_run", &[&news, &archive]);
    v.move_to([600.0, 300.0]);
    let (s, _) = v.wait_for(0, "the folder's files", |s| {
        s["loading"] == 0
            && [
                "Snow closes the pass above Jermuk",
                "A new ferry for Baku",
                "zone.geojson",
            ]
            .iter()
            .all(|n| layer(s, n).is_some())
    });
    // Three files opened (the .csv is not one), and the bigger folder opened in archive mode.
    let overlays = s["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "overlay" && l["name"] != "archive archive")
        .count();
    assert_eq!(overlays, 3, "{}", s["layers"]);
    assert!(s["archive"]["status"].is_string(), "{}", s["archive"]);
    let toasts = s["toasts"].as_array().unwrap();
    assert!(
        toasts.iter().any(|t| {
            let t = t.as_str().unwrap();
            t.contains("archive") && t.contains("51 files")
        }),
        "{toasts:?}"
    );
}

#[test]
fn window_panels_resize_and_keep_their_width_for_the_next_session() {
    let _gpu = gpu_lock();
    let dir = scratch("window_widths");
    let file = overlay(&dir, "#d01010");
    let config = dir.join("config");
    let env = [("XDG_CONFIG_HOME", config.as_path())];
    let width = |s: &Value| control(s, "layers-panel").map(|r| r[2] - r[0]);
    let w1 = {
        let v = Viewer::start_env("window_widths_1", &[&file], SIZE, &[], &env);
        v.move_to([600.0, 300.0]);
        let (s0, _) = v.wait_for(0, "the layers panel", |s| {
            overlay_state(s).is_some() && width(s).is_some()
        });
        let r = control(&s0, "layers-panel").unwrap();
        // Drag the panel's right edge 100 px to the right.
        let edge = [r[2] - 1.0, 300.0];
        v.hover(edge);
        v.xdotool(&["mousedown", "1"]);
        // Each step drawn before the next: egui follows a drag frame by frame.
        for dx in [5.0, 50.0, 100.0] {
            v.hover([edge[0] + dx, 300.0]);
        }
        // Released where it ends, and drawn so, before the pointer leaves.
        v.click_release();
        v.move_to([600.0, 300.0]);
        let (s1, _) = v.wait_for(frame(&s0), "the wider panel", |s| {
            width(s).is_some_and(|w| (w - (r[2] - r[0]) - 100.0).abs() <= 4.0)
                && at_pointer(s, [600.0, 300.0])
        });
        width(&s1).unwrap()
    };
    // A new session: the panel opens as wide as it was left.
    let v = Viewer::start_env("window_widths_2", &[&file], SIZE, &[], &env);
    v.move_to([600.0, 300.0]);
    let (s2, _) = v.wait_for(0, "the layers panel", |s| width(s).is_some());
    let w2 = width(&s2).unwrap();
    assert!(
        (w2 - w1).abs() <= 1.0,
        "the panel was {w1} px wide, now {w2} px"
    );
}

#[test]
fn window_open_offers_a_path_field_when_no_portal_answers() {
    // A session bus with no xdg-desktop-portal on it: the dialog cannot show.
    let _gpu = gpu_lock();
    let dir = scratch("window_no_portal");
    let bus = BusDaemon::start();
    let address = std::path::PathBuf::from(bus.address.clone());
    let env = [("DBUS_SESSION_BUS_ADDRESS", address.as_path())];
    let v = Viewer::start_env("window_no_portal_run", &[], SIZE, &["--no-demo"], &env);
    v.move_to([600.0, 300.0]);
    let (s0, _) = v.wait_for(0, "the base map", |s| s["loading"] == 0);
    v.key("ctrl+o");
    let (s1, _) = v.wait_for(frame(&s0), "the path field", |s| {
        control(s, "open-path").is_some() && s["toast_error"] == true
    });
    assert!(s1["toast"].as_str().unwrap().contains("file dialog"));
    let file = overlay(&dir, "#d01010");
    v.xdotool(&["windowfocus", "--sync", &v.window]);
    v.xdotool(&["type", "--delay", "15", file.to_str().unwrap()]);
    v.xdotool(&["key", "Return"]);
    v.wait_for(frame(&s1), "the typed file", |s| overlay_state(s).is_some());
}

#[test]
fn window_status_bar_keeps_its_two_ends_apart_in_narrow_and_wide_windows() {
    // While a file loads the bar holds the most: the activity word beside the spinner. At any
    // width its left end (readouts, projection, activity) stays clear of its buttons.
    let _gpu = gpu_lock();
    let dir = scratch("window_status_widths");
    let file = overlay(&dir, "#d01010");
    for width in [760u32, 1300] {
        let v = Viewer::start_env(
            &format!("window_status_{width}"),
            &[&file],
            [width, 560],
            &[],
            &[("BORDERLENS_LOAD_DELAY_MS", std::path::Path::new("3000"))],
        );
        let (s, _) = v.wait_for(0, "a frame while the file loads", |s| {
            s["loading"].as_u64() == Some(1) && control(s, "activity").is_some()
        });
        let c = |name: &str| control(&s, name).unwrap_or_else(|| panic!("{name} in {s}"));
        let left_to_right = [
            ("layers-toggle", c("layers-toggle")),
            ("projection-menu", c("projection-menu")),
            ("activity", c("activity")),
            ("home-button", c("home-button")),
            ("about-button", c("about-button")),
        ];
        for pair in left_to_right.windows(2) {
            let ((a, ra), (b, rb)) = (pair[0], pair[1]);
            assert!(
                ra[2] <= rb[0],
                "{width} px: {a} {ra:?} runs into {b} {rb:?}"
            );
        }
        assert!(c("about-button")[2] <= width as f64);
        let activity = c("activity");
        assert!(
            activity[2] - activity[0] >= 40.0,
            "{width} px: the activity word is cut to nothing: {activity:?}"
        );
        // A narrow window has its tools in one menu; a wide one shows them as buttons.
        assert_eq!(
            control(&s, "tools-menu").is_some(),
            width < 1100,
            "{width} px"
        );
        // Loaded, the activity goes.
        let (s, _) = v.wait_for(frame(&s), "the file loaded", |s| {
            s["loading"] == 0 && control(s, "activity").is_none()
        });
        // The grid, from the tools menu in a narrow window, from its button in a wide one.
        if control(&s, "tools-menu").is_some() {
            choose_from_menu(&v, &s, "tools-menu", "tool:Grid");
        } else {
            v.hover(centre(control(&s, "tool:Grid").expect("the Grid button")));
            v.click();
        }
        v.wait_for(frame(&s), "the grid on", |s| s["graticule"] == true);
        assert!(v.alive(), "the viewer closed:\n{}", v.log());
    }
}
