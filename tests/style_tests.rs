//! simplestyle's marker properties in `render`: `marker-size` sizes the marker, `marker-symbol`
//! draws a Maki icon or a letter or digit on it, an unknown symbol is a warning and a plain
//! marker.

use image::RgbaImage;

use crate::common::{borderlens, gpu_lock, scratch};

/// The bounding box of the pixels close to `rgb`, and their count.
fn cluster(img: &RgbaImage, rgb: [u8; 3], x_range: std::ops::Range<u32>) -> ([u32; 4], usize) {
    let mut b = [u32::MAX, u32::MAX, 0, 0];
    let mut n = 0;
    for (x, y, p) in img.enumerate_pixels() {
        let close = (0..3).all(|i| (p.0[i] as i32 - rgb[i] as i32).abs() < 40);
        if close && x_range.contains(&x) {
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            n += 1;
        }
    }
    (b, n)
}

/// White pixels well inside a marker (its white ring left out).
fn white_inside(img: &RgbaImage, b: [u32; 4]) -> usize {
    let (cx, cy) = ((b[0] + b[2]) as f64 / 2.0, (b[1] + b[3]) as f64 / 2.0);
    let r = (b[2] - b[0]) as f64 / 2.0 * 0.7;
    img.enumerate_pixels()
        .filter(|(x, y, p)| {
            (*x as f64 - cx).hypot(*y as f64 - cy) < r && p.0[..3].iter().all(|&c| c > 225)
        })
        .count()
}

#[test]
fn markers_have_their_size_and_symbol() {
    let dir = scratch("style-markers");
    let file = dir.join("markers.geojson");
    let point = |lon: f64, props: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Point","coordinates":[{lon},40.5]}}}}"#
        )
    };
    let features = [
        point(
            44.0,
            r##""marker-color":"#d01010","marker-size":"large","marker-symbol":"star""##,
        ),
        point(44.6, r##""marker-color":"#d01010","marker-size":"large""##),
        point(
            45.2,
            r##""marker-color":"#1040d0","marker-size":"large","marker-symbol":"A""##,
        ),
        point(45.8, r##""marker-color":"#10a040","marker-size":"small""##),
        point(
            46.4,
            r##""marker-color":"#10a040","marker-size":"large","marker-symbol":"no-such-icon""##,
        ),
    ];
    std::fs::write(
        &file,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let out = dir.join("markers.png");
    let _g = gpu_lock();
    // The markers alone, fitted to their row.
    let render = |out: &std::path::Path, extra: &[&str]| {
        borderlens()
            .args([
                "render",
                "--no-base",
                "--no-labels",
                "--bbox",
                "43.7,40.2,46.7,40.8",
            ])
            .args(["--size", "900x300"])
            .args(extra)
            .arg(&file)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap()
    };
    let o = render(&out, &["--scale", "2"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("markers.geojson")
            && stderr.contains("\"no-such-icon\" is not a Maki icon"),
        "{stderr}"
    );
    // The SVG figure draws the same symbols: the Maki path on the marker, the letter as text.
    let svg = dir.join("markers.svg");
    let o = render(&svg, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg.contains(r##"<path d="M7.5,0"##) && svg.contains("translate(-7.5 -7.5)"),
        "no star symbol in the SVG"
    );
    assert!(
        svg.contains(r##"fill="#ffffff">A</text>"##),
        "no letter in the SVG"
    );
    let img = image::open(&out).unwrap().to_rgba8();
    let w = img.width();
    let half = |i: u32| (i * w / 5)..((i + 1) * w / 5);
    let red = [0xd0, 0x10, 0x10];
    let (star, _) = cluster(&img, red, half(0));
    let (plain, _) = cluster(&img, red, half(1));
    let (letter, _) = cluster(&img, [0x10, 0x40, 0xd0], half(2));
    let (small, _) = cluster(&img, [0x10, 0xa0, 0x40], half(3));
    let (unknown, _) = cluster(&img, [0x10, 0xa0, 0x40], half(4));
    // A symbol is white ink on the marker; a plain marker has none.
    let (ws, wp, wl, wu) = (
        white_inside(&img, star),
        white_inside(&img, plain),
        white_inside(&img, letter),
        white_inside(&img, unknown),
    );
    assert!(ws > 60 && wl > 30, "star {ws}, letter {wl}");
    assert!(wp < 5 && wu < 5, "plain {wp}, unknown symbol {wu}");
    // Sizes: small < large, and a marker with a symbol is larger than without.
    let width = |b: [u32; 4]| b[2] - b[0];
    assert!(
        width(small) * 2 < width(plain) && width(plain) < width(star),
        "small {small:?} large {plain:?} star {star:?}"
    );
}
