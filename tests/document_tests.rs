//! Article files as readers have them: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252,
//! damaged bytes, and saved web pages with menus, adverts and footers around the story; read by
//! the library, the viewer's overlay loader and the command line alike. All texts and pages are
//! written for these tests.

use std::collections::BTreeSet;
use std::path::Path;

use borderlens::article::{decode, Article, Geoparser};
use borderlens::map::overlay::{is_article, load_overlay};
use borderlens::map::project::Projection;

use crate::common::{borderlens, scratch};

/// An Azerbaijani-and-English note naming Ganja and Sheki in their own spelling.
pub const AZ_NOTE: &str = "Bazar qiym\u{259}tl\u{259}ri\n2024-03-05\n\n\
    G\u{259}nc\u{259} v\u{259} \u{15e}\u{259}ki bazarlar\u{131}nda qiym\u{259}tl\u{259}r artd\u{131}. \
    Traders in G\u{259}nc\u{259} said the road to \u{15e}\u{259}ki was closed for two days.\n";

/// GeoNames ids of Sheki and Ganja.
const SHEKI: u32 = 585170;
const GANJA: u32 = 586523;

pub fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// A café note in Windows-1252: é, è, â and an en dash (0x96) as single bytes.
pub const CP1252_NOTE: &[u8] = b"Caf\xe9 prices\n2024-03-05\n\n\
    The caf\xe9 owners of Tbilisi said cr\xe8me and p\xe2t\xe9 cost more this winter \x96 a rise of 8%.\n";

/// A saved news page: the story inside navigation, adverts, related links and a footer that
/// name other places.
pub const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ferry to resume between Baku and Aktau | Caspian Ledger</title>
<meta property="og:site_name" content="Caspian Ledger">
<meta property="article:published_time" content="2024-06-14T08:30:00+04:00">
<link rel="canonical" href="https://www.caspianledger.example/news/ferry-resumes">
<style>.ad{display:block}</style>
</head>
<body>
<header class="site-header">
  <nav class="menu"><ul>
    <li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
    <li><a href="/yerevan">Yerevan desk</a></li><li><a href="/tbilisi">Tbilisi desk</a></li>
  </ul></nav>
  <div class="ad banner">Advertisement: cheap flights to Istanbul and Tehran this summer!</div>
</header>
<main>
<article class="story">
  <h1>Ferry to resume between Baku and Aktau</h1>
  <p class="byline">By a staff writer</p>
  <p>The passenger ferry between Baku and the Kazakh port of Aktau will sail again next month, the operator said on Friday, after a pause of almost two years while the ships were repaired.</p>
  <p>Officials in Baku said the crossing would run twice a week at first. Freight lorries will keep priority on the deck, and passengers will have to book cabins at least three days ahead.</p>
  <p>Travel agents in Ganja said they had already received calls from families hoping to visit relatives across the sea during the summer holidays.</p>
  <p>The operator added that it was studying a second route, but gave no date for it.</p>
</article>
<aside class="related">
  <h3>Related stories</h3>
  <ul><li><a href="/a">Protests in Tbilisi enter third week</a></li>
  <li><a href="/b">Armenia and Georgia discuss a new crossing</a></li></ul>
</aside>
<div class="ad sidebar">Sponsored: buy a flat in Batumi with a sea view.</div>
</main>
<footer class="site-footer"><p>Caspian Ledger. Offices in Baku, Tbilisi and Yerevan.</p>
<p><a href="/privacy">Privacy</a> <a href="/contact">Contact</a></p></footer>
</body>
</html>
"#;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn place_ids(a: &Article) -> BTreeSet<String> {
    Geoparser::embedded()
        .annotate_article(a)
        .into_iter()
        .map(|e| e.id)
        .collect()
}

#[test]
fn windows_1252_articles_keep_their_accents() {
    let dir = scratch("doc-1252");
    let a = Article::from_path(write(&dir, "cafe.txt", CP1252_NOTE)).unwrap();
    assert_eq!(a.title.as_deref(), Some("Caf\u{e9} prices"));
    assert_eq!(a.date.as_deref(), Some("2024-03-05"));
    assert!(
        a.body
            .contains("cr\u{e8}me and p\u{e2}t\u{e9} cost more this winter \u{2013} a rise"),
        "{}",
        a.body
    );
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert!(place_ids(&a).contains("tbilisi"));
    // Latin-1 text is Windows-1252 text (the shared letters have the same bytes)
    let d = decode(b"Na\xefve r\xe9sum\xe9 of the week in Gyumri.");
    assert_eq!(d.text, "Na\u{ef}ve r\u{e9}sum\u{e9} of the week in Gyumri.");
}

