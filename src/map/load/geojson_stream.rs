//! A GeoJSON FeatureCollection read from disk a chunk at a time, so that the file's text is
//! never whole in memory (for a 100 MB file that text was the loader's peak). Each chunk's
//! complete features are parsed in parallel by `geojson::parse_feature`, as the whole-text
//! reader parses them, with the same warnings at the same places. Whatever this reader does not
//! expect (another top level, a `crs` member after the features, text that is not UTF-8 or not
//! JSON) hands the file back to the whole-text reader, whose errors name the place.

use std::io::Read;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::geojson::{note_crs, parse_feature};
use super::{Crs, LoadError, LoadedFile, Warning};

/// Bytes read at a time; also about the text parsed in one parallel batch.
pub const CHUNK: usize = 8 << 20;

/// Reads a FeatureCollection from `reader`; `Ok(None)` when the file must be read whole
/// instead (it is something else, or it is broken and the whole-text reader says where).
pub fn parse_reader(
    reader: impl Read,
    name: &str,
    chunk: usize,
) -> Result<Option<LoadedFile>, LoadError> {
    let mut s = Stream {
        reader,
        name,
        chunk: chunk.max(1),
        buf: Vec::new(),
        pos: 0,
        base: 0,
        lines_before: 0,
        line_start: 0,
    };
    s.collection()
}

/// What scanning from `Stream::pos` found.
enum Step {
    /// A complete value (or member key) at these buffer positions.
    Item(usize, usize),
    /// The end of the object or array.
    End,
    /// The buffer ends first: read more and scan again from the same place.
    More,
    /// Not what a FeatureCollection holds here: read the file whole.
    Other,
}

struct Stream<'a, R> {
    reader: R,
    name: &'a str,
    chunk: usize,
    /// Unparsed text from file offset `base`; `pos` is where scanning goes on.
    buf: Vec<u8>,
    pos: usize,
    base: usize,
    /// Newlines before `base`, and the file offset where the line holding `base` starts.
    lines_before: usize,
    line_start: usize,
}

