//! Figures (`render ARTICLE`): the layout's parts where it puts them, the SVG against the PNG,
//! OCR read-back, and an article's stretch of border drawn strong near its village and faint
//! along the rest, on the software Vulkan driver.

use borderlens::gpu::headless::Headless;
use borderlens::map::project::Projection;
use borderlens::map::Map;
use image::RgbaImage;

use crate::common::gpu_lock;

fn close(a: [u8; 3], b: [u8; 3], tol: i32) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (*x as i32 - y as i32).abs() <= tol)
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
        // Dashes (OCR reads an en dash as "-" or "—") and spaces aside.
        let plain = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '–' | '—'))
                .collect()
        };
        for want in wants.iter().chain(&["km", "Natural Earth", "GeoNames"]) {
            assert!(
                plain(&text).contains(&plain(want)),
                "{name}: OCR lacks {want:?}:\n{text}"
            );
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

#[test]
fn a_wide_figure_is_located_on_the_world_and_a_regional_one_needs_no_inset() {
    // The Black Sea and the Caspian with Anatolia: far wider than the region.
    let wide = figure_scene([26.0, 36.0, 58.0, 48.0], [1600, 1000]);
    let inset = wide
        .figure
        .inset
        .as_ref()
        .expect("a wide figure: a world locator");
    let area = wide.figure.layout.inset.unwrap();
    let f = inset.frame;
    // The view is a box well inside the locator (the world around it), not all of it.
    let (fw, fh) = (f[2] - f[0], f[3] - f[1]);
    assert!(
        fw > 4.0 && fw < 0.6 * area.w && fh < 0.8 * area.h,
        "{f:?} in {area:?}"
    );
    assert!(
        f[0] > 0.0 && f[2] < area.w && f[1] > 0.0 && f[3] < area.h,
        "{f:?} in {area:?}"
    );
    // Its red frame is drawn there.
    let p = wide.png.get_pixel(
        (area.x + f[0]) as u32,
        (area.y + (f[1] + f[3]) / 2.0) as u32,
    );
    assert!(p[0] > 150 && p[1] < 100 && p[2] < 100, "{p:?}");
    assert!(wide.svg.contains("id=\"inset\""));
    // The region itself: no inset.
    let region = figure_scene(borderlens::map::basemap::SOUTH_CAUCASUS_BBOX, [1600, 1000]);
    assert!(region.figure.inset.is_none());
}

#[test]
fn a_figure_subtitle_gives_the_articles_date_and_source() {
    let dir = crate::common::scratch("figure-source");
    let art = dir.join("wire.txt");
    std::fs::write(
        &art,
        "Border guards meet at Sadakhlo\n2024-05-14\nSource: Caucasus Daily Wire\n\n\
         Armenian and Georgian border guards met at the Sadakhlo crossing on Tuesday to talk \
         about the queues of lorries on the Georgia-Armenia border.\n",
    )
    .unwrap();
    let out = dir.join("wire.svg");
    let o = crate::common::borderlens()
        .arg("render")
        .arg(&art)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains("2024-05-14 · Caucasus Daily Wire"),
        "no subtitle with the source"
    );
}