#[test]
fn utf16_articles_with_a_bom_in_both_byte_orders() {
    let dir = scratch("doc-utf16");
    for (name, le) in [("le.txt", true), ("be.txt", false)] {
        let a = Article::from_path(write(&dir, name, &utf16(AZ_NOTE, le))).unwrap();
        assert_eq!(
            a.title.as_deref(),
            Some("Bazar qiym\u{259}tl\u{259}ri"),
            "{name}"
        );
        assert!(
            a.body
                .contains("G\u{259}nc\u{259} v\u{259} \u{15e}\u{259}ki"),
            "{name}"
        );
        assert!(a.warnings.is_empty(), "{name}: {:?}", a.warnings);
        let open = Geoparser::embedded().annotate_open(&a.annotation_text());
        let settlements = open.located.settlement_ids();
        assert!(
            settlements.contains(&SHEKI) && settlements.contains(&GANJA),
            "{name}: {settlements:?}"
        );
    }
}

#[test]
fn a_bad_byte_is_a_warning_naming_its_place_not_a_refusal() {
    let dir = scratch("doc-badbyte");
    let before = "Bad byte\n2024-01-01\n\nA line about Baku.\nA bad ";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(before.as_bytes());
    bytes.push(0xFF);
    bytes.extend(" byte here, in Gy\u{f6}mri's caf\u{e9}.\n".as_bytes());
    let path = write(&dir, "damaged.txt", &bytes);
    let a = Article::from_path(&path).unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Bad byte"),
        "the BOM is not in the title"
    );
    assert!(a.body.contains("A bad \u{fffd} byte here"), "{}", a.body);
    assert!(a.body.contains("caf\u{e9}"), "still UTF-8: {}", a.body);
    let offset = 3 + before.len();
    assert_eq!(
        a.warnings,
        vec![format!(
            "5:7: byte {offset}: not valid UTF-8, read as \u{fffd}"
        )]
    );
    assert!(place_ids(&a).contains("baku"));
    // the command line annotates it and names the file and the byte
    let o = borderlens()
        .args(["annotate", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("warning: {}:5:7: byte {offset}:", path.display())),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"baku\""));
    // many bad bytes: the first ten are named, the rest counted
    let mut bytes = b"Baku ".to_vec();
    bytes.extend([0xFF; 25]);
    bytes.extend(format!(" G\u{259}nc\u{259} {}", "\u{259}".repeat(60)).as_bytes());
    let d = decode(&bytes);
    assert_eq!(d.encoding, encoding_rs::UTF_8);
    assert_eq!(d.warnings.len(), 11, "{:?}", d.warnings);
    assert!(
        d.warnings[0].starts_with("1:6: byte 5:"),
        "{:?}",
        d.warnings
    );
    assert!(
        d.warnings[10].starts_with("and 15 more"),
        "{:?}",
        d.warnings
    );
    assert_eq!(d.text.matches('\u{fffd}').count(), 25);
}

#[test]
fn binary_files_are_not_articles() {
    let dir = scratch("doc-binary");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
    let e = Article::from_path(write(&dir, "scan.txt", &png)).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("scan.txt: not a text file (it holds binary data)"),
        "{e}"
    );
    // a missing file: the reason once, without the OS's error number
    let e = Article::from_path(dir.join("gone.txt")).unwrap_err();
    assert_eq!(
        borderlens::article::error_line(&e),
        format!(
            "{}: cannot read: No such file or directory",
            dir.join("gone.txt").display()
        )
    );
}

#[test]
fn a_saved_web_page_gives_its_story_without_the_clutter() {
    let dir = scratch("doc-html");
    let a = Article::from_path(write(&dir, "ferry.html", PAGE.as_bytes())).unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Ferry to resume between Baku and Aktau")
    );
    assert_eq!(a.date.as_deref(), Some("2024-06-14T08:30:00+04:00"));
    assert_eq!(a.source.as_deref(), Some("Caspian Ledger"));
    assert!(
        a.body.contains("The passenger ferry between Baku"),
        "{}",
        a.body
    );
    assert!(a.body.contains("gave no date for it."), "{}", a.body);
    for clutter in [
        "Advertisement",
        "Sponsored",
        "Related stories",
        "Yerevan desk",
        "Offices in",
        "Privacy",
    ] {
        assert!(!a.body.contains(clutter), "{clutter} in {}", a.body);
    }
    // paragraphs stay apart
    assert!(a.body.contains("repaired.\n\nOfficials"), "{}", a.body);
    let ids = place_ids(&a);
    assert!(ids.contains("baku") && ids.contains("ganja"), "{ids:?}");
    for absent in ["tbilisi", "yerevan", "batumi", "ARM", "GEO"] {
        assert!(
            !ids.contains(absent),
            "{absent} from the page's clutter: {ids:?}"
        );
    }
}

