//! Text normalisation (diacritics, dashes, quotes) with a byte-offset map back to the original,
//! sentence boundaries, and small word-level helpers over the folded (ASCII) text.

use std::borrow::Cow;

/// An ASCII copy of a text: diacritics folded (`Iğdır` → `Igdir`), every dash variant turned into
/// `-`, curly quotes into `'`/`"`, exotic spaces into ` `. `map[i]` is the byte offset in the
/// original of the character that produced folded byte `i` (`map[len]` = original length).
/// For pure-ASCII input no copy or map is made.
pub struct Folded<'a> {
    pub text: Cow<'a, [u8]>,
    /// one anchor per non-ASCII character: (folded start, folded end, original start, original end)
    anchors: Vec<(u32, u32, u32, u32)>,
    orig_len: usize,
}

impl<'a> Folded<'a> {
    pub fn new(original: &'a str) -> Folded<'a> {
        let bytes = original.as_bytes();
        if bytes.is_ascii() {
            return Folded {
                text: Cow::Borrowed(bytes),
                anchors: Vec::new(),
                orig_len: bytes.len(),
            };
        }
        let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + 16);
        let mut anchors = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            // copy the ASCII run
            let run_end = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii())
                .map_or(bytes.len(), |p| i + p);
            out.extend_from_slice(&bytes[i..run_end]);
            i = run_end;
            if i >= bytes.len() {
                break;
            }
            // one non-ASCII char
            let ch = original[i..].chars().next().expect("char boundary");
            let len = ch.len_utf8();
            let fs = out.len();
            out.extend_from_slice(fold_char(ch).as_bytes());
            anchors.push((fs as u32, out.len() as u32, i as u32, (i + len) as u32));
            i += len;
        }
        Folded {
            text: Cow::Owned(out),
            anchors,
            orig_len: bytes.len(),
        }
    }

    /// Original byte offset of folded byte offset `i` (0 ..= len). A position inside the
    /// replacement of one character maps to the start of that character.
    #[inline]
    pub fn orig(&self, i: usize) -> usize {
        if self.anchors.is_empty() {
            return i.min(self.orig_len);
        }
        let i32_ = i as u32;
        let k = self.anchors.partition_point(|a| a.0 <= i32_);
        if k == 0 {
            return i;
        }
        let (fs, fe, os, oe) = self.anchors[k - 1];
        if i32_ < fe && i32_ >= fs {
            // inside a replacement (or an empty replacement exactly at fs == fe is excluded)
            return os as usize;
        }
        let _ = os;
        ((oe as usize) + (i - fe as usize)).min(self.orig_len)
    }

    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.text
    }
}

/// ASCII replacement of one non-ASCII character.
pub fn fold_char(c: char) -> Cow<'static, str> {
    match c {
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '\u{2E3A}' | '\u{2E3B}' => {
            Cow::Borrowed("-")
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
        | '\u{00B4}' | '\u{FF07}' => Cow::Borrowed("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => Cow::Borrowed("\""),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Cow::Borrowed(" ")
        }
        '\u{2028}' | '\u{2029}' | '\u{0085}' => Cow::Borrowed("\n"),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
            Cow::Borrowed("")
        }
        '\u{2026}' => Cow::Borrowed("..."),
        'ə' => Cow::Borrowed("e"),
        'Ə' => Cow::Borrowed("E"),
        'ı' => Cow::Borrowed("i"),
        'İ' => Cow::Borrowed("I"),
        _ => match deunicode::deunicode_char(c) {
            Some(s) if !s.is_empty() && s.is_ascii() => Cow::Borrowed(s),
            _ => Cow::Borrowed(" "),
        },
    }
}

/// Folds a short string (patterns, cue words) the same way as a text.
pub fn fold_str(s: &str) -> String {
    let f = Folded::new(s);
    String::from_utf8(f.text.into_owned()).expect("folded text is ASCII")
}

#[inline]
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "st", "prof",
    "jr", "sr", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "inc", "corp", "co", "maj", "adm", "cmdr", "pres", "approx", "fig", "est",
    "dept", "ft", "mt", "vol",
];

/// Finds sentence boundaries in folded text. A boundary is a byte offset where a new sentence
/// starts being possible (just after the terminating punctuation / line break).
/// Rules: `.`, `!`, `?` (plus closing quotes/brackets) followed by whitespace and a character
/// that is not lower-case, unless the word before `.` is a known abbreviation or one letter;
/// a blank line; a single line break unless the next line continues in lower case.
pub struct SentenceCursor {
    /// scan position (everything before is counted)
    pos: usize,
    /// sentence index at `pos`
    pub index: usize,
    /// start offset of the current sentence
    pub start: usize,
}

