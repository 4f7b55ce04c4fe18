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
            .filter(|&(x, y)| img.get_pixel(x, y).0[..3] != [255, 0, 0])
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
fn render_picks_vulkan_first_and_never_panics_on_another_backend() {
    let dir = scratch("cli-backends");
    let _g = gpu_lock();
    let run = |backend: Option<&str>, name: &str| {
        let mut c = borderlens();
        c.args(["render", "--size", "400x300", "-o"])
            .arg(dir.join(name));
        match backend {
            Some(b) => c.env("WGPU_BACKEND", b),
            None => c.env_remove("WGPU_BACKEND"),
        };
        c.output().unwrap()
    };
    // Left to choose, the renderer takes the Vulkan driver without starting OpenGL first.
    let o = run(None, "default.png");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("(Vulkan, Cpu)"), "{err}");
    // OpenGL: Mesa's llvmpipe cannot view a texture in a second format, which an image with
    // labels needs. Whatever the driver, the outcome is a PNG or one line saying why, never a
    // panic (it was a wgpu validation panic).
    let o = run(Some("gl"), "gl.png");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    if o.status.success() {
        assert!(image::open(dir.join("gl.png")).is_ok(), "{err}");
    } else {
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(lines[0].contains("install a Vulkan driver"), "{err}");
    }
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

/// The lines of stderr that are the command's errors.
fn error_lines(o: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.starts_with("error"))
        .map(str::to_string)
        .collect()
}

#[test]
fn errors_are_one_line_naming_the_file_without_repeated_os_text() {
    let dir = scratch("cli-errors");
    let missing = dir.join("nope.geojson");
    let folder = dir.join("folder.geojson");
    std::fs::create_dir_all(&folder).unwrap();
    let bad = dir.join("bad.geojson");
    std::fs::write(&bad, "{\"type\":\n  \"Feature\", oops}").unwrap();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend((0..3000u32).map(|i| (i * 13 % 251) as u8));
    let bin_txt = dir.join("scan.txt");
    std::fs::write(&bin_txt, &binary).unwrap();
    let bin_geojson = dir.join("scan.geojson");
    std::fs::write(&bin_geojson, &binary).unwrap();
    let d = |p: &std::path::Path| p.display().to_string();
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["info".into(), d(&missing)],
            format!(
                "error: {}: cannot read: No such file or directory",
                d(&missing)
            ),
        ),
        (
            vec!["annotate".into(), d(&dir.join("nope.txt"))],
            format!(
                "error: {}: no such file or folder",
                d(&dir.join("nope.txt"))
            ),
        ),
        (
            vec!["info".into(), d(&folder)],
            format!("error: {}: cannot read: Is a directory", d(&folder)),
        ),
        (
            vec!["info".into(), d(&bad)],
            format!(
                "error: {}:2:14: not valid JSON: key must be a string",
                d(&bad)
            ),
        ),
        (
            vec!["annotate".into(), "--json".into(), d(&bin_txt)],
            format!(
                "error: {}: not a text file (it holds binary data)",
                d(&bin_txt)
            ),
        ),
        (
            vec!["info".into(), d(&bin_geojson)],
            format!(
                "error: {}: not a text file (it holds binary data)",
                d(&bin_geojson)
            ),
        ),
        (
            vec!["digest".into(), d(&dir.join("no-archive"))],
            format!("error: {}: not a folder", d(&dir.join("no-archive"))),
        ),
    ];
    for (args, want) in cases {
        let o = borderlens().args(&args).output().unwrap();
        assert!(!o.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(error_lines(&o), vec![want], "{args:?}: {stderr}");
        assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
        assert!(!stderr.contains("borderlens:"), "{args:?}: {stderr}");
    }
    // render reads the file before it draws: the same one line, and no image
    let o = borderlens()
        .arg("render")
        .arg(&missing)
        .arg("-o")
        .arg(dir.join("x.png"))
        .output()
        .unwrap();
    assert_eq!(
        error_lines(&o),
        vec![format!(
            "error: {}: cannot read: No such file or directory",
            d(&missing)
        )]
    );
    assert!(!dir.join("x.png").exists());
}

#[test]
fn a_text_without_places_says_so_in_one_line() {
    let dir = scratch("cli-no-mentions");
    let note = dir.join("weather.txt");
    std::fs::write(
        &note,
        "A note on the weather\n\nIt rained all week and the buses ran late.\n",
    )
    .unwrap();
    let line = format!(
        "note: {}: no places, regions or borders found in this article",
        note.display()
    );
    for json in [true, false] {
        let mut c = borderlens();
        c.arg("annotate");
        if json {
            c.arg("--json");
        } else {
            c.arg("-o").arg(dir.join("weather.geojson"));
        }
        let o = c.arg(&note).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        assert_eq!(
            stderr.lines().filter(|l| *l == line).count(),
            1,
            "json {json}: {stderr}"
        );
    }
    // an article that names a place gets no such line
    let baku = dir.join("baku.txt");
    std::fs::write(&baku, "Rain\n\nIt rained all week in Baku.\n").unwrap();
    let o = borderlens()
        .args(["annotate", "--json"])
        .arg(&baku)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("no places"));
}

#[test]
fn render_draws_a_saved_web_page_and_says_when_an_article_names_nothing() {
    let dir = scratch("cli-render-page");
    let page = dir.join("ferry.html");
    std::fs::write(&page, crate::document_tests::PAGE).unwrap();
    let note = dir.join("weather.txt");
    std::fs::write(&note, "A note on the weather\n\nIt rained all week.\n").unwrap();
    let _g = gpu_lock();
    for (input, names_nothing) in [(&page, false), (&note, true)] {
        let out = dir.join("figure.png");
        let _ = std::fs::remove_file(&out);
        let o = borderlens()
            .arg("render")
            .arg(input)
            .arg("-o")
            .arg(&out)
            .args(["--size", "640x400"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && out.exists(), "{stderr}");
        assert_eq!(
            stderr.contains("no places, regions or borders found in this article"),
            names_nothing,
            "{stderr}"
        );
    }
}