#[test]
fn a_page_dated_by_its_time_element_and_named_by_its_address() {
    let dir = scratch("doc-html-time");
    let page = format!(
        "<html><head><meta charset=\"windows-1252\"><title>Snow in Gyumri</title>\
         <link rel=\"canonical\" href=\"https://news.highland.example/snow\"></head><body>\
         <nav><a href=\"/\">Front page</a> <a href=\"/baku\">Baku</a></nav>\
         <article><h1>Snow in Gyumri</h1><p><time datetime=\"2024-01-09\">9 January</time></p>\
         <p>{}</p><p>{}</p></article><footer>All rights reserved.</footer></body></html>",
        "Local schools in Gyumri reopened on Tuesday after a week of heavy snow closed the roads \
         into the town and left several villages without power for days.",
        "The caf\u{e9} by the station stayed open throughout, its owner said, serving tea to the \
         road crews who worked through the nights to clear the way."
    );
    let bytes = encoding_rs::WINDOWS_1252.encode(&page).0;
    let a = Article::from_path(write(&dir, "snow.htm", &bytes)).unwrap();
    assert_eq!(a.title.as_deref(), Some("Snow in Gyumri"));
    assert_eq!(a.date.as_deref(), Some("2024-01-09"));
    assert_eq!(a.source.as_deref(), Some("news.highland.example"));
    assert!(
        a.body.contains("The caf\u{e9} by the station"),
        "{}",
        a.body
    );
    assert!(!a.body.contains("Front page") && !a.body.contains("rights reserved"));
}

#[test]
fn the_viewer_opens_web_pages_and_articles_in_any_encoding() {
    let dir = scratch("doc-viewer");
    let projection = Projection::default();
    let page = write(&dir, "ferry.HTML", PAGE.as_bytes());
    assert!(is_article(&page) && is_article(Path::new("a.htm")));
    let layer = load_overlay(&page, &projection, 64).unwrap();
    assert_eq!(layer.name, "Ferry to resume between Baku and Aktau");
    let article = layer.article.as_ref().unwrap();
    assert_eq!(article.article.source.as_deref(), Some("Caspian Ledger"));
    assert!(article.entities.iter().any(|e| e.id == "baku"));
    // UTF-16: the title names the layer, Ganja is drawn
    let layer = load_overlay(
        &write(&dir, "az.txt", &utf16(AZ_NOTE, true)),
        &projection,
        64,
    )
    .unwrap();
    assert_eq!(layer.name, "Bazar qiym\u{259}tl\u{259}ri");
    assert!(layer
        .features
        .iter()
        .any(|f| f.prop_str("id") == Some("ganja")));
    // a damaged byte: the layer loads and carries the warning
    let mixed = write(
        &dir,
        "mixed.txt",
        b"Baku \xff and \xc3\xa9\xc3\xa9\xc3\xa9 caf\xc3\xa9",
    );
    let layer = load_overlay(&mixed, &projection, 64).unwrap();
    assert_eq!(layer.warnings.len(), 1, "{:?}", layer.warnings);
    assert!(layer.warnings[0]
        .to_string()
        .contains("byte 5: not valid UTF-8"));
}

/// A date line with a long note after the ISO date keeps the title and gives the date alone.
#[test]
fn a_long_iso_date_line_is_still_the_date() {
    let text = format!(
        "Fences go up near a village road\n2021-03-04 ({})\nhttps://example.org/news/1\n\n\
         Residents of a village near Tskhinvali said new fences appeared overnight.\n",
        "date taken from the report's own wording, which names the day but not the year; \
         the year is that of the surrounding coverage"
    );
    let a = borderlens::article::Article::parse(&text);
    assert_eq!(a.title.as_deref(), Some("Fences go up near a village road"));
    assert_eq!(a.date.as_deref(), Some("2021-03-04"));
}