impl SentenceCursor {
    pub fn new() -> Self {
        SentenceCursor {
            pos: 0,
            index: 0,
            start: 0,
        }
    }

    /// Advances to `target` (must be >= previous targets) and returns the sentence index there.
    pub fn advance(&mut self, text: &[u8], target: usize) -> usize {
        while self.pos < target {
            match next_boundary(text, self.pos, target) {
                Some(b) => {
                    self.pos = b;
                    // empty "sentences" (blank lines) do not count
                    if text[self.start..b].iter().any(|c| !c.is_ascii_whitespace()) {
                        self.index += 1;
                    }
                    self.start = b;
                }
                None => {
                    self.pos = target;
                }
            }
        }
        self.index
    }
}

impl Default for SentenceCursor {
    fn default() -> Self {
        Self::new()
    }
}

/// The first sentence boundary `b` with a terminator in `from..limit` (b may be a bit past `limit`
/// only if the terminator is before it; callers treat b <= target as crossing).
pub fn next_boundary(text: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut i = from;
    let limit = limit.min(text.len());
    while i < limit {
        let rel = find_terminator(&text[i..limit])?;
        let p = i + rel;
        if let Some(b) = boundary_at(text, p) {
            if b <= limit {
                return Some(b);
            }
            return None;
        }
        i = p + 1;
    }
    None
}

/// Bytes that may end a sentence.
static TERMINATOR: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Offset of the first `.`, `!`, `?` or newline (8 bytes at a time: most words have none).
#[inline]
fn find_terminator(hay: &[u8]) -> Option<usize> {
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let has = |b: u8| {
            let x = w ^ (LO * b as u64);
            x.wrapping_sub(LO) & !x & HI != 0
        };
        if has(b'.') || has(b'\n') || has(b'?') || has(b'!') {
            if let Some(p) = c.iter().position(|&b| TERMINATOR[b as usize]) {
                return Some(base + p);
            }
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| TERMINATOR[b as usize])
        .map(|p| base + p)
}

/// If the terminator at `p` ends a sentence, the offset where the next sentence starts.
fn boundary_at(text: &[u8], p: usize) -> Option<usize> {
    let c = text[p];
    if c == b'\n' {
        // blank line => boundary; otherwise boundary unless the next line starts lower-case
        let mut j = p + 1;
        while j < text.len() && matches!(text[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if j >= text.len() || text[j] == b'\n' {
            return Some(p + 1);
        }
        if text[j].is_ascii_lowercase() {
            // wrapped line, unless the previous line ended a sentence (handled by its own punctuation)
            return None;
        }
        return Some(p + 1);
    }
    // skip runs like "?!" or "..."
    let mut j = p + 1;
    while j < text.len() && matches!(text[j], b'.' | b'!' | b'?') {
        j += 1;
    }
    while j < text.len() && matches!(text[j], b'"' | b'\'' | b')' | b']') {
        j += 1;
    }
    if j < text.len() && !matches!(text[j], b' ' | b'\t' | b'\r' | b'\n') {
        return None;
    }
    let after = j;
    let mut k = j;
    while k < text.len() && matches!(text[k], b' ' | b'\t' | b'\r' | b'\n') {
        k += 1;
    }
    if k < text.len() && text[k].is_ascii_lowercase() {
        return None;
    }
    if c == b'.' && p + 1 == j {
        // abbreviation check on the word before the dot
        let mut s = p;
        while s > 0 && text[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
        let w = &text[s..p];
        if w.len() == 1 && w[0].is_ascii_uppercase() {
            return None;
        }
        if ABBREVIATIONS
            .iter()
            .any(|a| a.as_bytes().eq_ignore_ascii_case(w))
        {
            return None;
        }
    }
    Some(after)
}

/// Byte spans of all sentences of a folded text (start, end), end exclusive.
pub fn sentence_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(b) = next_boundary(text, i, text.len()) {
        if text[start..b].iter().any(|c| !c.is_ascii_whitespace()) {
            spans.push((start, b));
        }
        start = b;
        i = b;
    }
    spans.push((start, text.len()));
    spans
}

// ------------------------------------------------------------------------- word helpers

/// A token of the folded text: a word (alphanumerics and inner apostrophes are cut off) or one
/// punctuation byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
}

impl Tok {
    #[inline]
    pub fn bytes<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        &text[self.start..self.end]
    }
    #[inline]
    pub fn is_word(&self, text: &[u8]) -> bool {
        is_word_byte(text[self.start])
    }
    #[inline]
    pub fn is(&self, text: &[u8], w: &str) -> bool {
        self.bytes(text).eq_ignore_ascii_case(w.as_bytes())
    }
    #[inline]
    pub fn is_any<L: WordList + ?Sized>(&self, text: &[u8], ws: &L) -> bool {
        ws.contains_word(self.bytes(text))
    }
    #[inline]
    pub fn is_capitalized(&self, text: &[u8]) -> bool {
        text[self.start].is_ascii_uppercase()
    }
    #[inline]
    pub fn is_punct(&self, text: &[u8], c: u8) -> bool {
        self.end == self.start + 1 && text[self.start] == c
    }
}

