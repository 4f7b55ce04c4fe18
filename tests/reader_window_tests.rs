//! Articles in the forms readers have them, opened in the real window (Xvfb): a saved web page
//! and a Windows-1252 text file given on the command line each open as an article layer with
//! its title, and the page's overlay is drawn.

use crate::common::window::*;
use crate::common::{gpu_lock, scratch};

#[test]
fn window_opens_a_saved_web_page_and_a_windows_1252_article() {
    let _gpu = gpu_lock();
    let dir = scratch("window_reader");
    let page = dir.join("story.html");
    std::fs::write(
        &page,
        r#"<!doctype html><html><head><meta charset="utf-8">
<title>Ferry talk | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2025-03-02T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<div class="ad">Buy a boat today!</div>
<article><h1>Ferry talk on the Caspian</h1>
<p>Port officials in Baku said on Sunday that a new ferry line to Aktau would start in the
spring, after months of talks between the two harbours.</p>
<p>Lorry drivers who now wait for days at the port of Baku welcomed the news, and traders in
Sumgait hope the line will shorten the route to Central Asia.</p>
<p>The officials gave no date for the first sailing but said the ships were ready.</p>
</article><footer>Copyright The Harbour Gazette. Terms. Privacy.</footer></body></html>"#,
    )
    .unwrap();
    // "Gəncə" cannot be written in Windows-1252; "Şəki"-free text with accents that can.
    let cp1252 = dir.join("cafe.txt");
    let mut bytes =
        b"Caf\xe9 owners in Tbilisi count the summer's visitors\n2025-07-01\n\n".to_vec();
    bytes.extend_from_slice(
        b"Owners of caf\xe9s in Tbilisi said the summer brought more visitors than last year, \
          many of them on the road from Batumi.\n",
    );
    std::fs::write(&cp1252, bytes).unwrap();
    let v = Viewer::start_with("window_reader_run", &[&page, &cp1252], SIZE, &[]);
    v.move_to([600.0, 300.0]);
    let page_title = "Ferry talk on the Caspian";
    let cafe_title = "Café owners in Tbilisi count the summer's visitors";
    let (s, _) = v.wait_for(0, "both articles open", |s| {
        s["loading"] == 0
            && layer(s, page_title).is_some_and(|l| l["features"].as_u64().unwrap() >= 2)
            && layer(s, cafe_title).is_some_and(|l| l["features"].as_u64().unwrap() >= 1)
    });
    // The page's clutter is not in its text: no ad, no navigation as mentions.
    assert!(control(&s, "article-title").is_some());
    let names: Vec<&str> = s["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("Harbour Gazette |")),
        "{names:?}"
    );
}
