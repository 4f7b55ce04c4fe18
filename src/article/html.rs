//! Saved web pages: the article's title, date, outlet and main text, found by readability
//! (`dom_smoothie`, a port of Firefox's reader view) rather than by rules for each site's
//! markup; menus, adverts, related links and footers are left out.

use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::Encoding;

use super::document::{decode, decode_as, url_host, Article, Decoded};

/// How far into a page its `<meta charset>` is looked for (as browsers do, the first 1024 bytes).
const PRESCAN: usize = 1024;

/// A page's bytes to text: its BOM, else its `<meta charset>` when the bytes read cleanly in
/// it, else [`decode`]'s detection (pages saved in another encoding than they declare).
pub fn decode_page(bytes: &[u8]) -> Decoded {
    if Encoding::for_bom(bytes).is_none() {
        if let Some(enc) = declared_charset(&bytes[..bytes.len().min(PRESCAN)]) {
            let d = decode_as(enc, bytes, 0);
            if d.warnings.is_empty() {
                return d;
            }
        }
    }
    decode(bytes)
}

/// The encoding named by `charset=` in the page's head (`<meta charset="...">` or the
/// `http-equiv` form).
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let label: Vec<u8> = lower[at..]
        .iter()
        .copied()
        .skip_while(|b| *b == b'"' || *b == b'\'' || b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .collect();
    let enc = Encoding::for_label(&label)?;
    // A page that says UTF-16 but has no BOM is read as UTF-8 by browsers too.
    Some(
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        },
    )
}

/// The article in a page's HTML; `None` when readability finds no text in it.
pub fn parse_page(html: &str) -> Option<Article> {
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = Readability::new(html, None, Some(config)).ok()?;
    // Read before `parse`, which strips the page down to the article.
    let first_attr = |selector: &str, attr: &str| {
        reader
            .doc
            .select(selector)
            .attr(attr)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let time = first_attr("article time[datetime]", "datetime")
        .or_else(|| first_attr("time[datetime]", "datetime"));
    let canonical = first_attr("link[rel=canonical]", "href");
    // The headline: the article's own <h1> (the <title> usually carries the site's name too).
    let headline = ["article h1", "h1"].iter().find_map(|sel| {
        let h = reader.doc.select(sel);
        let t = h
            .first()
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        (!t.is_empty() && (*sel == "article h1" || h.length() == 1)).then_some(t)
    });
    let page = reader.parse().ok()?;
    let body = tidy(&page.text_content);
    if body.is_empty() {
        return None;
    }
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Some(Article {
        title: headline
            .or_else(|| non_empty(Some(without_site(&page.title, page.site_name.as_deref())))),
        // meta article:published_time and JSON-LD datePublished (readability's), else <time>
        date: non_empty(page.published_time).or(time),
        source: non_empty(page.site_name)
            .or_else(|| page.url.as_deref().and_then(url_host))
            .or_else(|| canonical.as_deref().and_then(url_host)),
        body,
        ..Default::default()
    })
}

/// A page title without the site's name after a separator ("Ferry talk | The Harbour Gazette").
fn without_site(title: &str, site: Option<&str>) -> String {
    let t = title.trim();
    for sep in [" | ", " - ", " — ", " – "] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            let tail = tail.trim();
            if site.is_some_and(|s| s.trim().eq_ignore_ascii_case(tail)) {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// Readability's text with each line trimmed and at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_charset_is_found_and_checked() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head></html>";
        let d = decode_page(page);
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1252);
        assert!(d.text.contains("Caf\u{e9}"));
        // declared UTF-8 but saved in Windows-1252: detected instead of a broken byte
        let page = b"<meta http-equiv=Content-Type content='text/html; charset=utf-8'><p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>";
        let d = decode_page(page);
        assert!(d.text.contains("caf\u{e9} cr\u{e8}me"), "{}", d.text);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn tidy_keeps_paragraphs() {
        assert_eq!(tidy("  a \n\n\n\n b\n c  \n"), "a\n\nb\nc");
    }

    #[test]
    fn a_title_loses_its_sites_name_only_when_it_is_the_site() {
        let site = Some("The Harbour Gazette");
        assert_eq!(
            without_site("Ferry talk | The Harbour Gazette", site),
            "Ferry talk"
        );
        assert_eq!(
            without_site("Ferry talk - the harbour gazette", site),
            "Ferry talk"
        );
        assert_eq!(
            without_site("Baku - Aktau ferry", site),
            "Baku - Aktau ferry"
        );
        assert_eq!(
            without_site("Ferry talk | Gazette", None),
            "Ferry talk | Gazette"
        );
    }
}