/// Next token starting at or after `pos` (skipping spaces/tabs; a newline is returned as a token).
#[inline]
pub fn next_tok(text: &[u8], mut pos: usize) -> Option<Tok> {
    while pos < text.len() && matches!(text[pos], b' ' | b'\t' | b'\r') {
        pos += 1;
    }
    if pos >= text.len() {
        return None;
    }
    let s = pos;
    if is_word_byte(text[pos]) {
        while pos < text.len() && is_word_byte(text[pos]) {
            pos += 1;
        }
        Some(Tok { start: s, end: pos })
    } else {
        Some(Tok {
            start: s,
            end: s + 1,
        })
    }
}

/// Previous token ending at or before `pos`.
#[inline]
pub fn prev_tok(text: &[u8], mut pos: usize) -> Option<Tok> {
    while pos > 0 && matches!(text[pos - 1], b' ' | b'\t' | b'\r') {
        pos -= 1;
    }
    if pos == 0 {
        return None;
    }
    let e = pos;
    if is_word_byte(text[pos - 1]) {
        while pos > 0 && is_word_byte(text[pos - 1]) {
            pos -= 1;
        }
        Some(Tok { start: pos, end: e })
    } else {
        Some(Tok {
            start: e - 1,
            end: e,
        })
    }
}

/// Next word after `pos`, skipping a possessive `'s` and nothing else.
#[inline]
pub fn next_word(text: &[u8], pos: usize) -> Option<Tok> {
    let t = next_tok(text, pos)?;
    if t.is_word(text) {
        Some(t)
    } else {
        None
    }
}

/// Previous word before `pos` (no punctuation in between).
#[inline]
pub fn prev_word(text: &[u8], pos: usize) -> Option<Tok> {
    let t = prev_tok(text, pos)?;
    if t.is_word(text) {
        Some(t)
    } else {
        None
    }
}

/// True if `pos` is at the start of a line (only spaces before, back to a newline or text start).
pub fn at_line_start(text: &[u8], mut pos: usize) -> bool {
    while pos > 0 && matches!(text[pos - 1], b' ' | b'\t' | b'\r') {
        pos -= 1;
    }
    pos == 0 || text[pos - 1] == b'\n'
}

/// If a possessive `'s` / `'` follows at `pos`, the offset after it.
#[inline]
pub fn skip_possessive(text: &[u8], pos: usize) -> Option<usize> {
    if pos < text.len() && text[pos] == b'\'' {
        if pos + 1 < text.len() && (text[pos + 1] == b's' || text[pos + 1] == b'S') {
            if pos + 2 >= text.len() || !is_word_byte(text[pos + 2]) {
                return Some(pos + 2);
            }
        } else if pos + 1 >= text.len() || !is_word_byte(text[pos + 1]) {
            // plural possessive "countries'"
            return Some(pos + 1);
        }
    }
    None
}

// ------------------------------------------------------------------------- word lists

/// A set of lower-case ASCII words, matched case-insensitively.
pub trait WordList {
    fn contains_word(&self, w: &[u8]) -> bool;
}

impl WordList for [&str] {
    #[inline]
    fn contains_word(&self, w: &[u8]) -> bool {
        self.iter().any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
    }
}

impl<const N: usize> WordList for [&str; N] {
    #[inline]
    fn contains_word(&self, w: &[u8]) -> bool {
        self.iter().any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
    }
}

/// Hasher of the word sets (short ASCII keys). Chosen by measurement: see BENCHMARKS.md.
pub type WordHasher = rustc_hash::FxBuildHasher;
