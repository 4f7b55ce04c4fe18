//! The command line: `render` writes a PNG, `info` describes a file, bad files fail with one
//! line naming the file.

use crate::common::{borderlens, gpu_lock, scratch, square};

#[test]
fn render_writes_a_png_with_overlay_and_labels() {
    let dir = scratch("cli-render");
    let overlay = dir.join("zone.geojson");
    std::fs::write(&overlay, format!(r##"{{"type":"Feature","properties":{{"fill":"#ff0000","fill-opacity":1,"title":"Zone"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"##, square(45.0, 40.5, 1.0))).unwrap();
    let out = dir.join("map.png");
    let _g = gpu_lock();
    let o = borderlens()
        .args(["render"])
        .arg(&overlay)
        .arg("-o")
        .arg(&out)
        .args(["--size", "800x500", "--fit"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let img = image::open(&out).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (800, 500));
    // --fit puts the red square in the middle, with 40 px padding around.
    assert_eq!(&img.get_pixel(400, 250).0[..3], &[255, 0, 0]);
    let red = img
        .pixels()
        .filter(|p| p[0] == 255 && p[1] == 0 && p[2] == 0)
        .count();
    assert!(red > 100_000, "{red}");
    // The label "Zone" is painted on the square: without labels, the middle of the square is all
    // red; with them, its dark text and white halo are there.
    let not_red_in_middle = |img: &image::RgbaImage| {
        (300..500)
            .flat_map(|x| (150..350).map(move |y| (x, y)))
            .filter(|&(x, y)| &img.get_pixel(x, y).0[..3] != &[255, 0, 0])
            .count()
    };
    let labelled = not_red_in_middle(&img);
    let bare_png = dir.join("bare.png");
    let o = borderlens()
        .args(["render"])
        .arg(&overlay)
        .arg("-o")
        .arg(&bare_png)
        .args(["--size", "800x500", "--fit", "--no-labels"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bare = image::open(&bare_png).unwrap().to_rgba8();
    assert_eq!(not_red_in_middle(&bare), 0);
    assert!(labelled > 100, "the label covers only {labelled} px");
}

#[test]
fn render_fails_with_one_line_naming_the_file() {
    let dir = scratch("cli-bad");
    let bad = dir.join("broken.geojson");
    std::fs::write(
        &bad,
        "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":",
    )
    .unwrap();
    let o = borderlens()
        .arg("render")
        .arg(&bad)
        .arg("-o")
        .arg(dir.join("x.png"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err
        .lines()
        .find(|l| l.contains("broken.geojson"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("broken.geojson:2:"), "{line}");
    assert!(!dir.join("x.png").exists());
    let o = borderlens()
        .arg("render")
        .arg(dir.join("nope.geojson"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope.geojson"));
}

#[test]
fn info_describes_a_file() {
    let dir = scratch("cli-info");
    let f = dir.join("mixed.geojson");
    std::fs::write(
        &f,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":{}}}}},{{"type":"Feature","properties":{{}},"geometry":{{"type":"Circle","coordinates":[1,2]}}}},{{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[46,42]}}}}]}}"#,
            square(44.0, 40.0, 1.0)
        ),
    )
    .unwrap();
    let o = borderlens().arg("info").arg(&f).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        out.contains("features: 2") && out.contains("Polygon: 1") && out.contains("Point: 1"),
        "{out}"
    );
    assert!(
        out.contains("bbox (W,S,E,N): 44.00000,40.00000,46.00000,42.00000"),
        "{out}"
    );
    assert!(
        out.contains("vertices: 6") && out.contains("warnings: 1") && out.contains("Circle"),
        "{out}"
    );
}

#[test]
fn help_is_everywhere() {
    for cmd in [
        vec!["--help"],
        vec!["render", "--help"],
        vec!["info", "--help"],
        vec!["view", "--help"],
        vec!["annotate", "--help"],
        vec!["eval", "--help"],
    ] {
        let o = borderlens().args(&cmd).output().unwrap();
        assert!(
            o.status.success() && String::from_utf8_lossy(&o.stdout).contains("Usage"),
            "{cmd:?}"
        );
    }
}