impl<R: Read> Stream<'_, R> {
    fn collection(&mut self) -> Result<Option<LoadedFile>, LoadError> {
        if !self.fill(4)? {
            return Ok(None);
        }
        // Offsets count from after a BOM, as the whole-text reader's do.
        if self.buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.buf.drain(..3);
        }
        let Some(open) = self.after_ws()? else {
            return Ok(None);
        };
        if self.buf[open] != b'{' {
            return Ok(None);
        }
        self.pos = open + 1;
        let mut out = LoadedFile::default();
        let mut rest = Map::new();
        let mut kind = None;
        let mut features = false;
        let mut first = true;
        loop {
            let (key_start, key_end) = match self.until_done(|b, i| member_key(b, i, first))? {
                Some(Step::Item(s, e)) => (s, e),
                Some(Step::End) => {
                    self.pos = past_closer(&self.buf, self.pos);
                    break;
                }
                _ => return Ok(None),
            };
            first = false;
            let Ok(key) = serde_json::from_slice::<String>(&self.buf[key_start..key_end]) else {
                return Ok(None);
            };
            self.pos = key_end;
            let value_start = match self.until_done(after_colon)? {
                Some(Step::Item(s, _)) => s,
                _ => return Ok(None),
            };
            self.pos = value_start;
            // A geometry or a single feature, not a collection: read whole at once.
            if matches!(key.as_str(), "coordinates" | "geometries" | "geometry") {
                return Ok(None);
            }
            if key == "features" {
                // Twice, or a `crs` member after them: the whole-text reader decides.
                if features || self.buf[value_start] != b'[' {
                    return Ok(None);
                }
                features = true;
                self.pos += 1;
                // A CRS it does not know: the whole-text reader says so, after what comes first.
                let Ok(declared) = super::legacy_crs(&rest, self.name) else {
                    return Ok(None);
                };
                note_crs(&rest, declared.as_ref(), &mut out);
                let crs = declared.filter(|c| !c.is_wgs84());
                if !self.features(crs.as_ref(), &mut out)? {
                    return Ok(None);
                }
                continue;
            }
            let (s, e) = match self.until_done(|b, i| scan_value(b, i).map(|e| (i, e)))? {
                Some((s, e)) => (s, e),
                None => return Ok(None),
            };
            let Ok(value) = serde_json::from_slice::<Value>(&self.buf[s..e]) else {
                return Ok(None);
            };
            self.pos = e;
            match key.as_str() {
                "type" if kind.is_none() => match value {
                    Value::String(k) if k == "FeatureCollection" => kind = Some(k),
                    _ => return Ok(None),
                },
                "type" => return Ok(None),
                "crs" if features => return Ok(None),
                _ => {
                    rest.insert(key, value);
                }
            }
        }
        // Nothing but white space may follow the top-level object.
        if self.after_ws()?.is_some() || kind.as_deref() != Some("FeatureCollection") || !features {
            return Ok(None);
        }
        out.foreign.extend(rest);
        out.foreign.remove("bbox");
        out.warnings.sort_by_key(|w| w.offset);
        Ok(Some(out))
    }

    /// Reads the `features` array from `pos` (past its `[`) to its `]`, parsing a batch of
    /// features whenever the buffer ends or holds a chunk of them. `false`: read the file whole.
    fn features(&mut self, crs: Option<&Crs>, out: &mut LoadedFile) -> Result<bool, LoadError> {
        let mut pending: Vec<(usize, usize)> = Vec::new();
        let mut index = 0;
        loop {
            let step = array_item(&self.buf, self.pos, index == 0);
            match step {
                Step::Item(s, e) => {
                    pending.push((s, e));
                    index += 1;
                    self.pos = e;
                    if e - pending[0].0 >= self.chunk && !self.parse(&mut pending, index, crs, out)
                    {
                        return Ok(false);
                    }
                }
                Step::End => {
                    self.pos = past_closer(&self.buf, self.pos);
                    return Ok(self.parse(&mut pending, index, crs, out));
                }
                Step::More => {
                    if !self.parse(&mut pending, index, crs, out) {
                        return Ok(false);
                    }
                    self.drop_read();
                    if !self.read()? {
                        return Ok(false);
                    }
                }
                Step::Other => return Ok(false),
            }
        }
    }

    /// Parses the pending features (the last of them has index `next - 1`) into `out`.
    /// `false` when one of them is not UTF-8 or not JSON.
    fn parse(
        &self,
        pending: &mut Vec<(usize, usize)>,
        next: usize,
        crs: Option<&Crs>,
        out: &mut LoadedFile,
    ) -> bool {
        let first_index = next - pending.len();
        let buf = &self.buf;
        let parsed: Option<Vec<_>> = pending
            .par_iter()
            .enumerate()
            .map(|(i, &(s, e))| {
                let text = std::str::from_utf8(&buf[s..e]).ok()?;
                let r = parse_feature(text, first_index + i, text, crs);
                // A feature the whole-text reader would have refused as JSON.
                if r.is_err() && serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
                    return None;
                }
                Some((s, r))
            })
            .collect();
        pending.clear();
        let Some(parsed) = parsed else {
            return false;
        };
        // Newlines of the buffer, counted once for all of the batch's warnings.
        let warned = parsed.iter().any(|(_, r)| match r {
            Ok((_, notes)) => !notes.is_empty(),
            Err(_) => true,
        });
        let newlines: Vec<usize> = if warned {
            // Every pending feature ends before `pos`.
            let end = self.pos.min(self.buf.len());
            (0..end).filter(|&i| self.buf[i] == b'\n').collect()
        } else {
            Vec::new()
        };
        for (start, r) in parsed {
            let place = |mut w: Warning| {
                (w.line, w.column) = self.line_col(&newlines, start + w.offset);
                w.offset += self.base + start;
                w
            };
            match r {
                Ok((f, notes)) => {
                    out.features.push(f);
                    out.warnings.extend(notes.into_iter().map(place));
                }
                Err(w) => out.warnings.push(place(w)),
            }
        }
        true
    }

    /// 1-based line and column of buffer position `at`, given the buffer's `newlines` up to it.
    fn line_col(&self, newlines: &[usize], at: usize) -> (usize, usize) {
        let n = newlines.partition_point(|&nl| nl < at);
        let column = match n.checked_sub(1).map(|k| newlines[k]) {
            Some(nl) => at - nl,
            None => self.base + at - self.line_start + 1,
        };
        (self.lines_before + n + 1, column)
    }

    /// Forgets the buffer before `pos` (scanned and parsed).
    fn drop_read(&mut self) {
        let done = &self.buf[..self.pos];
        self.lines_before += done.iter().filter(|&&b| b == b'\n').count();
        if let Some(nl) = done.iter().rposition(|&b| b == b'\n') {
            self.line_start = self.base + nl + 1;
        }
        self.buf.drain(..self.pos);
        self.base += self.pos;
        self.pos = 0;
    }

    /// Appends a chunk to the buffer, or as much as the unscanned part when that is bigger (a
    /// value over a chunk is scanned again from its start: doubling keeps that linear);
    /// `false` at the end of the file.
    fn read(&mut self) -> Result<bool, LoadError> {
        let want = self.chunk.max(self.buf.len() - self.pos) as u64;
        match (&mut self.reader).take(want).read_to_end(&mut self.buf) {
            Ok(n) => Ok(n > 0),
            Err(source) => Err(LoadError::Io {
                path: self.name.to_string(),
                source,
            }),
        }
    }

    /// Reads until the buffer holds at least `n` bytes; `false` if the file is shorter.
    fn fill(&mut self, n: usize) -> Result<bool, LoadError> {
        while self.buf.len() < n {
            if !self.read()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The next byte after white space from `pos`, reading as needed; `None` at the end.
    fn after_ws(&mut self) -> Result<Option<usize>, LoadError> {
        loop {
            let i = skip_ws(&self.buf, self.pos);
            if i < self.buf.len() {
                return Ok(Some(i));
            }
            self.pos = i;
            self.drop_read();
            if !self.read()? {
                return Ok(None);
            }
        }
    }

    /// Runs `scan` from `pos`, reading more while it asks; `None` when it finds something else
    /// or the file ends first. The buffer before `pos` is kept (keys and values are small).
    fn until_done<T>(
        &mut self,
        scan: impl Fn(&[u8], usize) -> Scanned<T>,
    ) -> Result<Option<T>, LoadError> {
        loop {
            match scan(&self.buf, self.pos) {
                Scanned::Done(t) => return Ok(Some(t)),
                Scanned::Bad => return Ok(None),
                Scanned::More => {
                    if !self.read()? {
                        return Ok(None);
                    }
                }
            }
        }
    }
}

/// What a byte scanner found.
enum Scanned<T> {
    Done(T),
    More,
    Bad,
}

impl<T> Scanned<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Scanned<U> {
        match self {
            Scanned::Done(t) => Scanned::Done(f(t)),
            Scanned::More => Scanned::More,
            Scanned::Bad => Scanned::Bad,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The next member's key from `i` (after `,` unless it is the first), or the object's end.
fn member_key(b: &[u8], i: usize, first: bool) -> Scanned<Step> {
    let mut i = skip_ws(b, i);
    let Some(&c) = b.get(i) else {
        return Scanned::More;
    };
    if c == b'}' {
        return Scanned::Done(Step::End);
    }
    if !first {
        if c != b',' {
            return Scanned::Bad;
        }
        i = skip_ws(b, i + 1);
    }
    match b.get(i) {
        None => Scanned::More,
        Some(b'"') => scan_string(b, i).map(|e| Step::Item(i, e)),
        Some(_) => Scanned::Bad,
    }
}

/// From the end of a key: the start of its value after `:`.
fn after_colon(b: &[u8], i: usize) -> Scanned<Step> {
    let i = skip_ws(b, i);
    match b.get(i) {
        None => return Scanned::More,
        Some(b':') => {}
        Some(_) => return Scanned::Bad,
    }
    let i = skip_ws(b, i + 1);
    match b.get(i) {
        None => Scanned::More,
        Some(_) => Scanned::Done(Step::Item(i, i)),
    }
}

/// The next item of an array from `i` (after `,` unless it is the first), or the array's end.
fn array_item(b: &[u8], i: usize, first: bool) -> Step {
    let mut i = skip_ws(b, i);
    let Some(&c) = b.get(i) else {
        return Step::More;
    };
    if c == b']' && first {
        return Step::End;
    }
    if !first {
        match c {
            b']' => return Step::End,
            b',' => i = skip_ws(b, i + 1),
            _ => return Step::Other,
        }
    }
    match b.get(i) {
        None => Step::More,
        Some(b']' | b',') => Step::Other,
        Some(_) => match scan_value(b, i) {
            Scanned::Done(e) => Step::Item(i, e),
            Scanned::More => Step::More,
            Scanned::Bad => Step::Other,
        },
    }
}

/// Past the `]` or `}` that `array_item` or `member_key` found.
fn past_closer(b: &[u8], i: usize) -> usize {
    skip_ws(b, i) + 1
}

/// The end of the string starting at `b[i] == '"'`.
fn scan_string(b: &[u8], i: usize) -> Scanned<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Scanned::Done(j + 1),
            _ => j += 1,
        }
    }
    Scanned::More
}

/// Values nested deeper than this go to the whole-text reader: serde's nesting limit counts
/// from the top of the file, and a value parsed on its own would get more.
const MAX_DEPTH: usize = 100;

/// The end of the JSON value starting at `b[i]`. Brackets are only counted: serde checks the
/// value when it is parsed.
fn scan_value(b: &[u8], i: usize) -> Scanned<usize> {
    match b[i] {
        b'"' => scan_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => match scan_string(b, j) {
                        Scanned::Done(e) => {
                            j = e;
                            continue;
                        }
                        other => return other,
                    },
                    b'{' | b'[' if depth == MAX_DEPTH => return Scanned::Bad,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Scanned::Done(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            Scanned::More
        }
        b'}' | b']' | b',' | b':' => Scanned::Bad,
        _ => {
            // A number or literal: up to the next delimiter (the file's end is one only once
            // nothing more can be read, so ask for more).
            match b[i..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                Some(n) => Scanned::Done(i + n),
                None => Scanned::More,
            }
        }
    }
}
